// sw-gen-bundle: writes a STIX 2.1 bundle of N indicators built from the real block lists under
// $SW_SHARED_DATA/feeds, for the benchmarks (bench/run-foundation) and for trying the importer on
// realistic volumes.
//
//   sw-gen-bundle --count N --out FILE [--gzip] [--seed S] [--feeds DIR]
//
// The bundle holds one identity per feed (the producers the indicators' created_by_ref names),
// then N indicators, one per line. Each indicator carries one real value from the feeds — IPv4
// addresses (IPsum, Block List Project), ip:port pairs, domains and URLs (Maltrail, Block List
// Project phishing), country CIDR blocks v4/v6 (ipverse), MD5/SHA-1/SHA-256 sample hashes (ESET) —
// with the pattern, name, description, references and TLP 2.0 marking such a feed would carry
// (about 500–700 bytes each). The values are taken in a seeded shuffle of all distinct real values;
// past the end of the list the cycle starts again with synthetic values derived from the real ones
// (see derive(): another public address, a more-specific block, a sub-domain, a query parameter,
// other hex digits of the same length), distinct from every real value and from each other, so
// every indicator has a value of its own.
//
// Output is streamed (memory is bounded by the feed values, ~150 MB, not by N) and deterministic:
// the same seed and feeds give the same bytes, and a shorter run is a prefix of a longer one.
#include <arpa/inet.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

uint64_t mix64(uint64_t z) {  // splitmix64's finaliser: a bijection on 64-bit values
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() { return mix64(s_ += 0x9e3779b97f4a7c15ull); }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }

 private:
  uint64_t s_;
};

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
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

// ---------------------------------------------------------------------------------------------
// Timestamps: RFC 3339, UTC, millisecond precision.

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kStartMs = 1'704'067'200'000;  // 2024-01-01T00:00:00.000Z
constexpr int64_t kSpanMs = 943 * kDayMs;         // up to 2026-08-01

void append_timestamp(std::string& out, int64_t ms) {
  int64_t days = ms / kDayMs, rem = ms % kDayMs;
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = days / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", int(y), int(m),
                              int(d), int(rem / 3'600'000), int(rem / 60'000 % 60),
                              int(rem / 1000 % 60), int(rem % 1000));
  out.append(buf, static_cast<size_t>(n));
}

// ---------------------------------------------------------------------------------------------
// Escaping

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

