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
//
// Rules (Issue::rule). Errors, each a MUST of the specification:
//   required-property      a property the type, its class (§3.2) or a conditional rule requires
//   property-type          the JSON type of a value (string, integer, boolean, list, object)
//   list-empty             a list with no value (§2.12)
//   dictionary-empty       a dictionary with no entry (§2.3)
//   id-format              "id" is not "<type>--<RFC 4122 UUID>" with the object's type (§2.9)
//   type-format            a type name breaks §3.1/§11.2
//   property-name          a custom or extension property name breaks §3.1/§11.1/§7.3.2
//   reserved-property      a RESERVED name is present (§3.8)
//   timestamp-format       not YYYY-MM-DDTHH:mm:ss[.s+]Z (§2.16)
//   timestamp-precision    created/modified below millisecond precision (§3.2)
//   modified-before-created, timestamp-order   modified < created; last_seen < first_seen, ...
//   reference-type         a *_ref(s) value is not an identifier, or names a type not allowed
//   spec-version           spec_version is not "2.1"
//   enum                   a value outside an enumeration (§10)
//   hex-format, binary-format, hash-format, dictionary-key, language-tag, value-format,
//   value-range            lexical and range rules of values (§2, §6, §10)
//   property-conflict      properties that MUST NOT be present together (or without another)
//   extension              the extensions dictionary and extension definitions (§3.2, §7.3, §11.3)
//   duplicate-key          a name repeated in any JSON object of the object (I-JSON, §2.3)
//   not-applicable-property   "defanged" on an object that is not an SCO (§3.2)
//   uuid-version           an SCO without ID contributing properties and no UUIDv4 (§2.9)
//   sco-id-namespace       a versioned SCO with an id in the default SCO namespace (§3.6)
//   granular-marking, circular-marking, tlp-marking   data markings (§7.2)
// Warnings, a SHOULD or what consumers will likely misread: vocab (outside an open vocabulary),
// sco-id-not-deterministic, uuid-version (an SDO, SRO or meta object without UUIDv4),
// not-applicable-property (a common property the object's class does not use),
// custom-property-prefix, custom-type-prefix, custom-extension-prefix, reference-format (a custom
// *_ref without an identifier), deprecated-property, kill-chain-format, value-range (a range the
// specification only describes, such as "as a non-negative integer").
bool validate_object(simdjson::dom::object obj, std::vector<Issue>& issues);

// The deterministic id (§2.9, §3.4) of an SCO: "<type>--<UUIDv5 over the RFC 8785 JSON of its ID
// contributing properties>"; nullopt when `type` is not a specification SCO or none of its
// contributing properties is present (then a UUIDv4 is correct). Of `hashes` one hash counts:
// MD5, else SHA-1, SHA-256, SHA-512, else the first given (as the OASIS python-stix2 library).
std::optional<std::string> sco_deterministic_id(simdjson::dom::object obj);

}  // namespace sw::stix
