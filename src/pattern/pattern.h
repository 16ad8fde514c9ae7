// STIX patterning (STIX 2.1 §9 with errata 01; STIX 2.0 Part 5 where it differs): compile a
// pattern once, evaluate it against observations many times.
//
//   auto p = sw::pattern::Pattern::compile("[ipv4-addr:value = '198.51.100.1']");
//   if (!p.ok()) puts(p.error().to_string().c_str());  // "column 17: expected ']' but found 'AND'"
//   sw::pattern::Matcher m;                            // pattern/matcher.h
//   auto r = m.match(*p, observations);                // pattern/observation.h
//
// Patterns come from partners and are untrusted: compile() bounds the pattern's size and nesting,
// rejects what cannot be evaluated safely (a MATCHES regular expression RE2 cannot run in linear
// time, absurd REPEATS counts) and reports every problem with its column and what was expected.
// See docs/patterning.md for the language as implemented.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pattern/ast.h"

namespace sw::pattern {

namespace detail {
struct Compiled;
}

// Bounds on what compile() accepts; exceeding one is a validation error naming the limit.
struct Limits {
  size_t max_pattern_bytes = 1 << 20;  // 1 MiB of UTF-8
  uint32_t max_depth = 64;             // nested '(' and '['
  uint32_t max_path_steps = 64;        // .key, [n] and [*] steps of one object path
  uint64_t max_repeats = 1'000'000;    // REPEATS n TIMES
  int64_t regex_max_mem = 2 << 20;     // RE2 memory budget per MATCHES / LIKE expression
  uint32_t max_regexes = 256;          // MATCHES and general LIKE expressions in one pattern
};

struct CompileOptions {
  StixVersion version = StixVersion::k21;
  Limits limits;
};

// "2.0" / "2.1".
std::optional<StixVersion> parse_version(std::string_view text);

// A compiled pattern. Immutable after compile(); safe to share between threads, each evaluating
// with its own Matcher. Movable, not copyable.
class Pattern {
 public:
  // Parses and validates `text`. On failure the error is the first problem found; its `where` is
  // the column ("column 17"), its message says what was expected.
  static core::Result<Pattern> compile(std::string_view text, const CompileOptions& options = {});

  // Every problem in `text`: the first syntax error, or else every semantic error, in pattern
  // order. Empty when the pattern is valid.
  static std::vector<core::Error> validate(std::string_view text,
                                           const CompileOptions& options = {});

  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

  const Ast& ast() const;
  const std::string& text() const;
  StixVersion version() const;

  // The number of observation expressions ([...] groups), each of which a binding assigns to an
  // observation.
  uint32_t observation_expressions() const;

  const detail::Compiled& compiled() const { return *impl_; }

 private:
  explicit Pattern(std::unique_ptr<detail::Compiled> impl);
  std::unique_ptr<detail::Compiled> impl_;
};

}  // namespace sw::pattern
