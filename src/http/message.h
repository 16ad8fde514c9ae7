// Request and Response: what a handler sees and returns, independent of the transport (plain or
// TLS, Beast underneath). Also the small text helpers every HTTP entry point shares: header maps
// with case-insensitive names, percent-decoding and query strings.
//
// Thread-safety: plain values; a Request belongs to the one request being served.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sw::http {

bool iequals(std::string_view a, std::string_view b);

// Header fields in the order they were added; names compare case-insensitively.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every field of that name.
  void set(std::string name, std::string value);
  void erase(std::string_view name);
  // The first field of that name.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// Decoded query string: keys may repeat (`match[type]=a&match[type]=b`), order is kept.
class Query {
 public:
  using Item = std::pair<std::string, std::string>;

  void add(std::string key, std::string value) { items_.emplace_back(std::move(key), std::move(value)); }
  std::optional<std::string_view> get(std::string_view key) const;  // the first value
  std::vector<std::string_view> all(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Item> items_;
};

// `%XX` decoding; `plus_is_space` for form-encoded query strings. A `%` not followed by two hex
// digits is an error (the request is malformed, 400).
core::Result<std::string> percent_decode(std::string_view in, bool plus_is_space = false);
// Parses `a=1&b=&c&a=2` (the part after `?`); both keys and values are percent-decoded.
core::Result<Query> parse_query(std::string_view raw);

// Path parameters of the matched route template, decoded.
class Params {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  // Empty when the route has no such parameter.
  std::string_view get(std::string_view name) const;
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  size_t size() const { return items_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  std::string method;  // as sent ("GET", "HEAD", ...)
  std::string target;  // path and query as sent
  std::string body;

  std::string path;          // the target's path, still percent-encoded (no query)
  std::string route;         // the matched template ("/api/v1/objects/{id}"); empty when none
  Params params;             // decoded path parameters of that template
  Query query;               // decoded query string
  Headers headers;           // request header fields
  std::string remote;        // the client's address ("127.0.0.1", "::1")
  uint16_t remote_port = 0;
  std::string request_id;    // X-Request-Id when the client sent a sane one, else generated
  bool tls = false;

  // Filled by the server's auth hook (Server::set_auth_hook). `principal` is what logs name
  // (user or API key id); `auth` holds the API layer's own object; `rate_key` keys the rate
  // limiter (empty: not rate-limited).
  std::string principal;
  std::any auth;
  std::string rate_key;

  std::string_view param(std::string_view name) const { return params.get(name); }
  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
};

// Given to a streaming producer (Response::stream). The producer runs on its own thread, so it may
// block between writes (waiting for the next event); every write goes out as one chunk and is on
// the wire (in the kernel's buffer) when write() returns.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // Sends `data` as one chunk. False once the client is gone, a write timed out or the server is
  // stopping; the producer should then return.
  virtual bool write(std::string_view data) = 0;
  // True once the client has closed its side (noticed without writing).
  virtual bool client_gone() const = 0;
  // True once the server is shutting down: endless streams (server-sent events) should end now;
  // finite ones may finish within the grace period.
  virtual bool stopping() const = 0;
};
using StreamProducer = std::function<void(StreamWriter&)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Further header fields. Values are checked for CR, LF and NUL before anything is sent: a bad
  // one turns the response into a logged 500 (header injection is never emitted).
  Headers headers;
  // When set, the body is produced by this function (chunked transfer coding) and `body` is
  // ignored: large exports, server-sent events.
  StreamProducer stream;
  // Never sent. `log_error`: an application error to log with the request (what a handler threw).
  // `security_event`: a security-relevant refusal ("path-traversal", "unauthorized") that the
  // server logs and passes to ServerOptions::on_security_event (the audit log).
  std::string log_error;
  std::string security_event;
};

// A `text/event-stream` response whose events `producer` writes (format with sse_event()).
Response sse_response(StreamProducer producer);
// One server-sent event: optional `event:` and `id:` lines, `data` split into `data:` lines.
std::string sse_event(std::string_view data, std::string_view event = {}, std::string_view id = {});

// The handler of a route. Runs on one of the server's I/O threads: it must not block for long
// (streaming producers run elsewhere).
using Handler = std::function<Response(Request&)>;

}  // namespace sw::http
