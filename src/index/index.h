// The indicator index (ARCHITECTURE.md §4, §7): the atoms of the latest version of every indicator
// and observable, in memory, looked up by value.
//
//   sw::index::Index index;
//   index.apply(objects, clock.now());           // each newly stored latest version
//   auto reader = index.reader();                // holds a shared lock: keep it for a batch
//   reader.lookup(Kind::kIpv4, "10.1.2.3", [&](const Hit& hit) { ... });
//
// Contract
//  - The index owns compact copies of the atoms (index/extract.h says which), one compact entry
//    per object (id, type, version, effective TLP) and the pattern text of the indicators that
//    need full evaluation, compiled on the first hit that needs it — never the objects' JSON.
//  - apply() takes each newly stored latest version. It replaces the atoms of any earlier version
//    of the same id; an object whose `modified` is older than the version held (or equal, for an
//    object that has a `modified`) is ignored; a revoked object, an indicator whose valid_until is
//    not after `now`, and an object with no atoms leave the index (a tombstone keeps the version,
//    so an older version arriving later stays out). expire(now) removes indicators whose
//    valid_until has passed since they were applied; nothing expires on its own.
//  - lookup() normalises the value (index/observable.h) and reports every hit: the exact key; for
//    IPv4/IPv6 every indexed block containing the address or block, longest prefix first; for a
//    domain, the name and every parent domain filed for its subdomains; exact otherwise (kOther
//    values in other_key() form). A hit whose `decided` is false is a candidate: evaluate its
//    pattern in full before calling it a match.
//  - correlate() relates an object (or a set of atoms not in the index) to the objects that share
//    an atom with it; a key filed by more than `cap` objects is reported as over-correlating with
//    its count, never expanded into pairs.
//
// Thread-safety: Index is thread-safe. It is guarded by one std::shared_mutex. A Reader holds the
// shared lock for its lifetime, so a batch of look-ups pays for the lock once; apply() parses JSON
// and compiles patterns before it takes the exclusive lock, which it then holds only to update the
// tables (about two microseconds per object, bench/run-engine) — readers wait for at most one
// batch's updates. Readers compile a kept pattern on its first undecided hit (index/extract.h,
// LazyPattern). Writers are preferred: a new Reader waits behind a waiting writer, so keep a
// Reader for a batch, not for ever. A thread holds at most one Reader at a time and calls neither
// apply() nor expire() while it does (either would deadlock). A Reader must not outlive its Index.
//
// Performance (bench/ measures): look-ups allocate nothing once a Reader's scratch has grown; an
// IPv4 look-up costs one hash probe per prefix length present in the index, a domain one probe
// per label that a filed-for-subdomains key of that depth could match. lookup_batch() overlaps
// the cache misses of neighbouring values; prefer it for bulk matching.
#pragma once

#include <absl/functional/function_ref.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "core/uuid.h"
#include "index/extract.h"
#include "index/observable.h"
#include "pattern/pattern.h"
#include "stix/object.h"

namespace sw::index {

namespace internal {
struct State;
struct Found;
}  // namespace internal

// How a hit's key relates to the value looked up.
enum class Match : uint8_t {
  kExact,            // the same key
  kContainingBlock,  // kIpv4/kIpv6: the key is a block containing the address or block
  kParentDomain,     // kDomain: the key is a parent domain filed for its subdomains
};

// "exact", "block", "parent".
std::string_view match_name(Match match);

// One object filed under a key that matches the value looked up. Views are valid during the visit
// (key) or while the Reader lives (type, pattern).
struct Hit {
  Kind kind = Kind::kOther;
  Match match = Match::kExact;
  std::string_view key;              // the matched key, canonical ("10.0.0.0/8", "example.com")
  uint8_t atom_flags = 0;            // AtomFlag bits of the object's atom
  std::string_view type;             // the object's STIX type
  core::Uuid uuid{};                 // the UUID part of its id
  core::Timestamp modified;          // its version (zero for objects without one)
  stix::Tlp tlp = stix::Tlp::kNone;  // its effective TLP, for policy filtering
  std::string_view owner;            // its created_by_ref (empty when none), for the policy
  // The object matches on this atom alone: an indicator whose pattern is decided by any one atom
  // (pattern::decided_by_single_atom) and whose atom holds for this kind of match; always true
  // for SCOs and observed-data.
  bool decided = true;
  // The pattern of an indicator whose hit is not decided and needs full evaluation; null for
  // decided hits, and for undecided hits of a one-comparison pattern (Extraction::
  // single_comparison), which are false. get() compiles it on first need (thread-safe; the first
  // caller pays once); evaluate with pattern::Matcher. The look-up itself never compiles.
  const LazyPattern* pattern = nullptr;

