// Hex digits: one table-driven decoder for every module (index keys, pattern constants, log
// escapes). A table rather than range tests: hash values are random digits, and the branchy form
// mispredicted about every other one on the look-up path.
//
// Pure functions; thread-safe; nothing here allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sw::core {

namespace detail {
inline constexpr std::array<int8_t, 256> kHexValues = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<size_t>(c)] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<size_t>(c)] = static_cast<int8_t>(c - 'A' + 10);
  return t;
}();
}  // namespace detail

// The value of a hex digit (either case), or -1.
inline int hex_value(char c) { return detail::kHexValues[static_cast<unsigned char>(c)]; }

// Exactly 2 * out_len hex digits (either case) to out_len bytes; false (out unspecified) when
// `hex` has another length or a character that is not a hex digit.
inline bool decode_hex(std::string_view hex, uint8_t* out, size_t out_len) {
  if (hex.size() != 2 * out_len) return false;
  int bad = 0;
  for (size_t i = 0; i < out_len; ++i) {
    const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    bad |= hi | lo;  // negative when either is -1
    out[i] = static_cast<uint8_t>(((hi & 0xF) << 4) | (lo & 0xF));
  }
  return bad >= 0;
}

}  // namespace sw::core
