#include "stix/validate_formats.h"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace sw::stix::detail {
namespace {

bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool alpha(char c) { return lower(c) || (c >= 'A' && c <= 'Z'); }
bool alnum(char c) { return alpha(c) || digit(c); }
bool hexdigit(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool all_hex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!hexdigit(c)) return false;
  return true;
}

bool base64_char(char c) { return alnum(c) || c == '+' || c == '/'; }

// Copies `s` into a NUL-terminated buffer for inet_pton; false when it does not fit.
template <size_t N>
bool to_cstr(std::string_view s, std::array<char, N>& buf) {
  if (s.size() >= N) return false;
  std::memcpy(buf.data(), s.data(), s.size());
  buf[s.size()] = 0;
  return true;
}

// Splits "addr/prefix"; false when the prefix is present but not 0..max.
bool split_prefix(std::string_view s, int max, std::string_view& addr) {
  const size_t slash = s.find('/');
  addr = s.substr(0, slash);
  if (slash == std::string_view::npos) return true;
  std::string_view p = s.substr(slash + 1);
  if (p.empty() || p.size() > 3) return false;
  int v = 0;
  for (char c : p) {
    if (!digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  return v <= max;
}

}  // namespace

const char* type_name_problem(std::string_view name) {
  if (name.size() < 3) return "is shorter than 3 characters";
  if (name.size() > 250) return "is longer than 250 characters";
  if (!lower(name[0])) return "does not begin with a letter a-z";
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!lower(c) && !digit(c) && c != '-')
      return "contains a character other than a-z, 0-9 and '-'";
    if (c == '-' && i > 0 && name[i - 1] == '-') return "contains \"--\"";
  }
  return nullptr;
}

bool is_property_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 250 || !lower(name[0])) return false;
  for (char c : name)
    if (!lower(c) && !digit(c) && c != '_') return false;
  return true;
}

bool is_dictionary_key(std::string_view key, size_t min) {
  if (key.size() < min || key.size() > 250) return false;
  for (char c : key)
    if (!alnum(c) && c != '-' && c != '_') return false;
  return true;
}

bool is_hex(std::string_view s) {
  if (s.size() % 2 != 0) return false;
  for (char c : s)
    if (!digit(c) && !(c >= 'a' && c <= 'f')) return false;
  return true;
}

bool is_base64(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  size_t pad = 0;
  if (!s.empty() && s.back() == '=') pad = s.size() >= 2 && s[s.size() - 2] == '=' ? 2 : 1;
  for (size_t i = 0; i + pad < s.size(); ++i)
    if (!base64_char(s[i])) return false;
  return true;
}

bool hash_value_ok(std::string_view algo, std::string_view v, bool& known) {
  known = true;
  if (algo == "MD5") return all_hex(v, 32);
  if (algo == "SHA-1") return all_hex(v, 40);
  if (algo == "SHA-256" || algo == "SHA3-256") return all_hex(v, 64);
  if (algo == "SHA-512" || algo == "SHA3-512") return all_hex(v, 128);
  if (algo == "TLSH") {
    // 35 bytes as 70 hex digits; TLSH 4 prefixes its version ("T1").
    if (v.size() == 72 && (v[0] == 'T' || v[0] == 't') && v[1] == '1') v.remove_prefix(2);
    return all_hex(v, 70);
  }
  if (algo == "SSDEEP") {
    // blocksize:hash:hash, the hashes in the base64 alphabet.
    size_t i = 0;
    while (i < v.size() && digit(v[i])) ++i;
    if (i == 0 || i >= v.size() || v[i] != ':') return false;
    int colons = 0;
    for (++i; i < v.size(); ++i) {
      if (v[i] == ':') {
        if (++colons > 1) return false;
      } else if (!base64_char(v[i])) {
        return false;
      }
    }
    return colons == 1;
  }
  known = false;
  return true;
}

