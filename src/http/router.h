// Router: method + path templates with parameters.
//
// A template is a path whose segments are literals or `{name}` (one whole segment); the last
// segment may be `{name...}` (the rest of the path, slashes included, possibly empty — static
// files). A trailing slash is significant (`/taxii2/{root}/collections/{id}/objects/`). Matching
// splits the raw path on `/` first and percent-decodes each segment after, so `%2F` inside an id
// stays in the id. Where two templates match, the one with a literal earlier wins
// (`/objects/latest` before `/objects/{id}`). HEAD is served by the GET route unless a HEAD route
// exists. A path no template matches is 404; a path some template matches under other methods is
// 405 with those methods in `allowed`.
//
// Thread-safety: add() before the server starts; match() is const and safe from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace sw::http {

struct RouteOptions {
  // Largest request body accepted (413 beyond); 0 = ServerOptions::max_body_bytes.
  uint64_t max_body_bytes = 0;
  // Media types a request body may have (type/subtype and, when given, the parameters listed
  // here must match: "application/taxii+json;version=2.1"). Empty: any. A request with a body
  // and another (or no) Content-Type gets 415.
  std::vector<std::string> accepts;
  // Run the server's auth hook before the handler (operations endpoints turn it off).
  bool authenticate = true;
};

struct Route {
  std::string method;
  std::string path_template;
  Handler handler;
  RouteOptions options;
  // The parsed template.
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool param = false;
    bool rest = false;  // `{name...}`
  };
  std::vector<Segment> segments;
};

class Router {
 public:
  // Adds a route, replacing one with the same method and template. Errors: a malformed template
  // (not starting with '/', an unclosed brace, `{name...}` not last, a repeated parameter name).
  core::Status add(std::string method, std::string path_template, Handler handler,
                   RouteOptions options = {});

  struct Match {
    enum Kind { kFound, kNotFound, kMethodNotAllowed, kBadPath } kind = kNotFound;
    const Route* route = nullptr;  // kFound
    Params params;                 // kFound
    std::string allowed;           // kMethodNotAllowed: "GET, HEAD, POST"
    std::string error;             // kBadPath: what is wrong with the path
  };
  // `path` is the raw (percent-encoded) path, without the query.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

// Checks a request's Content-Type against accepted media types (RouteOptions::accepts): type and
// subtype compare case-insensitively; each parameter of the accepted type must be present with the
// same value (`version=2.1`); other parameters (charset) are ignored.
bool media_type_accepted(std::string_view content_type, const std::vector<std::string>& accepts);

}  // namespace sw::http
