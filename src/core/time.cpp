#include "core/time.h"

#include <cstdio>

namespace sw::core {
namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's algorithm.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

Error bad(std::string_view text, size_t pos, const char* expected) {
  std::string msg = "invalid timestamp \"" + std::string(text.substr(0, 64)) + "\": at character " +
                    std::to_string(pos + 1) + " expected " + expected +
                    " (format YYYY-MM-DDTHH:mm:ss[.s+]Z, UTC)";
  return Error::invalid(std::move(msg));
}

}  // namespace

Result<Timestamp> parse_timestamp(std::string_view t) {
  auto digit = [&](size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
  auto num = [&](size_t i, size_t n) {
    unsigned v = 0;
    for (size_t k = 0; k < n; ++k) v = v * 10 + static_cast<unsigned>(t[i + k] - '0');
    return v;
  };
  for (size_t i = 0; i < 19; ++i) {
    const char sep = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':' : 0;
    if (sep) {
      if (i >= t.size() || t[i] != sep) {
        const char expected[] = {'\'', sep, '\'', 0};
        return bad(t, i, expected);
      }
    } else if (!digit(i)) {
      return bad(t, i, "a digit");
    }
  }
  const int64_t year = num(0, 4);
  const unsigned month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2),
                 second = num(17, 2);
  if (month < 1 || month > 12) return bad(t, 5, "a month 01-12");
  if (day < 1 || day > days_in_month(year, month)) return bad(t, 8, "a day that exists in that month");
  if (hour > 23) return bad(t, 11, "an hour 00-23");
  if (minute > 59) return bad(t, 14, "a minute 00-59");
  // RFC 3339 allows a leap second (60); STIX data has none in practice, we accept and fold it.
  if (second > 60) return bad(t, 17, "a second 00-60");
  size_t i = 19;
  Timestamp ts;
  ts.digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digit(i)) return bad(t, i, "a sub-second digit after '.'");
    uint32_t nanos = 0;
    unsigned n = 0;
    while (digit(i)) {
      if (n < 9) {
        nanos = nanos * 10 + static_cast<uint32_t>(t[i] - '0');
        ++n;
      }
      ++i;
    }
    ts.digits = static_cast<uint8_t>(n);
    for (unsigned k = n; k < 9; ++k) nanos *= 10;
    ts.nanos = nanos;
  }
  if (i >= t.size() || t[i] != 'Z') return bad(t, i, "'Z' (timestamps must be in UTC)");
  if (i + 1 != t.size()) return bad(t, i + 1, "the end of the timestamp");
  ts.seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
               std::min<unsigned>(second, 59) + (second == 60 ? 1 : 0);
  return ts;
}

std::string format_timestamp(const Timestamp& ts, int min_digits) {
  int64_t days = ts.seconds >= 0 ? ts.seconds / 86400 : (ts.seconds - 86399) / 86400;
  int64_t rem = ts.seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                        static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  std::string out(buf, static_cast<size_t>(n));
  int digits = std::max<int>(ts.digits, min_digits);
  if (digits > 9) digits = 9;
  if (digits > 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09u", ts.nanos);
    out.append(frac, static_cast<size_t>(digits) + 1);
  }
  out.push_back('Z');
  return out;
}

std::string sortable(const Timestamp& ts) {
  Timestamp full = ts;
  full.digits = 9;
  return format_timestamp(full, 9);
}

int64_t to_micros(const Timestamp& ts) { return ts.seconds * 1'000'000 + ts.nanos / 1000; }

Timestamp from_micros(int64_t micros) {
  Timestamp ts;
  ts.seconds = micros >= 0 ? micros / 1'000'000 : (micros - 999'999) / 1'000'000;
  ts.nanos = static_cast<uint32_t>((micros - ts.seconds * 1'000'000) * 1000);
  ts.digits = 6;
  return ts;
}

}  // namespace sw::core
