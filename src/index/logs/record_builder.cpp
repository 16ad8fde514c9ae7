#include "index/logs/record_builder.h"

#include <simdjson.h>

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

bool RecordBuilder::full() {
  if (items_.size() < max_) return false;
  truncated_ = true;
  return true;
}

void RecordBuilder::add(Kind kind, std::string_view value, std::string_view field) {
  if (value.empty() || full()) return;
  items_.push_back({kind, borrowed(value), borrowed(field)});
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
// common case, checked without the general parser.
bool plain_ipv4(std::string_view s) {
  if (s.size() < 7 || s.size() > 15) return false;
  int octets = 0;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    unsigned v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
    }
    const size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    if (++octets == 4) return i == s.size();
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
  }
  return false;
}

}  // namespace

std::optional<Kind> ip_kind(std::string_view s) {
  if (plain_ipv4(s)) return Kind::kIpv4;
  if (s.empty() || s.size() > 64) return std::nullopt;
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
  size_t dots = 0, label_start = 0;
  bool last_numeric = true;
  for (size_t i = 0; i < s.size(); ++i) {
    const uint8_t t = kLabelChars[static_cast<unsigned char>(s[i])];
    if (t != 0) {
      last_numeric &= (t & 2) != 0;
      continue;
    }
    if (s[i] != '.' || i == label_start || i - label_start > 63) return false;
    ++dots;
    label_start = i + 1;
    last_numeric = true;
  }
  return dots >= 1 && label_start < s.size() && s.size() - label_start <= 63 && !last_numeric;
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
