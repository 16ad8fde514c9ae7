#include "core/json.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace sw::core {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

namespace {

// UTF-16 code-unit order of two UTF-8 strings (RFC 8785 §3.2.3).
std::u16string utf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int n;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1f; n = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0f; n = 3; }
    else { cp = c & 0x07; n = 4; }
    for (int k = 1; k < n && i + static_cast<size_t>(k) < s.size(); ++k)
      cp = cp << 6 | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3f);
    i += static_cast<size_t>(n);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// ECMAScript Number.prototype.toString for finite doubles (RFC 8785 §3.2.2.3).
void append_es_number(std::string& out, double d) {
  if (d == 0) { out += '0'; return; }
  char buf[64];
  // Shortest round-trip digits and exponent.
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  auto e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  std::string digits;
  for (char c : mant) if (c != '.') digits.push_back(c);
  const int k = static_cast<int>(digits.size());
  const int n = exp + 1;  // position of decimal point
  if (neg) out += '-';
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n));
    out += '.';
    out += digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) { out += '.'; out += digits.substr(1); }
    out += 'e';
    out += (n - 1 >= 0) ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

void canon(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: append_es_number(out, static_cast<double>(v.get_int64())); break;
    case boost::json::kind::uint64: append_es_number(out, static_cast<double>(v.get_uint64())); break;
    case boost::json::kind::double_: append_es_number(out, v.get_double()); break;
    case boost::json::kind::string: append_json_string(out, v.get_string()); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        canon(out, e);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: {
      const auto& o = v.get_object();
      std::vector<std::pair<std::u16string, const boost::json::key_value_pair*>> keys;
      keys.reserve(o.size());
      for (const auto& kv : o) keys.emplace_back(utf16(kv.key()), &kv);
      std::sort(keys.begin(), keys.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [k, kv] : keys) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, kv->key());
        out += ':';
        canon(out, kv->value());
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string canonical_json(const boost::json::value& v) {
  std::string out;
  canon(out, v);
  return out;
}

Result<boost::json::value> parse_json(std::string_view text, std::string_view where) {
  boost::json::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::json::stream_parser p({}, opts);
  size_t n = p.write_some(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < std::min(n, text.size()); ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    std::string place = std::string(where) + (where.empty() ? "" : ":") + std::to_string(line) +
                        ":" + std::to_string(col);
    return Error::invalid("malformed JSON: " + ec.message(), place);
  }
  return p.release();
}

}  // namespace sw::core
