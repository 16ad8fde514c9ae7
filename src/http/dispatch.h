// Dispatcher: everything between "a request head was parsed" and "a response is ready to be
// written" that does not depend on sockets — target parsing, routing (404/405), media types (415),
// body limits (413), the auth hook, the rate limiter (429), calling the handler (exceptions become
// 500) and checking the response (header injection becomes 500; default security headers). The
// server drives it per request; the fuzz target drives it from bytes in memory.
//
// Thread-safety: configure before serving; then prepare/handle/finalize are const and may run on
// many threads at once (the rate limiter and the hooks are thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/problem.h"
#include "http/rate_limiter.h"
#include "http/router.h"

namespace sw::http {

// Authenticates a request before its handler: fills Request::principal / auth / rate_key, or
// returns the response that refuses it (401/403 problem). Runs on I/O threads; thread-safe.
using AuthHook = std::function<std::optional<Response>(Request&)>;

class Dispatcher {
 public:
  Router& router() { return router_; }
  const Router& router() const { return router_; }
  void set_auth_hook(AuthHook hook) { auth_ = std::move(hook); }
  // Rate limit requests whose rate_key the auth hook set; null: no limit.
  void set_rate_limiter(std::shared_ptr<RateLimiter> limiter) { limiter_ = std::move(limiter); }
  void set_default_body_limit(uint64_t bytes) { default_body_limit_ = bytes; }

  struct Prepared {
    const Route* route = nullptr;
    uint64_t body_limit = 0;
    // The response that refuses the request before its body is read.
    std::optional<Response> reject;
  };
  // After the head: `req.method`, `req.target` and `req.headers` are set; fills path, query,
  // route, params and request_id. `content_length` as declared; `has_body` when one follows.
  Prepared prepare(Request& req, std::optional<uint64_t> content_length, bool has_body) const;
  // With the body: auth hook, rate limit, handler.
  Response handle(Request& req, const Route& route) const;
  // Checks handler-set header values and adds defaults (X-Content-Type-Options, Cache-Control,
  // Content-Security-Policy, X-Request-Id). A response that would inject headers becomes a 500
  // problem; `*error` then says which header (for the application log).
  void finalize(const Request& req, Response& res, std::string* error) const;

 private:
  Router router_;
  AuthHook auth_;
  std::shared_ptr<RateLimiter> limiter_;
  uint64_t default_body_limit_ = 1 << 20;
};

// True when `name` is an HTTP token and `value` has no CR, LF or NUL (RFC 9110 §5.5).
bool valid_header_name(std::string_view name);
bool valid_header_value(std::string_view value);

}  // namespace sw::http