  std::string id() const;  // "<type>--<uuid>"
  void append_id(std::string& out) const;
};

// A value to correlate that is not (yet) in the index: a MISP attribute, an atom of a new report.
struct AtomValue {
  Kind kind = Kind::kOther;
  std::string_view value;           // raw; normalised by correlate(). kOther: other_key() form
  bool include_subdomains = false;  // kDomain
};

// An object as correlation results name it.
struct ObjectRef {
  std::string id;
  std::string type;
  core::Timestamp modified;
  stix::Tlp tlp = stix::Tlp::kNone;
  std::string owner;  // created_by_ref, empty when none
};

struct CorrelateOptions {
  // A key filed by more objects than this is reported, not expanded.
  uint32_t cap = 1000;
  // Also relate blocks and filed-for-subdomains domains of the subject to the keys they contain
  // (the other direction of a look-up). A domain costs a scan of every indexed domain; an IP
  // block one probe per contained address or a scan of the longer prefixes, whichever is cheaper.
  bool contained = true;
};

struct Correlation {
  struct Peer {
    ObjectRef object;
    uint32_t shared = 0;  // atoms of the subject that meet this object
  };
  struct OverCorrelating {
    Kind kind = Kind::kOther;
    std::string key;
    uint64_t objects = 0;  // size of the posting list (for a block's contents: of all of them)
  };
  std::vector<Peer> peers;  // most shared first, then by id
  std::vector<OverCorrelating> over_correlating;
  uint64_t atoms = 0;    // atoms of the subject examined
  uint64_t skipped = 0;  // values that did not normalise (correlate(atoms) only)
};

struct Stats {
  std::array<uint64_t, kKindCount> keys{};   // distinct keys by kind
  std::array<uint64_t, kKindCount> atoms{};  // (object, key) pairs by kind
  uint64_t objects = 0;                      // objects with atoms
  uint64_t tombstones = 0;                   // versions remembered for objects that left the index
  uint64_t patterns = 0;                     // patterns kept for full evaluation (as text)
  uint64_t over_correlating = 0;  // keys filed by more than Options::over_correlation_cap objects
  uint64_t bytes = 0;             // estimate of the memory used
  // Cumulative since construction:
  uint64_t skipped_values = 0;  // values that did not normalise
  uint64_t ignored_older = 0;   // versions older than (or the same as) the one held
  uint64_t expired = 0;         // indicators removed because valid_until passed

  uint64_t total_atoms() const;
};

// What one apply() did.
struct ApplyReport {
  uint64_t indexed = 0;        // versions whose atoms are now in the index
  uint64_t removed = 0;        // objects that left the index (revoked, expired, no atoms left)
  uint64_t ignored_older = 0;  // versions older than (or the same as) the one held
  uint64_t without_atoms = 0;  // objects with nothing to index (and none indexed before)
  uint64_t skipped_values = 0;
  // Objects that could not be read (bad JSON, a pattern that does not compile, an id that is not
  // "<type>--<uuid>"), `where` naming the object; the rest of the batch is applied.
  std::vector<core::Error> errors;
};

class Index {
 public:
  struct Options {
    uint32_t over_correlation_cap = 1000;  // for Stats::over_correlating
  };

  Index();
  explicit Index(Options options);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  ApplyReport apply(std::span<const stix::Object> objects, core::Timestamp now);
  ApplyReport apply(const stix::Object& object, core::Timestamp now);

  // Removes the indicators whose valid_until is not after `now`; returns how many.
  size_t expire(core::Timestamp now);

  // Read access under a shared lock. Movable; not thread-safe itself: one per thread.
  class Reader {
   public:
    // Calls `visit` for every hit of `raw_value` as a `kind`; returns the number of hits. A value
    // that does not normalise has none. The visitor must not call back into the index.
    size_t lookup(Kind kind, std::string_view raw_value, absl::FunctionRef<void(const Hit&)> visit);

    // lookup() of many values of one kind: visit(i, hit) for each hit of values[i], in the order
    // of `values`. Faster than one lookup() per value: the memory accesses of neighbouring values
    // overlap (prefetching), which matters once the index outgrows the CPU caches.
    size_t lookup_batch(Kind kind, std::span<const std::string_view> values,
                        absl::FunctionRef<void(size_t, const Hit&)> visit);

    // Whether an object with this id is in the index (has atoms).
    bool contains(std::string_view id) const;

    // Correlates the atoms of object `id` (kNotFound when it has none in the index).
    core::Result<Correlation> correlate(std::string_view id, const CorrelateOptions& options = {});
    // Correlates atoms that are not in the index.
    Correlation correlate(std::span<const AtomValue> atoms, const CorrelateOptions& options = {});

    Stats stats() const;

    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;
    ~Reader();

   private:
    friend class Index;
    explicit Reader(const internal::State& state);

    const internal::State* state_;
    std::shared_lock<std::shared_mutex> lock_;
    // Reused between look-ups, so that they allocate nothing once grown.
    std::vector<std::string> scratch_;  // normalised values
    std::vector<internal::Found> found_[2];  // lookup(): [0]; lookup_batch(): by group parity
    Hit hit_;
    char key_buf_[160];
  };

  Reader reader() const;
  Stats stats() const { return reader().stats(); }

 private:
  std::unique_ptr<internal::State> state_;
};

}  // namespace sw::index
