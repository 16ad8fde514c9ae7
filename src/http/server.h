// http::Server — the node's HTTP face (Boost.Beast, asynchronous, HTTP/1.1 keep-alive).
//
// This is the small first cut that serves operations endpoints (/healthz); the REST API, TAXII
// and the web UI are routed through the same Router later. Handlers run on the server's I/O
// threads and must not block for long.
//
// Thread-safety: add routes before start(); start()/stop() from one controlling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/result.h"

namespace sw::http {

struct Request {
  std::string method;
  std::string target;  // path and query as sent
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int threads = 2;
  uint64_t max_body_bytes = 1 << 20;
  int idle_timeout_seconds = 30;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();

  // Exact-path routes ("GET /healthz").
  void route(const std::string& method, const std::string& path, Handler handler);

  // Binds and starts serving on background threads. Returns the bound port.
  core::Result<uint16_t> start();
  // Stops accepting, lets requests in flight finish (up to `grace_seconds`), joins the threads.
  void stop(int grace_seconds = 10);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::http
