// A small HTTP/1.1 client over raw sockets for the server tests: it sends exactly the bytes a test
// writes (so malformed and hostile requests are possible) and parses responses with
// Content-Length or chunked framing. Every read has a generous deadline that only detects hangs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sw::http::test {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated fields joined by ", "
  std::string body;
  std::vector<std::string> chunks;  // chunked bodies: each chunk as received
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Conn {
 public:
  explicit Conn(uint16_t port, const char* host = "127.0.0.1");
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  // Reads one response. `head_only` for HEAD requests (no body follows).
  std::optional<Reply> read(std::chrono::milliseconds timeout = std::chrono::seconds(10), bool head_only = false);
  std::optional<Reply> exchange(const std::string& request, bool head_only = false);
  // Reads one line of the body stream as it arrives (SSE): up to and including "\n\n".
  std::optional<std::string> read_until(const std::string& marker,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void close();
  int fd() const { return fd_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string in_;
};

std::string get(const std::string& path, const std::string& extra_headers = "");

}  // namespace sw::http::test
