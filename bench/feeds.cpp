// Bench-only feed values (bench/feeds.h): reading the block lists, and the synthetic values that
// pad a data set past the real ones.
#include "feeds.h"

#include <arpa/inet.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <unordered_map>
#include <utility>

namespace fs = std::filesystem;

namespace sw::bench {

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kIpv4: return "ipv4";
    case Kind::kIpv4Port: return "ipv4-port";
    case Kind::kCidr4: return "cidr4";
    case Kind::kCidr6: return "cidr6";
    case Kind::kDomain: return "domain";
    case Kind::kUrl: return "url";
    case Kind::kMd5: return "md5";
    case Kind::kSha1: return "sha1";
    case Kind::kSha256: return "sha256";
  }
  return "?";
}

fs::path default_feeds_dir() {
  if (const char* d = std::getenv("SW_SHARED_DATA"); d && *d) return fs::path(d) / "feeds";
  return fs::path(SW_SHARED_DATA_DEFAULT) / "feeds";
}

namespace {

std::string real_key(Kind kind, std::string_view text) {
  std::string key(1, static_cast<char>(kind));
  key.append(text);
  return key;
}

}  // namespace

bool Corpus::is_real(Kind kind, std::string_view text) const {
  return real.count(real_key(kind, text)) != 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool parse_ipv4(std::string_view s, uint32_t& out) {
  if (s.size() > 15) return false;
  char buf[16];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  in_addr a{};
  if (inet_pton(AF_INET, buf, &a) != 1) return false;
  out = ntohl(a.s_addr);
  return true;
}

std::string ipv4_string(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  return buf;
}

namespace {

bool is_hex(std::string_view s, size_t len) {
  if (s.size() != len) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

bool valid_utf8_printable(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x21 || c == 0x7f) return false;
    if (c < 0x80) { ++i; continue; }
    const size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

class Loader {
 public:
  explicit Loader(Corpus& c) : c_(c) {}

  uint32_t add_source(Feed feed, std::string family, std::string detail) {
    c_.sources.push_back({feed, std::move(family), std::move(detail)});
    return static_cast<uint32_t>(c_.sources.size() - 1);
  }
  uint32_t add_reference(std::string_view ref) {
    auto [it, fresh] = refs_.try_emplace(std::string(ref), static_cast<uint32_t>(c_.references.size()));
    if (fresh) c_.references.emplace_back(ref);
    return it->second;
  }
  // Keeps the first occurrence of each (kind, value).
  void add(Kind kind, std::string_view text, uint32_t source, uint16_t extra = 0,
           uint32_t reference = UINT32_MAX) {
    if (text.empty() || !valid_utf8_printable(text)) return;
    if (!c_.real.insert(real_key(kind, text)).second) return;
    const uint32_t index = c_.per_kind[static_cast<int>(kind)]++;
    c_.values.push_back({std::string(text), source, reference, index, extra, kind});
  }

 private:
  Corpus& c_;
  std::unordered_map<std::string, uint32_t> refs_;
};

template <typename F>
void for_lines(const fs::path& file, F&& f) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) f(trim(line));
}

std::vector<fs::path> sorted_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void load_ipsum(Loader& l, const fs::path& feeds) {
  const uint32_t src = l.add_source(Feed::kIpsum, "ipsum", "");
  for_lines(feeds / "ipsum" / "ipsum.txt", [&](std::string_view line) {
    if (line.empty() || line[0] == '#') return;
    const size_t tab = line.find_first_of(" \t");
    const std::string_view ip = line.substr(0, tab);
    uint32_t v;
    if (!parse_ipv4(ip, v)) return;
    const int lists = tab == std::string_view::npos ? 1 : std::atoi(std::string(trim(line.substr(tab))).c_str());
    l.add(Kind::kIpv4, ip, src, static_cast<uint16_t>(std::clamp(lists, 1, 1000)));
  });
}

void load_ipverse(Loader& l, const fs::path& feeds) {
  for (const auto& f : sorted_files(feeds / "ipverse-country-ip-blocks" / "country")) {
    const std::string name = f.filename().string();
    const bool v6 = name == "ipv6-aggregated.txt";
    if (!v6 && name != "ipv4-aggregated.txt") continue;
    std::string cc = f.parent_path().filename().string();
    for (auto& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string country;
    std::vector<std::string> blocks;
    for_lines(f, [&](std::string_view line) {
      if (starts_with(line, "# Country:")) {
        country = std::string(trim(line.substr(10)));
        if (auto p = country.rfind(" ("); p != std::string::npos) country.resize(p);
      }
      if (line.empty() || line[0] == '#' || line.find('/') == std::string_view::npos) return;
      blocks.emplace_back(line);
    });
    if (blocks.empty()) continue;
    const uint32_t src = l.add_source(Feed::kIpverse, cc, country.empty() ? cc : country);
    for (const auto& b : blocks) l.add(v6 ? Kind::kCidr6 : Kind::kCidr4, b, src);
  }
}

void load_blocklistproject(Loader& l, const fs::path& feeds) {
  const fs::path dir = feeds / "blocklistproject";
  const uint32_t mal = l.add_source(Feed::kBlocklistMalware, "malware", "");
  for_lines(dir / "malware.ip", [&](std::string_view line) {
    uint32_t v;
    if (!line.empty() && line[0] != '#' && parse_ipv4(line, v)) l.add(Kind::kIpv4, line, mal);
  });
  const uint32_t phish = l.add_source(Feed::kBlocklistPhishing, "phishing", "");
  for (const auto& f : sorted_files(dir / "alt-version")) {
    for_lines(f, [&](std::string_view line) {
      if (line.empty() || line[0] == '#' || line.find('.') == std::string_view::npos) return;
      l.add(Kind::kDomain, line, phish);
    });
  }
}

void load_maltrail(Loader& l, const fs::path& feeds) {
  const fs::path dir = feeds / "maltrail" / "trails" / "static";
  for (const auto& f : sorted_files(dir)) {
    if (f.extension() != ".txt") continue;
    const std::string category = f.parent_path() == dir ? "static" : f.parent_path().filename().string();
    const std::string family = f.stem().string();
    std::string aliases;
    uint32_t ref = UINT32_MAX;
    uint32_t src = UINT32_MAX;
    for_lines(f, [&](std::string_view raw) {
      if (starts_with(raw, "# Aliases:")) {
        aliases = std::string(trim(raw.substr(10)));
        return;
      }
      if (starts_with(raw, "# Reference:")) {
        std::string_view r = trim(raw.substr(12));
        r = r.substr(0, r.find_first_of(" \t"));  // "URL (# 2025-08-26)"
        if (starts_with(r, "http")) ref = l.add_reference(r);
        return;
      }
      if (raw.empty() || raw[0] == '#') return;
      std::string_view line = raw;
      if (auto hash = line.find('#'); hash != std::string_view::npos) line = trim(line.substr(0, hash));
      if (line.empty() || line[0] == '/') return;  // path-only trails match any host
      if (src == UINT32_MAX) src = l.add_source(Feed::kMaltrail, family, category + "|" + aliases);
      uint32_t v;
      if (const auto colon = line.rfind(':');
          colon != std::string_view::npos && parse_ipv4(line.substr(0, colon), v)) {
        l.add(Kind::kIpv4Port, line, src, 0, ref);
      } else if (parse_ipv4(line, v)) {
        l.add(Kind::kIpv4, line, src, 0, ref);
      } else if (const auto slash = line.find('/'); slash != std::string_view::npos &&
                                                      parse_ipv4(line.substr(0, slash), v) &&
                                                      line.find_first_not_of("0123456789", slash + 1) ==
                                                          std::string_view::npos) {
        l.add(Kind::kCidr4, line, src, 0, ref);
      } else if (line.find('/') != std::string_view::npos || line.find("://") != std::string_view::npos) {
        if (line.find("://") == std::string_view::npos) {
          l.add(Kind::kUrl, "http://" + std::string(line), src, 0, ref);
        } else {
          l.add(Kind::kUrl, line, src, 0, ref);
        }
      } else if (line.find('.') != std::string_view::npos && line.find(':') == std::string_view::npos) {
        l.add(Kind::kDomain, line, src, 0, ref);
      }
    });
  }
}

void load_eset(Loader& l, const fs::path& feeds) {
  const fs::path dir = feeds / "eset-malware-ioc-hashes";
  std::unordered_map<std::string, uint32_t> by_family;
  for (const auto& f : sorted_files(dir)) {
    const std::string ext = f.extension().string();
    Kind kind;
    size_t len;
    if (ext == ".md5") kind = Kind::kMd5, len = 32;
    else if (ext == ".sha1") kind = Kind::kSha1, len = 40;
    else if (ext == ".sha256") kind = Kind::kSha256, len = 64;
    else continue;
    const std::string family = fs::relative(f.parent_path(), dir).generic_string();
    auto [it, fresh] = by_family.try_emplace(family, 0);
    if (fresh) it->second = l.add_source(Feed::kEset, family, "");
    for_lines(f, [&](std::string_view line) {
      if (!is_hex(line, len)) return;
      std::string lower(line);
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      l.add(kind, lower, it->second);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic values for cycle c >= 1. Each is distinct from every real value and from every other
// synthetic value:
//  - addresses: a bijection P of the 32-bit space applied to (c, position of the value among its
//    kind), so no two (c, value) pairs meet; the port of an ip:port pair is kept;
//  - CIDR blocks: the c-th more-specific block inside the real one (/p → /p+1 upper half, then
//    /p+2 third and fourth quarter, …), so blocks of different cycles differ in length or network;
//    host-like IPv4 blocks (mark_host_like_blocks) become addresses, drawn like the IPv4 ones;
//  - domains: a cycle-specific first label (cdn., mail., …, cdn1., …) in front of the real domain;
//  - URLs: a cycle-specific query parameter; hashes: hex digits drawn from (value, c).
// A candidate that happens to be a real value, or (addresses) falls in a private, loopback or
// multicast range, is replaced by the one of a cycle past the last this run uses (c + k·far).

constexpr std::string_view kLabels[] = {"cdn", "mail", "login", "secure", "app", "update", "api",
                                        "portal", "static", "account", "files", "auth"};

}  // namespace

uint32_t permute32(uint32_t x) {  // MurmurHash3's fmix32 after an odd multiply: a bijection
  x *= 0x9e3779b1u;
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return x;
}

bool public_ipv4(uint32_t ip) {
  const uint32_t a = ip >> 24, b = (ip >> 16) & 255;
  return !(a == 0 || a == 10 || a == 127 || a >= 224 || (a == 169 && b == 254) ||
           (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) || (a == 100 && b >= 64 && b < 128));
}

namespace {

std::string derive_once(const Corpus& corpus, const Value& v, uint64_t cycle) {
  const uint64_t k = mix64(cycle * 0x9e3779b97f4a7c15ull);
  const uint64_t per_kind = corpus.per_kind[static_cast<int>(v.kind)];
  const auto synthetic_ip = [&]() { return permute32(static_cast<uint32_t>(cycle * per_kind + v.kind_index)); };
  if (v.kind == Kind::kIpv4 || (v.kind == Kind::kCidr4 && v.extra)) {
    return ipv4_string(permute32(static_cast<uint32_t>(cycle * corpus.ipv4_space + v.kind_index)));
  }
  switch (v.kind) {
    case Kind::kIpv4: break;  // above
    case Kind::kIpv4Port: return ipv4_string(synthetic_ip()) + v.text.substr(v.text.rfind(':'));
    case Kind::kCidr4:
    case Kind::kCidr6: {
      const auto slash = v.text.find('/');
      const int len = std::atoi(v.text.c_str() + slash + 1);
      const int bits = std::bit_width(cycle);  // sub-block index `cycle` needs this many bits
      const int max = v.kind == Kind::kCidr4 ? 32 : 128;
      const int sub = len + bits;
      if (sub > max) {  // only past cycle 2^(32-len) of a block that is not host-like
        if (v.kind == Kind::kCidr6) return v.text;
        const uint32_t mask = len <= 0 ? 0 : len >= 32 ? ~0u : ~((1u << (32 - len)) - 1);
        return ipv4_string(synthetic_ip() & mask) + v.text.substr(slash);
      }
      in6_addr a{};
      uint8_t* bytes = a.s6_addr;
      const std::string net = v.text.substr(0, slash);
      if (v.kind == Kind::kCidr4) {
        uint32_t ip = 0;
        parse_ipv4(net, ip);
        for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(ip >> (24 - 8 * i));
      } else if (inet_pton(AF_INET6, net.c_str(), &a) != 1) {
        return v.text;
      }
      for (int b = 0; b < bits; ++b) {  // write `cycle` into bits [len, sub)
        const int bit = len + b;
        const auto mask = static_cast<uint8_t>(0x80 >> (bit % 8));
        if ((cycle >> (bits - 1 - b)) & 1) bytes[bit / 8] |= mask;
        else bytes[bit / 8] &= static_cast<uint8_t>(~mask);
      }
      std::string out;
      if (v.kind == Kind::kCidr4) {
        out = ipv4_string(uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | bytes[3]);
      } else {
        char buf[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &a, buf, sizeof buf);
        out = buf;
      }
      return out + "/" + std::to_string(sub);
    }
    case Kind::kDomain: {
      constexpr uint64_t n = std::size(kLabels);
      std::string label(kLabels[(cycle - 1) % n]);
      if (cycle > n) label += std::to_string((cycle - 1) / n);
      return label + "." + v.text;
    }
    case Kind::kUrl:
      return v.text + (v.text.find('?') == std::string::npos ? "?sid=" : "&sid=") + std::to_string(cycle);
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out(v.text.size(), '0');
      uint64_t h = fnv1a(v.text) ^ k;
      for (size_t i = 0; i < out.size(); ++i) {
        if (i % 16 == 0) h = mix64(h + i);
        out[i] = kHex[(h >> (4 * (i % 16))) & 15];
      }
      return out;
    }
  }
  return v.text;
}

// Host-like IPv4 blocks — those inside another real block (Maltrail's scanner /24s lie inside
// ipverse's allocations, so their sub-blocks could meet the outer block's) and those of 16
// addresses or fewer (too small to split for many cycles) — become host addresses in synthetic
// cycles, drawn from the same bijection as the IPv4 addresses (they get positions after them).
void mark_host_like_blocks(Corpus& corpus) {
  struct Span {
    uint64_t start, end;
    Value* v;
  };
  std::vector<Span> spans;
  for (Value& v : corpus.values) {
    if (v.kind != Kind::kCidr4) continue;
    const auto slash = v.text.find('/');
    uint32_t net = 0;
    if (!parse_ipv4(std::string_view(v.text).substr(0, slash), net)) continue;
    const int len = std::clamp(std::atoi(v.text.c_str() + slash + 1), 0, 32);
    const uint64_t size = uint64_t{1} << (32 - len);
    const uint64_t start = net & ~(size - 1);
    spans.push_back({start, start + size - 1, &v});
    if (len >= 28) v.extra = 1;
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  const Span* widest = nullptr;  // the span reaching furthest so far
  for (const Span& s : spans) {
    if (widest && s.start <= widest->end) s.v->extra = 1;  // aligned blocks nest or are apart
    if (!widest || s.end > widest->end) widest = &s;
  }
  corpus.ipv4_space = corpus.per_kind[static_cast<int>(Kind::kIpv4)];
  for (Value& v : corpus.values)
    if (v.kind == Kind::kCidr4 && v.extra) v.kind_index = corpus.ipv4_space++;
}

}  // namespace

// `far`: one more than the last cycle of this run.
std::string derive(const Corpus& corpus, const Value& v, uint64_t cycle, uint64_t far) {
  if (cycle == 0) return v.text;
  for (uint64_t attempt = 0;; ++attempt) {
    std::string out = derive_once(corpus, v, cycle + attempt * far);
    const bool host = v.kind == Kind::kCidr4 && v.extra;
    bool ok = !corpus.is_real(host ? Kind::kIpv4 : v.kind, out);
    if (ok && (v.kind == Kind::kIpv4 || v.kind == Kind::kIpv4Port || host)) {
      uint32_t ip = 0;
      parse_ipv4(std::string_view(out).substr(0, out.find(':')), ip);
      ok = public_ipv4(ip);
    }
    if (ok || attempt == 64) return out;
  }
}

void append_uuid4(std::string& out, Rng& rng) {
  uint64_t hi = rng.next(), lo = rng.next();
  hi = (hi & 0xffffffffffff0fffull) | 0x0000000000004000ull;  // version 4
  lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[36];
  int p = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) buf[p++] = '-';
    const uint8_t byte = static_cast<uint8_t>(i < 8 ? hi >> (56 - 8 * i) : lo >> (56 - 8 * (i - 8)));
    buf[p++] = kHex[byte >> 4];
    buf[p++] = kHex[byte & 15];
  }
  out.append(buf, 36);
}

void append_json_escaped(std::string& out, std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
}

std::string pattern_literal(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string indicator_pattern(Kind kind, std::string_view value) {
  const std::string lit = pattern_literal(value);
  switch (kind) {
    case Kind::kIpv4: return "[ipv4-addr:value = '" + lit + "']";
    case Kind::kCidr4: return "[ipv4-addr:value = '" + lit + "']";
    case Kind::kCidr6: return "[ipv6-addr:value = '" + lit + "']";
    case Kind::kDomain: return "[domain-name:value = '" + lit + "']";
    case Kind::kUrl: return "[url:value = '" + lit + "']";
    case Kind::kIpv4Port: {
      const auto colon = value.rfind(':');
      return "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '" +
             std::string(value.substr(0, colon)) + "' AND network-traffic:dst_port = " +
             std::string(value.substr(colon + 1)) + "]";
    }
    case Kind::kMd5: return "[file:hashes.MD5 = '" + lit + "']";
    case Kind::kSha1: return "[file:hashes.'SHA-1' = '" + lit + "']";
    case Kind::kSha256: return "[file:hashes.'SHA-256' = '" + lit + "']";
  }
  return {};
}

Corpus load_corpus(const fs::path& feeds) {
  Corpus corpus;
  {
    Loader l(corpus);
    load_ipsum(l, feeds);
    load_ipverse(l, feeds);
    load_blocklistproject(l, feeds);
    load_maltrail(l, feeds);
    load_eset(l, feeds);
  }
  mark_host_like_blocks(corpus);
  return corpus;
}

void shuffle_values(Corpus& corpus, uint64_t seed) {
  if (corpus.values.empty()) return;
  Rng shuffle(mix64(seed ^ 0x5eedf00dull));
  for (size_t i = corpus.values.size() - 1; i > 0; --i)
    std::swap(corpus.values[i], corpus.values[shuffle.below(i + 1)]);
}

}  // namespace sw::bench
