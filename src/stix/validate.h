// STIX 2.1 validation of one top-level object: every MUST of the specification that can be checked
// on the object alone is an error (the object is rejected); SHOULD-level problems are warnings (the
// object is kept). Each issue names the JSON path inside the object and a stable rule name, so a
// user can find the place and tests can pin the rule.
#pragma once

#include <optional>
#include <simdjson.h>
#include <string>
#include <vector>

namespace sw::stix {

enum class Severity { kError, kWarning };

struct Issue {
  Severity severity = Severity::kError;
  std::string path;     // JSON path relative to the object: "$", "$.created", "$.kill_chain_phases[0].phase_name"
  std::string rule;     // stable rule name, e.g. "required-property", "timestamp-format", "reference-type"
  std::string message;  // for a person: what is wrong and what the specification requires
};

// Validates one object (a top-level STIX object, not a bundle). Appends to `issues`; returns true
// when no error (warnings allowed) was found. Thread-safe (no shared mutable state).
bool validate_object(simdjson::dom::object obj, std::vector<Issue>& issues);

// The deterministic id (§2.9, §3.4) of an SCO: "<type>--<UUIDv5 over the RFC 8785 JSON of its ID
// contributing properties>"; nullopt when `type` is not a specification SCO or none of its
// contributing properties is present (then a UUIDv4 is correct).
std::optional<std::string> sco_deterministic_id(simdjson::dom::object obj);

}  // namespace sw::stix