bool parse_rfc4122_uuid(std::string_view t, core::Uuid& out) {
  static constexpr auto kHex = [] {
    std::array<int8_t, 256> h{};
    for (auto& v : h) v = -1;
    for (int c = '0'; c <= '9'; ++c) h[static_cast<size_t>(c)] = static_cast<int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) h[static_cast<size_t>(c)] = static_cast<int8_t>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c) h[static_cast<size_t>(c)] = static_cast<int8_t>(c - 'A' + 10);
    return h;
  }();
  if (t.size() != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-') return false;
  static constexpr uint8_t kPos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (size_t b = 0; b < 16; ++b) {
    const int hi = kHex[static_cast<unsigned char>(t[kPos[b]])];
    const int lo = kHex[static_cast<unsigned char>(t[kPos[b] + 1])];
    if ((hi | lo) < 0) return false;
    out[b] = static_cast<uint8_t>(hi << 4 | lo);
  }
  const int version = out[6] >> 4;
  return (out[8] & 0xc0) == 0x80 && version >= 1 && version <= 8;
}

bool split_identifier(std::string_view id, std::string_view& type, std::string_view& uuid) {
  if (id.size() < 39) return false;
  const size_t sep = id.size() - 38;
  if (id[sep] != '-' || id[sep + 1] != '-') return false;
  type = id.substr(0, sep);
  uuid = id.substr(sep + 2);
  return true;
}

bool is_language_tag(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0, index = 0;
  bool single_first = false;
  while (i <= s.size()) {
    size_t j = s.find('-', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view sub = s.substr(i, j - i);
    if (sub.empty() || sub.size() > 8) return false;
    for (char c : sub)
      if (!alnum(c)) return false;
    if (index == 0) {
      // language (2–8 letters), or the "x" (private use) / "i" (grandfathered) singleton.
      for (char c : sub)
        if (!alpha(c)) return false;
      if (sub.size() == 1) {
        if (sub != "x" && sub != "X" && sub != "i" && sub != "I") return false;
        single_first = true;
      }
    }
    ++index;
    i = j + 1;
  }
  return !single_first || index >= 2;
}

bool is_ipv4_cidr(std::string_view s) {
  std::string_view addr;
  if (!split_prefix(s, 32, addr)) return false;
  std::array<char, 16> buf;
  in_addr out;
  return to_cstr(addr, buf) && inet_pton(AF_INET, buf.data(), &out) == 1;
}

bool is_ipv6_cidr(std::string_view s) {
  std::string_view addr;
  if (!split_prefix(s, 128, addr)) return false;
  std::array<char, 64> buf;
  in6_addr out;
  return to_cstr(addr, buf) && inet_pton(AF_INET6, buf.data(), &out) == 1;
}

bool is_mac_address(std::string_view s) {
  if (s.size() != 17) return false;
  for (size_t i = 0; i < 17; ++i) {
    const char c = s[i];
    if (i % 3 == 2) {
      if (c != ':') return false;
    } else if (!digit(c) && !(c >= 'a' && c <= 'f')) {
      return false;
    }
  }
  return true;
}

bool is_domain_name(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);  // the root label
  if (s.empty() || s.size() > 253) return false;
  size_t label = 0;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    // Internationalised labels (RFC 5890 U-labels) are UTF-8; reject only what no label holds.
    if (u <= 0x20 || u == 0x7f || std::strchr("/\\:@?#[]<>\"'`,;|{}()%", c) != nullptr)
      return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

bool is_url(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !alpha(s[0])) return false;
  for (size_t i = 1; i < colon; ++i)
    if (!alnum(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.') return false;
  if (colon + 1 == s.size()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

bool is_email_address(std::string_view s) {
  const size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  for (char c : s)
    if (c == '<' || c == '>') return false;  // "Name <addr>" includes a display name
  return true;
}

bool is_cpe23(std::string_view s) {
  if (s.substr(0, 8) != "cpe:2.3:") return false;
  int parts = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // an escaped character, possibly ':'
    } else if (s[i] == ':') {
      ++parts;
    }
  }
  return parts == 13;
}

bool is_abbreviated_hive(std::string_view key) {
  static constexpr std::string_view kAbbreviations[] = {"HKLM", "HKCU", "HKCR", "HKU", "HKCC"};
  for (std::string_view a : kAbbreviations) {
    if (key.size() < a.size()) continue;
    bool same = true;
    for (size_t i = 0; i < a.size(); ++i) {
      char c = key[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (c != a[i]) same = false;
    }
    if (same && (key.size() == a.size() || key[a.size()] == '\\' || key[a.size()] == '/'))
      return true;
  }
  return false;
}

}  // namespace sw::stix::detail
