#include "pattern/text.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

#include "core/hex.h"

namespace sw::pattern::text {

bool next_code_point(std::string_view s, size_t& i, char32_t& cp) {
  if (i >= s.size()) return false;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  }
  size_t n;
  char32_t v;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, v = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, v = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, v = b0 & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (i + n > s.size()) return false;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    v = (v << 6) | (b & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
  cp = v;
  i += n;
  return true;
}

size_t invalid_utf8_offset(std::string_view s) {
  size_t i = 0;
  char32_t cp;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    if (!next_code_point(s, i, cp)) return i;
  }
  return std::string_view::npos;
}

size_t code_points_before(std::string_view s, size_t offset) {
  size_t n = 0;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_whitespace(char32_t cp) {
  if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
  if (cp < 0x85) return false;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool to_latin1(std::string_view utf8, std::string& out) {
  out.clear();
  out.reserve(utf8.size());
  size_t i = 0;
  char32_t cp;
  while (i < utf8.size()) {
    if (!next_code_point(utf8, i, cp) || cp > 0xFF) return false;
    out.push_back(static_cast<char>(cp));
  }
  return true;
}

std::optional<int> compare_octets_with_string(std::string_view octets, std::string_view utf8) {
  size_t i = 0, k = 0;
  char32_t cp;
  int result = 0;
  while (i < utf8.size()) {
    if (!next_code_point(utf8, i, cp) || cp > 0xFF) return std::nullopt;
    if (result != 0) continue;  // keep scanning: a later code point may make it incomparable
    if (k == octets.size()) {
      result = -1;  // octets is a proper prefix
      continue;
    }
    const auto o = static_cast<unsigned char>(octets[k++]);
    if (o != cp) result = o < cp ? -1 : 1;
  }
  if (result == 0 && k < octets.size()) result = 1;
  return result;
}

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool decode_hex(std::string_view hex, std::string& out) {
  out.clear();
  if (hex.size() % 2 != 0) return false;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = core::hex_value(hex[i]), lo = core::hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return true;
}

bool decode_base64(std::string_view b64, std::string& out, bool skip_line_feeds) {
  out.clear();
  out.reserve(b64.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t chars = 0;  // base64 alphabet characters and '=' seen
  size_t padding = 0;
  for (char c : b64) {
    if (skip_line_feeds && (c == '\n' || c == '\r')) continue;
    ++chars;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding != 0) return false;  // data after padding
    const int v = base64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (chars % 4 != 0 || padding > 2) return false;
  if (padding == 1 && bits != 2) return false;
  if (padding == 2 && bits != 4) return false;
  if (padding == 0 && bits != 0) return false;
  // Canonical form: the unused low bits of the last character are zero.
  if (bits != 0 && (acc & ((1u << bits) - 1)) != 0) return false;
  return true;
}

bool may_need_nfc(std::string_view utf8) {
  for (char c : utf8) {
    if (static_cast<unsigned char>(c) >= 0xCC) return true;  // lead byte of U+0300 and above
  }
  return false;
}

bool to_nfc(std::string_view utf8, std::string& out) {
  out.clear();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) {
    out.assign(utf8);
    return false;
  }
  icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
    out.assign(utf8);
    return true;
  }
  status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) {
    out.assign(utf8);
    return false;
  }
  return true;
}

std::string excerpt(std::string_view s, size_t max_code_points) {
  size_t i = 0, n = 0;
  char32_t cp;
  while (i < s.size() && n < max_code_points) {
    if (!next_code_point(s, i, cp)) break;
    ++n;
  }
  if (i >= s.size()) return std::string(s);
  std::string out(s.substr(0, i));
  out += "\xE2\x80\xA6";  // …
  return out;
}

}  // namespace sw::pattern::text
