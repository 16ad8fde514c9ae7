#include "http/server.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.h"
#include "http/wire.h"

namespace sw::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const char* method_label(std::string_view m) {
  static const char* const kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (const char* k : kKnown)
    if (m == k) return k;
  return "OTHER";
}

bool is_disconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor || ec == ssl::error::stream_truncated;
}

std::string address_text(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void post_stop() = 0;         // stop() began: close if idle
  virtual void post_force_close() = 0;  // the grace period is over
};

struct ServerCore {
  ServerOptions opt;
  std::unique_ptr<Registry> own_metrics;
  Registry* metrics = nullptr;
  Dispatcher dispatcher;
  std::shared_ptr<RateLimiter> limiter;
  LogSink log;
  AuthHook auth;
  Gauge* open_connections = nullptr;
  Gauge* active_streams = nullptr;
  Counter* rejected_connections = nullptr;

  mutable std::mutex mu;
  std::unordered_map<std::string, size_t> per_address;                    // guarded by mu
  size_t admitted = 0;                                                    // guarded by mu
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;  // guarded by mu
  size_t streams = 0;                                                     // guarded by mu
  std::condition_variable changed;  // sessions or streams changed

  std::atomic<bool> stopping{false};
  std::atomic<bool> hard_stop{false};
  std::atomic<bool> running{false};
  bool started = false;
  std::unique_ptr<ssl::context> tls;

  // Declared last: destroying io destroys the handlers still holding sessions, whose destructors
  // use the members above.
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;

  void accept();
  void on_accept(tcp::socket socket);
  void unregister(SessionBase* s, const std::string& remote, bool admitted_conn);

  void record(const Request& req, int status, uint64_t bytes, double seconds);
  void app_error(const Request& req, std::string_view message);
  void security(const Request& req, std::string_view kind, int status, std::string_view detail);
};

struct Server::Impl : ServerCore {};

