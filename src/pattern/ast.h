// The syntax tree of a STIX pattern (STIX 2.1 §9; STIX 2.0 Part 5), as the parser builds it and the
// compiler, inspector and atom extractor read it. Plain values, freely copyable; the tree owns all
// its text. Offsets are byte offsets into the pattern text (errors turn them into columns).
//
// Chains of one operator are n-ary (`a OR b OR c` is one kOr node with three children) so a long
// list of alternatives does not make a deep tree. Qualifiers wrap the expression they follow.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace sw::pattern {

enum class StixVersion : uint8_t { k20, k21 };

// "2.0" or "2.1".
const char* version_name(StixVersion v);

// A constant (§9.2).
struct Constant {
  enum class Kind : uint8_t { kBool, kInt, kFloat, kString, kBinary, kHex, kTimestamp };
  Kind kind = Kind::kString;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  // kString: the text with escapes resolved (UTF-8). kBinary, kHex: the decoded octets.
  std::string bytes;
  core::Timestamp timestamp;
  // The constant as written, quotes and prefix included: 'a\'b', h'ff', t'2020-01-01T00:00:00Z'.
  std::string text;
  uint32_t offset = 0;
};

// "boolean", "integer", "float", "string", "binary", "hex", "timestamp".
const char* kind_name(Constant::Kind k);

struct PathStep {
  enum class Kind : uint8_t { kKey, kIndex, kAnyIndex };  // .key / [n] / [*]
  Kind kind = Kind::kKey;
  std::string key;
  int64_t index = 0;
};

// <object-type>:<property>[.<key> | [n] | [*]]...
struct ObjectPath {
  std::string object_type;
  std::vector<PathStep> steps;  // never empty; steps[0] is a key
  uint32_t offset = 0;
};

enum class Op : uint8_t {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kLike,
  kMatches,
  kIsSubset,
  kIsSuperset,
  kExists
};

// "=", "!=", "<", "<=", ">", ">=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS".
const char* op_name(Op op);

// One comparison expression: a path, an operator (maybe negated by NOT) and its constants.
struct Comparison {
  ObjectPath path;
  Op op = Op::kEq;
  bool negated = false;
  std::vector<Constant> values;  // one; any number for IN; none for EXISTS
  uint32_t observation = 0;      // the observation expression it belongs to
  uint32_t offset = 0;           // of the operator (of NOT when negated; of EXISTS)
};

// The Boolean expression inside one pair of square brackets.
struct CompNode {
  enum class Kind : uint8_t { kComparison, kAnd, kOr };
  Kind kind = Kind::kComparison;
  uint32_t comparison = 0;  // kComparison: index into Ast::comparisons
  std::vector<CompNode> children;
  uint32_t offset = 0;
};

// A node of the pattern above the brackets: an observation expression, an observation operator,
// or a qualifier (which has exactly one child, the expression it qualifies).
struct ObsNode {
  enum class Kind : uint8_t { kObservation, kAnd, kOr, kFollowedBy, kWithin, kRepeats, kStartStop };
  Kind kind = Kind::kObservation;
  uint32_t observation = 0;  // kObservation: its index, in pattern order
  CompNode comparison;       // kObservation
  std::vector<ObsNode> children;
  // kWithin: the window, in nanoseconds (saturated) and as written ("300", "1.5").
  int64_t within_nanos = 0;
  std::string within_text;
  uint64_t repeats = 0;  // kRepeats
  // kStartStop: the bounds and the constants as written (t'…' in 2.1, '…' in 2.0).
  core::Timestamp start, stop;
  std::string start_text, stop_text;
  uint32_t offset = 0;  // of the '[' / the operator / the qualifier keyword
};

struct Ast {
  StixVersion version = StixVersion::k21;
  ObsNode root;
  std::vector<Comparison> comparisons;  // in pattern order
  uint32_t observation_count = 0;
};

// The pattern in a canonical form: single spaces, constants as written, keys quoted only where the
// grammar requires. Parsing the result gives the same tree.
std::string to_string(const Ast& ast);

// A path as written in a pattern: "file:hashes.'SHA-256'", "x:a[*].b".
std::string to_string(const ObjectPath& path);

}  // namespace sw::pattern
