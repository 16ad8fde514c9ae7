#include "stix/sco_id.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <vector>

#include "core/json.h"
#include "stix/dom_util.h"
#include "stix/validate.h"

namespace sw::stix {
namespace {

struct ScoIdProps {
  std::string_view type;
  std::span<const std::string_view> props;
};

// "ID Contributing Properties" of each SCO section of §6.
constexpr std::string_view kArtifact[] = {"hashes", "payload_bin"};
constexpr std::string_view kAutonomousSystem[] = {"number"};
constexpr std::string_view kDirectory[] = {"path"};
constexpr std::string_view kValue[] = {"value"};
constexpr std::string_view kEmailMessage[] = {"from_ref", "subject", "body"};
constexpr std::string_view kFile[] = {"hashes", "name", "extensions", "parent_directory_ref"};
constexpr std::string_view kMutex[] = {"name"};
constexpr std::string_view kNetworkTraffic[] = {"start",    "end",      "src_ref",   "dst_ref",
                                                "src_port", "dst_port", "protocols", "extensions"};
constexpr std::string_view kSoftware[] = {"name", "cpe", "swid", "vendor", "version"};
constexpr std::string_view kUserAccount[] = {"account_type", "user_id", "account_login"};
constexpr std::string_view kWindowsRegistryKey[] = {"key", "values"};
constexpr std::string_view kX509Certificate[] = {"hashes", "serial_number"};

constexpr ScoIdProps kScoIdProps[] = {
    {"artifact", kArtifact},
    {"autonomous-system", kAutonomousSystem},
    {"directory", kDirectory},
    {"domain-name", kValue},
    {"email-addr", kValue},
    {"email-message", kEmailMessage},
    {"file", kFile},
    {"ipv4-addr", kValue},
    {"ipv6-addr", kValue},
    {"mac-addr", kValue},
    {"mutex", kMutex},
    {"network-traffic", kNetworkTraffic},
    {"process", {}},
    {"software", kSoftware},
    {"url", kValue},
    {"user-account", kUserAccount},
    {"windows-registry-key", kWindowsRegistryKey},
    {"x509-certificate", kX509Certificate},
};


boost::json::value to_boost(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY: {
      boost::json::array a;
      for (simdjson::dom::element v : as_array(e)) a.push_back(to_boost(v));
      return a;
    }
    case element_type::OBJECT: {
      boost::json::object o;
      for (auto field : as_object(e)) o[field.key] = to_boost(field.value);
      return o;
    }
    case element_type::INT64:
      return e.get_int64().value_unsafe();
    case element_type::UINT64:
      return e.get_uint64().value_unsafe();
    case element_type::DOUBLE:
      return e.get_double().value_unsafe();
    case element_type::STRING:
      return boost::json::string(e.get_string().value_unsafe());
    case element_type::BOOL:
      return e.get_bool().value_unsafe();
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

// §3.4: "include only one hash", from the ordered preference list, else the first one given
// (as the OASIS reference implementation does).
std::optional<boost::json::value> one_hash(simdjson::dom::element hashes) {
  simdjson::dom::object h;
  if (hashes.get_object().get(h) != simdjson::SUCCESS) return std::nullopt;
  for (std::string_view algo : {"MD5", "SHA-1", "SHA-256", "SHA-512"}) {
    simdjson::dom::element v;
    if (h.at_key(algo).get(v) == simdjson::SUCCESS) {
      boost::json::object o;
      o[algo] = to_boost(v);
      return o;
    }
  }
  for (auto field : h) {
    boost::json::object o;
    o[field.key] = to_boost(field.value);
    return o;
  }
  return std::nullopt;
}

// RFC 8785 straight from the DOM for what contributing properties hold in practice: strings,
// integers, booleans, lists and objects with ASCII names (whose byte order is the UTF-16 order
// RFC 8785 sorts by). False for anything else (a double, a non-ASCII or repeated name), and the
// caller falls back to building a boost::json value for core::canonical_json.
bool append_canonical(std::string& out, simdjson::dom::element e, int depth = 0) {
  using simdjson::dom::element_type;
  if (depth > 64) return false;
  switch (e.type()) {
    case element_type::STRING:
      core::append_json_string(out, e.get_string().value_unsafe());
      return true;
    case element_type::INT64:
    case element_type::UINT64: {
      // ECMAScript prints integers below 2^53 digit for digit; larger ones go through a double.
      const bool neg = e.type() == element_type::INT64 && e.get_int64().value_unsafe() < 0;
      const uint64_t mag = e.type() == element_type::UINT64 ? e.get_uint64().value_unsafe()
                           : neg ? 0 - static_cast<uint64_t>(e.get_int64().value_unsafe())
                                 : static_cast<uint64_t>(e.get_int64().value_unsafe());
      if (mag > (uint64_t{1} << 53)) return false;
      if (neg) out += '-';
      out += std::to_string(mag);
      return true;
    }
    case element_type::BOOL:
      out += e.get_bool().value_unsafe() ? "true" : "false";
      return true;
    case element_type::NULL_VALUE:
      out += "null";
      return true;
    case element_type::DOUBLE:
      return false;
    case element_type::ARRAY: {
      out += '[';
      bool first = true;
      for (simdjson::dom::element v : as_array(e)) {
        if (!first) out += ',';
        first = false;
        if (!append_canonical(out, v, depth + 1)) return false;
      }
      out += ']';
      return true;
    }
    case element_type::OBJECT: {
      struct Member {
        std::string_view key;
        simdjson::dom::element value;
      };
      std::vector<Member> members;
      for (auto field : as_object(e)) {
        for (char c : field.key)
          if (static_cast<unsigned char>(c) >= 0x80) return false;
        members.push_back({field.key, field.value});
      }
      std::sort(members.begin(), members.end(),
                [](const Member& a, const Member& b) { return a.key < b.key; });
      out += '{';
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) {
          if (members[i].key == members[i - 1].key) return false;
          out += ',';
        }
        core::append_json_string(out, members[i].key);
        out += ':';
        if (!append_canonical(out, members[i].value, depth + 1)) return false;
      }
      out += '}';
      return true;
    }
  }
  return false;
}

// The chosen hash of `hashes` (see one_hash) as its name and value.
bool choose_hash(simdjson::dom::element hashes, std::string_view& algo,
                 simdjson::dom::element& value) {
  simdjson::dom::object h;
  if (hashes.get_object().get(h) != simdjson::SUCCESS) return false;
  for (std::string_view a : {"MD5", "SHA-1", "SHA-256", "SHA-512"})
    if (h.at_key(a).get(value) == simdjson::SUCCESS) {
      algo = a;
      return true;
    }
  for (auto field : h) {
    algo = field.key;
    value = field.value;
    return true;
  }
  return false;
}

// The fast path of sco_id_name: false when it cannot be used (then nothing is promised about
// `out`).
bool fast_name(std::span<const std::string_view> props, simdjson::dom::object obj,
               std::string& out) {
  std::array<std::string_view, 8> present;
  std::array<simdjson::dom::element, 8> values;
  size_t n = 0;
  for (std::string_view p : props) {
    simdjson::dom::element v;
    if (obj.at_key(p).get(v) != simdjson::SUCCESS) continue;
    present[n] = p;
    values[n] = v;
    ++n;
  }
  if (n == 0) return false;
  // Sort the (at most eight) present names.
  for (size_t i = 1; i < n; ++i)
    for (size_t j = i; j > 0 && present[j] < present[j - 1]; --j) {
      std::swap(present[j], present[j - 1]);
      std::swap(values[j], values[j - 1]);
    }
  out.clear();
  out += '{';
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view algo;
    simdjson::dom::element hash;
    if (present[i] == "hashes" && !choose_hash(values[i], algo, hash))
      continue;  // empty: as absent
    if (any) out += ',';
    any = true;
    core::append_json_string(out, present[i]);
    out += ':';
    if (present[i] == "hashes") {
      for (char c : algo)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
      out += '{';
      core::append_json_string(out, algo);
      out += ':';
      if (!append_canonical(out, hash)) return false;
      out += '}';
    } else if (!append_canonical(out, values[i])) {
      return false;
    }
  }
  out += '}';
  return any;
}

}  // namespace

