#include "index/warninglist.h"

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>
#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <system_error>

#include "pattern/ip.h"

namespace sw::index {

std::string_view warning_list_type_name(WarningListType type) {
  switch (type) {
    case WarningListType::kString: return "string";
    case WarningListType::kSubstring: return "substring";
    case WarningListType::kHostname: return "hostname";
    case WarningListType::kCidr: return "cidr";
    case WarningListType::kRegex: return "regex";
  }
  return "?";
}

namespace {

__extension__ typedef unsigned __int128 u128;

constexpr uint32_t bit(Kind k) { return 1u << static_cast<unsigned>(k); }
constexpr uint32_t kAllKinds = (1u << kKindCount) - 1;
constexpr uint32_t kIpKinds = bit(Kind::kIpv4) | bit(Kind::kIpv6);

// The kinds a MISP attribute type stands for.
uint32_t kinds_of_misp_type(std::string_view t) {
  struct Entry {
    std::string_view type;
    uint32_t kinds;
  };
  static constexpr Entry kTable[] = {
      {"ip-src", kIpKinds},
      {"ip-dst", kIpKinds},
      {"ip-src|port", kIpKinds},
      {"ip-dst|port", kIpKinds},
      {"ip", kIpKinds},
      {"domain|ip", kIpKinds | bit(Kind::kDomain)},
      {"domain", bit(Kind::kDomain)},
      {"hostname", bit(Kind::kDomain)},
      {"hostname|port", bit(Kind::kDomain)},
      {"url", bit(Kind::kUrl)},
      {"uri", bit(Kind::kUrl)},
      {"link", bit(Kind::kUrl)},
      {"email", bit(Kind::kEmail)},
      {"email-src", bit(Kind::kEmail)},
      {"email-dst", bit(Kind::kEmail)},
      {"email-reply-to", bit(Kind::kEmail)},
      {"target-email", bit(Kind::kEmail)},
      {"whois-registrant-email", bit(Kind::kEmail)},
      {"dns-soa-email", bit(Kind::kEmail)},
      {"md5", bit(Kind::kMd5)},
      {"filename|md5", bit(Kind::kMd5)},
      {"x509-fingerprint-md5", bit(Kind::kMd5)},
      {"sha1", bit(Kind::kSha1)},
      {"filename|sha1", bit(Kind::kSha1)},
      {"x509-fingerprint-sha1", bit(Kind::kSha1)},
      {"sha256", bit(Kind::kSha256)},
      {"filename|sha256", bit(Kind::kSha256)},
      {"x509-fingerprint-sha256", bit(Kind::kSha256)},
      {"sha512", bit(Kind::kSha512)},
      {"filename|sha512", bit(Kind::kSha512)},
  };
  for (const Entry& e : kTable) {
    if (e.type == t) return e.kinds;
  }
  return bit(Kind::kOther);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_char(c);
  return out;
}

// A lower-case copy without allocating for the usual short values.
class Lowered {
 public:
  explicit Lowered(std::string_view s) {
    char* dst = buf_;
    if (s.size() > sizeof(buf_)) {
      heap_.resize(s.size());
      dst = heap_.data();
    }
    for (size_t i = 0; i < s.size(); ++i) dst[i] = lower_char(s[i]);
    view_ = std::string_view(dst, s.size());
  }
  Lowered(const Lowered&) = delete;
  Lowered& operator=(const Lowered&) = delete;
  std::string_view view() const { return view_; }

