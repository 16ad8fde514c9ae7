#include "policy/policy.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sw::policy {

namespace {

constexpr std::array<std::pair<Role, const char*>, 8> kRoleNames = {{
    {kAdmin, "admin"},
    {kAnalyst, "analyst"},
    {kIncidentLead, "incident-lead"},
    {kResourceManager, "resource-manager"},
    {kLiaison, "liaison"},
    {kBoard, "board"},
    {kAuditor, "auditor"},
    {kReadOnly, "read-only"},
}};

// The roles that write intel.
constexpr Roles kWriters = kAdmin | kAnalyst | kIncidentLead;

std::string tlp_label(stix::Tlp t) {
  std::string s = "TLP:";
  for (const char* p = stix::tlp_name(t); *p; ++p) s += static_cast<char>(std::toupper(*p));
  return s;
}

const char* kind_phrase(DistributionKind k) {
  switch (k) {
    case DistributionKind::kOrganisation:
      return "its sharer's organisation only";
    case DistributionKind::kConsortium:
      return "the consortium";
    case DistributionKind::kSharingGroup:
      return "a sharing group";
    case DistributionKind::kPublic:
      return "the public";
  }
  return "";
}

Decision allow(Reason r, std::string message) { return {true, r, std::move(message)}; }
Decision deny(Reason r, std::string message) { return {false, r, std::move(message)}; }

}  // namespace

const char* org_kind_name(OrgKind kind) {
  switch (kind) {
    case OrgKind::kMember:
      return "member";
    case OrgKind::kAuthority:
      return "authority";
    case OrgKind::kClient:
      return "client";
  }
  return "";
}