// One connection. Every handler runs on the connection's strand, so the members need no locks;
// the streaming producer's thread talks to it only through posts to that strand.
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  enum class State { kStart, kIdle, kHead, kBody, kHandling, kWriting, kStreaming, kClosing, kClosed };

 public:
  template <class... Args>
  Session(ServerCore* srv, std::string remote, uint16_t port, bool admitted, Args&&... args)
      : srv_(srv), stream_(std::forward<Args>(args)...), remote_(std::move(remote)), port_(port),
        admitted_(admitted) {}

  ~Session() override { srv_->unregister(this, remote_, admitted_); }

  void run() {
    if constexpr (kTls) {
      lowest().expires_after(srv_->opt.header_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->close_now();
        self->after_connect();
      });
    } else {
      after_connect();
    }
  }

  void post_stop() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->state_ == State::kIdle || self->state_ == State::kClosing || self->state_ == State::kStart)
        self->close_now();
    });
  }
  void post_force_close() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  std::shared_ptr<Session> self() { return this->shared_from_this(); }

  void after_connect() {
    if (!admitted_) {
      rejected_ = true;
      req_.remote = remote_;
      Response r = problem(Problem::kTooManyConnections,
                           "too many connections from " + remote_ + " (or in total); close idle connections and retry");
      r.headers.set("Retry-After", "1");
      r.security_event = "too-many-connections";
      respond(std::move(r), true);
      return;
    }
    wait_request();
  }

  void wait_request() {
    if (srv_->stopping) return close_now();
    parser_.emplace();
    parser_->header_limit(srv_->opt.max_header_bytes);
    parser_->body_limit(boost::none);  // checked per route once the head is read
    req_ = Request{};
    route_ = nullptr;
    have_head_ = false;
    head_request_ = false;
    if (buffer_.size() > 0) return read_head();  // pipelined
    state_ = State::kIdle;
    // A new connection must send its request promptly; a kept-alive one may wait longer.
    lowest().expires_after(first_ ? srv_->opt.header_timeout : srv_->opt.idle_timeout);
    first_ = false;
    buffer_.shrink_to_fit();
    stream_.async_read_some(buffer_.prepare(1024), [self = self()](beast::error_code ec, size_t n) {
      if (ec) return self->close_now();  // idle timeout, client gone, or stop()
      self->buffer_.commit(n);
      self->read_head();
    });
  }

  void read_head() {
    state_ = State::kHead;
    t0_ = SteadyClock::now();
    lowest().expires_after(srv_->opt.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = self()](beast::error_code ec, size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    req_.remote = remote_;
    req_.remote_port = port_;
    req_.tls = kTls;
    if (ec) {
      if (ec == bhttp::error::header_limit)
        return fail(Problem::kHeadersTooLarge,
                    "the request line and header fields exceed " + std::to_string(srv_->opt.max_header_bytes) +
                        " bytes",
                    "headers-too-large");
      if (ec == beast::error::timeout)
        return slow_client("no complete request head within " + seconds_text(srv_->opt.header_timeout));
      if (is_disconnect(ec)) return close_now();
      return fail(Problem::kBadRequest, "malformed HTTP request: " + ec.message(), "malformed-request");
    }
    have_head_ = true;
    const auto& msg = parser_->get();
    fill_request(req_, msg.base());
    head_request_ = msg.method() == bhttp::verb::head;
    const bool has_body = !parser_->is_done();
    std::optional<uint64_t> length;
    if (auto l = parser_->content_length()) length = *l;
    auto prepared = srv_->dispatcher.prepare(req_, length, has_body);
    if (prepared.reject) {
      if (prepared.reject->status == 413) prepared.reject->security_event = "body-too-large";
      if (prepared.reject->status == 415) prepared.reject->security_event = "unsupported-media-type";
      if (prepared.reject->status == 400) prepared.reject->security_event = "malformed-request";
      return respond(std::move(*prepared.reject), has_body);  // an unread body: close afterwards
    }
    route_ = prepared.route;
    if (!has_body) return process();
    parser_->body_limit(prepared.body_limit);
    if (auto e = req_.headers.get("Expect"); e && iequals(*e, "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, msg.version());
      lowest().expires_after(srv_->opt.write_timeout);
      bhttp::async_write(stream_, *cont, [self = self(), cont](beast::error_code wec, size_t) {
        if (wec) return self->close_now();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    state_ = State::kBody;
    lowest().expires_after(srv_->opt.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, [self = self()](beast::error_code ec, size_t) {
      if (!ec) return self->process();
      if (ec == bhttp::error::body_limit)
        return self->fail(Problem::kBodyTooLarge,
                          "the body is larger than this endpoint accepts (" +
                              std::to_string(self->route_->options.max_body_bytes
                                                 ? self->route_->options.max_body_bytes
                                                 : self->srv_->opt.max_body_bytes) +
                              " bytes)",
                          "body-too-large");
      if (ec == beast::error::timeout)
        return self->slow_client("no complete request body within " + seconds_text(self->srv_->opt.body_timeout));
      if (is_disconnect(ec)) return self->close_now();
      self->fail(Problem::kBadRequest, "malformed request body: " + ec.message(), "malformed-request");
    });
  }

  void process() {
    state_ = State::kHandling;
    req_.body = std::move(parser_->get().body());
    respond(srv_->dispatcher.handle(req_, *route_), false);
  }

  void fail(Problem p, std::string detail, const char* event) {
    Response r = problem(p, detail, req_.path);
    r.security_event = event;
    respond(std::move(r), true);
  }

  // The client was too slow: the stream's timer already closed the socket.
  void slow_client(const std::string& detail) {
    srv_->security(req_, "timeout", 0, detail + "; connection closed");
    close_now();
  }

  void respond(Response r, bool force_close) {
    std::string err;
    srv_->dispatcher.finalize(req_, r, &err);
    if (!err.empty() && r.log_error.empty()) r.log_error = std::move(err);
    if (!r.log_error.empty()) srv_->app_error(req_, r.log_error);
    if (!r.security_event.empty()) srv_->security(req_, r.security_event, r.status, "");
    status_ = r.status;
    version_ = have_head_ ? parser_->get().version() : 11;
    keep_alive_ = !force_close && have_head_ && parser_->get().keep_alive() && !srv_->stopping;
    if (r.stream && !head_request_) return start_stream(std::move(r));
    res_.emplace(to_message(std::move(r), head_request_, version_, keep_alive_));
    state_ = State::kWriting;
    lowest().expires_after(srv_->opt.write_timeout);
    bhttp::async_write(stream_, *res_, [self = self()](beast::error_code ec, size_t n) { self->on_write(ec, n); });
  }

  void on_write(beast::error_code ec, uint64_t bytes) {
    res_.reset();
    if (!rejected_) {
      const double secs = std::chrono::duration<double>(SteadyClock::now() - t0_).count();
      srv_->record(req_, status_, bytes, secs);
    }
    if (ec) return close_now();
    if (!keep_alive_) return close_graceful();
    wait_request();
  }

  // Half-close, then drain what the client still sends for a moment before closing: closing with
  // unread data would reset the connection and could destroy the response before it is read.
  void close_graceful() {
    state_ = State::kClosing;
    lowest().expires_after(2s);
    if constexpr (kTls) {
      stream_.async_shutdown([self = self()](beast::error_code) { self->close_now(); });
    } else {
      beast::error_code ignore;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignore);
      drain();
    }
  }

  void drain() {
    buffer_.consume(buffer_.size());
    lowest().async_read_some(buffer_.prepare(4096), [self = self()](beast::error_code ec, size_t) {
      if (ec || self->state_ != State::kClosing) return self->close_now();
      self->drain();
    });
  }

  void close_now() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ignore;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignore);
    lowest().close();
  }

  // ---- streaming (chunked) responses -------------------------------------------------------

  class Writer final : public StreamWriter {
   public:
    explicit Writer(std::shared_ptr<Session> s) : s_(std::move(s)) {}
    bool write(std::string_view data) override {
      if (s_->gone_ || s_->srv_->hard_stop) return false;
      if (data.empty()) return true;
      auto buf = std::make_shared<std::string>(data);
      auto done = std::make_shared<std::promise<bool>>();
      auto fut = done->get_future();
      asio::post(s_->stream_.get_executor(), [s = s_, buf, done] { s->write_chunk(buf, done); });
      while (fut.wait_for(50ms) != std::future_status::ready)
        if (s_->srv_->hard_stop) return false;
      try {
        return fut.get();
      } catch (const std::future_error&) {
        return false;
      }
    }
    bool client_gone() const override { return s_->gone_; }
    bool stopping() const override { return s_->srv_->stopping; }
    std::shared_ptr<Session> release() { return std::move(s_); }

   private:
    std::shared_ptr<Session> s_;
  };

  void start_stream(Response r) {
    {
      std::lock_guard lock(srv_->mu);
      if (srv_->streams >= srv_->opt.max_streams) {
        status_ = 503;
        Response busy = problem(Problem::kTooManyConnections, "too many streaming responses in progress; retry later",
                                req_.path);
        busy.headers.set("Retry-After", "5");
        srv_->dispatcher.finalize(req_, busy, nullptr);
        res_.emplace(to_message(std::move(busy), false, version_, keep_alive_));
        state_ = State::kWriting;
        lowest().expires_after(srv_->opt.write_timeout);
        bhttp::async_write(stream_, *res_, [self = self()](beast::error_code ec, size_t n) { self->on_write(ec, n); });
        return;
      }
      ++srv_->streams;
    }
    srv_->active_streams->inc();
    chunked_ = version_ >= 11;
    if (!chunked_) keep_alive_ = false;  // HTTP/1.0: the end of the body is the end of the connection
    producer_ = std::move(r.stream);
    stream_head_.emplace(to_stream_head(r, version_, keep_alive_));
    if (!chunked_) stream_head_->chunked(false);
    stream_sr_.emplace(*stream_head_);
    state_ = State::kStreaming;
    stream_bytes_ = 0;
    lowest().expires_after(srv_->opt.write_timeout);
    bhttp::async_write_header(stream_, *stream_sr_, [self = self()](beast::error_code ec, size_t n) {
      self->stream_bytes_ += n;
      if (ec) {
        self->gone_ = true;
        self->stream_done();
        self->on_write(ec, self->stream_bytes_);
        return;
      }
      self->watch();
      StreamProducer producer = std::move(self->producer_);
      self->producer_ = nullptr;
      std::thread([w = std::make_shared<Writer>(self), producer = std::move(producer)]() mutable {
        std::string failure;
        try {
          producer(*w);
        } catch (const std::exception& e) {
          failure = std::string("streaming producer threw: ") + e.what();
        } catch (...) {
          failure = "streaming producer threw a non-standard exception";
        }
        auto s = w->release();
        ServerCore* srv = s->srv_;
        if (!failure.empty()) srv->app_error(s->req_, failure);  // req_ is not touched while streaming
        asio::post(s->stream_.get_executor(), [s] { s->end_stream(); });
        s.reset();
        w.reset();
        std::lock_guard lock(srv->mu);
        --srv->streams;
        srv->changed.notify_all();
      }).detach();
    });
  }

  void stream_done() {
    srv_->active_streams->dec();
    if (producer_) {  // never started
      producer_ = nullptr;
      std::lock_guard lock(srv_->mu);
      --srv_->streams;
      srv_->changed.notify_all();
    }
  }

  void write_chunk(const std::shared_ptr<std::string>& buf, const std::shared_ptr<std::promise<bool>>& done) {
    if (state_ != State::kStreaming || gone_) return done->set_value(false);
    lowest().expires_after(srv_->opt.write_timeout);
    auto cb = [self = self(), buf, done](beast::error_code ec, size_t n) {
      self->stream_bytes_ += n;
      if (ec) self->gone_ = true;
      done->set_value(!ec);
    };
    if (chunked_)
      asio::async_write(stream_, bhttp::make_chunk(asio::buffer(*buf)), std::move(cb));
    else
      asio::async_write(stream_, asio::buffer(*buf), std::move(cb));
  }

  // Notices a client that closed its side while the producer waits for something to send: the
  // socket turns readable with nothing to read. (Bytes to read — a pipelined request, or a TLS
  // alert — end the watch; a failed write notices the rest.)
  void watch() {
    lowest().socket().async_wait(tcp::socket::wait_read, [self = self()](beast::error_code ec) {
      if (self->state_ != State::kStreaming) return;
      if (ec) {
        self->gone_ = true;
        return;
      }
      char c;
      ssize_t n = ::recv(self->lowest().socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        self->gone_ = true;
        return;
      }
      if (n < 0) self->watch();
    });
  }

  void end_stream() {
    srv_->active_streams->dec();
    state_ = State::kWriting;
    beast::error_code ignore;
    lowest().socket().cancel(ignore);  // the watch
    if (gone_) {
      keep_alive_ = false;
      on_write(asio::error::connection_reset, stream_bytes_);
      return;
    }
    if (!chunked_) return on_write({}, stream_bytes_);
    if (srv_->stopping) keep_alive_ = false;
    lowest().expires_after(srv_->opt.write_timeout);
    asio::async_write(stream_, bhttp::make_chunk_last(), [self = self()](beast::error_code ec, size_t n) {
      self->on_write(ec, self->stream_bytes_ + n);
    });
  }

  ServerCore* srv_;
  Stream stream_;
  std::string remote_;
  uint16_t port_;
  bool admitted_;
  bool rejected_ = false;
  bool first_ = true;
  State state_ = State::kStart;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request req_;
  const Route* route_ = nullptr;
  bool have_head_ = false;
  bool head_request_ = false;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  int status_ = 0;
  SteadyClock::time_point t0_{};
  std::optional<bhttp::response<bhttp::string_body>> res_;
  // Streaming.
  StreamProducer producer_;
  std::optional<bhttp::response<bhttp::empty_body>> stream_head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> stream_sr_;
  std::atomic<bool> gone_{false};
  bool chunked_ = true;
  uint64_t stream_bytes_ = 0;
};

// ---- Impl ---------------------------------------------------------------------------------------

void ServerCore::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open() || stopping) return;
      // Out of file descriptors and the like: say so and keep accepting a moment later.
      log(LogLine("error", "app", "accept failed: " + ec.message()).finish());
      auto timer = std::make_shared<asio::steady_timer>(io, 100ms);
      timer->async_wait([this, timer](beast::error_code) { accept(); });
      return;
    }
    on_accept(std::move(socket));
    accept();
  });
}

