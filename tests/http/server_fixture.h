// A real http::Server on 127.0.0.1:0 with test-sized limits; its log lines and security events
// are captured for assertions.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "test_client.h"

namespace sw::http::test {

using namespace std::chrono_literals;

// Polls `cond` until it holds or a generous bound passes (the bound only detects hangs).
inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds bound = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return cond();
}

class HttpServer : public ::testing::Test {
 protected:
  ServerOptions options() {
    ServerOptions o;
    o.listen = "127.0.0.1:0";
    o.threads = 2;
    o.header_timeout = 1s;
    o.body_timeout = 1s;
    o.idle_timeout = 3s;
    o.write_timeout = 5s;
    o.max_body_bytes = 1024;
    o.log = [this](std::string_view line) {
      std::lock_guard lock(mu_);
      logs_.emplace_back(line);
    };
    o.on_security_event = [this](const SecurityEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e);
    };
    return o;
  }

  void start(ServerOptions o, const std::function<void(Server&)>& setup = {}) {
    server_ = std::make_unique<Server>(std::move(o));
    if (setup) setup(*server_);
    auto p = server_->start();
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    port_ = *p;
  }

  bool has_event(const std::string& kind) {
    std::lock_guard lock(mu_);
    for (const auto& e : events_)
      if (e.kind == kind) return true;
    return false;
  }

  // Log lines of one type ("access", "app", "security") as JSON objects.
  std::vector<boost::json::object> logs(const std::string& type) {
    std::lock_guard lock(mu_);
    std::vector<boost::json::object> out;
    for (const auto& l : logs_) {
      auto v = boost::json::parse(l).as_object();
      if (v["type"] == type.c_str()) out.push_back(v);
    }
    return out;
  }

  std::mutex mu_;
  std::vector<std::string> logs_;
  std::vector<SecurityEvent> events_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

}  // namespace sw::http::test