bool parse_org_kind(std::string_view name, OrgKind& out) {
  for (OrgKind k : {OrgKind::kMember, OrgKind::kAuthority, OrgKind::kClient}) {
    if (name == org_kind_name(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

const char* role_name(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "";
}

bool parse_roles(std::string_view list, Roles& out) {
  Roles roles = 0;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const auto it = std::find_if(kRoleNames.begin(), kRoleNames.end(),
                                 [&](const auto& rn) { return item == rn.second; });
    if (it == kRoleNames.end()) return false;
    roles |= it->first;
  }
  if (roles == 0) return false;
  out = roles;
  return true;
}

std::string roles_string(Roles roles) {
  std::string s;
  for (const auto& [r, name] : kRoleNames) {
    if (!(roles & r)) continue;
    if (!s.empty()) s += ',';
    s += name;
  }
  return s;
}

std::string distribution_string(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::kOrganisation:
      return "organisation";
    case DistributionKind::kConsortium:
      return "consortium";
    case DistributionKind::kSharingGroup:
      return "sharing-group:" + d.group;
    case DistributionKind::kPublic:
      return "public";
  }
  return "";
}

bool parse_distribution(std::string_view text, Distribution& out) {
  Distribution d;
  if (text == "organisation") {
    d.kind = DistributionKind::kOrganisation;
  } else if (text == "consortium") {
    d.kind = DistributionKind::kConsortium;
  } else if (text == "public") {
    d.kind = DistributionKind::kPublic;
  } else if (text.starts_with("sharing-group:") && text.size() > 14) {
    d.kind = DistributionKind::kSharingGroup;
    d.group = std::string(text.substr(14));
  } else {
    return false;
  }
  out = std::move(d);
  return true;
}

const char* reason_code(Reason r) {
  switch (r) {
    case Reason::kOwner:
      return "owner";
    case Reason::kSharer:
      return "sharer";
    case Reason::kConsortium:
      return "consortium";
    case Reason::kSharingGroup:
      return "sharing-group";
    case Reason::kPublic:
      return "public";
    case Reason::kClient:
      return "client-of-recipient";
    case Reason::kMayWrite:
      return "may-write";
    case Reason::kUnknownOrganisation:
      return "unknown-organisation";
    case Reason::kNotShared:
      return "not-shared";
    case Reason::kRedNamedOnly:
      return "red-named-recipients-only";
    case Reason::kAuthorityClearOnly:
      return "authority-clear-only";
    case Reason::kClientTlp:
      return "client-tlp";
    case Reason::kNotOwner:
      return "not-owner";
    case Reason::kRole:
      return "role";
    case Reason::kReshareTlp:
      return "reshare-tlp";
    case Reason::kUnknownGroup:
      return "unknown-group";
  }
  return "";
}

// The share records that count for an object: every one not revoked whose sharer had the right to
// share (the owner; anyone for content from outside the consortium; a recipient as the TLP allows),
// or the owner's implicit default share when the object has no share records at all.
struct Policy::Valid {
  Valid() = default;
  Valid(const Valid&) = delete;  // `shares` may point at `implicit`
  Valid& operator=(const Valid&) = delete;
  std::vector<const ShareRecord*> shares;
  ShareRecord implicit;
};

Policy::Policy() : Policy(Options{}) {}
Policy::Policy(Options options) : options_(std::move(options)) {}

void Policy::put_organisation(Organisation org) {
  std::string id = org.id;
  orgs_.insert_or_assign(std::move(id), std::move(org));
}

void Policy::put_group(SharingGroup group) {
  std::string id = group.id;
  groups_.insert_or_assign(std::move(id), std::move(group));
}

void Policy::remove_group(std::string_view id) { groups_.erase(std::string(id)); }

const Organisation* Policy::organisation(std::string_view id) const {
  auto it = orgs_.find(std::string(id));
  return it == orgs_.end() ? nullptr : &it->second;
}

const SharingGroup* Policy::group(std::string_view id) const {
  auto it = groups_.find(std::string(id));
  return it == groups_.end() ? nullptr : &it->second;
}

bool Policy::in_consortium(std::string_view org) const {
  return !org.empty() && organisation(org) != nullptr;
}

bool Policy::named_in(const Distribution& d, std::string_view org) const {
  if (d.kind != DistributionKind::kSharingGroup) return false;
  const SharingGroup* g = group(d.group);
  return g != nullptr && std::find(g->members.begin(), g->members.end(), org) != g->members.end();
}

void Policy::valid_shares(const ObjectFacts& object, Valid& v) const {
  if (object.shares.empty()) {
    v.implicit.sharer = std::string(object.owner);
    v.implicit.distribution = options_.default_distribution;
    v.shares.push_back(&v.implicit);
    return;
  }
  const bool outside = !in_consortium(object.owner);
  std::vector<const ShareRecord*> pending;
  for (const ShareRecord* s : object.shares) {
    if (s->revoked) continue;
    if (outside || s->sharer == object.owner) {
      v.shares.push_back(s);
    } else {
      pending.push_back(s);
    }
  }
  // Shares onwards count when their sharer holds the object through the shares that count and
  // the TLP lets it share that far; one may enable another, so repeat until nothing changes.
  const stix::Tlp t = effective_tlp(object.tlp);
  const auto tlp_allows = [&](const Distribution& d) {
    return t == stix::Tlp::kClear ||
           (t == stix::Tlp::kGreen && d.kind != DistributionKind::kPublic);
  };
  for (bool changed = true; changed && !pending.empty();) {
    changed = false;
    for (auto it = pending.begin(); it != pending.end();) {
      const Organisation* sharer = organisation((*it)->sharer);
      if (tlp_allows((*it)->distribution) && sharer != nullptr && sharer->active &&
          read_decision(*sharer, object, v).allowed) {
        v.shares.push_back(*it);
        it = pending.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
  }
}

Decision Policy::read_decision(const Organisation& reader, const ObjectFacts& object,
                               const Valid& valid) const {
  if (!object.owner.empty() && reader.id == object.owner) {
    return allow(Reason::kOwner, reader.name + " owns this object");
  }
  for (const ShareRecord* s : valid.shares) {
    if (s->sharer == reader.id) return allow(Reason::kSharer, reader.name + " shared this object");
  }
  const stix::Tlp t = effective_tlp(object.tlp);
  const std::string tlp = tlp_label(t);
  Decision denied =
      deny(Reason::kNotShared, "this object is not shared with " + reader.name);
  const Organisation* parent = nullptr;
  if (reader.kind == OrgKind::kClient) {
    parent = organisation(reader.client_of);
    if (parent != nullptr && (!parent->active || parent->kind != OrgKind::kMember)) parent = nullptr;
  }
  for (const ShareRecord* s : valid.shares) {
    const Distribution& d = s->distribution;
    const bool named = named_in(d, reader.id);
    switch (reader.kind) {
      case OrgKind::kMember:
        if (named) return allow(Reason::kSharingGroup, "shared with a sharing group naming " + reader.name);
        if (d.kind != DistributionKind::kConsortium && d.kind != DistributionKind::kPublic) break;
        if (t == stix::Tlp::kRed) {
          denied = deny(Reason::kRedNamedOnly,
                        "TLP:RED reaches only the named recipients of a sharing group");
          break;
        }
        if (d.kind == DistributionKind::kPublic) {
          return allow(Reason::kPublic, std::string("shared publicly (") + tlp + ")");
        }
        return allow(Reason::kConsortium, std::string("shared with the consortium (") + tlp + ")");
      case OrgKind::kClient: {
        if (named) return allow(Reason::kSharingGroup, "shared with a sharing group naming " + reader.name);
        if (d.kind == DistributionKind::kPublic && t == stix::Tlp::kClear) {
          return allow(Reason::kPublic, "shared publicly (TLP:CLEAR)");
        }
        if (parent == nullptr || d.kind == DistributionKind::kOrganisation) break;
        // The member may pass it on when it received it, or owns or shared it, under this share.
        const bool member_holds =
            named_in(d, parent->id) ||
            (t != stix::Tlp::kRed && (d.kind == DistributionKind::kConsortium ||
                                      d.kind == DistributionKind::kPublic)) ||
            parent->id == object.owner || parent->id == s->sharer;
        if (!member_holds) break;
        if (t == stix::Tlp::kClear || t == stix::Tlp::kGreen || t == stix::Tlp::kAmber) {
          return allow(Reason::kClient,
                       "passed on to " + reader.name + " as a client of " + parent->name + " (" +
                           tlp + ")");
        }
        denied = deny(Reason::kClientTlp, tlp + " does not reach clients of " + parent->name);
        break;
      }
      case OrgKind::kAuthority:
        if (!named && d.kind != DistributionKind::kPublic) break;
        if (t == stix::Tlp::kClear) {
          return named ? allow(Reason::kSharingGroup,
                               "shared with a sharing group naming " + reader.name + " (TLP:CLEAR)")
                       : allow(Reason::kPublic, "shared publicly (TLP:CLEAR)");
        }
        denied = deny(Reason::kAuthorityClearOnly,
                      "authorities receive TLP:CLEAR shared with them and released information "
                      "only; this object is " +
                          tlp + ", shared with " + kind_phrase(d.kind));
        break;
    }
  }
  return denied;
}

Decision Policy::org_can_read(std::string_view org, const ObjectFacts& object) const {
  const Organisation* o = organisation(org);
  if (o == nullptr || !o->active) {
    return deny(Reason::kUnknownOrganisation,
                "organisation " + std::string(org) + " is unknown on this node or disabled");
  }
  Valid valid;
  valid_shares(object, valid);
  return read_decision(*o, object, valid);
}

Decision Policy::can_read(const Principal& who, const ObjectFacts& object) const {
  return org_can_read(who.org, object);
}

Decision Policy::can_write(const Principal& who, const ObjectFacts& object) const {
  const Organisation* o = organisation(who.org);
  if (o == nullptr || !o->active) {
    return deny(Reason::kUnknownOrganisation,
                "organisation " + who.org + " is unknown on this node or disabled");
  }
  if (!(who.roles & kWriters)) {
    return deny(Reason::kRole, "writing intel needs the analyst, incident-lead or admin role; " +
                                   (who.user.empty() ? std::string("this account") : who.user) +
                                   " has " + (who.roles ? roles_string(who.roles) : "none"));
  }
  if (in_consortium(object.owner) && object.owner != o->id) {
    const Organisation* owner = organisation(object.owner);
    return deny(Reason::kNotOwner, "only its owner, " + owner->name +
                                       ", makes new versions of this object");
  }
  return allow(Reason::kMayWrite, o->name + " may write this object");
}

Decision Policy::can_share(const Principal& who, const ObjectFacts& object,
                           const Distribution& to) const {
  const Organisation* o = organisation(who.org);
  if (o == nullptr || !o->active) {
    return deny(Reason::kUnknownOrganisation,
                "organisation " + who.org + " is unknown on this node or disabled");
  }
  if (!(who.roles & kWriters)) {
    return deny(Reason::kRole, "sharing needs the analyst, incident-lead or admin role");
  }
  if (to.kind == DistributionKind::kSharingGroup && group(to.group) == nullptr) {
    return deny(Reason::kUnknownGroup, "no sharing group " + to.group + " on this node");
  }
  if (object.owner == o->id || !in_consortium(object.owner)) {
    return allow(Reason::kMayWrite, o->name + " may share this object with " +
                                        distribution_string(to));
  }
  Valid valid;
  valid_shares(object, valid);
  const Decision held = read_decision(*o, object, valid);
  if (!held.allowed) return held;
  const stix::Tlp t = effective_tlp(object.tlp);
  if (t == stix::Tlp::kClear || (t == stix::Tlp::kGreen && to.kind != DistributionKind::kPublic)) {
    return allow(Reason::kMayWrite, o->name + " may share this object with " +
                                        distribution_string(to));
  }
  return deny(Reason::kReshareTlp,
              tlp_label(t) + (t == stix::Tlp::kGreen
                                  ? " stays in the community: it may not be made public"
                                  : " may not be shared onwards by its recipients"));
}

std::vector<std::pair<const Organisation*, Decision>> Policy::readers(
    const ObjectFacts& object) const {
  Valid valid;
  valid_shares(object, valid);
  std::vector<std::pair<const Organisation*, Decision>> out;
  for (const auto& [id, org] : orgs_) {
    if (!org.active) continue;
    Decision d = read_decision(org, object, valid);
    if (d.allowed) out.emplace_back(&org, std::move(d));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first->name < b.first->name; });
  return out;
}

core::Result<Policy::Options> options_from(const core::NodeConfig& config) {
  Policy::Options o;
  if (!stix::parse_tlp_name(config.default_tlp, o.default_tlp) || o.default_tlp == stix::Tlp::kNone) {
    return core::Error::invalid("not a TLP level: " + config.default_tlp, "[node.default_tlp]");
  }
  if (!parse_distribution(config.default_distribution, o.default_distribution)) {
    return core::Error::invalid("not a distribution: " + config.default_distribution,
                                "[node.default_distribution]");
  }
  return o;
}

}  // namespace sw::policy
