// The tables behind sw::index::Index (index.h). Internal to the index module.
//
// Layout, chosen for ≤150 bytes per atom and look-ups that touch few cache lines:
//  - objects: one 40-byte ObjectEntry per object (16-byte UUID + type code instead of the id
//    text), found by id through a hash set of 32-bit slots (internal/table.h).
//  - IPv4 / IPv6 blocks (longest-prefix match): one hash map per prefix length, key = the masked
//    address as an integer (uint32_t, two uint64_t), value = its posting list, and a bit mask of
//    the lengths present. A look-up probes only the present lengths not longer than the value's,
//    longest first. Why not a sorted array of disjoint ranges: the index must report every
//    containing block, not only the longest, so each range would carry the list of its covering
//    blocks (nested blocks multiply them), and one new block means rebuilding the array; here an
//    update is O(1) and feeds typically hold a handful of distinct lengths (/32, /24, /16 ...).
//  - every other kind: records (key bytes + posting list) in an arena, found through a hash set of
//    32-bit references (internal/records.h); hashes are stored as raw bytes. Domains are stored
//    as written, not reversed by label: parents are found by hashing each suffix, which a hash
//    table does as well as a sorted structure.
//  - posting lists: one item inline, more spilled (internal/postings.h).
//  - per object, its atoms as a compact blob (kind, flags, key or record reference) so that a new
//    version can remove exactly what the previous one added.
//  - blocks of 2 MiB and more ask for transparent huge pages (internal/huge_pages.h).
//
// Not thread-safe: Index guards every member below `mu` with it.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/uuid.h"
#include "index/index.h"
#include "index/internal/huge_pages.h"
#include "index/internal/keys.h"
#include "index/internal/postings.h"
#include "index/internal/records.h"
#include "index/internal/table.h"

namespace sw::index::internal {

struct ObjectEntry {
  static constexpr uint32_t kNoBlob = ~uint32_t{0};
  enum Bits : uint8_t { kDecided = 1, kHasPattern = 2 };  // digits of `modified` in bits 4-7

  core::Uuid uuid{};
  int64_t seconds = 0;  // modified
  uint32_t nanos = 0;
  uint32_t blob = kNoBlob;  // offset of its atoms in State::blobs; kNoBlob: a tombstone
  uint16_t type = 0;
  uint8_t tlp = 0;
  uint8_t bits = 0;
  uint32_t owner = 0;  // created_by_ref: State::owner_views[owner - 1]; 0 when none

  bool live() const { return blob != kNoBlob; }
  bool decided() const { return bits & kDecided; }
  bool has_pattern() const { return bits & kHasPattern; }
  core::Timestamp modified() const {
    core::Timestamp t;
    t.seconds = seconds;
    t.nanos = nanos;
    t.digits = static_cast<uint8_t>(bits >> 4);
    return t;
  }
  void set_modified(const core::Timestamp& t) {
    seconds = t.seconds;
    nanos = t.nanos;
    bits = static_cast<uint8_t>((bits & 0x0F) | (std::min<uint8_t>(t.digits, 9) << 4));
  }
};
static_assert(sizeof(ObjectEntry) == 40);

inline uint32_t id_hash(const core::Uuid& u, uint16_t type) {
  uint64_t a, b;
  std::memcpy(&a, u.data(), 8);
  std::memcpy(&b, u.data() + 8, 8);
  return static_cast<uint32_t>(absl::HashOf(a, b, type));
}

// The blocks of one address family: a hash map per prefix length, and filters that tell a
// look-up which lengths can hold a block containing its address, so that it probes those only
// (feeds hold 20-40 distinct lengths; one address lies under a few of them).
struct V4Table {
  std::array<KeyMap<uint32_t>, 33> by_len;
  uint64_t lengths = 0;  // bit L: by_len[L] is not empty

  // The lengths to probe for `addr`/`prefix`: bit L for each L <= prefix for which some block of
  // length L may contain it. A superset of the lengths that hold one (never misses a block).
  uint64_t candidates(uint32_t addr, unsigned prefix) const {
    uint64_t m = lengths & 1;
    if (!by16_.empty()) m |= uint64_t{by16_[addr >> 16]} << 1;
    return m & ((uint64_t{2} << prefix) - 1);
  }
  // Called after a key was added to (removed from) by_len[len].
  void added(uint32_t key, unsigned len);
  void removed(uint32_t key, unsigned len);
  size_t filter_bytes() const { return (by16_.capacity() + long_counts_.capacity()) * 4; }

 private:
  // Per /16 of the address space (index: the top 16 bits), bit L - 1 for each length L (1..32)
  // with a key that covers that /16 (L <= 16: at most one per length) or lies in it (L > 16).
  // 256 KiB: stays in the caches. Empty until the first key of length > 0.
  std::vector<uint32_t> by16_;
  // Keys of length L > 16 per /16, [top16 * 16 + L - 17]: the bit goes when its count is 0.
  std::vector<uint32_t> long_counts_;
};

struct V6Table {
  std::array<KeyMap<U128>, 129> by_len;
  std::array<uint64_t, 3> lengths{};  // bit L % 64 of word L / 64
  bool has(unsigned len) const { return (lengths[len / 64] >> (len % 64)) & 1; }
  void set(unsigned len, bool on) {
    const uint64_t bit = uint64_t{1} << (len % 64);
    lengths[len / 64] = on ? (lengths[len / 64] | bit) : (lengths[len / 64] & ~bit);
  }

