// Compact keys of the indicator index and their canonical text: IP blocks as integers, hashes as
// raw bytes. Shared by normalise() (observable.cpp) and the index, so that the text a hit reports
// is exactly the text normalise() produces.
//
// Pure functions; thread-safe; nothing here allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/hex.h"
#include "pattern/ip.h"

namespace sw::index::internal {

// Enough for any canonical IP block text ("ffff:...:ffff/128" is 43 characters) and any hash in
// hex (128 characters).
inline constexpr size_t kKeyTextMax = 160;

// Clears the bits of `net` beyond its prefix.
void clear_host_bits(pattern::IpNet& net);

// The canonical text of `net` (host bits already cleared): dotted quad, RFC 5952 IPv6 (IPv4-mapped
// addresses with a dotted tail), "/n" unless the block is a single address. Writes at most
// kKeyTextMax bytes to `buf`; returns the length.
size_t format_ip(const pattern::IpNet& net, char* buf);

// IPv4 as a host-order integer, and back.
inline uint32_t ipv4_bits(const pattern::IpNet& net) {
  return (uint32_t{net.addr[0]} << 24) | (uint32_t{net.addr[1]} << 16) |
         (uint32_t{net.addr[2]} << 8) | uint32_t{net.addr[3]};
}

inline uint32_t ipv4_mask(unsigned prefix) {
  return prefix == 0 ? 0u : ~uint32_t{0} << (32 - prefix);
}

// An IPv6 address as two host-order halves.
struct U128 {
  uint64_t hi = 0, lo = 0;
  friend bool operator==(const U128&, const U128&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const U128& v) {
    return H::combine(std::move(h), v.hi, v.lo);
  }
};

U128 ipv6_bits(const pattern::IpNet& net);
U128 ipv6_mask(unsigned prefix);
inline U128 operator&(const U128& a, const U128& b) { return {a.hi & b.hi, a.lo & b.lo}; }

pattern::IpNet ipv4_net(uint32_t bits, unsigned prefix);
pattern::IpNet ipv6_net(const U128& bits, unsigned prefix);

using core::decode_hex;  // core/hex.h
// Lower-case hex of `bytes`; writes 2 * len characters.
void encode_hex(const uint8_t* bytes, size_t len, char* out);

}  // namespace sw::index::internal
