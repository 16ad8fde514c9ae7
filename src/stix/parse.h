// ObjectParser: turns the raw JSON of one top-level object into a validated stix::Object — parse
// (simdjson DOM of this one object; never of a whole bundle), validate (stix/validate.h), extract
// ObjectMeta, resolve markings, minify the text. Unknown properties and extensions are kept as
// they are.
//
// Not thread-safe: one parser per thread (it reuses simdjson's buffers between objects).
#pragma once

#include <simdjson.h>
#include <string_view>
#include <vector>

#include "stix/markings.h"
#include "stix/object.h"
#include "stix/validate.h"

namespace sw::stix {

class ObjectParser {
 public:
  // `markings` learns every TLP/PAP marking definition this parser accepts and resolves the
  // effective levels of every object; it must outlive the parser.
  explicit ObjectParser(MarkingResolver& markings);

  // Parses one object. `json` must be followed by simdjson::SIMDJSON_PADDING readable bytes (the
  // reader guarantees it). Appends warnings and errors to `issues`; returns true when the object
  // is acceptable (no error), with `out` filled.
  bool parse(std::string_view json, Object& out, std::vector<Issue>& issues);

  // The same for text without padding guarantees (copies it first).
  bool parse_unpadded(std::string_view json, Object& out, std::vector<Issue>& issues);

 private:
  MarkingResolver& markings_;
  simdjson::dom::parser parser_;
};

}  // namespace sw::stix
