// The server over real sockets: routing, keep-alive, limits, hostile clients, streaming, metrics,
// logs and graceful stop.
#include <atomic>
#include <condition_variable>
#include <regex>
#include <sstream>

#include "server_fixture.h"

namespace sw::http::test {
namespace {

boost::json::object json_of(const Reply& r) { return boost::json::parse(r.body).as_object(); }

void expect_problem(const Reply& r, int status, const std::string& slug) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  auto v = json_of(r);
  EXPECT_EQ(v["type"], ("urn:shieldwall:problem:" + slug).c_str()) << r.body;
  EXPECT_EQ(v["status"], status);
  EXPECT_TRUE(v.contains("title"));
  EXPECT_TRUE(v.contains("detail"));
}

void echo_routes(Server& s) {
  s.route("GET", "/api/v1/objects/{id}", [](const Request& req) {
    boost::json::object o{{"id", req.param("id")}, {"route", req.route}, {"remote", req.remote}};
    boost::json::array types;
    for (auto t : req.query.all("match[type]")) types.emplace_back(t);
    o["types"] = std::move(types);
    return Response{200, "application/json", boost::json::serialize(o)};
  });
  RouteOptions json;
  json.accepts = {"application/json", "application/stix+json;version=2.1"};
  s.route("POST", "/api/v1/objects/", [](const Request& req) {
    return Response{201, "application/json", "{\"bytes\":" + std::to_string(req.body.size()) + "}"};
  }, json);
  RouteOptions big = json;
  big.max_body_bytes = 64 * 1024;
  s.route("POST", "/api/v1/bundles/", [](const Request& req) {
    return Response{202, "application/json", "{\"bytes\":" + std::to_string(req.body.size()) + "}"};
  }, big);
}

TEST_F(HttpServer, RoutesTemplatesQueryHeadAnd405) {
  start(options(), echo_routes);
  Conn c(port_);
  ASSERT_TRUE(c.ok());
  auto r = c.exchange(get("/api/v1/objects/indicator--1?match%5Btype%5D=indicator&match[type]=malware"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto v = json_of(*r);
  EXPECT_EQ(v["id"], "indicator--1");
  EXPECT_EQ(v["route"], "/api/v1/objects/{id}");
  EXPECT_EQ(v["remote"], "127.0.0.1");
  EXPECT_EQ(boost::json::serialize(v["types"]), R"(["indicator","malware"])");
  EXPECT_EQ(r->header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r->header("cache-control"), "no-store");
  EXPECT_FALSE(r->header("x-request-id").empty());

  auto h = c.exchange("HEAD /api/v1/objects/indicator--1?match%5Btype%5D=indicator&match[type]=malware "
                      "HTTP/1.1\r\nHost: x\r\n\r\n",
                      true);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->header("content-length"), r->header("content-length")) << "HEAD announces the GET body's length";

  auto m = c.exchange("DELETE /api/v1/objects/indicator--1 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(m);
  expect_problem(*m, 405, "method-not-allowed");
  EXPECT_EQ(m->header("allow"), "GET, HEAD");

  auto n = c.exchange(get("/api/v1/nothing-here"));
  ASSERT_TRUE(n);
  expect_problem(*n, 404, "not-found");
  EXPECT_EQ(json_of(*n)["instance"], "/api/v1/nothing-here");

  // A client-chosen request id is echoed (for correlation), a hostile one replaced.
  auto id = c.exchange(get("/healthz", "X-Request-Id: abc-123\r\n"));
  ASSERT_TRUE(id);
  EXPECT_EQ(id->header("x-request-id"), "abc-123");
  auto bad = c.exchange(get("/healthz", "X-Request-Id: <script>\r\n"));
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->header("x-request-id"), "<script>");
}

TEST_F(HttpServer, KeepAliveAndPipeliningOnOneConnection) {
  start(options(), echo_routes);
  Conn c(port_);
  for (int i = 0; i < 5; ++i) {
    auto r = c.exchange(get("/api/v1/objects/x" + std::to_string(i)));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(json_of(*r)["id"], ("x" + std::to_string(i)).c_str());
  }
  // Two requests in one write: two responses, in order.
  ASSERT_TRUE(c.send(get("/api/v1/objects/p1") + get("/api/v1/objects/p2")));
  auto a = c.read(), b = c.read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(json_of(*a)["id"], "p1");
  EXPECT_EQ(json_of(*b)["id"], "p2");
  // Connection: close is honoured.
  auto last = c.exchange(get("/healthz", "Connection: close\r\n"));
  ASSERT_TRUE(last);
  EXPECT_EQ(last->status, 200);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServer, OversizedBodiesAre413AndTheRouteLimitApplies) {
  start(options(), echo_routes);
  {
    Conn c(port_);
    auto r = c.exchange("POST /api/v1/objects/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 2000000\r\n\r\n{\"a\":");
    ASSERT_TRUE(r);
    expect_problem(*r, 413, "body-too-large");
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    // Chunked: no length up front; the limit is enforced as the chunks arrive.
    Conn c(port_);
    std::string chunk(800, 'x');
    std::ostringstream req;
    req << "POST /api/v1/objects/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        << "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) req << std::hex << chunk.size() << "\r\n" << chunk << "\r\n";
    req << "0\r\n\r\n";
    auto r = c.exchange(req.str());
    ASSERT_TRUE(r);
    expect_problem(*r, 413, "body-too-large");
  }
  {
    // The route that raised its limit takes 10 kB; the default route does not.
    Conn c(port_);
    std::string body = "[" + std::string(10000, ' ') + "]";
    auto r = c.exchange("POST /api/v1/bundles/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 202);
    EXPECT_EQ(json_of(*r)["bytes"], static_cast<int64_t>(body.size()));
  }
  EXPECT_TRUE(has_event("body-too-large"));
}

TEST_F(HttpServer, OversizedHeadersAre431) {
  start(options(), echo_routes);
  Conn c(port_);
  auto r = c.exchange(get("/healthz", "X-Big: " + std::string(20000, 'a') + "\r\n"));
  ASSERT_TRUE(r);
  expect_problem(*r, 431, "headers-too-large");
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(has_event("headers-too-large"));
}

TEST_F(HttpServer, WrongMediaTypeIs415WithWhatWouldBeAccepted) {
  start(options(), echo_routes);
  Conn c(port_);
  auto post = [&](const std::string& type) {
    std::string body = "{}";
    return c.exchange("POST /api/v1/objects/ HTTP/1.1\r\nHost: x\r\n" + type + "Content-Length: 2\r\n\r\n" + body);
  };
  auto r = post("Content-Type: text/plain\r\n");
  ASSERT_TRUE(r);
  expect_problem(*r, 415, "unsupported-media-type");
  EXPECT_NE(r->header("accept").find("application/json"), std::string::npos);
  Conn c2(port_);
  auto missing = c2.exchange("POST /api/v1/objects/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 415);
  Conn c3(port_);
  auto ok = c3.exchange("POST /api/v1/objects/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/stix+json; "
                        "version=2.1\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
}

TEST_F(HttpServer, MalformedRequestsAre400AndClosed) {
  start(options(), echo_routes);
  for (std::string bad : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                          std::string("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"),
                          std::string("GET /healthz?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                          std::string("POST /api/v1/objects/ HTTP/1.1\r\nContent-Type: application/json\r\n"
                                      "Content-Length: 5\r\nContent-Length: 7\r\n\r\n{}{}{}{}")}) {
    Conn c(port_);
    auto r = c.exchange(bad);
    ASSERT_TRUE(r) << bad;
    expect_problem(*r, 400, "bad-request");
  }
  Conn c(port_);
  auto r = c.exchange("GARBAGE\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_TRUE(c.closed_by_server());
  // The server keeps serving.
  Conn d(port_);
  auto h = d.exchange(get("/healthz"));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

TEST_F(HttpServer, SlowLorisIsClosedWhileOthersAreServed) {
  start(options(), echo_routes);
  Conn slow(port_);
  ASSERT_TRUE(slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  std::atomic<bool> done{false};
  // The slow client trickles a header byte every 100 ms and would never finish.
  std::thread trickle([&] {
    while (!done) {
      if (!slow.send("X")) break;
      std::this_thread::sleep_for(100ms);
    }
  });
  // Meanwhile a normal client gets answers.
  Conn normal(port_);
  for (int i = 0; i < 10; ++i) {
    auto r = normal.exchange(get("/api/v1/objects/" + std::to_string(i)));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_TRUE(eventually([&] { return has_event("timeout"); })) << "the slow client was never closed";
  done = true;
  trickle.join();
  EXPECT_TRUE(slow.closed_by_server());
  // A client that connects and says nothing is closed too.
  Conn silent(port_);
  EXPECT_TRUE(silent.closed_by_server());
  auto r = normal.exchange(get("/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServer, SlowBodyIsClosed) {
  start(options(), echo_routes);
  Conn slow(port_);
  ASSERT_TRUE(slow.send("POST /api/v1/objects/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100\r\n\r\n{"));
  EXPECT_TRUE(slow.closed_by_server());
  EXPECT_TRUE(eventually([&] { return has_event("timeout"); }));
}

TEST_F(HttpServer, ConnectionsPerAddressAreCapped) {
  auto o = options();
  o.max_connections_per_address = 3;
  start(o, echo_routes);
  std::vector<std::unique_ptr<Conn>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Conn>(port_));
    auto r = held.back()->exchange(get("/healthz"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  Conn extra(port_);
  auto r = extra.read();
  ASSERT_TRUE(r);
  expect_problem(*r, 503, "too-many-connections");
  EXPECT_FALSE(r->header("retry-after").empty());
  EXPECT_TRUE(extra.closed_by_server());
  EXPECT_TRUE(has_event("too-many-connections"));
  // Closing one frees a place.
  held.pop_back();
  EXPECT_TRUE(eventually([&] { return server_->connections() <= 2; }));
  Conn again(port_);
  auto ok = again.exchange(get("/healthz"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServer, AuthHookAndRateLimitPerKey) {
  auto o = options();
  o.rate_limit_per_second = 0.01;  // effectively no refill during the test
  o.rate_limit_burst = 2;
  start(o, [](Server& s) {
    echo_routes(s);
    s.set_auth_hook([](Request& req) -> std::optional<Response> {
      auto key = req.header("X-Api-Key");
      if (!key) return problem(Problem::kUnauthorized, "send an API key in X-Api-Key", req.path);
      if (*key == "revoked") return problem(Problem::kUnauthorized, "this API key was revoked", req.path);
      req.principal = "key:" + std::string(*key);
      req.rate_key = std::string(*key);
      return std::nullopt;
    });
  });
  Conn c(port_);
  auto none = c.exchange(get("/api/v1/objects/1"));
  ASSERT_TRUE(none);
  expect_problem(*none, 401, "unauthorized");
  auto revoked = c.exchange(get("/api/v1/objects/1", "X-Api-Key: revoked\r\n"));
  ASSERT_TRUE(revoked);
  expect_problem(*revoked, 401, "unauthorized");
  EXPECT_TRUE(has_event("unauthorized"));
  // Operations endpoints skip the hook.
  auto health = c.exchange(get("/healthz"));
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  for (int i = 0; i < 2; ++i) {
    auto r = c.exchange(get("/api/v1/objects/1", "X-Api-Key: alpha\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  auto limited = c.exchange(get("/api/v1/objects/1", "X-Api-Key: alpha\r\n"));
  ASSERT_TRUE(limited);
  expect_problem(*limited, 429, "rate-limited");
  EXPECT_GE(std::stoi(limited->header("retry-after")), 1);
  auto other = c.exchange(get("/api/v1/objects/1", "X-Api-Key: beta\r\n"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200) << "another key has its own bucket";
  EXPECT_TRUE(has_event("rate-limited"));
  // The principal is in the access log (written once the response is out).
  EXPECT_TRUE(eventually([&] {
    for (auto& l : logs("access"))
      if (l.contains("principal") && l["principal"] == "key:beta") return true;
    return false;
  }));
}

TEST_F(HttpServer, StreamingResponseIsChunked) {
  start(options(), [](Server& s) {
    s.route("GET", "/export", [](const Request&) {
      Response r;
      r.content_type = "application/x-ndjson";
      r.stream = [](StreamWriter& w) {
        for (int i = 0; i < 3; ++i)
          if (!w.write("{\"n\":" + std::to_string(i) + "}\n")) return;
      };
      return r;
    });
  });
  Conn c(port_);
  auto r = c.exchange(get("/export"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  EXPECT_EQ(r->chunks.size(), 3u);
  EXPECT_EQ(r->body, "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
  // The connection stays usable after a chunked response.
  auto again = c.exchange(get("/healthz"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(HttpServer, ServerSentEventsAreFlushedAndAGoneClientIsNoticed) {
  std::mutex m;
  std::condition_variable cv;
  int released = 0;
  std::atomic<bool> noticed_gone{false};
  start(options(), [&](Server& s) {
    s.route("GET", "/events", [&](const Request&) {
      return sse_response([&](StreamWriter& w) {
        for (int i = 0;; ++i) {
          {
            std::unique_lock lock(m);
            if (!cv.wait_for(lock, 20s, [&] { return released > i || w.client_gone(); })) return;
          }
          if (w.client_gone() || !w.write(sse_event("{\"n\":" + std::to_string(i) + "}", "sighting", std::to_string(i)))) {
            noticed_gone = true;
            return;
          }
        }
      });
    });
  });
  Conn c(port_);
  ASSERT_TRUE(c.send(get("/events")));
  auto head = c.read_until("\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_NE(head->find("text/event-stream"), std::string::npos);
  for (int i = 0; i < 2; ++i) {
    {
      std::lock_guard lock(m);
      released = i + 1;
    }
    cv.notify_all();
    // The event arrives while the stream is still open: it was flushed, not buffered.
    auto ev = c.read_until("\n\n");
    ASSERT_TRUE(ev) << "event " << i << " not received";
    EXPECT_NE(ev->find("event: sighting\nid: " + std::to_string(i) + "\ndata: {\"n\":" + std::to_string(i) + "}"),
              std::string::npos)
        << *ev;
  }
  c.close();
  // Without another event to write, the producer learns the client is gone.
  EXPECT_TRUE(eventually([&] {
    cv.notify_all();
    return noticed_gone.load();
  }));
  server_->stop(std::chrono::seconds(5));  // before the producer's captured locals go away
}

TEST_F(HttpServer, HeaderInjectionIsA500AndNeverEmitted) {
  start(options(), [](Server& s) {
    s.route("GET", "/inject", [](const Request& req) {
      Response r{200, "text/plain", "x"};
      r.headers.set("Location", std::string(req.query.get("to").value_or("")));
      return r;
    });
  });
  Conn c(port_);
  auto r = c.exchange(get("/inject?to=%2Fok%0D%0ASet-Cookie%3A%20evil%3D1"));
  ASSERT_TRUE(r);
  expect_problem(*r, 500, "internal");
  EXPECT_EQ(r->headers.count("set-cookie"), 0u);
  EXPECT_EQ(r->headers.count("location"), 0u);
  EXPECT_TRUE(has_event("header-injection"));
  EXPECT_FALSE(logs("app").empty());
}

TEST_F(HttpServer, HandlerExceptionIsA500WithTheRequestId) {
  start(options(), [](Server& s) {
    s.route("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("disk on fire"); });
  });
  Conn c(port_);
  auto r = c.exchange(get("/boom"));
  ASSERT_TRUE(r);
  expect_problem(*r, 500, "internal");
  EXPECT_NE(r->body.find(r->header("x-request-id")), std::string::npos);
  auto app = logs("app");
  ASSERT_FALSE(app.empty());
  EXPECT_NE(std::string(app.back()["msg"].as_string()).find("disk on fire"), std::string::npos);
}

TEST_F(HttpServer, HealthReadinessAndMetrics) {
  std::atomic<bool> ready{false};
  auto o = options();
  o.readiness = [&]() -> core::Status {
    if (!ready) return core::Error::precondition("the index is still loading");
    return core::ok_status();
  };
  start(o, [](Server& s) {
    echo_routes(s);
    s.metrics().gauge_callback("shieldwall_store_objects", "Objects in the store", [] { return 1234.0; });
  });
  Conn c(port_);
  auto h = c.exchange(get("/healthz"));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  auto notready = c.exchange(get("/readyz"));
  ASSERT_TRUE(notready);
  expect_problem(*notready, 503, "not-ready");
  EXPECT_EQ(json_of(*notready)["detail"], "the index is still loading");
  ready = true;
  auto isready = c.exchange(get("/readyz"));
  ASSERT_TRUE(isready);
  EXPECT_EQ(isready->status, 200);

  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(c.exchange(get(std::string("/api/v1/objects/") + id)));
  ASSERT_TRUE(c.exchange(get("/no/such/path")));
  auto m = c.exchange(get("/metrics"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_EQ(m->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  // Every line is a comment or `name{labels} value`.
  std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eEInfNa]+$)");
  std::istringstream in(m->body);
  std::string line;
  std::map<std::string, double> values;
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
    auto sp = line.rfind(' ');
    values[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  EXPECT_EQ(values[R"(shieldwall_http_requests_total{route="/api/v1/objects/{id}",method="GET",status="200"})"], 3)
      << m->body;
  EXPECT_EQ(values[R"(shieldwall_http_requests_total{route="unmatched",method="GET",status="404"})"], 1);
  EXPECT_EQ(values[R"(shieldwall_http_request_duration_seconds_count{route="/api/v1/objects/{id}"})"], 3);
  EXPECT_EQ(values["shieldwall_store_objects"], 1234);
  EXPECT_EQ(values["shieldwall_http_open_connections"], 1);
  EXPECT_EQ(m->body.find("/api/v1/objects/a"), std::string::npos) << "raw paths never become labels";
}

TEST_F(HttpServer, OneAccessLogLinePerRequest) {
  start(options(), echo_routes);
  {
    Conn c(port_);
    ASSERT_TRUE(c.exchange(get("/api/v1/objects/x?secret=1")));
    ASSERT_TRUE(c.exchange(get("/nope")));
  }
  ASSERT_TRUE(eventually([&] { return logs("access").size() == 2; }));
  auto a = logs("access");
  EXPECT_EQ(a[0]["route"], "/api/v1/objects/{id}");
  EXPECT_EQ(a[0]["path"], "/api/v1/objects/x") << "no query string in logs";
  EXPECT_EQ(a[0]["status"], 200);
  EXPECT_EQ(a[0]["method"], "GET");
  EXPECT_EQ(a[0]["remote"], "127.0.0.1");
  EXPECT_TRUE(a[0].contains("time") && a[0].contains("request_id") && a[0].contains("duration_ms") &&
              a[0].contains("bytes"));
  EXPECT_EQ(a[1]["status"], 404);
}

TEST_F(HttpServer, GracefulStopFinishesTheRequestInFlight) {
  std::mutex m;
  std::condition_variable cv;
  bool entered = false, release = false;
  start(options(), [&](Server& s) {
    s.route("GET", "/slow", [&](const Request&) {
      std::unique_lock lock(m);
      entered = true;
      cv.notify_all();
      cv.wait_for(lock, 20s, [&] { return release; });
      return Response{200, "application/json", R"({"done":true})"};
    });
  });
  Conn idle(port_);
  ASSERT_TRUE(idle.exchange(get("/healthz")));
  Conn busy(port_);
  ASSERT_TRUE(busy.send(get("/slow")));
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return entered; }));
  }
  std::thread stopper([&] { server_->stop(std::chrono::seconds(20)); });
  // New connections are refused and the idle keep-alive connection is closed at once...
  EXPECT_TRUE(eventually([&] { return !Conn(port_).ok(); }));
  EXPECT_TRUE(idle.closed_by_server());
  // ...while the request in flight still gets its whole answer.
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  auto r = busy.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"done":true})");
  EXPECT_EQ(r->header("connection"), "close");
  stopper.join();
  EXPECT_FALSE(server_->running());
}

TEST_F(HttpServer, PlainHttpOnANonLoopbackAddressIsRefusedUnlessAllowed) {
  auto o = options();
  o.listen = "0.0.0.0:0";
  Server refused(o);
  auto r = refused.start();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("allow_plain_remote"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().where, "server.allow_plain_remote");
  o.allow_plain_remote = true;
  Server allowed(o);
  auto ok = allowed.start();
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  Conn c(*ok);
  auto h = c.exchange(get("/healthz"));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

TEST_F(HttpServer, BadListenAddressesAreClearErrors) {
  for (const char* bad : {"localhost", "127.0.0.1:99999", "nonsense:80", "127.0.0.1:80x"}) {
    auto o = options();
    o.listen = bad;
    Server s(o);
    auto r = s.start();
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().where, "server.listen");
    }
  }
}

}  // namespace
}  // namespace sw::http::test
