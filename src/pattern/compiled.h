// The compiled form of a pattern that the matcher evaluates: each comparison with its path split
// into steps (reference-following marked), its constants pre-converted to every form a property
// may need (octets, IP block, NFC text), and its regular expressions compiled by RE2.
//
// Internal to the pattern module. Immutable once built; RE2 objects are thread-safe to match.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "pattern/ast.h"
#include "pattern/ip.h"

namespace sw::pattern::detail {

// A constant in the forms a comparison with a property value may need.
struct Value {
  Constant::Kind kind = Constant::Kind::kString;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string bytes;  // kString: UTF-8 text; kBinary / kHex: octets
  // kString only: the code points as octets, when every one is below U+0100 (§9.2, §9.6.4).
  bool has_octets = false;
  std::string octets;
  // kString only: the text parsed as an IP address or CIDR block.
  bool has_ip = false;
  IpNet ip;
  core::Timestamp timestamp;
};

struct Step {
  enum class Ref : uint8_t { kNone, kSingle, kList };  // the key ends in _ref / _refs
  PathStep::Kind kind = PathStep::Kind::kKey;
  Ref ref = Ref::kNone;
  std::string key;
  int64_t index = 0;
};

// LIKE without wildcards in the middle needs no regular expression.
struct LikePlan {
  enum class Kind : uint8_t { kExact, kPrefix, kSuffix, kContains, kAnything, kRegex };
  Kind kind = Kind::kExact;
  std::string literal;      // NFC
  std::unique_ptr<RE2> re;  // kRegex: anchored at both ends
};

struct CompiledComparison {
  std::string type;
  std::vector<Step> steps;
  Op op = Op::kEq;
  bool negated = false;
  std::vector<Value> values;
  // =, != and IN on "<ipv4-addr|ipv6-addr>.value": the values are address blocks, so
  // "198.51.100.1" equals "198.51.100.1/32" (STIX 2.1 §6.4/§6.5) — decided per property value.
  bool ip_value = false;
  std::unique_ptr<RE2> re_text;    // MATCHES on strings (UTF-8, NFC)
  std::unique_ptr<RE2> re_octets;  // MATCHES on binary values (Latin-1); null if not expressible
  LikePlan like;
};

struct Compiled {
  std::string text;
  Ast ast;
  std::vector<CompiledComparison> comparisons;  // parallel to ast.comparisons
  std::vector<const ObsNode*> leaves;           // the observation expressions, by index (in ast)
};

}  // namespace sw::pattern::detail