void ServerCore::on_accept(tcp::socket socket) {
  beast::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return;
  std::string remote = address_text(ep.address());
  bool ok = false;
  {
    std::lock_guard lock(mu);
    auto& n = per_address[remote];
    if (admitted < opt.max_connections && n < opt.max_connections_per_address) {
      ++admitted;
      ++n;
      ok = true;
    } else if (n == 0) {
      per_address.erase(remote);
    }
  }
  if (!ok) rejected_connections->inc();
  socket.set_option(tcp::no_delay(true), ec);
  auto start = [&](auto session) {
    {
      std::lock_guard lock(mu);
      sessions.emplace(session.get(), session);
    }
    open_connections->inc();
    session->run();
  };
  if (tls) {
    start(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(this, remote, ep.port(), ok,
                                                                          std::move(socket), *tls));
  } else {
    start(std::make_shared<Session<beast::tcp_stream>>(this, remote, ep.port(), ok, std::move(socket)));
  }
}

void ServerCore::unregister(SessionBase* s, const std::string& remote, bool admitted_conn) {
  open_connections->dec();
  std::lock_guard lock(mu);
  sessions.erase(s);
  if (admitted_conn) {
    --admitted;
    auto it = per_address.find(remote);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
  changed.notify_all();
}

void ServerCore::record(const Request& req, int status, uint64_t bytes, double seconds) {
  const std::string route = req.route.empty() ? "unmatched" : req.route;
  const char* method = method_label(req.method);
  metrics
      ->counter("shieldwall_http_requests_total", "HTTP requests answered, by route template, method and status",
                {{"route", route}, {"method", method}, {"status", std::to_string(status)}})
      .inc();
  metrics
      ->histogram("shieldwall_http_request_duration_seconds",
                  "Time from the first byte of the request head to the last byte of the response, by route template",
                  default_latency_buckets(), {{"route", route}})
      .observe(seconds);
  if (!opt.access_log) return;
  LogLine line("info", "access", "request");
  line.str("request_id", req.request_id).str("remote", req.remote).str("method", req.method);
  line.str("route", req.route).str("path", req.path).num("status", status).num("bytes", static_cast<int64_t>(bytes));
  line.real("duration_ms", seconds * 1000);
  if (!req.principal.empty()) line.str("principal", req.principal);
  log(line.finish());
}

void ServerCore::app_error(const Request& req, std::string_view message) {
  LogLine line("error", "app", message);
  line.str("request_id", req.request_id).str("remote", req.remote).str("method", req.method).str("path", req.path);
  log(line.finish());
}

void ServerCore::security(const Request& req, std::string_view kind, int status, std::string_view detail) {
  metrics->counter("shieldwall_http_refusals_total", "Requests and connections refused, by kind",
                   {{"kind", std::string(kind)}})
      .inc();
  LogLine line("warn", "security", kind);
  line.str("remote", req.remote);
  if (!req.request_id.empty()) line.str("request_id", req.request_id);
  if (!req.method.empty()) line.str("method", req.method).str("path", req.path);
  if (!req.principal.empty()) line.str("principal", req.principal);
  line.num("status", status);
  if (!detail.empty()) line.str("detail", detail);
  log(line.finish());
  if (opt.on_security_event) {
    SecurityEvent ev{std::string(kind), status, req.remote, req.request_id, req.method, req.path, req.principal,
                     std::string(detail)};
    try {
      opt.on_security_event(ev);
    } catch (...) {
      log(LogLine("error", "app", "on_security_event threw").finish());
    }
  }
}

// ---- Server -------------------------------------------------------------------------------------

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& I = *impl_;
  I.opt = std::move(options);
  if (!I.opt.metrics) I.own_metrics = std::make_unique<Registry>();
  I.metrics = I.opt.metrics ? I.opt.metrics : I.own_metrics.get();
  I.log = I.opt.log ? I.opt.log : default_log_sink();
  I.dispatcher.set_default_body_limit(I.opt.max_body_bytes);
  if (I.opt.rate_limit_per_second > 0) {
    I.limiter = std::make_shared<RateLimiter>(I.opt.rate_limit_per_second, I.opt.rate_limit_burst);
    I.dispatcher.set_rate_limiter(I.limiter);
  }
  I.open_connections = &I.metrics->gauge("shieldwall_http_open_connections", "Client connections open now");
  I.active_streams = &I.metrics->gauge("shieldwall_http_active_streams", "Streaming responses in progress");
  I.rejected_connections = &I.metrics->counter("shieldwall_http_connections_rejected_total",
                                               "Connections refused over the per-address or total cap");

  RouteOptions ops;
  ops.authenticate = false;
  route("GET", "/healthz", [](const Request&) { return Response{200, "application/json", R"({"status":"ok"})"}; },
        ops);
  Impl* ip = impl_.get();
  route("GET", "/readyz",
        [ip](const Request& req) {
          if (ip->stopping) return problem(Problem::kShuttingDown, "the node is shutting down", req.path);
          if (ip->opt.readiness) {
            core::Status s = ip->opt.readiness();
            if (!s.ok()) return problem(Problem::kNotReady, s.error().message, req.path);
          }
          return Response{200, "application/json", R"({"status":"ready"})"};
        },
        ops);
  RouteOptions metrics_opts;
  metrics_opts.authenticate = I.opt.metrics_require_auth;
  route("GET", "/metrics",
        [ip](const Request&) { return Response{200, std::string(kPrometheusContentType), ip->metrics->render()}; },
        metrics_opts);
}

