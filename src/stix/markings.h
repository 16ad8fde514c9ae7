// Markings: which TLP and PAP level an object carries (STIX 2.1 §7.2, TLP 2.0 via the OASIS
// extension, TLP 1.0 via the §7.2.1.4 definitions, and the aliases other platforms write).
//
// The effective TLP of an object is the most restrictive level among its object_marking_refs and
// granular_markings (a granular RED marking makes the object hold RED content); PAP likewise. An
// object with no recognised TLP gets Tlp::kNone, which the policy turns into the node default.
#pragma once

#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <unordered_map>

#include "stix/object.h"

namespace sw::stix {

struct MarkingLevels {
  Tlp tlp = Tlp::kNone;
  Pap pap = Pap::kNone;
};

// The TLP 2.0 extension-definition id (OASIS cti-stix-common-objects).
inline constexpr std::string_view kTlp2ExtensionId =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

// The published marking-definition id of a TLP level (TLP 2.0 ids; kNone → "").
std::string_view tlp2_marking_id(Tlp tlp);

// Levels of the standard marking definitions known by id (TLP 2.0 and TLP 1.0).
std::optional<MarkingLevels> known_marking(std::string_view marking_id);

// Reads a marking-definition object: the TLP 2.0 extension, a TLP 1.0 definition, and aliases —
// names or statements such as "TLP:AMBER+STRICT", "tlp:white", "PAP:GREEN", and OpenCTI's
// definition_type "TLP"/"PAP". nullopt when it is neither TLP nor PAP.
std::optional<MarkingLevels> classify_marking_definition(simdjson::dom::object md);

// Reads "tlp:amber", "TLP:AMBER+STRICT", "pap:red"… (MISP tags, names); kNone parts when not one.
MarkingLevels parse_marking_label(std::string_view text);

// Knows the levels of marking definitions by id: the standard ones, plus every marking definition
// it has been shown (from the store and from files being imported). Copyable (strict imports keep
// a copy to roll back to). Not thread-safe.
class MarkingResolver {
 public:
  // Marking definitions are immutable (§7.2: never versioned): what is known first — the store's,
  // loaded at start — is kept, so a later object reusing the id cannot change a level.
  void learn(std::string id, MarkingLevels levels) { custom_.emplace(std::move(id), levels); }
  std::optional<MarkingLevels> lookup(std::string_view marking_id) const;

  // Folds the object's marking refs (object-level and granular) and MISP-style labels into the
  // effective levels, and sets meta.tlp / meta.pap.
  void resolve(simdjson::dom::object obj, ObjectMeta& meta) const;

 private:
  std::unordered_map<std::string, MarkingLevels> custom_;
};

}  // namespace sw::stix
