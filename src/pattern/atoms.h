// Looking inside a compiled pattern without evaluating it.
//
// Atoms are its comparisons, for the indicator index (ARCHITECTURE.md §4): an observable is looked
// up by atom, and the full pattern is evaluated only where the pattern needs more than the atom.
// inspect() is the summary `shieldwall pattern inspect` prints, modelled on the OASIS
// cti-pattern-validator inspector (docs/patterning.md describes the format).
//
// Pure functions of the pattern; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pattern/pattern.h"

namespace sw::pattern {

// One comparison: (object type, path, operator, constants).
struct Atom {
  uint32_t expression = 0;  // the observation expression it is in (pattern order, 0-based)
  std::string object_type;
  std::vector<PathStep> path;
  Op op = Op::kEq;
  bool negated = false;
  std::vector<Constant> values;  // one; any number for IN; none for EXISTS
};

// Every comparison, in pattern order.
std::vector<Atom> atoms(const Pattern& pattern);

enum class AtomDecision : uint8_t {
  kSingleAtom,       // one observation expression holding one comparison
  kAnyAtom,          // one observation expression whose comparisons are all joined by OR
  kNeedsEvaluation,  // anything else: AND inside brackets, several observation expressions,
                     // START/STOP, REPEATS n > 1
};

// Whether a pattern is fully decided by its atoms, for one observed-data: with kSingleAtom or
// kAnyAtom the pattern matches an observed-data exactly when one of its atoms holds for one of its
// SCOs (WITHIN and REPEATS 1 TIMES always hold for a single observation).
AtomDecision atom_decision(const Pattern& pattern);

// atom_decision() is kSingleAtom or kAnyAtom: a single atom that holds decides the match.
bool decided_by_single_atom(const Pattern& pattern);

struct InspectedComparison {
  std::vector<PathStep> path;  // keys, indexes and [*]
  std::string op;              // "=", "NOT =", "IN", "NOT MATCHES", "EXISTS", …
  std::optional<std::string>
      value;  // the constant as written ('abc', 12, h'ff', ('a','b')); none for EXISTS
};

struct Inspection {
  std::vector<std::string> qualifiers;       // "WITHIN 5 SECONDS", each once, in text order
  std::vector<std::string> observation_ops;  // "AND", "OR", "FOLLOWEDBY", each once, in text order
  // Comparisons grouped by object type; types in order of first appearance.
  std::vector<std::pair<std::string, std::vector<InspectedComparison>>> comparisons;
};

Inspection inspect(const Pattern& pattern);

// The inspection as one JSON object (what `shieldwall pattern inspect` prints):
// {"qualifiers": [...], "observation_ops": [...], "comparisons": {type: [[path, op, value]]}}
// where path is a list of keys (strings), indexes (integers) and "*", and value is null for EXISTS.
std::string to_json(const Inspection& inspection);

}  // namespace sw::pattern
