// Evaluating a compiled pattern against observations (STIX 2.1 §9.4-§9.7).
//
// A match is a binding: each observation expression ([...]) that the pattern needs is assigned an
// observation, such that
//  - comparisons joined by AND inside one [...] hold starting from one SCO of that observation;
//  - expressions joined by the observation operators AND and FOLLOWEDBY, and the repetitions of
//    REPEATS, use different observations. An observed-data with number_observed n counts as n
//    observations in its first_observed..last_observed window;
//  - FOLLOWEDBY: every observation of the right side can be at or after every one of the left
//    (latest first_observed on the left <= earliest last_observed on the right);
//  - WITHIN x SECONDS: the observations of the qualified expression can all lie in a window
//    shorter than x (latest first_observed - earliest last_observed < x; §9.5.1 excludes equality);
//  - START s STOP e: each observation of the qualified expression overlaps [s, e)
//    (first_observed < e and last_observed >= s).
// Pattern-level OR takes the left side when it can (§9.5). The first binding found is the one
// that, in pattern order, uses the earliest observations.
//
// The search is a depth-first search with pruning; its cost is bounded by MatchOptions: past the
// bound, match() returns a kResourceExhausted error instead of an answer.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "pattern/observation.h"
#include "pattern/pattern.h"

namespace sw::pattern {

struct MatchOptions {
  // Search steps per match() (a few ns to ~50 ns each): observation expressions tried plus path
  // steps taken while evaluating comparisons.
  uint64_t max_steps = 10'000'000;
  uint32_t max_binding_entries = 1000;  // distinct (expression, observed-data) pairs in a binding
};

// One part of a binding: `count` observations of observed-data `observation` (an index into the
// span given to match()) satisfy observation expression `expression` (pattern order, 0-based).
// count > 1 only under REPEATS.
struct BindingEntry {
  uint32_t expression = 0;
  uint32_t observation = 0;
  uint64_t count = 1;
  friend bool operator==(const BindingEntry&, const BindingEntry&) = default;
};

// Reusable evaluation state. Keep one per thread and reuse it: after the first few calls a match
// allocates nothing. Not thread-safe; the Pattern and Observations it reads may be shared.
namespace detail {
struct MatchScratch;
}

// Reusable evaluation state. Keep one per thread and reuse it: after the first few calls a match
// allocates nothing. Not thread-safe; the Pattern and Observations it reads may be shared.
class Matcher {
 public:
  explicit Matcher(MatchOptions options = {});
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  // Whether `pattern` matches `observations`. On true, binding() is the first binding found.
  // Errors: kResourceExhausted when the search exceeded MatchOptions.
  core::Result<bool> match(const Pattern& pattern, std::span<const Observation> observations);

  // Whether observation expression `expression` of `pattern` holds for `observation` on its own
  // (one SCO satisfying its comparisons), ignoring qualifiers and the rest of the pattern. False
  // also when deciding it would take more than MatchOptions{}.max_steps path steps.
  static bool holds(const Pattern& pattern, uint32_t expression, const Observation& observation);

  // The binding of the last successful match(), in binding order (pattern order; repetitions in
  // turn). Valid until the next match().
  const std::vector<BindingEntry>& binding() const { return binding_; }

  // The observed-data of binding(), each once, in binding order.
  std::vector<uint32_t> bound_observations() const;

 private:
  MatchOptions options_;
  std::vector<BindingEntry> binding_;
  std::unique_ptr<detail::MatchScratch> scratch_;
};

}  // namespace sw::pattern
