// RFC 9457 problem details: every error the server or a handler returns is
// `application/problem+json` with a stable `type` URI (urn:shieldwall:problem:<slug>), a title,
// the status and a `detail` a person can act on. The slugs are a public contract (docs/server.md
// lists them); add new ones, never rename.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace sw::http {

enum class Problem {
  kBadRequest,            // 400 bad-request: malformed HTTP, query or body
  kUnauthorized,          // 401 unauthorized: no or bad credentials (expired, revoked key)
  kForbidden,             // 403 forbidden: authenticated, not allowed
  kCsrf,                  // 403 csrf-token-missing: a cookie session without its CSRF token
  kNotFound,              // 404 not-found
  kMethodNotAllowed,      // 405 method-not-allowed (with Allow)
  kTimeout,               // 408 timeout: the request was not received in time
  kConflict,              // 409 conflict
  kBodyTooLarge,          // 413 body-too-large
  kUnsupportedMediaType,  // 415 unsupported-media-type
  kUnprocessable,         // 422 invalid-content: well-formed but invalid (STIX rules)
  kRateLimited,           // 429 rate-limited (with Retry-After)
  kHeadersTooLarge,       // 431 headers-too-large
  kInternal,              // 500 internal
  kNotReady,              // 503 not-ready: the node is starting or lost its store
  kTooManyConnections,    // 503 too-many-connections (with Retry-After)
  kShuttingDown,          // 503 shutting-down
};

struct ProblemInfo {
  int status;
  std::string_view slug;
  std::string_view title;
};

const ProblemInfo& problem_info(Problem p);
// "urn:shieldwall:problem:<slug>"
std::string problem_type(std::string_view slug);

// A problem+json response. `instance` is usually the request path (or request id).
Response problem(Problem p, std::string_view detail, std::string_view instance = {});
// For handlers with their own slug (document it in docs/server.md).
Response problem(int status, std::string_view slug, std::string_view title, std::string_view detail,
                 std::string_view instance = {});
// 429 with Retry-After (whole seconds, at least 1).
Response rate_limited(int retry_after_seconds, std::string_view instance = {});

}  // namespace sw::http
