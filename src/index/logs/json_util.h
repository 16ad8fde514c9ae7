// Internal to the log readers: small helpers over simdjson On-Demand shared by the JSON formats.
// Header-only so they inline into each reader's field loop.
#pragma once

#include <simdjson.h>

#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "index/logs/record_builder.h"

namespace sw::index::logs::json {

namespace od = simdjson::ondemand;

// The first '"' or '\\' in [p, end), or nullptr. Reads up to 15 bytes past `end`: only for text
// inside a line, which the line source follows with kLinePadding (>= 16) readable bytes.
inline const char* quote_or_backslash(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; p < end; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
    if (mask != 0) {
      const char* hit = p + __builtin_ctz(mask);
      return hit < end ? hit : nullptr;
    }
  }
  return nullptr;
#else
  for (; p < end; ++p) {
    if (*p == '"' || *p == '\\') return p;
  }
  return nullptr;
#endif
}

// The key of `field` as written, without unescaping: known keys have no escapes, so a key that
// has one is returned as "" and matches none. `end` is the end of the line.
inline std::string_view raw_key(od::field& field, const char* end) {
  const char* p = field.key().raw();
  if (p == nullptr || p >= end) return {};
  const char* q = quote_or_backslash(p, end);
  if (q == nullptr || *q != '"') return {};
  return {p, static_cast<size_t>(q - p)};
}

// The value as a string, or "" when it is not one (or not valid). A string without escapes is
// returned as it stands in the line (no copy into the parser's buffer); the value is then left
// unconsumed, which On-Demand skips like a consumed one.
inline std::string_view str(od::value v) {
  const std::string_view tok = v.raw_json_token();
  if (tok.empty() || tok.front() != '"') return {};
  const char* p = tok.data() + 1;
  const char* q = quote_or_backslash(p, tok.data() + tok.size());
  if (q != nullptr && *q == '"') return {p, static_cast<size_t>(q - p)};
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

// The value as an unsigned integer, or -1.
inline int64_t uint(od::value v) {
  uint64_t n = 0;
  if (v.get_uint64().get(n) != simdjson::SUCCESS || n > 0x7fffffff) return -1;
  return static_cast<int64_t>(n);
}

// The text of a number or string value as written (numbers) or unescaped (strings).
inline std::string_view scalar_text(od::value v) {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return {};
  if (t == od::json_type::string) return str(v);
  if (t != od::json_type::number) return {};
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                          raw.back() == '\r')) {
    raw.remove_suffix(1);
  }
  return raw;
}

// Calls fn(string) for a string value, or for each string of an array value.
template <class Fn>
simdjson::error_code each_string(od::value v, Fn&& fn) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    fn(s);
    return simdjson::SUCCESS;
  }
  if (t != od::json_type::array) return simdjson::SUCCESS;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (auto er : arr) {
    od::value item;
    if (auto e = std::move(er).get(item)) return e;
    od::json_type it;
    if (auto e = item.type().get(it)) return e;
    if (it != od::json_type::string) continue;
    std::string_view s;
    if (auto e = item.get_string().get(s)) return e;
    fn(s);
  }
  return simdjson::SUCCESS;
}

// Iterates the fields of an object value: fn(key, value) with the raw key; errors propagate.
template <class Fn>
simdjson::error_code each_field(od::value v, const char* end, Fn&& fn) {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  for (auto fr : obj) {
    od::field f;
    if (auto e = std::move(fr).get(f)) return e;
    const std::string_view key = raw_key(f, end);
    if (auto e = fn(key, f.value())) return e;
  }
  return simdjson::SUCCESS;
}

// Iterates the objects of an array value (other elements are skipped).
template <class Fn>
simdjson::error_code each_object(od::value v, Fn&& fn) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t != od::json_type::array) return simdjson::SUCCESS;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (auto er : arr) {
    od::value item;
    if (auto e = std::move(er).get(item)) return e;
    od::json_type it;
    if (auto e = item.type().get(it)) return e;
    if (it != od::json_type::object) continue;
    if (auto e = fn(item)) return e;
  }
  return simdjson::SUCCESS;
}

// The outcome for a simdjson error while reading `line`.
inline Outcome failure(simdjson::error_code e, std::string_view line) {
  const SkipReason r = json_failure(line);
  if (r == SkipReason::kBinary) return Outcome::skip(r, "control bytes in the line");
  if (r == SkipReason::kInvalidUtf8) return Outcome::skip(r, "invalid UTF-8");
  return Outcome::skip(SkipReason::kInvalidJson, simdjson::error_message(e));
}

// Starts a document over `line` (padded by the line source) and gets its top-level object.
inline simdjson::error_code start(od::parser& parser, std::string_view line, od::document& doc,
                                  od::object& obj, bool& not_object) {
  not_object = false;
  if (auto e = parser.iterate(line.data(), line.size(), line.size() + simdjson::SIMDJSON_PADDING)
                   .get(doc)) {
    return e;
  }
  od::json_type t;
  if (auto e = doc.type().get(t)) return e;
  if (t != od::json_type::object) {
    not_object = true;
    return simdjson::INCORRECT_TYPE;
  }
  return doc.get_object().get(obj);
}

// Checks nothing but blanks follow the top-level object (once it has been iterated).
inline bool at_end(od::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

}  // namespace sw::index::logs::json
