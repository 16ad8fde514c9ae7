#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace sw::http {

RateLimiter::RateLimiter(double rate_per_second, double burst, size_t max_keys)
    : rate_(rate_per_second > 0 ? rate_per_second : 1e-9), burst_(std::max(1.0, burst)),
      max_keys_(std::max<size_t>(1, max_keys)) {}

RateLimiter::Decision RateLimiter::acquire(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      // Forget buckets that are full again: they behave exactly like new ones.
      std::erase_if(buckets_, [&](const auto& kv) {
        double elapsed = std::chrono::duration<double>(now - kv.second.last).count();
        return kv.second.tokens + elapsed * rate_ >= burst_;
      });
    }
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.last = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {true, 0};
  }
  double wait = (1 - b.tokens) / rate_;
  return {false, static_cast<int>(std::clamp(std::ceil(wait), 1.0, 86400.0))};
}

}  // namespace sw::http
