// RateLimiter: token buckets keyed by a string (the auth layer keys them by API key). Each key
// may make `burst` requests at once and `rate` per second on average; a refused request learns
// how long to wait (Retry-After).
//
// Thread-safety: thread-safe (one mutex; a look-up is a hash probe and some arithmetic).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sw::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `rate` tokens per second refill each bucket up to `burst`.
  RateLimiter(double rate_per_second, double burst, size_t max_keys = 100'000);

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: whole seconds until a token is there (>= 1)
  };
  Decision acquire(std::string_view key) { return acquire(key, Clock::now()); }
  // With an explicit "now" (tests).
  Decision acquire(std::string_view key, Clock::time_point now);

  double rate() const { return rate_; }
  double burst() const { return burst_; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  double rate_;
  double burst_;
  size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace sw::http
