// IPv4 and IPv6 addresses and CIDR blocks, for ISSUBSET / ISSUPERSET (STIX 2.1 §9.6.1) and for
// comparing ipv4-addr / ipv6-addr values as values ("198.51.100.1" equals "198.51.100.1/32").
//
// Part of the pattern module's public API: the indicator index (index/observable.h) parses and
// canonicalises addresses with it, so that a pattern and the index agree on what an address is.
// Parsing allocates nothing; everything is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sw::pattern {

// A block of addresses: an address and a prefix length (32 or 128 for a single address). Host
// bits beyond the prefix are kept as written but ignored by every comparison.
struct IpNet {
  bool v6 = false;
  uint8_t prefix = 0;
  std::array<uint8_t, 16> addr{};  // IPv4 uses the first 4 octets
};

// "a.b.c.d[/n]" (decimal octets 0-255 without leading zeros, n 0-32) or an RFC 4291 IPv6 text
// form ("::" compression, embedded dotted IPv4) with an optional "/n" (0-128). No zone ids, no
// whitespace.
bool parse_ip_net(std::string_view text, IpNet& out);

// The same set of addresses (same family, same prefix, same network bits).
bool same_block(const IpNet& a, const IpNet& b);

// Every address of `inner` is in `outer` (same family; equal blocks included).
bool is_subset(const IpNet& inner, const IpNet& outer);

}  // namespace sw::pattern
