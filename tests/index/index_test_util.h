// Helpers for the index tests: STIX objects built from a few fields, a clock-free "now".
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/time.h"
#include "stix/object.h"

namespace sw::index::testing {

inline std::filesystem::path shared_data() {
  if (const char* env = std::getenv("SW_SHARED_DATA"); env && *env) return env;
  return SW_SHARED_DATA_DEFAULT;
}

inline core::Timestamp ts(int64_t seconds) {
  core::Timestamp t;
  t.seconds = seconds;
  return t;
}

// 2020-01-01T00:00:00Z plus `seconds`.
inline core::Timestamp at(int64_t seconds) { return ts(1577836800 + seconds); }

inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// A UUID whose last 12 hex digits are `n`.
inline std::string uuid_of(uint64_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n));
  return buf;
}

struct IndicatorSpec {
  std::string id;
  std::string pattern;
  core::Timestamp modified = at(0);
  std::string spec_version = "2.1";  // "" for a STIX 2.0 object
  std::string pattern_type = "stix";
  std::string valid_until;  // RFC 3339 or empty
  bool revoked = false;
  stix::Tlp tlp = stix::Tlp::kNone;
  std::string created_by_ref;  // empty: none
};

inline stix::Object indicator(const IndicatorSpec& s) {
  stix::Object o;
  o.meta.id = s.id;
  o.meta.type = "indicator";
  o.meta.spec_version = s.spec_version.empty() ? "2.0" : s.spec_version;
  o.meta.created = at(0);
  o.meta.modified = s.modified;
  o.meta.has_created = o.meta.has_modified = true;
  o.meta.revoked = s.revoked;
  o.meta.tlp = s.tlp;
  o.meta.created_by_ref = s.created_by_ref;
  o.meta.kind = stix::ObjectKind::kSdo;
  o.json = "{\"type\":\"indicator\",\"id\":" + json_string(s.id);
  if (!s.created_by_ref.empty()) o.json += ",\"created_by_ref\":" + json_string(s.created_by_ref);
  if (!s.spec_version.empty()) o.json += ",\"spec_version\":" + json_string(s.spec_version);
  o.json += ",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":" +
            json_string(core::format_timestamp(s.modified));
  o.json += ",\"pattern\":" + json_string(s.pattern);
  if (!s.pattern_type.empty()) o.json += ",\"pattern_type\":" + json_string(s.pattern_type);
  if (!s.valid_until.empty()) o.json += ",\"valid_until\":" + json_string(s.valid_until);
  if (s.revoked) o.json += ",\"revoked\":true";
  o.json += ",\"valid_from\":\"2020-01-01T00:00:00Z\"}";
  return o;
}

inline stix::Object indicator(std::string id, std::string pattern,
                              core::Timestamp modified = at(0)) {
  IndicatorSpec s;
  s.id = std::move(id);
  s.pattern = std::move(pattern);
  s.modified = modified;
  return indicator(s);
}

// An SCO (no created/modified) from its JSON members after type and id: `"value":"1.2.3.4"`.
inline stix::Object sco(std::string type, std::string id, std::string members,
                        stix::Tlp tlp = stix::Tlp::kNone) {
  stix::Object o;
  o.meta.id = id;
  o.meta.type = type;
  o.meta.spec_version = "2.1";
  o.meta.tlp = tlp;
  o.meta.kind = stix::ObjectKind::kSco;
  o.json = "{\"type\":" + json_string(type) + ",\"id\":" + json_string(id) +
           ",\"spec_version\":\"2.1\"," + members + "}";
  return o;
}

}  // namespace sw::index::testing
