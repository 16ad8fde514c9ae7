#include "stix/object.h"

namespace sw::stix {

const char* tlp_name(Tlp tlp) {
  switch (tlp) {
    case Tlp::kNone: return "";
    case Tlp::kClear: return "clear";
    case Tlp::kGreen: return "green";
    case Tlp::kAmber: return "amber";
    case Tlp::kAmberStrict: return "amber+strict";
    case Tlp::kRed: return "red";
  }
  return "";
}

const char* pap_name(Pap pap) {
  switch (pap) {
    case Pap::kNone: return "";
    case Pap::kClear: return "clear";
    case Pap::kGreen: return "green";
    case Pap::kAmber: return "amber";
    case Pap::kRed: return "red";
  }
  return "";
}

bool parse_tlp_name(std::string_view name, Tlp& out) {
  for (Tlp t : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    if (name == tlp_name(t)) {
      out = t;
      return true;
    }
  }
  return false;
}

std::string ObjectMeta::version_key() const {
  if (has_modified) return core::sortable(modified);
  if (has_created) return core::sortable(created);
  return {};
}

}  // namespace sw::stix

namespace sw::stix {

ObjectKind kind_of_type(std::string_view t) {
  static constexpr std::string_view kSdo[] = {
      "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident",
      "indicator", "infrastructure", "intrusion-set", "location", "malware", "malware-analysis",
      "note", "observed-data", "opinion", "report", "threat-actor", "tool", "vulnerability"};
  static constexpr std::string_view kSco[] = {
      "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message",
      "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process",
      "software", "url", "user-account", "windows-registry-key", "x509-certificate"};
  for (auto s : kSdo)
    if (s == t) return ObjectKind::kSdo;
  for (auto s : kSco)
    if (s == t) return ObjectKind::kSco;
  if (t == "relationship" || t == "sighting") return ObjectKind::kSro;
  if (t == "marking-definition" || t == "language-content" || t == "extension-definition")
    return ObjectKind::kMeta;
  return ObjectKind::kCustom;
}

const char* kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kSdo: return "sdo";
    case ObjectKind::kSco: return "sco";
    case ObjectKind::kSro: return "sro";
    case ObjectKind::kMeta: return "meta";
    case ObjectKind::kCustom: return "custom";
  }
  return "custom";
}

}  // namespace sw::stix