// A STIX pattern string literal's content: ' and \ take a backslash (STIX 2.1 patterning §9.3).
std::string pattern_literal(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Feed values

enum class Kind : uint8_t { kIpv4, kIpv4Port, kCidr4, kCidr6, kDomain, kUrl, kMd5, kSha1, kSha256 };

enum class Feed : uint8_t { kIpsum, kIpverse, kBlocklistMalware, kBlocklistPhishing, kMaltrail, kEset };
constexpr int kFeeds = 6;

struct FeedInfo {
  const char* producer;  // identity name
  const char* source_name;
  const char* url;
};
constexpr FeedInfo kFeedInfo[kFeeds] = {
    {"IPsum", "ipsum", "https://github.com/stamparm/ipsum"},
    {"ipverse", "ipverse-country-ip-blocks", "https://github.com/ipverse/country-ip-blocks"},
    {"The Block List Project", "blocklistproject", "https://github.com/blocklistproject/Lists"},
    {"The Block List Project", "blocklistproject", "https://github.com/blocklistproject/Lists"},
    {"Maltrail", "maltrail", "https://github.com/stamparm/maltrail"},
    {"ESET Research", "eset-malware-ioc", "https://github.com/eset/malware-ioc"},
};

// Where a group of values came from: one feed file or directory (a Maltrail trail file, an ESET
// campaign, a country).
struct Source {
  Feed feed;
  std::string family;   // Maltrail trail / ESET campaign / country code
  std::string detail;   // Maltrail category and aliases / country name
};

struct Value {
  std::string text;
  uint32_t source = 0;
  uint32_t reference = UINT32_MAX;  // index into references (Maltrail "# Reference:" lines)
  uint32_t kind_index = 0;          // position among the values of its kind
  uint16_t extra = 0;               // IPsum: number of block lists; IPv4 CIDR: 1 if host-like (below)
  Kind kind = Kind::kIpv4;
};

constexpr int kKinds = 9;

std::string real_key(Kind kind, std::string_view text) {
  std::string key(1, static_cast<char>(kind));
  key.append(text);
  return key;
}

struct Corpus {
  std::vector<Source> sources;
  std::vector<std::string> references;
  std::vector<Value> values;
  std::unordered_set<std::string> real;  // real_key() of every value, to keep synthetic ones apart
  uint32_t per_kind[kKinds] = {};
  uint32_t ipv4_space = 0;  // IPv4 addresses plus host-like IPv4 blocks (mark_host_like_blocks)

  bool is_real(Kind kind, std::string_view text) const { return real.count(real_key(kind, text)) != 0; }
};

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

// No run gets near this many cycles (it would be ~3 billion objects); fixed so that a shorter run
// stays a prefix of a longer one.
constexpr uint64_t kFarCycle = 4096;

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

// ---------------------------------------------------------------------------------------------
// Output

class Sink {
 public:
  ~Sink() { close(); }
  bool open(const std::string& path, bool gzip) {
    path_ = path;
    if (gzip) {
      gz_ = path == "-" ? gzdopen(dup(fileno(stdout)), "wb6") : gzopen(path.c_str(), "wb6");
      if (!gz_) return false;
      gzbuffer(gz_, 1 << 20);
    } else {
      f_ = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
      if (!f_) return false;
    }
    buf_.reserve(kChunk + (64 << 10));
    return true;
  }
  std::string& buffer() { return buf_; }
  bool maybe_flush() { return buf_.size() < kChunk || flush(); }
  bool flush() {
    if (buf_.empty()) return ok_;
    if (gz_) {
      ok_ = ok_ && gzwrite(gz_, buf_.data(), static_cast<unsigned>(buf_.size())) == int(buf_.size());
    } else {
      ok_ = ok_ && std::fwrite(buf_.data(), 1, buf_.size(), f_) == buf_.size();
    }
    written_ += buf_.size();
    buf_.clear();
    return ok_;
  }
  bool close() {
    flush();
    if (gz_) {
      ok_ = gzclose(gz_) == Z_OK && ok_;
      gz_ = nullptr;
    }
    if (f_) {
      ok_ = (f_ == stdout ? std::fflush(f_) : std::fclose(f_)) == 0 && ok_;
      f_ = nullptr;
    }
    return ok_;
  }
  uint64_t written() const { return written_; }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::string path_, buf_;
  FILE* f_ = nullptr;
  gzFile gz_ = nullptr;
  bool ok_ = true;
  uint64_t written_ = 0;
};

constexpr std::string_view kTlpClear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
constexpr std::string_view kTlpGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
constexpr std::string_view kTlpAmber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

struct Producer {
  std::string id;
  std::string created;
};

void write_identity(std::string& o, const Producer& p, int feed) {
  const FeedInfo& f = kFeedInfo[feed];
  o += R"({"type":"identity","spec_version":"2.1","id":")";
  o += p.id;
  o += R"(","created":")";
  o += p.created;
  o += R"(","modified":")";
  o += p.created;
  o += R"(","name":")";
  append_json_escaped(o, f.producer);
  o += R"(","description":"Publisher of the )";
  append_json_escaped(o, f.source_name);
  o += " feed, ";
  append_json_escaped(o, f.url);
  o += R"lit(","identity_class":"organization","sectors":["technology"],"object_marking_refs":[")lit";
  o += kTlpClear;
  o += "\"]}";
}

std::string capitalised(std::string s) {
  for (auto& c : s)
    if (c == '_' || c == '-') c = ' ';
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// One indicator, ~500–700 bytes: the common properties, then what the feed in question carries.
void write_indicator(std::string& o, const Corpus& corpus, const std::vector<Producer>& producers,
                     const Value& v, uint64_t cycle, uint64_t far, Rng& rng) {
  const Source& src = corpus.sources[v.source];
  const FeedInfo& feed = kFeedInfo[static_cast<int>(src.feed)];
  const std::string value = derive(corpus, v, cycle, far);

  const int64_t created = kStartMs + static_cast<int64_t>(rng.below(kSpanMs));
  const int64_t modified = rng.below(3) == 0 ? created + static_cast<int64_t>(rng.below(90 * kDayMs)) : created;
  std::string created_s, modified_s;
  append_timestamp(created_s, created);
  append_timestamp(modified_s, modified);

  std::string pattern, name, description;
  std::vector<std::string> labels;
  const char* type = "malicious-activity";
  const char* phase = nullptr;  // Lockheed Martin kill chain phase, when the feed implies one
  int64_t valid_days = 0;       // 0: no valid_until
  int confidence = -1;          // -1: none
  bool reference = false;       // external_references with the feed's (or the trail's) URL
  const std::string lit = pattern_literal(value);
  switch (v.kind) {
    case Kind::kIpv4: pattern = "[ipv4-addr:value = '" + lit + "']"; break;
    case Kind::kCidr4: pattern = "[ipv4-addr:value = '" + lit + "']"; break;
    case Kind::kCidr6: pattern = "[ipv6-addr:value = '" + lit + "']"; break;
    case Kind::kDomain: pattern = "[domain-name:value = '" + lit + "']"; break;
    case Kind::kUrl: pattern = "[url:value = '" + lit + "']"; break;
    case Kind::kIpv4Port: {
      const auto colon = value.rfind(':');
      pattern = "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '" +
                value.substr(0, colon) + "' AND network-traffic:dst_port = " + value.substr(colon + 1) + "]";
      break;
    }
    case Kind::kMd5: pattern = "[file:hashes.MD5 = '" + lit + "']"; break;
    case Kind::kSha1: pattern = "[file:hashes.'SHA-1' = '" + lit + "']"; break;
    case Kind::kSha256: pattern = "[file:hashes.'SHA-256' = '" + lit + "']"; break;
  }
  switch (src.feed) {
    case Feed::kIpsum: {
      const int n = v.extra;
      name = "IPsum " + value;
      description = "Reported for attacks or scanning by " + std::to_string(n) + " public block list" +
                    (n == 1 ? "." : "s.");
      type = n >= 3 ? "malicious-activity" : "anomalous-activity";
      labels = {"ipsum", "level-" + std::to_string(std::min(n, 8))};
      valid_days = 30;
      confidence = std::min(95, 30 + 8 * n);
      break;
    }
    case Feed::kIpverse:
      name = src.family + " block " + value;
      description = "Allocated to a network in " + src.detail + " (RIR delegations).";
      type = "attribution";
      labels = {"geo", "country:" + src.family};
      confidence = 90;
      break;
    case Feed::kBlocklistMalware:
      name = "Malware host " + value;
      description = "Distributes or controls malware (Block List Project).";
      labels = {"malware"};
      phase = "command-and-control";
      valid_days = 90;
      break;
    case Feed::kBlocklistPhishing:
      name = "Phishing domain " + value;
      description = "Hosts a credential phishing page (Block List Project).";
      labels = {"phishing"};
      phase = "delivery";
      break;
    case Feed::kMaltrail: {
      const auto bar = src.detail.find('|');
      const std::string category = src.detail.substr(0, bar);
      name = capitalised(src.family) + " " + value;
      labels = {category, src.family};
      reference = v.reference != UINT32_MAX;
      if (!reference) description = "Maltrail static trail (" + category + ").";
      if (category == "malware") phase = "command-and-control";
      break;
    }
    case Feed::kEset: {
      const std::string fam = src.family.substr(0, src.family.find('/'));
      name = capitalised(fam) + " sample";
      description = "File attributed to " + capitalised(fam) + " by ESET Research.";
      labels = {"malware", fam};
      confidence = 85;
      reference = true;
      break;
    }
  }

  o += R"({"type":"indicator","spec_version":"2.1","id":"indicator--)";
  append_uuid4(o, rng);
  o += R"(","created":")";
  o += created_s;
  o += R"(","modified":")";
  o += modified_s;
  o += R"(","created_by_ref":")";
  o += producers[static_cast<size_t>(src.feed)].id;
  o += R"(","name":")";
  append_json_escaped(o, name);
  if (!description.empty()) {
    o += R"(","description":")";
    append_json_escaped(o, description);
  }
  o += R"(","indicator_types":[")";
  o += type;
  o += R"("],"pattern":")";
  append_json_escaped(o, pattern);
  o += R"(","pattern_type":"stix","valid_from":")";
  o += created_s;
  if (valid_days > 0) {
    o += R"(","valid_until":")";
    append_timestamp(o, created + valid_days * kDayMs);
  }
  o += '"';
  if (phase) {
    o += R"(,"kill_chain_phases":[{"kill_chain_name":"lockheed-martin-cyber-kill-chain","phase_name":")";
    o += phase;
    o += "\"}]";
  }
  o += R"(,"labels":[)";
  for (size_t i = 0; i < labels.size(); ++i) {
    o += i ? ",\"" : "\"";
    append_json_escaped(o, labels[i]);
    o += '"';
  }
  o += ']';
  if (confidence >= 0) {
    o += R"(,"confidence":)";
    o += std::to_string(confidence);
  }
  if (reference) {
    o += R"(,"external_references":[{"source_name":")";
    o += feed.source_name;
    o += R"(","url":")";
    if (src.feed == Feed::kEset) {
      o += feed.url;
      o += "/tree/master/";
      append_json_escaped(o, src.family);
    } else {
      append_json_escaped(o, corpus.references[v.reference]);
    }
    o += "\"}]";
  }
  o += R"(,"object_marking_refs":[")";
  const uint64_t t = rng.below(10);
  o += src.feed == Feed::kIpverse ? kTlpClear : t < 2 ? kTlpClear : t < 9 ? kTlpGreen : kTlpAmber;
  o += "\"]}";
}

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "sw-gen-bundle: %s\n", msg);
  std::fprintf(stderr,
               "usage: sw-gen-bundle --count N --out FILE|- [--gzip] [--seed S] [--feeds DIR]\n"
               "  --count N    number of indicators (the bundle also holds one identity per feed)\n"
               "  --out FILE   output file, '-' for stdout\n"
               "  --gzip       gzip the output (level 6)\n"
               "  --seed S     seed for ids, timestamps and value order (default 1)\n"
               "  --feeds DIR  block lists (default $SW_SHARED_DATA/feeds, else %s/feeds)\n",
               SW_SHARED_DATA_DEFAULT);
  std::exit(2);
}

