// The server's parts without sockets: router, query strings, media types, problems, the rate
// limiter, the metrics text, log lines and the response checks.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/dispatch.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/rate_limiter.h"
#include "http/router.h"

namespace sw::http {
namespace {

Handler named(std::string name) {
  return [name](const Request&) { return Response{200, "text/plain", name}; };
}

TEST(HttpRouter, MatchesTemplatesWithParameters) {
  Router r;
  ASSERT_TRUE(r.add("GET", "/api/v1/objects/{id}", named("object")).ok());
  ASSERT_TRUE(r.add("GET", "/api/v1/objects/latest", named("latest")).ok());
  ASSERT_TRUE(r.add("GET", "/taxii2/{root}/collections/{id}/objects/", named("taxii")).ok());
  ASSERT_TRUE(r.add("DELETE", "/api/v1/objects/{id}", named("delete")).ok());

  auto m = r.match("GET", "/api/v1/objects/indicator--1234");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.route->path_template, "/api/v1/objects/{id}");
  EXPECT_EQ(m.params.get("id"), "indicator--1234");

  // A literal beats a parameter wherever both match.
  m = r.match("GET", "/api/v1/objects/latest");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.route->path_template, "/api/v1/objects/latest");

  m = r.match("GET", "/taxii2/api1/collections/abc%2Fdef/objects/");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.params.get("root"), "api1");
  EXPECT_EQ(m.params.get("id"), "abc/def") << "%2F stays inside the parameter";

  // The trailing slash is significant; an empty segment is no parameter value.
  EXPECT_EQ(r.match("GET", "/taxii2/api1/collections/abc/objects").kind, Router::Match::kNotFound);
  EXPECT_EQ(r.match("GET", "/api/v1/objects/").kind, Router::Match::kNotFound);
  EXPECT_EQ(r.match("GET", "/nothing").kind, Router::Match::kNotFound);
}

TEST(HttpRouter, MethodNotAllowedListsTheMethodsAndHeadFollowsGet) {
  Router r;
  ASSERT_TRUE(r.add("GET", "/items/{id}", named("get")).ok());
  ASSERT_TRUE(r.add("PUT", "/items/{id}", named("put")).ok());
  auto m = r.match("POST", "/items/1");
  ASSERT_EQ(m.kind, Router::Match::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, "GET, HEAD, PUT");
  m = r.match("HEAD", "/items/1");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.route->method, "GET");
}

TEST(HttpRouter, RestParameterAndBadTemplates) {
  Router r;
  ASSERT_TRUE(r.add("GET", "/ui/{path...}", named("ui")).ok());
  auto m = r.match("GET", "/ui/assets/app.js");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.params.get("path"), "assets/app.js");
  m = r.match("GET", "/ui/");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.params.get("path"), "");

  EXPECT_FALSE(r.add("GET", "no-slash", named("x")).ok());
  EXPECT_FALSE(r.add("GET", "/a/{id", named("x")).ok());
  EXPECT_FALSE(r.add("GET", "/a/x{id}", named("x")).ok());
  EXPECT_FALSE(r.add("GET", "/a/{id}/{id}", named("x")).ok());
  EXPECT_FALSE(r.add("GET", "/a/{rest...}/b", named("x")).ok());
  EXPECT_EQ(r.match("GET", "/ui/%zz").kind, Router::Match::kBadPath);
  EXPECT_EQ(r.match("GET", "*").kind, Router::Match::kBadPath);
}

TEST(HttpQuery, DecodesAndKeepsRepeatedKeys) {
  auto q = parse_query("match%5Btype%5D=indicator&match[type]=malware&added_after=2024-01-01T00%3A00%3A00Z&"
                       "q=a+b%20c&flag&empty=&&limit=10");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->all("match[type]"), (std::vector<std::string_view>{"indicator", "malware"}));
  EXPECT_EQ(q->get("added_after"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(q->get("q"), "a b c");
  EXPECT_TRUE(q->has("flag"));
  EXPECT_EQ(q->get("flag"), "");
  EXPECT_EQ(q->get("empty"), "");
  EXPECT_EQ(q->get("limit"), "10");
  EXPECT_FALSE(q->has("missing"));
  EXPECT_FALSE(parse_query("a=%4").ok());
  EXPECT_FALSE(parse_query("a=%G0").ok());
}

TEST(HttpMediaTypes, ParametersOfTheAcceptedTypeMustMatch) {
  std::vector<std::string> taxii = {"application/taxii+json;version=2.1"};
  EXPECT_TRUE(media_type_accepted("application/taxii+json; version=2.1", taxii));
  EXPECT_TRUE(media_type_accepted("Application/TAXII+json;version=\"2.1\";charset=utf-8", taxii));
  EXPECT_FALSE(media_type_accepted("application/taxii+json", taxii));
  EXPECT_FALSE(media_type_accepted("application/taxii+json;version=2.0", taxii));
  EXPECT_FALSE(media_type_accepted("application/json", taxii));
  std::vector<std::string> json = {"application/json"};
  EXPECT_TRUE(media_type_accepted("application/json; charset=utf-8", json));
  EXPECT_FALSE(media_type_accepted("text/plain", json));
  EXPECT_TRUE(media_type_accepted("anything", {}));
}

TEST(HttpProblems, AreRfc9457JsonWithStableTypes) {
  Response r = problem(Problem::kBodyTooLarge, "the body has 2000000 bytes \"quoted\"", "/api/v1/x");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v["type"], "urn:shieldwall:problem:body-too-large");
  EXPECT_EQ(v["title"], "Content Too Large");
  EXPECT_EQ(v["status"], 413);
  EXPECT_EQ(v["detail"], "the body has 2000000 bytes \"quoted\"");
  EXPECT_EQ(v["instance"], "/api/v1/x");
  Response l = rate_limited(3);
  EXPECT_EQ(l.status, 429);
  EXPECT_EQ(l.headers.get("Retry-After"), "3");
  // Invalid UTF-8 from a hostile path still gives valid JSON.
  Response bad = problem(Problem::kNotFound, "x", std::string("/\xff\xfe\x01", 4));
  EXPECT_NO_THROW(boost::json::parse(bad.body));
}

