// Bench-only: the values of the real block lists under $SW_SHARED_DATA/feeds, and synthetic values
// derived from them to pad a data set to any size. Shared by the generators (sw-gen-bundle,
// sw-gen-eve) and the engine benchmark (sw-index-bench), so that they all draw from the same
// values, in the same order for the same seed.
//
//   sw::bench::Corpus corpus = sw::bench::load_corpus(sw::bench::default_feeds_dir());
//   sw::bench::shuffle_values(corpus, seed);
//   // the i-th value of a data set of N: derive(corpus, corpus.values[i % n], i / n, far_cycle(N,
//   n))
//
// The feeds: IPsum (IPv4 with the number of lists naming it), ipverse (IPv4/IPv6 country CIDR
// blocks), the Block List Project (malware IPs, phishing domains), Maltrail static trails (URLs,
// domains, ip:port, scanner CIDRs, each trail's reference URL), ESET malware-ioc (MD5, SHA-1,
// SHA-256). Each distinct (kind, value) is kept once, first occurrence first (769,281 values).
//
// Synthetic values (cycle c >= 1) are distinct from every real value and from each other — see
// derive(). Memory: ~150 MB for the corpus. Not thread-safe to build; read-only use is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sw::bench {

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

inline uint64_t mix64(uint64_t z) {  // splitmix64's finaliser: a bijection on 64-bit values
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

uint64_t fnv1a(std::string_view s);

// MurmurHash3's fmix32 after an odd multiply: a bijection of the 32-bit space.
uint32_t permute32(uint32_t x);

// ---------------------------------------------------------------------------------------------
// Feed values

enum class Kind : uint8_t { kIpv4, kIpv4Port, kCidr4, kCidr6, kDomain, kUrl, kMd5, kSha1, kSha256 };
inline constexpr int kKinds = 9;

// "ipv4", "ipv4-port", "cidr4", "cidr6", "domain", "url", "md5", "sha1", "sha256".
const char* kind_name(Kind kind);

enum class Feed : uint8_t {
  kIpsum,
  kIpverse,
  kBlocklistMalware,
  kBlocklistPhishing,
  kMaltrail,
  kEset
};
inline constexpr int kFeeds = 6;

struct FeedInfo {
  const char* producer;  // identity name
  const char* source_name;
  const char* url;
};
inline constexpr FeedInfo kFeedInfo[kFeeds] = {
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
  std::string family;  // Maltrail trail / ESET campaign / country code
  std::string detail;  // Maltrail category and aliases / country name
};

struct Value {
  std::string text;
  uint32_t source = 0;
  uint32_t reference = UINT32_MAX;  // index into references (Maltrail "# Reference:" lines)
  uint32_t kind_index = 0;          // position among the values of its kind
  uint16_t extra = 0;               // IPsum: number of block lists; IPv4 CIDR: 1 if host-like
  Kind kind = Kind::kIpv4;
};

struct Corpus {
  std::vector<Source> sources;
  std::vector<std::string> references;
  std::vector<Value> values;
  std::unordered_set<std::string>
      real;  // (kind, text) of every value, to keep synthetic ones apart
  uint32_t per_kind[kKinds] = {};
  uint32_t ipv4_space = 0;  // IPv4 addresses plus host-like IPv4 blocks

  bool is_real(Kind kind, std::string_view text) const;
};

// $SW_SHARED_DATA/feeds, else the shared data directory configured at build time + "/feeds".
std::filesystem::path default_feeds_dir();

// Reads every feed under `feeds` (missing ones contribute nothing) and marks the host-like IPv4
// blocks (those inside another real block, and those of 16 addresses or fewer: their synthetic
// values are addresses). Values are in feed order.
Corpus load_corpus(const std::filesystem::path& feeds);

// The seeded shuffle sw-gen-bundle uses, so that every stretch of a data set mixes feeds and kinds.
void shuffle_values(Corpus& corpus, uint64_t seed);

// No run gets near this many cycles; fixed so that a shorter data set stays a prefix of a longer
// one. far_cycle(): the `far` to pass to derive() for a data set of `count` values.
inline constexpr uint64_t kFarCycle = 4096;
inline uint64_t far_cycle(uint64_t count, uint64_t n_values) {
  const uint64_t c = n_values ? count / n_values + 1 : 1;
  return c > kFarCycle ? c : kFarCycle;
}

// The value of `v` in cycle `cycle` (cycle 0: the real value). For c >= 1:
//  - addresses: a bijection of the 32-bit space applied to (c, position of the value among its
//    kind); the port of an ip:port pair is kept;
//  - CIDR blocks: the c-th more-specific block inside the real one; host-like IPv4 blocks become
//    addresses, drawn like the IPv4 ones;
//  - domains: a cycle-specific first label (cdn., mail., …, cdn1., …) in front of the real domain;
//  - URLs: a cycle-specific query parameter; hashes: hex digits drawn from (value, c).
// A candidate that happens to be a real value, or (addresses) falls in a private, loopback or
// multicast range, is replaced by the one of a cycle past the last this run uses (c + k·far).
std::string derive(const Corpus& corpus, const Value& v, uint64_t cycle, uint64_t far);

// The STIX pattern sw-gen-bundle gives an indicator of this value: `[ipv4-addr:value = '…']` (also
// for CIDR blocks), `[ipv6-addr:value = '…']`, `[domain-name:value = '…']`, `[url:value = '…']`,
// `[file:hashes.MD5 = '…']` (`'SHA-1'`, `'SHA-256'`), and for ip:port
// `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '…' AND
// network-traffic:dst_port = N]`.
std::string indicator_pattern(Kind kind, std::string_view value);

// ---------------------------------------------------------------------------------------------
// Small helpers

// A random (version 4) UUID in lower-case text, drawn from `rng`.
void append_uuid4(std::string& out, Rng& rng);
// `s` as the content of a JSON string.
void append_json_escaped(std::string& out, std::string_view s);
// A STIX pattern string literal's content: ' and \ take a backslash (STIX 2.1 patterning §9.3).
std::string pattern_literal(std::string_view s);

std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view p);
bool parse_ipv4(std::string_view s, uint32_t& out);  // dotted quad → host-order integer
std::string ipv4_string(uint32_t v);
// Not in 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10, 224/3.
bool public_ipv4(uint32_t ip);

}  // namespace sw::bench