std::optional<std::span<const std::string_view>> sco_id_contributing_properties(
    std::string_view type) {
  for (const ScoIdProps& s : kScoIdProps)
    if (s.type == type) return s.props;
  return std::nullopt;
}

std::optional<std::string> sco_id_name(std::string_view type, simdjson::dom::object obj) {
  const auto props = sco_id_contributing_properties(type);
  if (!props || props->empty()) return std::nullopt;
  std::string name;
  if (fast_name(*props, obj, name)) return name;
  boost::json::object contributing;
  for (std::string_view p : *props) {
    simdjson::dom::element v;
    if (obj.at_key(p).get(v) != simdjson::SUCCESS) continue;
    if (p == "hashes") {
      if (auto h = one_hash(v)) contributing[p] = std::move(*h);
    } else {
      contributing[p] = to_boost(v);
    }
  }
  if (contributing.empty()) return std::nullopt;
  return core::canonical_json(contributing);
}

std::optional<core::Uuid> sco_deterministic_uuid(std::string_view type, simdjson::dom::object obj) {
  auto name = sco_id_name(type, obj);
  if (!name) return std::nullopt;
  return core::uuid_v5(core::stix_sco_namespace(), *name);
}

std::optional<std::string> sco_deterministic_id(simdjson::dom::object obj) {
  std::string_view type;
  if (obj.at_key("type").get_string().get(type) != simdjson::SUCCESS) return std::nullopt;
  auto uuid = sco_deterministic_uuid(type, obj);
  if (!uuid) return std::nullopt;
  std::string id;
  id.reserve(type.size() + 38);
  id += type;
  id += "--";
  id += core::to_string(*uuid);
  return id;
}

}  // namespace sw::stix
