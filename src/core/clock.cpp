#include "core/clock.h"

namespace sw::core {

Timestamp SystemClock::now() const {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  Timestamp ts = from_micros(us);
  ts.digits = 3;
  return ts;
}

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace sw::core