uint64_t parse_u64(const char* s, const char* what) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno || !end || *end || *s == '-') usage((std::string("bad ") + what).c_str());
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t count = 0, seed = 1;
  bool have_count = false, gzip = false;
  std::string out_path;
  fs::path feeds;
  if (const char* d = std::getenv("SW_SHARED_DATA"); d && *d) feeds = fs::path(d) / "feeds";
  else feeds = fs::path(SW_SHARED_DATA_DEFAULT) / "feeds";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((std::string(a) + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--count") count = parse_u64(value(), "--count"), have_count = true;
    else if (a == "--out") out_path = value();
    else if (a == "--gzip") gzip = true;
    else if (a == "--seed") seed = parse_u64(value(), "--seed");
    else if (a == "--feeds") feeds = value();
    else if (a == "-h" || a == "--help") usage(nullptr);
    else usage(("unknown argument " + std::string(a)).c_str());
  }
  if (!have_count || out_path.empty()) usage("--count and --out are required");

  const auto t0 = std::chrono::steady_clock::now();
  Corpus corpus;
  {
    Loader l(corpus);
    load_ipsum(l, feeds);
    load_ipverse(l, feeds);
    load_blocklistproject(l, feeds);
    load_maltrail(l, feeds);
    load_eset(l, feeds);
  }
  if (corpus.values.empty()) {
    std::fprintf(stderr, "sw-gen-bundle: no values found under %s\n", feeds.c_str());
    return 1;
  }
  mark_host_like_blocks(corpus);
  // A seeded shuffle, so that every stretch of the file mixes feeds and kinds.
  Rng shuffle(mix64(seed ^ 0x5eedf00dull));
  for (size_t i = corpus.values.size() - 1; i > 0; --i)
    std::swap(corpus.values[i], corpus.values[shuffle.below(i + 1)]);

  Sink sink;
  if (!sink.open(out_path, gzip)) {
    std::fprintf(stderr, "sw-gen-bundle: cannot write %s: %s\n", out_path.c_str(), std::strerror(errno));
    return 1;
  }
  Rng meta(mix64(seed));
  std::vector<Producer> producers(kFeeds);
  std::string& o = sink.buffer();
  o += R"({"type":"bundle","id":"bundle--)";
  append_uuid4(o, meta);
  o += R"(","objects":[)";
  bool first = true;
  int identities = 0;
  for (int f = 0; f < kFeeds; ++f) {
    if (f > 0 && std::string_view(kFeedInfo[f].producer) == kFeedInfo[f - 1].producer) {
      producers[static_cast<size_t>(f)] = producers[static_cast<size_t>(f - 1)];
      continue;
    }
    Producer& p = producers[static_cast<size_t>(f)];
    p.id = "identity--";
    append_uuid4(p.id, meta);
    append_timestamp(p.created, kStartMs - static_cast<int64_t>(meta.below(365 * kDayMs)));
    o += first ? "\n" : ",\n";
    first = false;
    write_identity(o, p, f);
    ++identities;
  }
  const uint64_t n_values = corpus.values.size();
  const uint64_t far = std::max<uint64_t>(kFarCycle, count / n_values + 1);
  for (uint64_t i = 0; i < count; ++i) {
    // Each object draws from its own stream, so object i does not depend on --count.
    Rng rng(mix64(seed * 0x2545f4914f6cdd1dull + i));
    o += ",\n";
    write_indicator(o, corpus, producers, corpus.values[i % n_values], i / n_values, far, rng);
    if (!sink.maybe_flush()) break;
  }
  o += "\n]}\n";
  if (!sink.close()) {
    std::fprintf(stderr, "sw-gen-bundle: writing %s failed: %s\n", out_path.c_str(), std::strerror(errno));
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr,
               "sw-gen-bundle: %llu indicators (+%d identities) from %llu distinct feed values, "
               "%.1f MB uncompressed, avg %.0f bytes/indicator, %.1f s\n",
               static_cast<unsigned long long>(count), identities,
               static_cast<unsigned long long>(n_values), double(sink.written()) / 1e6,
               count ? double(sink.written()) / double(count) : 0.0, secs);
  return 0;
}