  // As V4Table::candidates, in the layout of `lengths` (bits above `prefix` cleared).
  std::array<uint64_t, 3> candidates(const U128& addr, unsigned prefix) const;
  void added(const U128& key, unsigned len);
  void removed(const U128& key, unsigned len);
  size_t filter_bytes() const {
    return mid_.capacity() * 4 + wide_.capacity() * 24 + counts_.capacity() * 9;
  }

 private:
  static constexpr unsigned kBuckets = 1u << 16;
  static size_t bucket(uint64_t hi) {
    return static_cast<size_t>(absl::HashOf(hi >> 32) & (kBuckets - 1));
  }
  // Lengths 0..16: `lengths` itself. Lengths 17..31: per top 16 bits, bit L of a word (set while
  // a key of that length lies under those 16 bits). Lengths 32..128: per bucket of the top 32 bits
  // (hashed to 64k buckets; a collision only adds probes), bits L % 64 of words L / 64.
  std::vector<uint32_t> mid_;
  std::vector<std::array<uint64_t, 3>> wide_;
  // Keys per (top 16 bits, L) for L in 17..31 and per (bucket, L) for L >= 32.
  absl::flat_hash_map<uint64_t, uint32_t> counts_;
};

// A key in compact form.
struct CompactKey {
  Kind kind = Kind::kOther;
  uint8_t prefix = 0;  // IP kinds
  uint32_t v4 = 0;
  U128 v6;
  uint8_t raw[64];  // hash kinds
  uint8_t raw_len = 0;
  std::string_view text;  // string kinds (borrowed)

