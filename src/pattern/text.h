// Text helpers for patterning: UTF-8 walking, the Unicode whitespace STIX patterns allow between
// tokens, the string-to-binary mapping of STIX 2.1 §9.2 (code points below U+0100 as octets), hex
// and base64 decoding, and NFC normalisation (§9.6.1: LIKE and MATCHES compare NFC text).
//
// Internal to the pattern module. Every function is thread-safe and allocates only into `out`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sw::pattern::text {

// Decodes the code point at s[i] and advances i. Returns false (i unchanged) on invalid UTF-8
// (overlong forms, surrogates and values above U+10FFFF are invalid).
bool next_code_point(std::string_view s, size_t& i, char32_t& cp);

// Offset of the first byte that is not valid UTF-8, or npos.
size_t invalid_utf8_offset(std::string_view s);

// Number of code points in s[0, offset) — columns are counted in code points.
size_t code_points_before(std::string_view s, size_t offset);

// Unicode White_Space (the whitespace between tokens STIX 2.1 §9.4 allows).
bool is_whitespace(char32_t cp);

// Maps each code point of `utf8` to one octet; false (out unspecified) when one is >= U+0100.
bool to_latin1(std::string_view utf8, std::string& out);

// Three-way comparison of raw octets with the octets of a string's code points (§9.6.4); nullopt
// when the string has a code point >= U+0100 and so has no binary form.
std::optional<int> compare_octets_with_string(std::string_view octets, std::string_view utf8);

// Hex digits (either case, even count) to octets.
bool decode_hex(std::string_view hex, std::string& out);

// RFC 4648 base64 with padding. With `skip_line_feeds`, CR and LF are ignored (§9.2 binary).
bool decode_base64(std::string_view b64, std::string& out, bool skip_line_feeds);

// True when `utf8` may not be in NFC: it has a code point >= U+0300 (everything below is NFC
// stable). Cheap enough to call on every string.
bool may_need_nfc(std::string_view utf8);

// NFC form of valid UTF-8 text. Returns false if ICU failed (out is then a copy of the input).
bool to_nfc(std::string_view utf8, std::string& out);

// `s` shortened to at most `max_code_points` code points for an error message ("…" appended).
std::string excerpt(std::string_view s, size_t max_code_points = 40);

}  // namespace sw::pattern::text
