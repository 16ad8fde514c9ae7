#include "index/logs/record_builder.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "pattern/ip.h"

namespace sw::index::logs {

void RecordBuilder::reset(uint64_t line, std::string_view text) {
  rec_ = Record{};
  rec_.line = line;
  rec_.text = text;
  scratch_.clear();
  items_.clear();
  unrecognised_ = 0;
  truncated_ = false;
}

RecordBuilder::RecordBuilder(size_t max_observables) : max_(max_observables) {
  // Room for an ordinary record's observables from the start.
  const size_t n = std::min<size_t>(max_, 64);
  items_.reserve(n);
  out_.reserve(n);
}

void RecordBuilder::add_composed(Kind kind, size_t begin, std::string_view field) {
  if (begin >= scratch_.size() || full()) {
    scratch_.resize(begin);
    return;
  }
  items_.push_back(
      {kind,
       Text{nullptr, static_cast<uint32_t>(begin), static_cast<uint32_t>(scratch_.size() - begin)},
       borrowed(field)});
}

void RecordBuilder::add_with_composed_field(Kind kind, std::string_view value, size_t field_begin) {
  if (value.empty() || full()) {
    scratch_.resize(field_begin);
    return;
  }
  items_.push_back({kind, borrowed(value),
                    Text{nullptr, static_cast<uint32_t>(field_begin),
                         static_cast<uint32_t>(scratch_.size() - field_begin)}});
}

void RecordBuilder::finish(Record& out, ReaderStats& stats) {
  out_.clear();
  for (const Item& it : items_) {
    const std::string_view v = view(it.value);
    bool dup = false;
    for (const LogObservable& o : out_) {
      if (o.kind == it.kind && o.value == v) {
        dup = true;
        break;
      }
    }
    if (!dup) out_.push_back({it.kind, v, view(it.field)});
  }
  out = rec_;
  out.observables = out_;
  stats.observables += out_.size();
  stats.unrecognised += unrecognised_;
  if (truncated_) ++stats.truncated;
}

// --- value checks --------------------------------------------------------------------------------

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

namespace {

// Dotted-quad IPv4 without a prefix, as pattern::parse_ip_net accepts it (no leading zeros); the
// common case (two or more per EVE line), checked without the general parser in one pass.
bool plain_ipv4(std::string_view s) {
  if (s.size() < 7 || s.size() > 15) return false;
  const char* p = s.data();
  const char* const e = p + s.size();
  for (int octet = 0;; ++octet) {
    if (p == e) return false;
    // Up to three digits; a fourth is caught below as neither '.' nor the end.
    const unsigned d0 = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (d0 > 9) return false;
    ++p;
    if (p < e) {
      const unsigned d1 = static_cast<unsigned char>(*p) - unsigned{'0'};
      if (d1 <= 9) {
        if (d0 == 0) return false;  // leading zero
        ++p;
        if (p < e) {
          const unsigned d2 = static_cast<unsigned char>(*p) - unsigned{'0'};
          if (d2 <= 9) {
            if (d0 * 100 + d1 * 10 + d2 > 255) return false;
            ++p;
          }
        }
      }
    }
    if (octet == 3) return p == e;
    if (p >= e || *p != '.') return false;
    ++p;
  }
}

// 1 for the bytes an address or CIDR block can hold: hex digits, ':', '.', '/'.
constexpr std::array<uint8_t, 256> kIpChars = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = 1;
  for (int c = 'a'; c <= 'f'; ++c) t[c] = 1;
  for (int c = 'A'; c <= 'F'; ++c) t[c] = 1;
  t[':'] = 1;
  t['.'] = 1;
  t['/'] = 1;
  return t;
}();

}  // namespace

std::optional<Kind> ip_kind(std::string_view s) {
  if (plain_ipv4(s)) return Kind::kIpv4;
  if (s.empty() || s.size() > 64) return std::nullopt;
  // A name (an HTTP host, a DNS answer) fails here at its first letter past 'f' rather than in
  // the general parser, which accepts nothing else.
  for (char c : s) {
    if (kIpChars[static_cast<unsigned char>(c)] == 0) return std::nullopt;
  }
  pattern::IpNet net;
  if (!pattern::parse_ip_net(s, net)) return std::nullopt;
  return net.v6 ? Kind::kIpv6 : Kind::kIpv4;
}

namespace {

// 1: a label character, 2: a digit (also 1).
constexpr std::array<uint8_t, 256> kLabelChars = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = 1;
  for (int c = '0'; c <= '9'; ++c) t[c] = 3;
  t['-'] = 1;
  t['_'] = 1;
  return t;
}();

}  // namespace

bool is_domain(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return false;
  const size_t n = s.size();
  size_t dots = 0, label_start = 0;
  for (size_t i = 0; i < n; ++i) {
    if (kLabelChars[static_cast<unsigned char>(s[i])] != 0) continue;
    if (s[i] != '.' || i == label_start || i - label_start > 63) return false;
    ++dots;
    label_start = i + 1;
  }
  if (dots == 0 || label_start >= n || n - label_start > 63) return false;
  // The last label must not be all digits.
  for (size_t i = label_start; i < n; ++i) {
    if ((kLabelChars[static_cast<unsigned char>(s[i])] & 2) == 0) return true;
  }
  return false;
}

bool is_hash(Kind kind, std::string_view s) {
  size_t want = 0;
  switch (kind) {
    case Kind::kMd5: want = 32; break;
    case Kind::kSha1: want = 40; break;
    case Kind::kSha256: want = 64; break;
    case Kind::kSha512: want = 128; break;
    default: return false;
  }
  if (s.size() != want) return false;
  for (char c : s) {
    if (!is_hex(c)) return false;
  }
  return true;
}

