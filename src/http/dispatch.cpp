#include "http/dispatch.h"

#include <atomic>
#include <exception>
#include <random>

namespace sw::http {

namespace {

std::string new_request_id() {
  static const std::string prefix = [] {
    std::random_device rd;
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    return std::string(buf);
  }();
  static std::atomic<uint64_t> counter{0};
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%010llx", static_cast<unsigned long long>(++counter));
  return prefix + buf;
}

bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Headers the server owns: a handler setting them would break the framing.
bool reserved_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection") || iequals(name, "Content-Type") || iequals(name, "Upgrade") ||
         iequals(name, "Keep-Alive") || iequals(name, "Trailer");
}

}  // namespace

bool valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool valid_header_value(std::string_view value) {
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

Dispatcher::Prepared Dispatcher::prepare(Request& req, std::optional<uint64_t> content_length,
                                         bool has_body) const {
  Prepared p;
  if (auto id = req.headers.get("X-Request-Id"); id && sane_request_id(*id))
    req.request_id = std::string(*id);
  else
    req.request_id = new_request_id();

  std::string_view target = req.target;
  // Absolute form ("http://host/path"), which HTTP/1.1 servers must accept.
  if (target.starts_with("http://") || target.starts_with("https://")) {
    size_t p3 = target.find('/', target.find("//") + 2);
    target = p3 == std::string_view::npos ? std::string_view("/") : target.substr(p3);
  }
  size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  size_t hash = req.path.find('#');
  if (hash != std::string::npos) req.path.resize(hash);
  if (q != std::string_view::npos) {
    auto query = parse_query(target.substr(q + 1));
    if (!query.ok()) {
      p.reject = problem(Problem::kBadRequest, "malformed query string: " + query.error().message, req.path);
      return p;
    }
    req.query = std::move(*query);
  }

  auto m = router_.match(req.method, req.path);
  switch (m.kind) {
    case Router::Match::kBadPath:
      p.reject = problem(Problem::kBadRequest, "malformed path: " + m.error);
      return p;
    case Router::Match::kNotFound:
      p.reject = problem(Problem::kNotFound, "no endpoint at this path; see docs/server.md", req.path);
      return p;
    case Router::Match::kMethodNotAllowed:
      p.reject = problem(Problem::kMethodNotAllowed,
                         "this path accepts " + m.allowed + ", not " + req.method, req.path);
      p.reject->headers.set("Allow", m.allowed);
      return p;
    case Router::Match::kFound:
      break;
  }
  p.route = m.route;
  req.route = m.route->path_template;
  req.params = std::move(m.params);

  const RouteOptions& o = m.route->options;
  p.body_limit = o.max_body_bytes ? o.max_body_bytes : default_body_limit_;
  if (content_length && *content_length > p.body_limit) {
    p.reject = problem(Problem::kBodyTooLarge,
                       "the body has " + std::to_string(*content_length) + " bytes; this endpoint accepts at most " +
                           std::to_string(p.body_limit),
                       req.path);
    return p;
  }
  if (has_body && !o.accepts.empty()) {
    auto ct = req.headers.get("Content-Type");
    if (!ct || !media_type_accepted(*ct, o.accepts)) {
      std::string list;
      for (const auto& a : o.accepts) list += (list.empty() ? "" : ", ") + a;
      p.reject = problem(Problem::kUnsupportedMediaType,
                         "Content-Type " + (ct ? "\"" + std::string(*ct) + "\"" : std::string("missing")) +
                             "; this endpoint accepts " + list,
                         req.path);
      p.reject->headers.set("Accept", list);  // RFC 9110 §15.5.16: say what would be accepted
      return p;
    }
  }
  return p;
}

Response Dispatcher::handle(Request& req, const Route& route) const {
  try {
    if (route.options.authenticate && auth_) {
      if (auto refused = auth_(req)) {
        if (refused->security_event.empty() && (refused->status == 401 || refused->status == 403))
          refused->security_event = refused->status == 401 ? "unauthorized" : "forbidden";
        return std::move(*refused);
      }
    }
    if (limiter_ && !req.rate_key.empty()) {
      auto d = limiter_->acquire(req.rate_key);
      if (!d.allowed) {
        Response r = rate_limited(d.retry_after_seconds, req.path);
        r.security_event = "rate-limited";
        return r;
      }
    }
    return route.handler(req);
  } catch (const std::exception& e) {
    Response r = problem(Problem::kInternal, "the server failed on this request; quote request id " + req.request_id,
                         req.path);
    r.log_error = std::string("handler threw: ") + e.what();
    return r;
  } catch (...) {
    Response r = problem(Problem::kInternal, "the server failed on this request; quote request id " + req.request_id,
                         req.path);
    r.log_error = "handler threw a non-standard exception";
    return r;
  }
}

void Dispatcher::finalize(const Request& req, Response& res, std::string* error) const {
  bool bad = false;
  std::string what;
  if (!valid_header_value(res.content_type)) bad = true, what = "Content-Type";
  for (const auto& [k, v] : res.headers) {
    if (bad) break;
    if (!valid_header_name(k) || !valid_header_value(v)) bad = true, what = valid_header_name(k) ? k : "(bad name)";
  }
  if (bad) {
    if (error) *error = "handler set a header with CR, LF or NUL (header injection): " + what + "; response replaced by 500";
    std::string event = "header-injection";
    res = problem(Problem::kInternal, "the server failed on this request; quote request id " + req.request_id,
                  req.path);
    res.security_event = std::move(event);
  }
  // Drop fields the server owns (framing) — set through Response fields, never headers.
  Headers clean;
  for (const auto& [k, v] : res.headers)
    if (!reserved_header(k)) clean.add(k, v);
  res.headers = std::move(clean);
  res.headers.set("X-Content-Type-Options", "nosniff");
  if (!res.headers.has("Cache-Control")) res.headers.add("Cache-Control", "no-store");
  if (!res.headers.has("Content-Security-Policy"))
    res.headers.add("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (!req.request_id.empty()) res.headers.set("X-Request-Id", req.request_id);
}

}  // namespace sw::http
