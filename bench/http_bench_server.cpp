// sw-http-bench-server: the real http::Server with a trivial JSON route, for bench/run-server.
//
//   sw-http-bench-server [--listen 127.0.0.1:0] [--threads 2] [--tls CERT KEY] [--access-log]
//
// Prints "listening PORT" on stdout once it accepts connections and runs until SIGTERM/SIGINT.
// GET /api/v1/lookup?value=V answers a small fixed JSON document (the shape of a look-up miss)
// so the figures measure the server — parsing, routing, limits, metrics, writing — not the index.
#include <cstdio>
#include <cstring>
#include <string>

#include "http/server.h"

int main(int argc, char** argv) {
  sw::http::StopSignals signals;  // before any thread starts
  sw::http::ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.access_log = false;
  o.max_connections_per_address = 20'000;
  o.max_connections = 20'000;
  o.rate_limit_per_second = 0;
  o.idle_timeout = std::chrono::seconds(300);
  o.header_timeout = std::chrono::seconds(300);  // the idle-memory measurement holds silent connections
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--listen" && i + 1 < argc) o.listen = argv[++i];
    else if (a == "--threads" && i + 1 < argc) o.threads = std::atoi(argv[++i]);
    else if (a == "--tls" && i + 2 < argc) o.tls_cert_file = argv[++i], o.tls_key_file = argv[++i];
    else if (a == "--access-log") o.access_log = true;
    else {
      std::fprintf(stderr, "usage: %s [--listen HOST:PORT] [--threads N] [--tls CERT KEY] [--access-log]\n", argv[0]);
      return 2;
    }
  }
  sw::http::Server server(o);
  server.route("GET", "/api/v1/lookup", [](const sw::http::Request& req) {
    auto v = req.query.get("value");
    if (!v) return sw::http::problem(sw::http::Problem::kBadRequest, "give the value to look up: ?value=", req.path);
    return sw::http::Response{200, "application/json", R"({"value_matched":false,"hits":[]})"};
  });
  auto port = server.start();
  if (!port.ok()) {
    std::fprintf(stderr, "sw-http-bench-server: %s\n", port.error().to_string().c_str());
    return 2;
  }
  std::printf("listening %u\n", static_cast<unsigned>(*port));
  std::fflush(stdout);
  signals.wait();
  server.stop(std::chrono::seconds(5));
  return 0;
}
