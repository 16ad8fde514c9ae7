// JSON helpers shared by every module: escaping for hand-written output on hot paths, and the
// RFC 8785 canonical form (JCS) used for SCO deterministic ids and, later, signatures.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sw::core {

// Appends `s` as a JSON string literal (with quotes). `s` must be valid UTF-8.
void append_json_string(std::string& out, std::string_view s);

// RFC 8785 JSON Canonicalization Scheme: keys sorted by UTF-16 code units, no whitespace,
// ECMAScript number formatting, minimal string escaping.
std::string canonical_json(const boost::json::value& v);

// Parses a whole document with Boost.JSON (small documents: config, requests). Errors name
// line and column.
Result<boost::json::value> parse_json(std::string_view text, std::string_view where = {});

}  // namespace sw::core
