#include "http/problem.h"

#include <array>

#include "http/json_text.h"

namespace sw::http {

namespace {
constexpr std::array<ProblemInfo, 17> kProblems = {{
    {400, "bad-request", "Bad Request"},
    {401, "unauthorized", "Unauthorized"},
    {403, "forbidden", "Forbidden"},
    {403, "csrf-token-missing", "CSRF Token Missing"},
    {404, "not-found", "Not Found"},
    {405, "method-not-allowed", "Method Not Allowed"},
    {408, "timeout", "Request Timeout"},
    {409, "conflict", "Conflict"},
    {413, "body-too-large", "Content Too Large"},
    {415, "unsupported-media-type", "Unsupported Media Type"},
    {422, "invalid-content", "Unprocessable Content"},
    {429, "rate-limited", "Too Many Requests"},
    {431, "headers-too-large", "Request Header Fields Too Large"},
    {500, "internal", "Internal Server Error"},
    {503, "not-ready", "Service Unavailable"},
    {503, "too-many-connections", "Too Many Connections"},
    {503, "shutting-down", "Shutting Down"},
}};
}  // namespace

const ProblemInfo& problem_info(Problem p) { return kProblems[static_cast<size_t>(p)]; }

std::string problem_type(std::string_view slug) { return "urn:shieldwall:problem:" + std::string(slug); }

Response problem(int status, std::string_view slug, std::string_view title, std::string_view detail,
                 std::string_view instance) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  std::string& b = r.body;
  b = "{\"type\":";
  append_json(b, problem_type(slug));
  b += ",\"title\":";
  append_json(b, title);
  b += ",\"status\":" + std::to_string(status);
  if (!detail.empty()) {
    b += ",\"detail\":";
    append_json(b, detail);
  }
  if (!instance.empty()) {
    b += ",\"instance\":";
    append_json(b, instance);
  }
  b += "}";
  return r;
}

Response problem(Problem p, std::string_view detail, std::string_view instance) {
  const auto& i = problem_info(p);
  return problem(i.status, i.slug, i.title, detail, instance);
}

Response rate_limited(int retry_after_seconds, std::string_view instance) {
  if (retry_after_seconds < 1) retry_after_seconds = 1;
  Response r = problem(Problem::kRateLimited,
                       "too many requests for this API key; retry after " +
                           std::to_string(retry_after_seconds) + " s",
                       instance);
  r.headers.set("Retry-After", std::to_string(retry_after_seconds));
  return r;
}

}  // namespace sw::http
