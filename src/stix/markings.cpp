#include "stix/markings.h"

#include <algorithm>
#include <cctype>

namespace sw::stix {
namespace {

struct KnownMarking {
  std::string_view id;
  MarkingLevels levels;
};

constexpr KnownMarking kKnown[] = {
    // TLP 2.0 (OASIS TLP 2.0 extension examples)
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", {Tlp::kClear, Pap::kNone}},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", {Tlp::kGreen, Pap::kNone}},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", {Tlp::kAmber, Pap::kNone}},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", {Tlp::kAmberStrict, Pap::kNone}},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", {Tlp::kRed, Pap::kNone}},
    // TLP 1.0 (STIX 2.1 §7.2.1.4); WHITE is TLP 2.0's CLEAR
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", {Tlp::kClear, Pap::kNone}},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", {Tlp::kGreen, Pap::kNone}},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", {Tlp::kAmber, Pap::kNone}},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", {Tlp::kRed, Pap::kNone}},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool tlp_level(std::string_view level, Tlp& out) {
  const std::string l = lower(level);
  if (l == "clear" || l == "white") out = Tlp::kClear;
  else if (l == "green") out = Tlp::kGreen;
  else if (l == "amber") out = Tlp::kAmber;
  else if (l == "amber+strict" || l == "amber-strict" || l == "amber strict") out = Tlp::kAmberStrict;
  else if (l == "red") out = Tlp::kRed;
  else return false;
  return true;
}

bool pap_level(std::string_view level, Pap& out) {
  const std::string l = lower(level);
  if (l == "clear" || l == "white") out = Pap::kClear;
  else if (l == "green") out = Pap::kGreen;
  else if (l == "amber") out = Pap::kAmber;
  else if (l == "red") out = Pap::kRed;
  else return false;
  return true;
}

void fold(MarkingLevels& into, MarkingLevels m) {
  into.tlp = std::max(into.tlp, m.tlp);
  into.pap = std::max(into.pap, m.pap);
}

}  // namespace

std::string_view tlp2_marking_id(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return kKnown[0].id;
    case Tlp::kGreen: return kKnown[1].id;
    case Tlp::kAmber: return kKnown[2].id;
    case Tlp::kAmberStrict: return kKnown[3].id;
    case Tlp::kRed: return kKnown[4].id;
    case Tlp::kNone: break;
  }
  return {};
}

std::optional<MarkingLevels> known_marking(std::string_view marking_id) {
  for (const auto& k : kKnown)
    if (k.id == marking_id) return k.levels;
  return std::nullopt;
}

MarkingLevels parse_marking_label(std::string_view text) {
  MarkingLevels m;
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return m;
  const std::string ns = lower(text.substr(0, colon));
  std::string_view value = text.substr(colon + 1);
  // MISP machine tags may quote the value: tlp:"amber"
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  if (ns == "tlp") tlp_level(value, m.tlp);
  else if (ns == "pap") pap_level(value, m.pap);
  return m;
}

std::optional<MarkingLevels> classify_marking_definition(simdjson::dom::object md) {
  MarkingLevels m;
  // TLP 2.0: extensions[<tlp 2.0 extension>].tlp_2_0
  simdjson::dom::object ext;
  if (md["extensions"].get_object().get(ext) == simdjson::SUCCESS) {
    std::string_view level;
    if (ext[kTlp2ExtensionId]["tlp_2_0"].get_string().get(level) == simdjson::SUCCESS)
      tlp_level(level, m.tlp);
  }
  std::string_view def_type, s;
  if (md["definition_type"].get_string().get(def_type) != simdjson::SUCCESS) def_type = {};
  const std::string dt = lower(def_type);
  simdjson::dom::element def;
  const bool has_def = md["definition"].get(def) == simdjson::SUCCESS;
  if (m.tlp == Tlp::kNone && dt == "tlp" && has_def) {
    // TLP 1.0: {"tlp": "amber"}; OpenCTI: "TLP:AMBER" as a string
    if (def["tlp"].get_string().get(s) == simdjson::SUCCESS) tlp_level(s, m.tlp);
    else if (def.get_string().get(s) == simdjson::SUCCESS) fold(m, parse_marking_label(s));
  }
  if (dt == "pap" && has_def && def.get_string().get(s) == simdjson::SUCCESS) fold(m, parse_marking_label(s));
  if (dt == "statement" && has_def && def["statement"].get_string().get(s) == simdjson::SUCCESS)
    fold(m, parse_marking_label(s));
  if (md["name"].get_string().get(s) == simdjson::SUCCESS) {
    MarkingLevels byname = parse_marking_label(s);
    if (m.tlp == Tlp::kNone) m.tlp = byname.tlp;
    if (m.pap == Pap::kNone) m.pap = byname.pap;
  }
  if (m.tlp == Tlp::kNone && m.pap == Pap::kNone) return std::nullopt;
  return m;
}

std::optional<MarkingLevels> MarkingResolver::lookup(std::string_view marking_id) const {
  if (auto k = known_marking(marking_id)) return k;
  if (auto it = custom_.find(std::string(marking_id)); it != custom_.end()) return it->second;
  return std::nullopt;
}

void MarkingResolver::resolve(simdjson::dom::object obj, ObjectMeta& meta) const {
  MarkingLevels m;
  for (const auto& ref : meta.marking_refs)
    if (auto l = lookup(ref)) fold(m, *l);
  simdjson::dom::array granular;
  if (obj["granular_markings"].get_array().get(granular) == simdjson::SUCCESS) {
    for (auto g : granular) {
      std::string_view ref;
      if (g["marking_ref"].get_string().get(ref) == simdjson::SUCCESS)
        if (auto l = lookup(ref)) fold(m, *l);
    }
  }
  simdjson::dom::array labels;
  if (obj["labels"].get_array().get(labels) == simdjson::SUCCESS) {
    for (auto l : labels) {
      std::string_view s;
      if (l.get_string().get(s) == simdjson::SUCCESS && s.size() > 4) fold(m, parse_marking_label(s));
    }
  }
  meta.tlp = m.tlp;
  meta.pap = m.pap;
}

}  // namespace sw::stix