 private:
  char buf_[256];
  std::string heap_;
  std::string_view view_;
};

// The host of a URL ("scheme://[user@]host[:port]/…"), without brackets; "" when there is none.
std::string_view url_host(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string_view() : rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.find(':'));
}

std::string_view email_domain(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

// The host a hostname/string list compares for a value of `kind` ("" when none).
std::string_view host_of(Kind kind, std::string_view value) {
  switch (kind) {
    case Kind::kDomain: return value;
    case Kind::kUrl: return url_host(value);
    case Kind::kEmail: return email_domain(value);
    default: return {};
  }
}

// Address blocks as closed ranges.
struct Range4 {
  uint32_t lo, hi;
};
struct Range6 {
  u128 lo, hi;
};

bool to_range(const pattern::IpNet& net, Range4& r4, Range6& r6) {
  if (!net.v6) {
    uint32_t a = 0;
    for (int i = 0; i < 4; ++i) a = (a << 8) | net.addr[i];
    const uint32_t mask = net.prefix == 0 ? 0 : ~uint32_t{0} << (32 - net.prefix);
    r4 = {a & mask, (a & mask) | ~mask};
    return false;
  }
  u128 a = 0;
  for (int i = 0; i < 16; ++i) a = (a << 8) | net.addr[i];
  const u128 mask = net.prefix == 0 ? u128{0} : ~u128{0} << (128 - net.prefix);
  r6 = {a & mask, (a & mask) | ~mask};
  return true;
}

template <class R>
void merge(std::vector<R>& v) {
  std::sort(v.begin(), v.end(), [](const R& a, const R& b) { return a.lo < b.lo; });
  size_t out = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    // Adjacent or overlapping (hi + 1 >= lo, without overflowing at the top of the space).
    if (out > 0 && (v[out - 1].hi >= v[i].lo || v[out - 1].hi + 1 == v[i].lo)) {
      v[out - 1].hi = std::max(v[out - 1].hi, v[i].hi);
    } else {
      v[out++] = v[i];
    }
  }
  v.resize(out);
  v.shrink_to_fit();
}

template <class R>
bool covers(const std::vector<R>& v, const R& q) {
  auto it = std::upper_bound(v.begin(), v.end(), q.lo,
                             [](const auto& lo, const R& r) { return lo < r.lo; });
  if (it == v.begin()) return false;
  --it;
  return q.hi <= it->hi;
}

struct CidrList {
  uint32_t list;
  std::vector<Range4> v4;
  std::vector<Range6> v6;
};

// Substring entries indexed by their first two bytes: a value is scanned once, trying at each
// position only the entries that start with the two bytes found there.
struct SubstringList {
  uint32_t list;
  std::vector<std::string> entries;                            // lower case
  absl::flat_hash_map<uint16_t, std::vector<uint32_t>> by_prefix;
  std::vector<uint32_t> one_byte;                              // entries of length 1

  bool found_in(std::string_view v) const {
    for (uint32_t e : one_byte) {
      if (v.find(entries[e][0]) != std::string_view::npos) return true;
    }
    for (size_t i = 0; i + 1 < v.size(); ++i) {
      const uint16_t key = static_cast<uint16_t>(static_cast<unsigned char>(v[i]) << 8 |
                                                 static_cast<unsigned char>(v[i + 1]));
      auto it = by_prefix.find(key);
      if (it == by_prefix.end()) continue;
      for (uint32_t e : it->second) {
        const std::string& s = entries[e];
        if (s.size() <= v.size() - i && std::memcmp(v.data() + i, s.data(), s.size()) == 0) {
          return true;
        }
      }
    }
    return false;
  }
};

struct RegexList {
  uint32_t list;
  std::vector<std::unique_ptr<RE2>> res;
};

// A regex entry as RE2 source: "/x/i" becomes "(?i)x"; a plain entry is used as it is. nullopt
// for flags RE2 has no equivalent of.
std::optional<std::string> regex_source(std::string_view entry) {
  if (entry.size() >= 2 && entry.front() == '/') {
    const size_t close = entry.rfind('/');
    if (close > 0) {
      std::string flags;
      for (char f : entry.substr(close + 1)) {
        if (f == 'i' || f == 'm' || f == 's') {
          flags.push_back(f);
        } else if (f != 'u') {
          return std::nullopt;
        }
      }
      std::string out = flags.empty() ? "" : "(?" + flags + ")";
      out.append(entry.substr(1, close - 1));
      return out;
    }
  }
  return std::string(entry);
}

using IdMap = absl::flat_hash_map<std::string, std::vector<uint32_t>>;

void add_id(IdMap& map, std::string key, uint32_t list) {
  auto& ids = map[std::move(key)];
  if (ids.empty() || ids.back() != list) ids.push_back(list);
}

void add_hits(const IdMap& map, std::string_view key, uint32_t kind_bit,
              const std::vector<WarningListInfo>& lists, std::vector<uint32_t>& out) {
  // Debian's Abseil has its own string_view; the map's transparent hash takes that one.
  auto it = map.find(absl::string_view(key.data(), key.size()));
  if (it == map.end()) return;
  for (uint32_t id : it->second) {
    if (lists[id].kinds & kind_bit) out.push_back(id);
  }
}

}  // namespace

struct WarningLists::Impl {
  std::vector<WarningListInfo> lists;
  std::vector<core::Error> skipped;
  IdMap exact;      // string lists: lower-case entry → lists
  IdMap hostnames;  // hostname lists: lower-case name without leading/trailing dots → lists
  std::vector<CidrList> cidrs;
  std::vector<SubstringList> substrings;
  std::vector<RegexList> regexes;
};

