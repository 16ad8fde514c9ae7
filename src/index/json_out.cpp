#include "index/json_out.h"

#include "core/json.h"
#include "core/time.h"

namespace sw::index {

namespace {

void append_version(std::string& out, const core::Timestamp& t) {
  if (t.seconds == 0 && t.nanos == 0) {
    out += "null";
    return;
  }
  core::append_json_string(out, core::format_timestamp(t));
}

void append_tlp(std::string& out, stix::Tlp tlp) {
  const char* name = stix::tlp_name(tlp);
  if (*name == '\0') {
    out += "null";
  } else {
    core::append_json_string(out, name);
  }
}

}  // namespace

void append_hit_json(std::string& out, const Hit& h, bool satisfied) {
  out += "{\"id\":";
  out += '"';
  h.append_id(out);
  out += "\",\"type\":";
  core::append_json_string(out, h.type);
  out += ",\"version\":";
  append_version(out, h.modified);
  out += ",\"tlp\":";
  append_tlp(out, h.tlp);
  out += ",\"match\":";
  core::append_json_string(out, match_name(h.match));
  out += ",\"key\":";
  core::append_json_string(out, h.key);
  out += ",\"satisfied\":";
  out += satisfied ? "true" : "false";
  out += '}';
}

bool append_warninglists_json(std::string& out, const WarningLists& lists, Kind kind,
                              std::string_view value, std::vector<uint32_t>& scratch) {
  out += ",\"warninglists\":[";
  scratch.clear();
  if (!lists.lists().empty()) lists.check(kind, value, scratch);
  for (size_t i = 0; i < scratch.size(); ++i) {
    if (i) out += ',';
    core::append_json_string(out, lists.info(scratch[i]).id);
  }
  out += ']';
  return !scratch.empty();
}

void append_correlation_json(std::string& out, std::string_view id, const Correlation& c) {
  out += "{\"id\":";
  core::append_json_string(out, id);
  out += ",\"atoms\":" + std::to_string(c.atoms) + ",\"related\":[";
  for (size_t i = 0; i < c.peers.size(); ++i) {
    const auto& p = c.peers[i];
    if (i) out += ',';
    out += "{\"id\":";
    core::append_json_string(out, p.object.id);
    out += ",\"type\":";
    core::append_json_string(out, p.object.type);
    out += ",\"version\":";
    append_version(out, p.object.modified);
    out += ",\"tlp\":";
    append_tlp(out, p.object.tlp);
    out += ",\"shared\":" + std::to_string(p.shared) + "}";
  }
  out += "],\"over_correlating\":[";
  for (size_t i = 0; i < c.over_correlating.size(); ++i) {
    const auto& o = c.over_correlating[i];
    if (i) out += ',';
    out += "{\"kind\":";
    core::append_json_string(out, kind_name(o.kind));
    out += ",\"key\":";
    core::append_json_string(out, o.key);
    out += ",\"objects\":" + std::to_string(o.objects) + "}";
  }
  out += "]}";
}

}  // namespace sw::index
