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