WarningLists::WarningLists() : impl_(std::make_unique<Impl>()) {}
WarningLists::~WarningLists() = default;
WarningLists::WarningLists(WarningLists&&) noexcept = default;
WarningLists& WarningLists::operator=(WarningLists&&) noexcept = default;

const std::vector<WarningListInfo>& WarningLists::lists() const { return impl_->lists; }
const std::vector<core::Error>& WarningLists::skipped() const { return impl_->skipped; }

core::Status WarningLists::add_json(std::string_view json, std::string id, std::string where) {
  namespace dom = simdjson::dom;
  const auto bad = [&](std::string msg) { return core::Error::invalid(std::move(msg), where); };
  dom::parser parser;
  dom::element doc;
  if (auto e = parser.parse(json.data(), json.size()).get(doc)) {
    return bad(std::string("not valid JSON: ") + simdjson::error_message(e));
  }
  dom::object obj;
  if (doc.get_object().get(obj)) return bad("not a JSON object");

  WarningListInfo info;
  info.id = std::move(id);
  info.source = where;
  std::string_view s;
  if (obj["name"].get_string().get(s)) return bad("\"name\" is missing or not a string");
  info.name = s;
  if (obj["description"].get_string().get(s) == simdjson::SUCCESS) info.description = s;
  if (dom::element v; obj["version"].get(v) == simdjson::SUCCESS) {
    int64_t n = 0;
    if (v.get_int64().get(n) == simdjson::SUCCESS) {
      info.version = n;
    } else if (v.get_string().get(s) == simdjson::SUCCESS) {
      info.version = std::strtoll(std::string(s).c_str(), nullptr, 10);
    } else {
      return bad("\"version\" is not a number");
    }
  }
  if (obj["type"].get_string().get(s)) return bad("\"type\" is missing or not a string");
  bool known = false;
  for (WarningListType t : {WarningListType::kString, WarningListType::kSubstring,
                            WarningListType::kHostname, WarningListType::kCidr,
                            WarningListType::kRegex}) {
    if (warning_list_type_name(t) == s) {
      info.type = t;
      known = true;
    }
  }
  if (!known) {
    return bad("\"type\" is \"" + std::string(s) +
               "\", expected string, substring, hostname, cidr or regex");
  }
  info.kinds = 0;
  if (dom::element m; obj["matching_attributes"].get(m) == simdjson::SUCCESS) {
    dom::array arr;
    if (m.get_array().get(arr)) return bad("\"matching_attributes\" is not a list");
    for (dom::element a : arr) {
      if (a.get_string().get(s)) return bad("\"matching_attributes\" holds a non-string");
      info.matching_attributes.emplace_back(s);
      info.kinds |= kinds_of_misp_type(s);
    }
  }
  if (info.kinds == 0) info.kinds = kAllKinds;
  if (info.type == WarningListType::kCidr) info.kinds &= kIpKinds;
  dom::array entries;
  if (obj["list"].get_array().get(entries)) return bad("\"list\" is missing or not a list");

  // Everything is checked: from here on the list is added.
  const auto list = static_cast<uint32_t>(impl_->lists.size());
  Impl& im = *impl_;
  CidrList cidr{list, {}, {}};
  SubstringList sub;
  sub.list = list;
  RegexList rx{list, {}};
  for (dom::element e : entries) {
    std::string_view text;
    if (e.get_string().get(text)) {
      ++info.rejected;
      continue;
    }
    text = trim(text);
    if (text.empty()) {
      ++info.rejected;
      continue;
    }
    switch (info.type) {
      case WarningListType::kString:
        add_id(im.exact, lower(text), list);
        break;
      case WarningListType::kHostname: {
        while (!text.empty() && (text.front() == '.' || text.front() == '*')) text.remove_prefix(1);
        while (!text.empty() && text.back() == '.') text.remove_suffix(1);
        if (text.empty()) {
          ++info.rejected;
          continue;
        }
        add_id(im.hostnames, lower(text), list);
        break;
      }
      case WarningListType::kSubstring: {
        const auto idx = static_cast<uint32_t>(sub.entries.size());
        sub.entries.push_back(lower(text));
        const std::string& l = sub.entries.back();
        if (l.size() == 1) {
          sub.one_byte.push_back(idx);
        } else {
          sub.by_prefix[static_cast<uint16_t>(static_cast<unsigned char>(l[0]) << 8 |
                                              static_cast<unsigned char>(l[1]))]
              .push_back(idx);
        }
        break;
      }
      case WarningListType::kCidr: {
        pattern::IpNet net;
        if (!pattern::parse_ip_net(text, net)) {
          ++info.rejected;
          continue;
        }
        Range4 r4{};
        Range6 r6{};
        if (to_range(net, r4, r6)) {
          cidr.v6.push_back(r6);
        } else {
          cidr.v4.push_back(r4);
        }
        break;
      }
      case WarningListType::kRegex: {
        const auto src = regex_source(text);
        if (!src) {
          ++info.rejected;
          continue;
        }
        RE2::Options opt;
        opt.set_log_errors(false);
        auto re = std::make_unique<RE2>(*src, opt);
        if (!re->ok()) {
          ++info.rejected;
          continue;
        }
        rx.res.push_back(std::move(re));
        break;
      }
    }
    ++info.entries;
  }
  switch (info.type) {
    case WarningListType::kCidr:
      merge(cidr.v4);
      merge(cidr.v6);
      im.cidrs.push_back(std::move(cidr));
      break;
    case WarningListType::kSubstring: im.substrings.push_back(std::move(sub)); break;
    case WarningListType::kRegex: im.regexes.push_back(std::move(rx)); break;
    default: break;
  }
  im.lists.push_back(std::move(info));
  return core::ok_status();
}

