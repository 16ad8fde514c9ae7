#include "test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace sw::http::test {

Conn::Conn(uint16_t port, const char* host) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, host, &a.sin_addr);
  a.sin_port = htons(port);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
  int one = 1;
  if (fd_ >= 0) setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Conn::~Conn() { close(); }

void Conn::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Conn::send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool Conn::fill(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[16384];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  in_.append(buf, static_cast<size_t>(n));
  return true;
}

std::optional<Reply> Conn::read(std::chrono::milliseconds timeout, bool head_only) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t end;
  while ((end = in_.find("\r\n\r\n")) == std::string::npos)
    if (!fill(deadline)) return std::nullopt;
  Reply r;
  std::string head = in_.substr(0, end);
  in_.erase(0, end + 4);
  size_t pos = head.find("\r\n");
  std::string status_line = head.substr(0, pos);
  if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  r.status = std::atoi(status_line.c_str() + 9);
  while (pos != std::string::npos) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    pos = next;
    size_t c = line.find(':');
    if (c == std::string::npos) continue;
    std::string k = line.substr(0, c), v = line.substr(c + 1);
    for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    auto& slot = r.headers[k];
    slot = slot.empty() ? v : slot + ", " + v;
  }
  if (head_only || r.status == 204 || r.status == 304 || r.status / 100 == 1) return r;
  if (r.header("transfer-encoding") == "chunked") {
    for (;;) {
      size_t le;
      while ((le = in_.find("\r\n")) == std::string::npos)
        if (!fill(deadline)) return std::nullopt;
      size_t size = std::stoul(in_.substr(0, le), nullptr, 16);
      while (in_.size() < le + 2 + size + 2)
        if (!fill(deadline)) return std::nullopt;
      std::string chunk = in_.substr(le + 2, size);
      in_.erase(0, le + 2 + size + 2);
      if (size == 0) break;
      r.body += chunk;
      r.chunks.push_back(std::move(chunk));
    }
    return r;
  }
  if (r.headers.count("content-length")) {
    size_t len = std::stoul(r.header("content-length"));
    while (in_.size() < len)
      if (!fill(deadline)) return std::nullopt;
    r.body = in_.substr(0, len);
    in_.erase(0, len);
    return r;
  }
  while (fill(deadline)) {
  }
  r.body = std::move(in_);
  in_.clear();
  return r;
}

std::optional<Reply> Conn::exchange(const std::string& request, bool head_only) {
  if (!send(request)) return std::nullopt;
  return read(std::chrono::seconds(10), head_only);
}

std::optional<std::string> Conn::read_until(const std::string& marker, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t at;
  while ((at = in_.find(marker)) == std::string::npos)
    if (!fill(deadline)) return std::nullopt;
  std::string out = in_.substr(0, at + marker.size());
  in_.erase(0, at + marker.size());
  return out;
}

bool Conn::closed_by_server(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
    in_.append(buf, static_cast<size_t>(n));
  }
}

std::string get(const std::string& path, const std::string& extra_headers) {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + "\r\n";
}

}  // namespace sw::http::test
