// Evaluating one observation expression against one observation: the comparison operators of
// STIX 2.1 §9.6 over the flattened observation (paths, [*], references, type rules).
//
// Internal to the pattern module. Allocates nothing; thread-safe.
#pragma once

#include <cstdint>

#include "pattern/compiled.h"
#include "pattern/observation.h"

namespace sw::pattern::detail {

// Work allowed for evaluating comparisons: one unit per path step taken. References can make an
// observation a graph (even with cycles), where `[*]` steps multiply; the budget bounds that.
struct Budget {
  uint64_t remaining = UINT64_MAX;
  bool exhausted = false;  // set when the budget ran out; the result is then unknown
};

// Whether `tree` (the inside of one [...]) holds starting from one SCO of `o`.
bool holds(const Compiled& p, const CompNode& tree, const Observation& o, Budget& budget);

}  // namespace sw::pattern::detail
