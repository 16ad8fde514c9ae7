#include "pattern/ip.h"

namespace sw::pattern {
namespace {

bool parse_ipv4(std::string_view s, uint8_t* out) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    unsigned v = 0;
    size_t digits = 0;
    const size_t first = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      if (++digits > 3 || v > 255) return false;
      ++i;
    }
    if (digits > 1 && s[first] == '0') return false;  // "010": octal to some parsers; refuse
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_ipv6(std::string_view s, uint8_t* out) {
  uint16_t groups[8] = {};
  int n = 0;     // groups written
  int gap = -1;  // index where "::" stands
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    i = 2;
    if (i == s.size()) {
      for (int k = 0; k < 16; ++k) out[k] = 0;
      return true;
    }
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    if (n >= 8) return false;
    // Embedded IPv4 in the last 32 bits?
    const size_t colon = s.find(':', i);
    const std::string_view rest = s.substr(i, colon == std::string_view::npos ? s.npos : colon - i);
    if (colon == std::string_view::npos && rest.find('.') != std::string_view::npos) {
      if (n > 6) return false;
      uint8_t v4[4];
      if (!parse_ipv4(rest, v4)) return false;
      groups[n++] = static_cast<uint16_t>((v4[0] << 8) | v4[1]);
      groups[n++] = static_cast<uint16_t>((v4[2] << 8) | v4[3]);
      i = s.size();
      break;
    }
    unsigned v = 0;
    size_t digits = 0;
    while (i < s.size() && hex_digit(s[i]) >= 0) {
      v = (v << 4) | static_cast<unsigned>(hex_digit(s[i]));
      if (++digits > 4) return false;
      ++i;
    }
    if (digits == 0) return false;
    groups[n++] = static_cast<uint16_t>(v);
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return false;  // two "::"
      gap = n;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  if (gap < 0 && n != 8) return false;
  if (gap >= 0 && n > 7) return false;
  uint16_t full[8] = {};
  if (gap < 0) {
    for (int k = 0; k < 8; ++k) full[k] = groups[k];
  } else {
    const int tail = n - gap;
    for (int k = 0; k < gap; ++k) full[k] = groups[k];
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
  }
  for (int k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<uint8_t>(full[k] >> 8);
    out[2 * k + 1] = static_cast<uint8_t>(full[k] & 0xFF);
  }
  return true;
}

// Network bits of a and b under `prefix` are equal.
bool same_network(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                  unsigned prefix) {
  unsigned full = prefix / 8;
  for (unsigned k = 0; k < full; ++k) {
    if (a[k] != b[k]) return false;
  }
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

bool parse_ip_net(std::string_view text, IpNet& out) {
  out = IpNet{};
  std::string_view addr = text;
  int prefix = -1;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    const std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return false;
    prefix = 0;
    for (char c : p) {
      if (c < '0' || c > '9') return false;
      prefix = prefix * 10 + (c - '0');
    }
  }
  if (addr.find(':') != std::string_view::npos) {
    if (!parse_ipv6(addr, out.addr.data())) return false;
    if (prefix > 128) return false;
    out.v6 = true;
    out.prefix = static_cast<uint8_t>(prefix < 0 ? 128 : prefix);
    return true;
  }
  if (!parse_ipv4(addr, out.addr.data())) return false;
  if (prefix > 32) return false;
  out.prefix = static_cast<uint8_t>(prefix < 0 ? 32 : prefix);
  return true;
}

bool same_block(const IpNet& a, const IpNet& b) {
  return a.v6 == b.v6 && a.prefix == b.prefix && same_network(a.addr, b.addr, a.prefix);
}

bool is_subset(const IpNet& inner, const IpNet& outer) {
  return inner.v6 == outer.v6 && inner.prefix >= outer.prefix &&
         same_network(inner.addr, outer.addr, outer.prefix);
}

}  // namespace sw::pattern
