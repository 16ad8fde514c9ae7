// Atoms: the (kind, canonical key) pairs the indicator index files a STIX object under.
//
// From an indicator with pattern_type "stix" (STIX 2.0 patterning when its spec_version is missing
// or "2.0", else 2.1): every comparison that is not negated and
//  - `=` or `IN` on an indexable path — ipv4-addr:value, ipv6-addr:value, domain-name:value,
//    url:value, email-addr:value, file:hashes.<MD5|SHA-1|SHA-256|SHA-512> (any case, with or
//    without the dash, quoted or not), network-traffic:src_ref.value / dst_ref.value (an IP, else a
//    domain), email-message:from_ref.value / sender_ref.value / to_refs[*].value /
//    cc_refs[*].value / bcc_refs[*].value (an e-mail address);
//  - `ISSUBSET` with an IP address or block, on an IP-valued path;
//  - `LIKE` on domain-name:value: '%.example.com' files example.com for its subdomains (a hit on
//    example.com itself is reported but is not decided by the atom: the pattern does not match
//    it), '%example.com' files it for itself and its subdomains (the index does not find
//    "badexample.com", which the pattern also matches), a constant without wildcards is `=`;
//  - `=` or `IN` with string constants on any other path: kOther, keyed by other_key().
// From an SCO: the value of ipv4-addr, ipv6-addr, domain-name, url, email-addr; the hashes of a
// file. From an observed-data: the SCOs embedded in its STIX 2.0 `objects` dictionary (with 2.1
// `object_refs` the SCOs are objects of their own).
//
// Every value goes through normalise(); a value that does not normalise (or is longer than
// kMaxKeyBytes) is skipped and counted.
//
// Simple patterns skip Pattern::compile: one observation expression, no qualifiers, whose
// comparisons are `=` or IN with string constants on the indexable paths above, joined only by
// OR — what feeds mostly send. A small exact scanner of the pattern text (STIX 2.1 §9 for these
// forms: ASCII whitespace, quoted keys, \' and \\ escapes) yields the same atoms, flags and
// decision as the compiled pattern would; whatever it is not sure of (comments, parentheses,
// non-ASCII outside strings, other operators, keys or constants) goes through the compiler.
// Extraction::scanned says which path was taken; tests check that both agree.
//
// Pure functions; thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "index/observable.h"
#include "pattern/pattern.h"
#include "stix/object.h"

namespace sw::index {

// Keys longer than this are not indexed (counted as skipped).
inline constexpr size_t kMaxKeyBytes = 8192;

// How an atom matches beyond its own key, and where a hit is not decided by the atom alone.
enum AtomFlag : uint8_t {
  // kDomain: strict subdomains of the key match too.
  kAtomSubdomains = 1,
  // A hit on the key itself does not decide the atom (LIKE '%.example.com' and "example.com").
  kAtomSelfUndecided = 2,
  // kIpv4/kIpv6: a hit on an address or block inside the key's block does not decide the atom
  // (`ipv4-addr:value = '10.0.0.0/8'` compares blocks; ISSUBSET does decide).
  kAtomContainedUndecided = 4,
};

struct ExtractedAtom {
  Kind kind = Kind::kOther;
  std::string key;    // normalise(kind, value); for kOther, other_key(path, value)
  uint8_t flags = 0;  // AtomFlag bits
  friend bool operator==(const ExtractedAtom&, const ExtractedAtom&) = default;
};

// The text of a pattern kept for full evaluation, compiled on first need: an indexed pattern costs
// its text (one allocation) until a hit needs it evaluated.
//
// Thread-safe: get() may be called concurrently (readers of the index run under a shared lock);
// the first compiled pattern published wins, the others are discarded, every caller sees the
// winner. Not movable: hold it by unique_ptr (make()).
class LazyPattern {
 public:
  static std::unique_ptr<LazyPattern> make(std::string_view text, pattern::StixVersion version);
  ~LazyPattern();
  LazyPattern(const LazyPattern&) = delete;
  LazyPattern& operator=(const LazyPattern&) = delete;
  // One allocation holds the object and its text (make()).
  static void operator delete(void* p) { ::operator delete(p); }

  std::string_view text() const { return {reinterpret_cast<const char*>(this + 1), size_}; }
  pattern::StixVersion version() const { return version_; }

  // The compiled pattern, compiled on the first call. Null only when the text does not compile,
  // which cannot happen for a pattern extract() kept (it compiled, or the scanner accepted it).
  const pattern::Pattern* get() const;
  // The compiled pattern if some get() compiled it, else null; never compiles.
  const pattern::Pattern* compiled() const { return compiled_.load(std::memory_order_acquire); }

  // Memory held: the object, its text, and an estimate for the compiled pattern once compiled.
  size_t bytes() const;

 private:
  LazyPattern(uint32_t size, pattern::StixVersion version) : size_(size), version_(version) {}

  mutable std::atomic<const pattern::Pattern*> compiled_{nullptr};  // owned
  uint32_t size_ = 0;
  pattern::StixVersion version_;
  // followed by size_ bytes of text
};

struct Extraction {
  // One per (kind, key), in first-seen order; flags of repeated keys merged (kAtomSubdomains when
  // any atom has it; an "undecided" bit only when every atom has it).
  std::vector<ExtractedAtom> atoms;
  bool is_indicator = false;
  // Whether the pattern is decided by any one of its atoms (pattern::decided_by_single_atom);
  // true for SCOs and observed-data.
  bool decided = true;
  // The pattern is one comparison (pattern::AtomDecision::kSingleAtom): a hit that its atom does
  // not decide (an address inside a block compared with '=', "example.com" against
  // LIKE '%.example.com') is false for that value, with no need to evaluate the pattern.
  bool single_comparison = false;
  // Set when some hit on this indicator needs full evaluation: !decided, or an atom with an
  // "undecided" flag in a pattern of more than one comparison. Its text only; compiled on first
  // need.
  std::unique_ptr<LazyPattern> pattern;
  // The indicator's pattern was read by the scanner of simple patterns, not compiled.
  bool scanned = false;
  std::optional<core::Timestamp> valid_until;
  // Values on indexable paths that did not normalise, or keys longer than kMaxKeyBytes.
  uint32_t skipped = 0;
};

// The key of a kOther atom: the object path as pattern::to_string writes it, '=', the value
// ("x509-certificate:issuer=CN=WEBMAIL", "file:name=CBricksDoc").
std::string other_key(std::string_view path, std::string_view value);

struct ExtractOptions {
  // Read simple patterns with the scanner (see above). False: always compile (tests compare).
  bool scan_simple_patterns = true;
};

// The atoms of `object`. Errors (kInvalidArgument, `where` = the object's id): the JSON does not
// parse, an indicator's pattern does not compile, its valid_until is not a timestamp.
core::Result<Extraction> extract(const stix::Object& object, const ExtractOptions& options = {});

// What extract() does for the text of an indicator's pattern (pattern_type "stix"), into `out`
// (atoms, skipped, decided, pattern, scanned). Errors: the pattern does not compile (`where` is
// the column, as Pattern::compile reports it).
core::Status extract_pattern_text(std::string_view text, pattern::StixVersion version,
                                  Extraction& out, const ExtractOptions& options = {});

// The atoms of one compiled pattern (what extract() does for an indicator), into `out`.
void extract_pattern_atoms(const pattern::Pattern& pattern, Extraction& out);

}  // namespace sw::index
