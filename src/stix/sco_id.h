// SCO deterministic ids (STIX 2.1 §2.9, §3.4): the UUIDv5, in the STIX namespace, of the RFC 8785
// canonical JSON of an SCO's "ID Contributing Properties". The public entry point is
// sco_deterministic_id() in stix/validate.h; this header adds what the validator needs.
#pragma once

#include <simdjson.h>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/uuid.h"

namespace sw::stix {

// The ID Contributing Properties of a specification SCO type, in specification order; nullopt
// when `type` is not a specification SCO. Process has none (always UUIDv4).
std::optional<std::span<const std::string_view>> sco_id_contributing_properties(
    std::string_view type);

// The name the UUIDv5 is computed over: the canonical JSON object of the contributing properties
// `obj` has (one hash of `hashes`, preferring MD5, SHA-1, SHA-256, SHA-512, else the first).
// nullopt when `type` is not a specification SCO or none is present.
std::optional<std::string> sco_id_name(std::string_view type, simdjson::dom::object obj);

// The UUID part of the deterministic id; nullopt as for sco_id_name.
std::optional<core::Uuid> sco_deterministic_uuid(std::string_view type, simdjson::dom::object obj);

}  // namespace sw::stix
