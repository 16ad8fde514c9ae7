#include "stix/parse.h"

namespace sw::stix {
namespace {

void add_error(std::vector<Issue>& issues, std::string path, std::string rule, std::string msg) {
  issues.push_back({Severity::kError, std::move(path), std::move(rule), std::move(msg)});
}

std::string_view str(simdjson::dom::object o, std::string_view key) {
  std::string_view s;
  if (o[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

}  // namespace

ObjectParser::ObjectParser(MarkingResolver& markings) : markings_(markings) {}

bool ObjectParser::parse_unpadded(std::string_view json, Object& out, std::vector<Issue>& issues) {
  simdjson::padded_string padded(json);
  return parse(std::string_view(padded.data(), padded.size()), out, issues);
}

bool ObjectParser::parse(std::string_view json, Object& out, std::vector<Issue>& issues) {
  simdjson::dom::element root;
  if (auto err = parser_.parse(json.data(), json.size(), false).get(root); err) {
    std::string msg = "not valid JSON: ";
    msg += simdjson::error_message(err);
    if (err == simdjson::DEPTH_ERROR) msg = "JSON nested deeper than 1024 levels";
    add_error(issues, "$", "json-syntax", std::move(msg));
    return false;
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    add_error(issues, "$", "json-syntax", "a STIX object must be a JSON object");
    return false;
  }
  ObjectMeta& m = out.meta;
  m = ObjectMeta{};
  m.id = str(obj, "id");  // known even when the object is rejected, so findings can name it
  if (!validate_object(obj, issues)) return false;

  m.type = str(obj, "type");
  m.kind = kind_of_type(m.type);
  m.spec_version = str(obj, "spec_version");
  if (m.spec_version.empty()) m.spec_version = "2.1";
  // The validator has checked the timestamps' form; a parse failure here is a validator gap, and
  // the object is rejected rather than stored with a wrong version key.
  if (auto c = str(obj, "created"); !c.empty()) {
    auto ts = core::parse_timestamp(c);
    if (!ts.ok()) {
      add_error(issues, "$.created", "timestamp-format", ts.error().message);
      return false;
    }
    m.created = *ts;
    m.has_created = true;
  }
  if (auto mod = str(obj, "modified"); !mod.empty()) {
    auto ts = core::parse_timestamp(mod);
    if (!ts.ok()) {
      add_error(issues, "$.modified", "timestamp-format", ts.error().message);
      return false;
    }
    m.modified = *ts;
    m.has_modified = true;
  } else if (m.has_created) {
    m.modified = m.created;
  }
  bool revoked = false;
  if (obj["revoked"].get_bool().get(revoked) == simdjson::SUCCESS) m.revoked = revoked;
  m.created_by_ref = str(obj, "created_by_ref");
  simdjson::dom::array refs;
  if (obj["object_marking_refs"].get_array().get(refs) == simdjson::SUCCESS) {
    for (auto r : refs) {
      std::string_view s;
      if (r.get_string().get(s) == simdjson::SUCCESS) m.marking_refs.emplace_back(s);
    }
  }
  if (m.type == "marking-definition") {
    if (auto levels = classify_marking_definition(obj)) markings_.learn(m.id, *levels);
  }
  markings_.resolve(obj, m);

  out.json.resize(json.size());
  size_t len = 0;
  if (simdjson::minify(json.data(), json.size(), out.json.data(), len) != simdjson::SUCCESS) {
    add_error(issues, "$", "json-syntax", "cannot minify");
    return false;
  }
  out.json.resize(len);
  return true;
}

}  // namespace sw::stix