Server::~Server() { stop(0ms); }

core::Status Server::add_route(const std::string& method, const std::string& path_template, Handler handler,
                               RouteOptions options) {
  return impl_->dispatcher.router().add(method, path_template, std::move(handler), std::move(options));
}

void Server::route(const std::string& method, const std::string& path_template, Handler handler,
                   RouteOptions options) {
  auto s = add_route(method, path_template, std::move(handler), std::move(options));
  if (!s.ok()) {
    impl_->log(LogLine("error", "app", "bad route: " + s.error().to_string()).finish());
    assert(false && "bad route template");
  }
}

void Server::set_auth_hook(AuthHook hook) { impl_->dispatcher.set_auth_hook(std::move(hook)); }

Registry& Server::metrics() { return *impl_->metrics; }

RateLimiter* Server::rate_limiter() { return impl_->limiter.get(); }

bool Server::running() const { return impl_->running; }

size_t Server::connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->sessions.size();
}

core::Result<uint16_t> Server::start() {
  Impl& I = *impl_;
  if (I.started) return core::Error::precondition("the server was started before; make a new one", "server");
  const std::string& listen = I.opt.listen;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return core::Error::invalid("listen address must be HOST:PORT, not \"" + listen + "\"", "server.listen");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) return core::Error::invalid("bad port in \"" + listen + "\"", "server.listen");
  beast::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return core::Error::invalid("bad address \"" + host + "\": " + ec.message(), "server.listen");

  const bool want_tls = !I.opt.tls_cert_file.empty() || !I.opt.tls_key_file.empty();
  if (want_tls) {
    if (I.opt.tls_cert_file.empty() || I.opt.tls_key_file.empty())
      return core::Error::invalid("TLS needs both a certificate chain (tls_cert) and its private key (tls_key)",
                                  I.opt.tls_cert_file.empty() ? "server.tls_cert" : "server.tls_key");
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    // Idle connections give their record buffers back (1,000 idle TLS clients stay cheap).
    SSL_CTX_set_mode(ctx->native_handle(), SSL_MODE_RELEASE_BUFFERS);
    ctx->use_certificate_chain_file(I.opt.tls_cert_file, ec);
    if (ec)
      return core::Error::invalid("cannot load the TLS certificate chain from " + I.opt.tls_cert_file + ": " +
                                      ec.message() + " (expected PEM, leaf certificate first)",
                                  "server.tls_cert");
    ctx->use_private_key_file(I.opt.tls_key_file, ssl::context::pem, ec);
    if (ec)
      return core::Error::invalid("cannot load the TLS private key from " + I.opt.tls_key_file + ": " + ec.message() +
                                      " (expected an unencrypted PEM key)",
                                  "server.tls_key");
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
      return core::Error::invalid("the TLS private key " + I.opt.tls_key_file + " does not belong to the certificate " +
                                      I.opt.tls_cert_file,
                                  "server.tls_key");
    I.tls = std::move(ctx);
  } else if (!addr.is_loopback() && !I.opt.allow_plain_remote) {
    return core::Error::invalid("plain HTTP on " + listen +
                                    " (not a loopback address) is refused: configure TLS with [server] tls_cert and "
                                    "tls_key, or set [server] allow_plain_remote = true when a TLS proxy is in front",
                                "server.allow_plain_remote");
  }

  tcp::endpoint ep(addr, static_cast<uint16_t>(port));
  auto& a = I.acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignore;
    a.close(ignore);
    return core::Error::io("cannot listen on " + listen + ": " + ec.message(), "server.listen");
  }
  const uint16_t bound = a.local_endpoint().port();
  I.started = true;
  I.running = true;
  I.accept();
  for (int i = 0; i < std::max(1, I.opt.threads); ++i) I.threads.emplace_back([&I] { I.io.run(); });
  return bound;
}

