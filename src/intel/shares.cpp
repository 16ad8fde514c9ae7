#include "intel/shares.h"

#include <boost/json.hpp>

#include <algorithm>
#include <mutex>

#include "core/json.h"
#include "core/uuid.h"

namespace sw::intel {

namespace json = boost::json;

namespace {

// The product's identity: the creator of the extension definition (not an organisation of any
// consortium, so the policy treats the definition as outside content).
constexpr std::string_view kProductIdentity = "identity--8d3c1d9a-5e43-4d1e-9f4b-0a2b6c7d8e9f";

bool is_stix_id(std::string_view id) {
  const size_t sep = id.find("--");
  core::Uuid u;
  return sep != std::string_view::npos && sep > 0 && core::parse_uuid(id.substr(sep + 2), u);
}

const char* distribution_word(policy::DistributionKind k) {
  switch (k) {
    case policy::DistributionKind::kOrganisation:
      return "organisation";
    case policy::DistributionKind::kConsortium:
      return "consortium";
    case policy::DistributionKind::kSharingGroup:
      return "sharing-group";
    case policy::DistributionKind::kPublic:
      return "public";
  }
  return "";
}

}  // namespace

core::Result<std::string> share_json(const ShareSpec& s) {
  if (!s.sharer.starts_with("identity--") || !is_stix_id(s.sharer)) {
    return core::Error::invalid("the sharer must be an identity id", "created_by_ref");
  }
  if (s.object_ids.empty() || s.object_ids.size() > kMaxShareRefs) {
    return core::Error::invalid("a share record covers 1 to " + std::to_string(kMaxShareRefs) +
                                    " objects, not " + std::to_string(s.object_ids.size()),
                                "object_refs");
  }
  for (const std::string& id : s.object_ids) {
    if (!is_stix_id(id)) return core::Error::invalid("not a STIX id: " + id, "object_refs");
  }
  const bool group = s.distribution.kind == policy::DistributionKind::kSharingGroup;
  if (group && !is_stix_id(s.distribution.group)) {
    return core::Error::invalid("a sharing-group distribution needs the group's id",
                                "sharing_group_ref");
  }
  json::array refs;
  refs.reserve(s.object_ids.size());
  for (const std::string& id : s.object_ids) refs.emplace_back(id);
  json::object o;
  o["type"] = kShareType;
  o["spec_version"] = "2.1";
  o["id"] = s.id.empty() ? "x-shieldwall-share--" + core::to_string(core::uuid_v4()) : s.id;
  o["created"] = core::format_timestamp(s.created);
  o["modified"] = core::format_timestamp(s.modified);
  o["created_by_ref"] = s.sharer;
  o["object_refs"] = std::move(refs);
  o["distribution"] = distribution_word(s.distribution.kind);
  if (group) o["sharing_group_ref"] = s.distribution.group;
  if (s.revoked) o["revoked"] = true;
  o["extensions"] = json::object{{kShareExtensionId, json::object{{"extension_type", "new-sdo"}}}};
  return json::serialize(o);
}

std::string share_extension_definition_json() {
  json::object o{
      {"type", "extension-definition"},
      {"spec_version", "2.1"},
      {"id", kShareExtensionId},
      {"created_by_ref", kProductIdentity},
      {"created", "2026-11-28T00:00:00.000Z"},
      {"modified", "2026-11-28T00:00:00.000Z"},
      {"name", "Shieldwall share record"},
      {"description",
       "x-shieldwall-share: an organisation's act of sharing the objects it names (object_refs) "
       "with a distribution: organisation, consortium, public, or sharing-group (with "
       "sharing_group_ref). Owned by the sharer (created_by_ref); revoking it unshares."},
      {"schema",
       "object_refs (list of identifiers, required), distribution (string, required: "
       "organisation | consortium | public | sharing-group), sharing_group_ref (identifier, "
       "required with sharing-group), plus the common properties of an SDO"},
      {"version", "1.0"},
      {"extension_types", json::array{"new-sdo"}}};
  return json::serialize(o);
}

core::Result<ParsedShare> parse_share(std::string_view text) {
  auto v = core::parse_json(text, "share record");
  if (!v.ok()) return std::move(v).error();
  const json::object* o = v->if_object();
  if (o == nullptr) return core::Error::invalid("not a JSON object", "share record");
  const auto str = [&](std::string_view k) -> std::string_view {
    const json::value* x = o->if_contains(k);
    return x && x->is_string() ? std::string_view(x->as_string()) : std::string_view();
  };
  if (str("type") != kShareType) return core::Error::invalid("not an x-shieldwall-share", "type");
  ParsedShare p;
  p.record.id = std::string(str("id"));
  p.record.sharer = std::string(str("created_by_ref"));
  if (p.record.id.empty()) return core::Error::invalid("missing", "id");
  if (p.record.sharer.empty()) return core::Error::invalid("missing", "created_by_ref");
  const std::string_view dist = str("distribution");
  if (dist == "sharing-group") {
    p.record.distribution.kind = policy::DistributionKind::kSharingGroup;
    p.record.distribution.group = std::string(str("sharing_group_ref"));
    if (p.record.distribution.group.empty()) {
      return core::Error::invalid("missing with distribution sharing-group", "sharing_group_ref");
    }
  } else if (!policy::parse_distribution(dist, p.record.distribution)) {
    return core::Error::invalid("not a distribution: '" + std::string(dist) + "'", "distribution");
  }
  if (const json::value* r = o->if_contains("revoked"); r && r->is_bool()) {
    p.record.revoked = r->as_bool();
  }
  const json::value* refs = o->if_contains("object_refs");
  if (refs == nullptr || !refs->is_array()) return core::Error::invalid("missing", "object_refs");
  for (const json::value& id : refs->as_array()) {
    if (!id.is_string()) return core::Error::invalid("not a string", "object_refs");
    p.object_ids.emplace_back(id.as_string());
  }
  auto modified = core::parse_timestamp(str("modified"));
  if (!modified.ok()) return core::Error::invalid("not a timestamp", "modified");
  p.modified = *modified;
  return p;
}

core::Status ShareIndex::apply(std::string_view text) {
  auto parsed = parse_share(text);
  if (!parsed.ok()) return std::move(parsed).error();
  std::unique_lock lock(mu_);
  auto [it, fresh] = by_share_.try_emplace(parsed->record.id);
  Held& h = it->second;
  if (!fresh) {
    if (!(h.modified < parsed->modified)) return core::ok_status();  // older or the same
    if (h.record->sharer != parsed->record.sharer) {
      return core::Error::invalid("a new version of a share record by another organisation (" +
                                      parsed->record.sharer + ", not " + h.record->sharer + ")",
                                  parsed->record.id);
    }
    for (const std::string& id : h.covers) {
      auto o = by_object_.find(id);
      if (o == by_object_.end()) continue;
      auto& v = o->second;
      v.erase(std::remove(v.begin(), v.end(), h.record), v.end());
      if (v.empty()) by_object_.erase(o);
    }
  }
  versions_.push_back(std::move(parsed->record));
  h.record = &versions_.back();
  h.modified = parsed->modified;
  h.covers = std::move(parsed->object_ids);
  for (const std::string& id : h.covers) by_object_[id].push_back(h.record);
  return core::ok_status();
}

core::Result<int64_t> ShareIndex::load(store::Store& store, int64_t after_seq) {
  store::Query q;
  q.types = {std::string(kShareType)};
  q.after_seq = after_seq;
  q.latest_only = false;
  int64_t max_seq = after_seq;
  std::optional<core::Error> bad;
  auto st = store.scan(q, [&](const store::StoredObject& o) {
    max_seq = std::max(max_seq, o.seq);
    if (auto a = apply(o.json); !a.ok()) {
      bad = core::Error::invalid(a.error().to_string(), o.meta.id);
      return false;
    }
    return true;
  });
  if (!st.ok()) return std::move(st).error();
  if (bad) return *bad;
  return max_seq;
}

void ShareIndex::shares_of(std::string_view object_id,
                           std::vector<const policy::ShareRecord*>& out) const {
  out.clear();
  std::shared_lock lock(mu_);
  auto it = by_object_.find(absl::string_view(object_id.data(), object_id.size()));
  if (it != by_object_.end()) out.assign(it->second.begin(), it->second.end());
}

const policy::ShareRecord* ShareIndex::record(std::string_view share_id) const {
  std::shared_lock lock(mu_);
  auto it = by_share_.find(absl::string_view(share_id.data(), share_id.size()));
  return it == by_share_.end() ? nullptr : it->second.record;
}

size_t ShareIndex::records() const {
  std::shared_lock lock(mu_);
  return by_share_.size();
}

size_t ShareIndex::covered_objects() const {
  std::shared_lock lock(mu_);
  return by_object_.size();
}

}  // namespace sw::intel
