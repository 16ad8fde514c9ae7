// `shieldwall serve`: a real TCP connection to GET /healthz, and a clean stop on SIGTERM.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

using namespace std::chrono_literals;

// A port nobody listens on right now: bind to port 0, read the port, close.
uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return 0;
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

int connect_to(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

// Sends `request` and reads one response (Content-Length framed) within `timeout`.
std::optional<HttpResponse> http_exchange(int fd, const std::string& request,
                                          std::chrono::milliseconds timeout = 5s) {
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) return {};
  std::string in;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<HttpResponse> head;
  size_t body_at = 0, length = 0;
  for (;;) {
    size_t end;
    if (!head && (end = in.find("\r\n\r\n")) != std::string::npos) {
      head.emplace();
      auto lines = lines_of(in.substr(0, end));
      if (lines.empty() || std::sscanf(lines[0].c_str(), "HTTP/1.1 %d", &head->status) != 1)
        return {};
      for (size_t i = 1; i < lines.size(); ++i) {
        auto c = lines[i].find(':');
        if (c == std::string::npos) continue;
        std::string k = lines[i].substr(0, c), v = lines[i].substr(c + 1);
        for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
        head->headers[k] = v;
      }
      if (!head->headers.count("content-length")) return {};
      body_at = end + 4;
      length = std::stoul(head->headers["content-length"]);
    }
    if (head && in.size() >= body_at + length) {
      head->body = in.substr(body_at, length);
      return head;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return {};
    in.append(buf, static_cast<size_t>(n));
  }
}

class Serve : public ::testing::Test {
 protected:
  void SetUp() override { node_ = init_node(dir_); }

  // Starts `serve` on a free port and waits until it accepts connections.
  std::unique_ptr<Child> start() {
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = free_port();
      auto child = std::make_unique<Child>(
          node_.with_data({"serve", "--listen", "127.0.0.1:" + std::to_string(port_)}),
          dir_ / "serve.out");
      // Wait for the node's own "serving on" log line: a bare connect could reach another
      // test's server that took the same free port in the meantime.
      const std::string serving = "serving on 127.0.0.1:" + std::to_string(port_) + " ";
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      bool up = false;
      while (!up && std::chrono::steady_clock::now() < deadline) {
        if (child->eof()) break;  // exited (port taken meanwhile?): try another port
        if (auto line = child->read_line(20ms); line && line->find(serving) != std::string::npos)
          up = true;
      }
      if (up) return child;
    }
    ADD_FAILURE() << "serve did not start listening";
    return nullptr;
  }

  TempDir dir_;
  Node node_;
  uint16_t port_ = 0;
};

TEST_F(Serve, HealthzAnswersOverTcpAndSigtermStopsWithExitZero) {
  auto child = start();
  ASSERT_NE(child, nullptr);
  int fd = connect_to(port_);
  ASSERT_GE(fd, 0);
  auto r = http_exchange(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(r.has_value()) << "no HTTP response";
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers["content-type"], "application/json");
  EXPECT_EQ(parse_json(r->body), parse_json(R"({"status":"ok"})")) << r->body;

  // Keep-alive: the same connection serves a second request; an unknown path is a 404.
  auto r2 = http_exchange(fd, "GET /no-such-endpoint HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->status, 404);

  // SIGTERM with that idle keep-alive connection still open: a prompt, clean exit.
  const auto t0 = std::chrono::steady_clock::now();
  child->signal(SIGTERM);
  auto res = child->wait(15s);
  close(fd);
  EXPECT_TRUE(res.exited) << res.describe();
  EXPECT_EQ(res.exit_code, 0) << res.describe();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_LT(connect_to(port_), 0) << "still accepting connections after it stopped";
}

TEST_F(Serve, APortInUseIsAClearError) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  socklen_t len = sizeof a;
  getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  const std::string addr = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  auto r = run(node_.with_data({"serve", "--listen", addr}), 15s);
  close(listener);
  EXPECT_TRUE(r.exited) << r.describe();
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_TRUE(contains(r.err, addr)) << r.err;
}

}  // namespace
}  // namespace sw::clitest