core::Status WarningLists::load_file(const std::filesystem::path& file, std::string id) {
  if (id.empty()) {
    id = file.filename() == "list.json" && file.has_parent_path()
             ? file.parent_path().filename().string()
             : file.stem().string();
  }
  simdjson::padded_string text;
  if (auto e = simdjson::padded_string::load(file.string()).get(text)) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(file, ec);
    return exists ? core::Error::io(std::string("cannot read: ") + simdjson::error_message(e),
                                    file.string())
                  : core::Error::not_found("no such file", file.string());
  }
  return add_json(std::string_view(text), std::move(id), file.string());
}

core::Result<WarningLists> WarningLists::load_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return core::Error::not_found("not a directory", dir.string());
  }
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(
           dir, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto& p = it->path();
    if (p.filename() == "list.json" || (it.depth() == 0 && p.extension() == ".json")) {
      files.push_back(p);
    }
  }
  if (ec) return core::Error::io("cannot list: " + ec.message(), dir.string());
  std::sort(files.begin(), files.end());
  WarningLists out;
  for (const auto& f : files) {
    if (auto st = out.load_file(f); !st.ok()) out.impl_->skipped.push_back(std::move(st).error());
  }
  return out;
}

std::vector<uint32_t> WarningLists::check(Kind kind, std::string_view value) const {
  std::vector<uint32_t> out;
  check(kind, value, out);
  return out;
}

void WarningLists::check(Kind kind, std::string_view value, std::vector<uint32_t>& out) const {
  out.clear();
  const Impl& im = *impl_;
  const uint32_t kb = bit(kind);
  value = trim(value);
  if (value.empty()) return;

  if (kind == Kind::kIpv4 || kind == Kind::kIpv6) {
    pattern::IpNet net;
    if (pattern::parse_ip_net(value, net)) {
      Range4 r4{};
      Range6 r6{};
      const bool v6 = to_range(net, r4, r6);
      for (const CidrList& c : im.cidrs) {
        if (!(im.lists[c.list].kinds & kb)) continue;
        if (v6 ? covers(c.v6, r6) : covers(c.v4, r4)) out.push_back(c.list);
      }
    }
  }

  const Lowered low(value);
  // The host part (the domain itself, a URL's host, an e-mail's domain), without a final dot.
  std::string_view host = host_of(kind, low.view());
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (!im.exact.empty()) {
    add_hits(im.exact, kind == Kind::kDomain ? host : low.view(), kb, im.lists, out);
    if (kind != Kind::kDomain && !host.empty()) add_hits(im.exact, host, kb, im.lists, out);
  }
  if (!im.hostnames.empty()) {
    while (!host.empty()) {
      add_hits(im.hostnames, host, kb, im.lists, out);
      const size_t dot = host.find('.');
      if (dot == std::string_view::npos) break;
      host.remove_prefix(dot + 1);
    }
  }
  for (const SubstringList& s : im.substrings) {
    if ((im.lists[s.list].kinds & kb) && s.found_in(low.view())) out.push_back(s.list);
  }
  for (const RegexList& r : im.regexes) {
    if (!(im.lists[r.list].kinds & kb)) continue;
    for (const auto& re : r.res) {
      if (RE2::PartialMatch(value, *re)) {
        out.push_back(r.list);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace sw::index