void Server::stop(std::chrono::milliseconds grace) {
  Impl& I = *impl_;
  if (!I.running.exchange(false)) return;
  const auto deadline = SteadyClock::now() + grace;
  I.stopping = true;
  {
    // Close the acceptor on an I/O thread (it is not thread-safe) and wait for it: from here on
    // new connections are refused.
    auto closed = std::make_shared<std::promise<void>>();
    auto done = closed->get_future();
    asio::post(I.io, [&I, closed] {
      beast::error_code ignore;
      I.acceptor.close(ignore);
      closed->set_value();
    });
    done.wait_for(5s);
  }
  auto each = [&I](auto fn) {
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(I.mu);
      for (auto& [p, w] : I.sessions)
        if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) fn(*s);
  };
  each([](SessionBase& s) { s.post_stop(); });
  {
    std::unique_lock lock(I.mu);
    I.changed.wait_until(lock, deadline, [&] { return I.sessions.empty() && I.streams == 0; });
  }
  I.hard_stop = true;
  each([](SessionBase& s) { s.post_force_close(); });
  {
    std::unique_lock lock(I.mu);
    I.changed.wait_for(lock, 2s, [&] { return I.sessions.empty() && I.streams == 0; });
  }
  I.io.stop();
  for (auto& t : I.threads) t.join();
  I.threads.clear();
  {
    // A producer thread that ignored hard_stop for 2 s still holds its session; wait for it before
    // the sessions' Impl can go away.
    std::unique_lock lock(I.mu);
    I.changed.wait(lock, [&] { return I.streams == 0; });
  }
}

// ---- StopSignals --------------------------------------------------------------------------------

StopSignals::StopSignals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set_, &old_);
}

StopSignals::~StopSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

int StopSignals::wait() {
  int sig = 0;
  sigwait(&set_, &sig);
  return sig;
}

}  // namespace sw::http
