// Observables as the indicator index sees them: a kind and a canonical key text.
//
// Every value that enters the index (an atom of an indicator's pattern, an SCO's value, a MISP
// attribute later) and every value looked up (a log field, a line pasted by an analyst) goes through
// normalise(), so that "HTTP://Example.COM:80/a%7e" and "http://example.com/a~" meet.
//
// Pure functions; thread-safe; allocation only for the returned text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sw::index {

enum class Kind : uint8_t {
  kIpv4,    // an address or a CIDR block ("198.51.100.7", "198.51.100.0/24")
  kIpv6,    // likewise, IPv6
  kDomain,  // a DNS name
  kUrl,
  kEmail,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
  kOther,  // any other (object type, path, value), matched exactly
};
inline constexpr int kKindCount = 10;

// "ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "sha512", "other".
std::string_view kind_name(Kind kind);
std::optional<Kind> parse_kind(std::string_view name);

// The canonical key of `value` as a `kind`, or nullopt when `value` is not one:
//  - kIpv4/kIpv6: the address or network in canonical text ("10.0.0.0/8", "2001:db8::/32"; a
//    /32 or /128 is written without the prefix; host bits beyond the prefix are cleared);
//  - kDomain: lower case, no trailing dot, every label 1-63 characters of letters, digits, '-',
//    '_' (total at most 253); IDNs are compared in the A-label (xn--) form as written;
//  - kUrl: scheme and host lower case, default port (http 80, https 443, ftp 21) removed,
//    percent-encoding of unreserved characters decoded and of the rest upper-cased, empty path
//    written as "/", fragment removed;
//  - kEmail: the local part as written, the domain lower case;
//  - hashes: lower-case hex of the right length (32, 40, 64, 128);
//  - kOther: the value unchanged.
std::optional<std::string> normalise(Kind kind, std::string_view value);

// normalise() into `out`, which is cleared first and whose capacity is reused: a caller that keeps
// one string per thread allocates nothing once it has grown (the index's look-ups do this). False,
// with `out` unspecified, when `value` is not a `kind`.
bool normalise_into(Kind kind, std::string_view value, std::string& out);

// The kind a bare value most plausibly is (what `shieldwall lookup` and `match --format lines`
// use): an IP address or CIDR, a URL (it has a scheme), an e-mail address, a hash (hex of one of
// the four lengths), a domain; nullopt for anything else.
std::optional<Kind> classify(std::string_view value);

}  // namespace sw::index
