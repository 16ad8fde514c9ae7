// UUIDs (RFC 4122): random v4 for new objects, name-based v5 for STIX SCO deterministic ids (§2.9).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sw::core {

using Uuid = std::array<uint8_t, 16>;

Uuid uuid_v4();
Uuid uuid_v5(const Uuid& ns, std::string_view name);

// Lower-case 8-4-4-4-12 form.
std::string to_string(const Uuid& u);

// Accepts the 8-4-4-4-12 form (either case). RFC 4122 compliance: variant bits 10x, version 1-8.
bool parse_uuid(std::string_view text, Uuid& out);
bool is_rfc4122_uuid(std::string_view text);
inline int uuid_version(const Uuid& u) { return u[6] >> 4; }

// The STIX namespace for SCO deterministic ids: 00abedb4-aa42-466c-9c01-fed23315a9b7.
const Uuid& stix_sco_namespace();

}  // namespace sw::core
