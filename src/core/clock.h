// Clock: the one source of "now". Production code takes a Clock& so tests can use FakeClock.
#pragma once

#include <atomic>
#include <chrono>

#include "core/time.h"

namespace sw::core {

// Thread-safe: implementations may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
  static SystemClock& instance();
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t micros = 1'700'000'000'000'000) : micros_(micros) {}
  Timestamp now() const override { return from_micros(micros_.load()); }
  void advance_micros(int64_t d) { micros_ += d; }
  void set_micros(int64_t m) { micros_ = m; }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace sw::core
