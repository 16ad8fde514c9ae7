// http::Server — the node's HTTP face (Boost.Beast, asynchronous, HTTP/1.1 keep-alive, TLS).
//
// One server carries the REST API, TAXII, the web UI and the operations endpoints (/healthz,
// /readyz, /metrics, registered by the server itself; a route added for the same method and path
// replaces them). Requests are routed by method and path template (router.h), checked against
// the limits below, passed through the auth hook and answered by handlers; every error is an RFC
// 9457 problem (problem.h). Every request gets one JSON access-log line and is counted in the
// metrics registry by route template and status.
//
// Hostile clients: header and body sizes are capped (431/413), receiving a request head and body
// and idle keep-alive waits have deadlines (slow clients are closed, never waited on), connections
// are capped per remote address and in total (503 and close), and a token bucket per API key
// limits the request rate (429). All of it is asynchronous: one slow client costs one socket and a
// timer, never a thread.
//
// Thread-safety: configure (route, set_auth_hook) before start(); start()/stop() from one
// controlling thread. Handlers run on the server's I/O threads, concurrently, and must not block
// for long (streaming producers get their own thread). metrics() is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <signal.h>

#include "core/result.h"
#include "http/dispatch.h"
#include "http/log.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/rate_limiter.h"
#include "http/router.h"

namespace sw::http {

// A refusal worth an audit entry: passed to ServerOptions::on_security_event.
struct SecurityEvent {
  std::string kind;        // slug: "headers-too-large", "body-too-large", "malformed-request",
                           // "timeout", "too-many-connections", "rate-limited", "unauthorized",
                           // "forbidden", "header-injection", "path-traversal",
                           // "unsupported-media-type"
  int status = 0;          // what the client got (0: the connection was closed)
  std::string remote;
  std::string request_id;  // empty when no request head was read
  std::string method;
  std::string path;
  std::string principal;
  std::string detail;
};

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT ([v6]:PORT); port 0 picks a free one
  int threads = 2;                        // I/O threads

  // TLS: a PEM certificate chain (leaf first) and its PEM private key. Both or neither. TLS 1.2+.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Plain HTTP on an address other than loopback is refused at start() unless this is set (a
  // reverse proxy terminating TLS in front of the node).
  bool allow_plain_remote = false;

  // Limits.
  uint64_t max_body_bytes = 1 << 20;       // default per route (RouteOptions::max_body_bytes)
  uint32_t max_header_bytes = 16 * 1024;   // request line + header fields; 431 beyond
  std::chrono::milliseconds header_timeout{10'000};  // first byte to end of head; TLS handshake
  std::chrono::milliseconds body_timeout{30'000};    // end of head to end of body
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};   // one response (or one streamed chunk) out
  size_t max_connections = 10'000;
  size_t max_connections_per_address = 128;
  size_t max_streams = 256;  // concurrent streaming responses (each holds a thread)
  // Token bucket per Request::rate_key (set by the auth hook): `rate_limit_per_second` on
  // average, `rate_limit_burst` at once. 0 turns rate limiting off.
  double rate_limit_per_second = 50;
  double rate_limit_burst = 100;

  // Operations. `readiness` answers /readyz (null: always ready; an error's message is the
  // reason given with the 503). `metrics`: a registry shared with other modules (must outlive the
  // server); null: the server keeps its own. `metrics_require_auth` runs the auth hook on
  // /metrics.
  std::function<core::Status()> readiness;
  Registry* metrics = nullptr;
  bool metrics_require_auth = false;

  // Logs: JSON lines to `log` (null: default_log_sink(), stderr). `access_log` off keeps only
  // errors and refusals.
  LogSink log;
  bool access_log = true;
  // Refusals worth auditing (the composition root writes them to the audit log). Called on I/O
  // threads; must be thread-safe and quick.
  std::function<void(const SecurityEvent&)> on_security_event;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stop(0) if running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Adds a route (method and path template, see router.h). A malformed template is a bug in the
  // caller: add_route says why; route() logs it and aborts in debug builds.
  core::Status add_route(const std::string& method, const std::string& path_template, Handler handler,
                         RouteOptions options = {});
  void route(const std::string& method, const std::string& path_template, Handler handler,
             RouteOptions options = {});
  void set_auth_hook(AuthHook hook);

  Registry& metrics();
  // The per-key rate limiter (null when rate limiting is off).
  RateLimiter* rate_limiter();

  // Loads TLS, binds and starts serving on background threads. Returns the bound port. Errors:
  // a bad listen address, plain HTTP on a non-loopback address without allow_plain_remote, an
  // unreadable certificate or key, a port in use.
  core::Result<uint16_t> start();

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in flight
  // finish for up to `grace` (their responses close the connection), then closes what is left
  // and joins the threads. Returns when everything is closed. Idempotent.
  void stop(std::chrono::milliseconds grace);
  void stop(int grace_seconds = 10) { stop(std::chrono::seconds(grace_seconds)); }

  bool running() const;
  // Connections open now (tests, metrics).
  size_t connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SIGTERM/SIGINT for `serve`: construct StopSignals on the main thread before any thread starts
// (it blocks the two signals so every thread inherits the mask), then wait() returns the signal
// that arrived. Restores the previous mask on destruction.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  int wait();

 private:
  sigset_t set_;
  sigset_t old_;
};

}  // namespace sw::http