  std::string_view bytes() const {
    return raw_len ? std::string_view(reinterpret_cast<const char*>(raw), raw_len) : text;
  }
};

inline bool is_hash_kind(Kind k) {
  return k == Kind::kMd5 || k == Kind::kSha1 || k == Kind::kSha256 || k == Kind::kSha512;
}
inline size_t hash_bytes(Kind k) {
  switch (k) {
    case Kind::kMd5:
      return 16;
    case Kind::kSha1:
      return 20;
    case Kind::kSha256:
      return 32;
    case Kind::kSha512:
      return 64;
    default:
      return 0;
  }
}

// Number of labels of a (normalised) domain name.
inline unsigned label_count(std::string_view name) {
  unsigned n = 1;
  for (char c : name) n += c == '.';
  return n;
}

// The compact key of a canonical key text (normalise() output, or raw for lookups of hashes and
// IPs, which are parsed leniently). False when it is not one.
bool make_key(Kind kind, std::string_view text, CompactKey& out);

// The canonical text of a compact key (what Hit::key shows), in `buf` (kKeyTextMax bytes) for IPs
// and hashes.
std::string_view key_text(const CompactKey& k, char* buf);

// The compact key of a value as given to a look-up: IPs and hashes parsed leniently (host bits,
// either case), string kinds normalised into `scratch`, which the key then borrows.
bool raw_key(Kind kind, std::string_view raw, std::string& scratch, CompactKey& out);

// A posting list that a look-up matched, with what its hits report.
struct Found {
  uint32_t value = 0;  // index of the value in a batch
  Kind kind = Kind::kOther;
  Match match = Match::kExact;
  uint8_t prefix = 0;  // IP kinds: the key
  uint32_t v4 = 0;
  U128 v6;
  std::string_view text;  // record kinds: the key in the arena (raw bytes for hashes)
  const Posting* posting = nullptr;
};

struct Expiry {
  int64_t until_seconds;
  uint32_t until_nanos;
  uint32_t slot;
  int64_t version_seconds;
  uint32_t version_nanos;
  // A min-heap on `until` with std::push_heap (which builds max-heaps).
  friend bool operator<(const Expiry& a, const Expiry& b) {
    return a.until_seconds != b.until_seconds ? a.until_seconds > b.until_seconds
                                              : a.until_nanos > b.until_nanos;
  }
};

struct State {
  explicit State(const Index::Options& o) : options(o) {}
  ~State() {
    for (const ObjectEntry& e : objects) delete pattern_of(e);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  static constexpr size_t kPatternPrefix = sizeof(LazyPattern*);

  // The pattern kept for an object, or null.
  const LazyPattern* pattern_of(const ObjectEntry& e) const {
    if (!e.live() || !e.has_pattern()) return nullptr;
    const LazyPattern* p;
    std::memcpy(&p, blobs.data() + e.blob - kPatternPrefix, sizeof p);
    return p;
  }
  // The bytes of an object's blob from its count on (without the pattern prefix).
  size_t blob_size(const ObjectEntry& e) const {
    const uint8_t* q = blobs.data() + e.blob;
    uint32_t n;
    std::memcpy(&n, q, 4);
    size_t size = 4;
    for (uint32_t i = 0; i < n; ++i) {
      const auto kind = static_cast<Kind>(q[size]);
      size += 2 + (kind == Kind::kIpv4 ? 5 : kind == Kind::kIpv6 ? 17 : 4);
    }
    return size;
  }

  const Index::Options options;
  mutable std::shared_mutex mu;
  // Writer preference: glibc's shared_mutex lets a stream of readers starve a writer. A writer
  // holds the turnstile while it waits for `mu`; a new Reader passes through it first, so it
  // waits behind a waiting writer instead of overtaking it.
  mutable std::mutex turnstile;

  std::shared_lock<std::shared_mutex> lock_shared() const {
    { std::lock_guard pass(turnstile); }
    return std::shared_lock(mu);
  }
  std::unique_lock<std::shared_mutex> lock_exclusive() const {
    std::lock_guard wait(turnstile);
    return std::unique_lock(mu);
  }

  // Everything below: GUARDED_BY(mu).
  std::vector<ObjectEntry, HugePageAllocator<ObjectEntry>> objects;
  RefSet ids;                                // object slots by (UUID, type): id_hash()
  std::deque<std::string> type_names;        // a deque: Hit::type views must not move
  std::vector<std::string_view> type_views;  // of type_names, by code (one load on the hot path)
  absl::flat_hash_map<std::string, uint16_t> type_codes;
  std::deque<std::string> owner_names;        // created_by_ref values, code - 1
  std::vector<std::string_view> owner_views;  // of owner_names
  absl::flat_hash_map<std::string, uint32_t> owner_codes;

  PostingStore postings;
  V4Table v4;
  V6Table v6;
  std::array<RecordTable, kKindCount> records;  // the record kinds; the IP entries stay empty
  // Items filed for subdomains, by the label count of their key: a look-up probes a parent only
  // when some key of its depth could match.
  std::array<uint32_t, 128> sub_items_by_labels{};

  // Per object: u32 count, then per atom kind, flags, key (ObjectEntry::blob is the offset of the
  // count). An object with a pattern kept for full evaluation has the pointer to its LazyPattern
  // (owned; text compiled on first need, LazyPattern::get() is thread-safe) in the 8 bytes
  // before its count.
  std::vector<uint8_t, HugePageAllocator<uint8_t>> blobs;
  size_t blob_garbage = 0;
  uint64_t live_patterns = 0;
  std::vector<Expiry> expiry;  // heap

  std::array<uint64_t, kKindCount> keys{};
  std::array<uint64_t, kKindCount> atoms{};
  uint64_t live_objects = 0;
  uint64_t tombstones = 0;
  uint64_t over_correlating = 0;
  uint64_t skipped_values = 0;
  uint64_t ignored_older = 0;
  uint64_t expired = 0;

  // The slot of an id, or -1.
  int64_t find(const core::Uuid& uuid, uint16_t type) const {
    const uint32_t slot = ids.find(id_hash(uuid, type), [&](uint32_t s) {
      return objects[s].type == type && objects[s].uuid == uuid;
    });
    return slot == RefSet::kNone ? -1 : static_cast<int64_t>(slot);
  }
  // The code of a type name, or -1 when unknown.
  int find_type(std::string_view name) const {
    auto it = type_codes.find(absl::string_view(name.data(), name.size()));
    return it == type_codes.end() ? -1 : it->second;
  }

  // The posting list of a key, or null.
  const Posting* find_posting(const CompactKey& k) const;

  // Decodes the atoms of an object's blob: f(kind, flags, key).
  template <class F>
  void for_each_atom(const ObjectEntry& e, F&& f) const;

  std::string id_of(const ObjectEntry& e) const;
};

// Blob encoding: per atom [kind][flags] then IPv4: prefix + 4 bytes; IPv6: prefix + 16 bytes;
// record kinds: the 4-byte record reference.
template <class F>
void State::for_each_atom(const ObjectEntry& e, F&& f) const {
  const uint8_t* p = blobs.data() + e.blob;
  uint32_t n;
  std::memcpy(&n, p, 4);
  p += 4;
  for (uint32_t i = 0; i < n; ++i) {
    CompactKey k;
    k.kind = static_cast<Kind>(p[0]);
    const uint8_t flags = p[1];
    p += 2;
    uint32_t ref = RecordTable::kNone;
    if (k.kind == Kind::kIpv4) {
      k.prefix = p[0];
      std::memcpy(&k.v4, p + 1, 4);
      p += 5;
    } else if (k.kind == Kind::kIpv6) {
      k.prefix = p[0];
      std::memcpy(&k.v6.hi, p + 1, 8);
      std::memcpy(&k.v6.lo, p + 9, 8);
      p += 17;
    } else {
      std::memcpy(&ref, p, 4);
      p += 4;
      k.text = records[static_cast<size_t>(k.kind)].key(ref);
    }
    f(k, flags, ref);
  }
}

}  // namespace sw::index::internal
