// Lexical checks on STIX 2.1 string values and names that the validator (stix/validate.cpp)
// applies: names (§3.1, §7.3.2, §11), dictionary keys (§2.3), hex (§2.8), binary (§2.1), hash
// values (§10.7), identifiers (§2.9), RFC 5646 language tags and the SCO value formats of §6.
// Pure functions over their arguments; no allocation.
#pragma once

#include <string_view>

#include "core/uuid.h"

namespace sw::stix::detail {

// §3.1/§11.2/§7.3.2: 3–250 characters of a-z, 0-9 and '-', beginning with a letter, no "--".
// Returns nullptr when valid, else what is wrong.
const char* type_name_problem(std::string_view name);

// §3.1/§11.1/§7.3.2: 3–250 characters of a-z, 0-9 and '_', beginning with a letter.
bool is_property_name(std::string_view name);

// §2.3: at most 250 ASCII characters of a-z, A-Z, 0-9, '-' and '_'. `min` is 3 for hashes (§2.7).
bool is_dictionary_key(std::string_view key, size_t min = 0);

// §2.8: an even number of the characters 0-9 and a-f.
bool is_hex(std::string_view s);

// §2.1: RFC 4648 base64 (standard alphabet, padded).
bool is_base64(std::string_view s);

// §10.7: whether `value` is in the format of hash algorithm `algo`. `known` is set to whether
// `algo` is one of hash-algorithm-ov's names (the format of others is not checked).
bool hash_value_ok(std::string_view algo, std::string_view value, bool& known);

// §2.9: splits "<type>--<uuid>" (the UUID is the last 36 characters). False when the shape is
// wrong; the type and UUID are then checked by the caller.
bool split_identifier(std::string_view id, std::string_view& type, std::string_view& uuid);

// One pass over a UUID's 8-4-4-4-12 text: true when it is RFC 4122-compliant (variant 10x,
// version 1–8, as core::is_rfc4122_uuid), with the bytes in `out`.
bool parse_rfc4122_uuid(std::string_view text, core::Uuid& out);

// RFC 5646 well-formedness (language, extlang, script, region, variants, extensions, private use;
// "x-…" private tags and "i-…" grandfathered tags).
bool is_language_tag(std::string_view s);

bool is_ipv4_cidr(std::string_view s);    // dotted quad, optional /0–32 (§6.8)
bool is_ipv6_cidr(std::string_view s);    // RFC 4291 text form, optional /0–128 (§6.9)
bool is_mac_address(std::string_view s);  // 00:00:ab:cd:ef:01, lowercase, zero-padded (§6.10)
bool is_domain_name(std::string_view s);  // RFC 1034 structure: labels of 1–63, at most 253 (§6.4)
bool is_url(std::string_view s);          // RFC 3986: a scheme, no spaces or controls (§6.15)
bool is_email_address(std::string_view s);  // addr-spec: local@domain, no display name (§6.5)
bool is_cpe23(std::string_view s);          // "cpe:2.3:" and 13 colon-separated parts (§6.14)
bool is_abbreviated_hive(std::string_view registry_key);  // HKLM\…, HKCU\… (§6.17: MUST expand)

}  // namespace sw::stix::detail
