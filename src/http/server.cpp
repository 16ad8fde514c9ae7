#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace sw::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::unordered_map<std::string, Handler> routes;  // "METHOD path"; read-only once started
  std::vector<std::thread> threads;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};

  Response dispatch(const Request& req) {
    std::string path = req.target.substr(0, req.target.find('?'));
    auto it = routes.find(req.method + " " + path);
    if (it != routes.end()) return it->second(req);
    Response r;
    r.status = 404;
    r.content_type = "application/problem+json";
    r.body = R"({"type":"https://shieldwall.dev/problems/not-found","title":"Not Found","status":404,"detail":"no such endpoint"})";
    return r;
  }

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // acceptor closed
      std::make_shared<Session>(this, std::move(socket))->read();
      accept();
    });
  }

  struct Session : std::enable_shared_from_this<Session> {
    Impl* server;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser;
    bhttp::response<bhttp::string_body> res;

    Session(Impl* s, tcp::socket sock) : server(s), stream(std::move(sock)) {}

    void read() {
      parser.emplace();
      parser->body_limit(server->options.max_body_bytes);
      parser->header_limit(16 * 1024);
      stream.expires_after(std::chrono::seconds(server->options.idle_timeout_seconds));
      bhttp::async_read(stream, buffer, *parser,
                        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
      if (ec) {
        if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
          res = {};
          res.result(413);
          res.set(bhttp::field::content_type, "application/problem+json");
          res.body() = R"({"type":"https://shieldwall.dev/problems/too-large","title":"Payload Too Large","status":413})";
          res.keep_alive(false);
          res.prepare_payload();
          write(false);
          return;
        }
        beast::error_code ignore;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignore);
        return;
      }
      ++server->in_flight;
      auto& req = parser->get();
      Request r{std::string(req.method_string()), std::string(req.target()), std::move(req.body())};
      Response out = server->dispatch(r);
      res = {};
      res.version(req.version());
      res.result(static_cast<unsigned>(out.status));
      res.set(bhttp::field::server, "shieldwall");
      res.set(bhttp::field::content_type, out.content_type);
      res.body() = std::move(out.body);
      res.keep_alive(req.keep_alive() && !server->stopping);
      res.prepare_payload();
      write(true);
    }

    void write(bool counted) {
      bhttp::async_write(stream, res,
                         [self = shared_from_this(), counted](beast::error_code ec, size_t) {
                           if (counted) --self->server->in_flight;
                           if (ec || !self->res.keep_alive()) {
                             beast::error_code ignore;
                             self->stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
                             return;
                           }
                           self->read();
                         });
    }
  };
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

Server::~Server() { stop(0); }

void Server::route(const std::string& method, const std::string& path, Handler handler) {
  impl_->routes[method + " " + path] = std::move(handler);
}

core::Result<uint16_t> Server::start() {
  const std::string& listen = impl_->options.listen;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return core::Error::invalid("listen address must be HOST:PORT, not \"" + listen + "\"",
                                "server.listen");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535)
    return core::Error::invalid("bad port in \"" + listen + "\"", "server.listen");
  beast::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return core::Error::invalid("bad address \"" + host + "\": " + ec.message(), "server.listen");
  tcp::endpoint ep(addr, static_cast<uint16_t>(port));
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::Error::io("cannot listen on " + listen + ": " + ec.message(), "server.listen");
  const uint16_t bound = a.local_endpoint().port();
  impl_->accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  return bound;
}

void Server::stop(int grace_seconds) {
  if (impl_->threads.empty()) return;
  impl_->stopping = true;
  asio::post(impl_->io, [this] {
    beast::error_code ignore;
    impl_->acceptor.close(ignore);
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds);
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace sw::http