TEST(HttpRateLimiter, TokenBucketPerKeyWithRetryAfter) {
  RateLimiter lim(1.0, 3);  // 1 per second, bursts of 3
  auto t = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(lim.acquire("key-a", t).allowed);
  auto refused = lim.acquire("key-a", t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_TRUE(lim.acquire("key-b", t).allowed) << "keys are independent";
  EXPECT_TRUE(lim.acquire("key-a", t + std::chrono::milliseconds(1000)).allowed);
  EXPECT_FALSE(lim.acquire("key-a", t + std::chrono::milliseconds(1000)).allowed);
  RateLimiter slow(0.1, 1);
  EXPECT_TRUE(slow.acquire("k", t).allowed);
  EXPECT_EQ(slow.acquire("k", t).retry_after_seconds, 10);
}

TEST(HttpMetrics, RendersPrometheusText) {
  Registry reg;
  reg.counter("sw_test_total", "Things counted", {{"route", "/a/{id}"}, {"status", "200"}}).inc(2);
  reg.counter("sw_test_total", "ignored", {{"route", "/a/{id}"}, {"status", "200"}}).inc();
  reg.gauge("sw_test_gauge", "A gauge").set(7.5);
  reg.gauge_callback("sw_test_size", "From a callback", [] { return 42.0; });
  auto& h = reg.histogram("sw_test_seconds", "Latency", {0.1, 1}, {{"route", "x\"y"}});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  std::string text = reg.render();
  EXPECT_NE(text.find("# HELP sw_test_total Things counted\n# TYPE sw_test_total counter\n"
                      "sw_test_total{route=\"/a/{id}\",status=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sw_test_gauge 7.5\n"), std::string::npos);
  EXPECT_NE(text.find("sw_test_size 42\n"), std::string::npos);
  EXPECT_NE(text.find("sw_test_seconds_bucket{route=\"x\\\"y\",le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sw_test_seconds_bucket{route=\"x\\\"y\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("sw_test_seconds_bucket{route=\"x\\\"y\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("sw_test_seconds_count{route=\"x\\\"y\"} 3\n"), std::string::npos);
  // A name reused with another type, or a bad name, is never rendered.
  reg.gauge("sw_test_total", "wrong type").set(1);
  reg.counter("bad name", "x").inc();
  EXPECT_EQ(reg.render(), text);
}

TEST(HttpLogLine, IsOneValidJsonObject) {
  std::string line = LogLine("info", "access", "request")
                         .str("path", std::string("/a\"b\n\xff", 6))
                         .num("status", 200)
                         .real("duration_ms", 1.23456)
                         .finish();
  auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v["type"], "access");
  EXPECT_EQ(v["status"], 200);
  EXPECT_EQ(v["path"], "/a\"b\n\xef\xbf\xbd");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(HttpDispatcher, HeaderInjectionBecomesA500AndIsNeverEmitted) {
  Dispatcher d;
  Request req;
  req.request_id = "r1";
  Response res{200, "text/plain", "hi"};
  res.headers.set("X-Next", "a\r\nSet-Cookie: evil=1");
  std::string err;
  d.finalize(req, res, &err);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.security_event, "header-injection");
  EXPECT_NE(err.find("X-Next"), std::string::npos);
  for (const auto& [k, v] : res.headers) EXPECT_EQ(v.find('\n'), std::string::npos) << k;
  EXPECT_FALSE(res.headers.has("X-Next"));

  Response ok{200, "application/json", "{}"};
  ok.headers.set("Content-Length", "999");  // the server owns framing
  err.clear();
  d.finalize(req, ok, &err);
  EXPECT_TRUE(err.empty());
  EXPECT_EQ(ok.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(ok.headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(ok.headers.get("X-Request-Id"), "r1");
  EXPECT_FALSE(ok.headers.has("Content-Length"));
}

}  // namespace
}  // namespace sw::http
