// The STIX pattern parser: recursive descent over the OASIS grammar (STIXPattern.g4), with the
// precedence of STIX 2.1 §9.5.3 — qualifiers bind to the expression they follow, then AND, OR,
// FOLLOWEDBY between observation expressions; AND before OR inside brackets.
//
// parse() checks syntax and everything a single token decides (constant formats, timestamps,
// integer ranges, qualifier values, version differences, duplicate qualifiers, nesting depth).
// Checks that need the whole tree are in pattern.cpp. Internal to the pattern module.
#pragma once

#include <string_view>

#include "core/result.h"
#include "pattern/ast.h"
#include "pattern/pattern.h"

namespace sw::pattern {

// The tree of `text`, or the first syntax error ("column 17: expected ']' but found 'AND'").
// `text` must already be checked to be valid UTF-8 and within limits.max_pattern_bytes.
core::Result<Ast> parse(std::string_view text, const CompileOptions& options);

}  // namespace sw::pattern