std::optional<std::string_view> email_address(std::string_view s) {
  if (const size_t lt = s.rfind('<'); lt != std::string_view::npos) {
    const size_t gt = s.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    s = s.substr(lt + 1, gt - lt - 1);
  }
  s = trim(s);
  const size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  for (char c : s.substr(0, at)) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',') {
      return std::nullopt;
    }
  }
  if (!is_domain(s.substr(at + 1))) return std::nullopt;
  return s;
}

std::optional<Kind> host_kind(std::string_view s, std::string_view& host) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '[') {  // [v6]:port
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = s.substr(1, close - 1);
    const auto k = ip_kind(host);
    return k == Kind::kIpv6 ? k : std::nullopt;
  }
  if (auto k = ip_kind(s)) {
    host = s;
    return k;
  }
  if (const size_t colon = s.rfind(':'); colon != std::string_view::npos) {
    for (size_t i = colon + 1; i < s.size(); ++i) {
      if (!is_digit(s[i])) return std::nullopt;
    }
    s = s.substr(0, colon);
    if (auto k = ip_kind(s); k == Kind::kIpv4) {
      host = s;
      return k;
    }
  }
  if (!is_domain(s)) return std::nullopt;
  host = s;
  return Kind::kDomain;
}

bool has_scheme(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && i < 32 &&
         (is_alpha(s[i]) || (i > 0 && (is_digit(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-')))) {
    ++i;
  }
  return i > 0 && s.substr(i, 3) == "://";
}

std::optional<Checked> check_value(Kind kind, std::string_view value) {
  switch (kind) {
    case Kind::kIpv4:
    case Kind::kIpv6:
      if (auto k = ip_kind(value)) return Checked{*k, value};
      return std::nullopt;
    case Kind::kDomain:
      if (is_domain(value)) return Checked{kind, value};
      return std::nullopt;
    case Kind::kEmail:
      if (auto a = email_address(value)) return Checked{kind, *a};
      return std::nullopt;
    case Kind::kUrl:
      if (has_scheme(value)) return Checked{kind, value};
      return std::nullopt;
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
      if (is_hash(kind, value)) return Checked{kind, value};
      return std::nullopt;
    case Kind::kOther:
      return Checked{kind, value};
  }
  return std::nullopt;
}

void add_checked(RecordBuilder& b, Kind kind, std::string_view value, std::string_view field) {
  if (value.empty()) return;
  if (auto c = check_value(kind, value)) {
    b.add(c->kind, c->value, field);
  } else {
    b.unrecognised();
  }
}

void add_host(RecordBuilder& b, std::string_view value, std::string_view field) {
  if (value.empty()) return;
  std::string_view host;
  if (auto k = host_kind(value, host)) {
    b.add(*k, host, field);
  } else {
    b.unrecognised();
  }
}

namespace {

// Adds http://host[:port]/path for the path `url`; `h` is `host` without its port, as host_kind()
// gave it.
void add_joined_url(RecordBuilder& b, std::string_view host, std::string_view h,
                    std::string_view url, int64_t port, std::string_view field) {
  host = trim(host);
  const size_t begin = b.begin();
  b.append("http://");
  const bool bare_v6 = host.front() != '[' && h.find(':') != std::string_view::npos;
  if (bare_v6) {
    b.append('[');
    b.append(h);
    b.append(']');
  } else {
    b.append(host);  // with its ":port" if it has one
  }
  if ((bare_v6 || h.size() == host.size()) && port > 0 && port != 80 && port <= 65535) {
    char digits[8];
    int n = 0;
    for (int64_t p = port; p > 0; p /= 10) digits[n++] = static_cast<char>('0' + p % 10);
    b.append(':');
    while (n > 0) b.append(digits[--n]);
  }
  b.append(url);
  b.add_composed(Kind::kUrl, begin, field);
}

}  // namespace

void add_url(RecordBuilder& b, std::string_view host, std::string_view url, int64_t port,
             std::string_view field) {
  if (url.empty()) return;
  if (has_scheme(url)) {
    b.add(Kind::kUrl, url, field);
    return;
  }
  std::string_view h;
  if (url.front() != '/' || host.empty() || !host_kind(host, h)) {
    b.unrecognised();
    return;
  }
  add_joined_url(b, host, h, url, port, field);
}

void add_host_and_url(RecordBuilder& b, std::string_view host, std::string_view host_field,
                      std::string_view url, int64_t port, std::string_view url_field) {
  std::string_view h;
  bool host_ok = false;
  if (!host.empty()) {
    if (auto k = host_kind(host, h)) {
      host_ok = true;
      b.add(*k, h, host_field);
    } else {
      b.unrecognised();
    }
  }
  if (url.empty()) return;
  if (has_scheme(url)) {
    b.add(Kind::kUrl, url, url_field);
    return;
  }
  if (url.front() != '/' || !host_ok) {
    b.unrecognised();
    return;
  }
  add_joined_url(b, host, h, url, port, url_field);
}

bool has_binary(std::string_view s) {
  // Eight bytes at a time: a byte below 0x20 sets its high bit in `lo` (exact for ASCII bytes;
  // a false alarm from a high byte or a tab only sends the word to the byte check).
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (((w - kOnes * 0x20) & ~w & kHigh) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) {
      const auto c = static_cast<unsigned char>(s[k]);
      if (c < 0x20 && c != '\t') return true;
    }
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t') return true;
  }
  return false;
}

SkipReason json_failure(std::string_view line) {
  if (has_binary(line)) return SkipReason::kBinary;
  if (!simdjson::validate_utf8(line.data(), line.size())) return SkipReason::kInvalidUtf8;
  return SkipReason::kInvalidJson;
}

}  // namespace sw::index::logs
