#include "index/internal/keys.h"

#include <utility>

namespace sw::index::internal {
namespace {

size_t put_dec(unsigned v, char* out) {
  if (v < 10) {
    out[0] = static_cast<char>('0' + v);
    return 1;
  }
  if (v < 100) {
    out[0] = static_cast<char>('0' + v / 10);
    out[1] = static_cast<char>('0' + v % 10);
    return 2;
  }
  if (v < 1000) {
    out[0] = static_cast<char>('0' + v / 100);
    out[1] = static_cast<char>('0' + v / 10 % 10);
    out[2] = static_cast<char>('0' + v % 10);
    return 3;
  }
  char tmp[10];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

size_t put_hex16(unsigned v, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  size_t n = 0;
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned d = (v >> shift) & 0xF;
    if (d != 0 || started || shift == 0) {
      out[n++] = kDigits[d];
      started = true;
    }
  }
  return n;
}

size_t put_quad(const uint8_t* a, char* out) {
  size_t n = 0;
  for (int i = 0; i < 4; ++i) {
    if (i) out[n++] = '.';
    n += put_dec(a[i], out + n);
  }
  return n;
}

}  // namespace

void clear_host_bits(pattern::IpNet& net) {
  const unsigned bytes = net.v6 ? 16 : 4;
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned lo = i * 8;
    if (i >= bytes || lo >= net.prefix) {
      net.addr[i] = 0;
    } else if (lo + 8 > net.prefix) {
      net.addr[i] &= static_cast<uint8_t>(0xFF << (lo + 8 - net.prefix));
    }
  }
}

size_t format_ip(const pattern::IpNet& net, char* buf) {
  size_t n = 0;
  if (!net.v6) {
    n = put_quad(net.addr.data(), buf);
  } else {
    uint16_t g[8];
    for (int k = 0; k < 8; ++k) {
      g[k] = static_cast<uint16_t>((net.addr[2 * k] << 8) | net.addr[2 * k + 1]);
    }
    // RFC 5952 §5: an IPv4-mapped address keeps its dotted tail.
    const bool mapped =
        g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF;
    const int groups = mapped ? 6 : 8;
    // RFC 5952 §4.2: compress the longest run (the first of equal runs) of two or more zero groups.
    int best = -1, best_len = 0;
    for (int k = 0; k < groups;) {
      if (g[k] != 0) {
        ++k;
        continue;
      }
      int e = k;
      while (e < groups && g[e] == 0) ++e;
      if (e - k > best_len) {
        best = k;
        best_len = e - k;
      }
      k = e;
    }
    if (best_len < 2) best = -1;
    for (int k = 0; k < groups;) {
      if (k == best) {
        buf[n++] = ':';
        buf[n++] = ':';
        k += best_len;
        continue;
      }
      if (n > 0 && buf[n - 1] != ':') buf[n++] = ':';
      n += put_hex16(g[k], buf + n);
      ++k;
    }
    if (mapped) {
      if (buf[n - 1] != ':') buf[n++] = ':';
      n += put_quad(net.addr.data() + 12, buf + n);
    }
  }
  if (net.prefix != (net.v6 ? 128 : 32)) {
    buf[n++] = '/';
    n += put_dec(net.prefix, buf + n);
  }
  return n;
}

U128 ipv6_bits(const pattern::IpNet& net) {
  U128 v;
  for (int i = 0; i < 8; ++i) v.hi = (v.hi << 8) | net.addr[i];
  for (int i = 8; i < 16; ++i) v.lo = (v.lo << 8) | net.addr[i];
  return v;
}

U128 ipv6_mask(unsigned prefix) {
  U128 m;
  if (prefix >= 64) {
    m.hi = ~uint64_t{0};
    m.lo = prefix == 64 ? 0 : ~uint64_t{0} << (128 - prefix);
  } else {
    m.hi = prefix == 0 ? 0 : ~uint64_t{0} << (64 - prefix);
  }
  return m;
}

pattern::IpNet ipv4_net(uint32_t bits, unsigned prefix) {
  pattern::IpNet net;
  net.prefix = static_cast<uint8_t>(prefix);
  for (int i = 0; i < 4; ++i) net.addr[i] = static_cast<uint8_t>(bits >> (24 - 8 * i));
  return net;
}

pattern::IpNet ipv6_net(const U128& bits, unsigned prefix) {
  pattern::IpNet net;
  net.v6 = true;
  net.prefix = static_cast<uint8_t>(prefix);
  for (int i = 0; i < 8; ++i) net.addr[i] = static_cast<uint8_t>(bits.hi >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) net.addr[8 + i] = static_cast<uint8_t>(bits.lo >> (56 - 8 * i));
  return net;
}

void encode_hex(const uint8_t* bytes, size_t len, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
}

}  // namespace sw::index::internal
