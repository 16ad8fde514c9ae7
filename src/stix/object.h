// The STIX 2.1 object as Shieldwall carries it between parse, store, index and export: the few
// properties every layer needs (ObjectMeta), extracted once, next to the object's own JSON text.
// The JSON text is authoritative — unknown properties and extensions live there untouched — so
// an export returns what was imported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace sw::stix {

// TLP 2.0 levels, most open first; the order is the order of restriction. kNone: no TLP marking
// (the policy applies the node's default).
enum class Tlp : uint8_t { kNone = 0, kClear, kGreen, kAmber, kAmberStrict, kRed };
// PAP levels (FIRST Permissible Actions Protocol 2.0).
enum class Pap : uint8_t { kNone = 0, kClear, kGreen, kAmber, kRed };

const char* tlp_name(Tlp tlp);  // "clear", "green", "amber", "amber+strict", "red", "" for kNone
const char* pap_name(Pap pap);  // "clear", "green", "amber", "red", ""
bool parse_tlp_name(std::string_view name, Tlp& out);  // the names tlp_name() returns

// What kind of top-level object a type names (STIX 2.1 §4–§7, §11).
enum class ObjectKind : uint8_t {
  kSdo,        // a specification-defined domain object
  kSco,        // a specification-defined cyber-observable object
  kSro,        // relationship, sighting
  kMeta,       // marking-definition, language-content, extension-definition
  kCustom,     // any other type (a custom object, possibly defined by an extension-definition)
};

struct ObjectMeta {
  std::string id;            // "<type>--<uuid>"
  std::string type;
  std::string spec_version;  // "2.1" (SCOs may omit it; then "2.1" is assumed)
  core::Timestamp created;   // zero when the object has none (SCOs)
  core::Timestamp modified;  // equals created when the object has no modified (markings)
  bool has_created = false;
  bool has_modified = false;
  bool revoked = false;
  std::string created_by_ref;
  std::vector<std::string> marking_refs;  // object_marking_refs
  Tlp tlp = Tlp::kNone;                   // effective TLP: the most restrictive marking found
  Pap pap = Pap::kNone;
  ObjectKind kind = ObjectKind::kCustom;

  // The version key: sortable(modified) for versioned objects, sortable(created) for those
  // without modified, "" for objects with neither (SCOs: one version per deterministic id).
  std::string version_key() const;
};

// One object: metadata plus minified JSON text.
struct Object {
  ObjectMeta meta;
  std::string json;
};

}  // namespace sw::stix

namespace sw::stix {
// The kind of a type name per the specification's lists; kCustom for any other.
ObjectKind kind_of_type(std::string_view type);
const char* kind_name(ObjectKind kind);  // "sdo", "sco", "sro", "meta", "custom"
}  // namespace sw::stix
