// RFC 3339 timestamps as STIX 2.1 §2.16 defines them: YYYY-MM-DDTHH:mm:ss[.s+]Z, UTC only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sw::core {

// A point in time with nanosecond resolution. Sub-second digits beyond nine are accepted on
// parse and truncated (STIX §2.16 notes the same for UNIX-time storage).
struct Timestamp {
  int64_t seconds = 0;   // since 1970-01-01T00:00:00Z
  uint32_t nanos = 0;    // 0..999'999'999
  uint8_t digits = 3;    // sub-second digits the source had (0..9); used when formatting back

  friend bool operator==(const Timestamp& a, const Timestamp& b) {
    return a.seconds == b.seconds && a.nanos == b.nanos;
  }
  friend auto operator<=>(const Timestamp& a, const Timestamp& b) {
    if (auto c = a.seconds <=> b.seconds; c != 0) return c;
    return a.nanos <=> b.nanos;
  }
};

// Parses a STIX timestamp; the error says which character is wrong and what was expected.
Result<Timestamp> parse_timestamp(std::string_view text);

// Formats with the precision the timestamp was parsed with (at least `min_digits` sub-second digits).
std::string format_timestamp(const Timestamp& ts, int min_digits = 3);

// Fixed-width form (always nine sub-second digits) whose byte order is time order; what stores
// index and compare.
std::string sortable(const Timestamp& ts);

// Microseconds since the epoch (for the store's `added` column and TAXII date_added).
int64_t to_micros(const Timestamp& ts);
Timestamp from_micros(int64_t micros);

}  // namespace sw::core
