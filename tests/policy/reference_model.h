// A separate, deliberately plain model of the sharing rules (docs/policy.md), for property tests
// of every read path: who may read an object is computed as a set of organisations, share record
// by share record, with no shortcuts, no reasons and no code shared with src/policy/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace sw::policy::testing {

struct ModelOrg {
  std::string id;
  OrgKind kind = OrgKind::kMember;
  std::string client_of;
  bool active = true;
};

struct ModelWorld {
  std::map<std::string, ModelOrg> orgs;
  std::map<std::string, std::set<std::string>> groups;  // id -> named organisations
  stix::Tlp default_tlp = stix::Tlp::kAmber;
  Distribution default_distribution;  // consortium
};

struct ModelObject {
  std::string owner;  // "" or any id
  stix::Tlp tlp = stix::Tlp::kNone;
  std::vector<ShareRecord> shares;
};

// The organisations (active ones only) that may read `o`.
inline std::set<std::string> model_readers(const ModelWorld& w, const ModelObject& o) {
  using stix::Tlp;
  const Tlp t = o.tlp == Tlp::kNone ? w.default_tlp : o.tlp;
  const bool owner_known = !o.owner.empty() && w.orgs.count(o.owner) > 0;

  std::vector<ShareRecord> shares;
  if (o.shares.empty()) {
    ShareRecord implicit;
    implicit.sharer = o.owner;
    implicit.distribution = w.default_distribution;
    shares.push_back(implicit);
  } else {
    for (const ShareRecord& s : o.shares) {
      if (!s.revoked) shares.push_back(s);
    }
  }

  // Who each share reaches.
  auto reach = [&](const ShareRecord& s) {
    std::set<std::string> out;
    const DistributionKind k = s.distribution.kind;
    std::set<std::string> named;
    if (k == DistributionKind::kSharingGroup) {
      auto g = w.groups.find(s.distribution.group);
      if (g != w.groups.end()) named = g->second;
    }
    const bool wide = k == DistributionKind::kConsortium || k == DistributionKind::kPublic;
    for (const auto& [id, org] : w.orgs) {
      bool in = false;
      if (org.kind == OrgKind::kMember) {
        in = named.count(id) || (wide && t != Tlp::kRed);
      } else if (org.kind == OrgKind::kAuthority) {
        in = t == Tlp::kClear && (named.count(id) || k == DistributionKind::kPublic);
      } else {
        in = named.count(id) || (k == DistributionKind::kPublic && t == Tlp::kClear);
        auto p = w.orgs.find(org.client_of);
        const bool parent_ok =
            p != w.orgs.end() && p->second.active && p->second.kind == OrgKind::kMember;
        if (!in && parent_ok && k != DistributionKind::kOrganisation &&
            (t == Tlp::kClear || t == Tlp::kGreen || t == Tlp::kAmber)) {
          const std::string& pid = p->first;
          in = named.count(pid) || (wide && t != Tlp::kRed) || pid == o.owner || pid == s.sharer;
        }
      }
      if (in) out.insert(id);
    }
    if (!s.sharer.empty()) out.insert(s.sharer);
    return out;
  };

  // Shares that count: the owner's (anyone's, for content from outside the consortium), then
  // shares onwards by holders, as far as the TLP allows, until nothing changes.
  std::vector<ShareRecord> counted, waiting;
  for (const ShareRecord& s : shares) {
    (!owner_known || s.sharer == o.owner ? counted : waiting).push_back(s);
  }
  std::set<std::string> readers;
  if (owner_known) readers.insert(o.owner);
  for (const ShareRecord& s : counted) {
    for (const std::string& id : reach(s)) readers.insert(id);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < waiting.size(); ++i) {
      const ShareRecord& s = waiting[i];
      const bool tlp_ok =
          t == Tlp::kClear || (t == Tlp::kGreen && s.distribution.kind != DistributionKind::kPublic);
      auto sharer = w.orgs.find(s.sharer);
      if (!tlp_ok || sharer == w.orgs.end() || !sharer->second.active || !readers.count(s.sharer))
        continue;
      for (const std::string& id : reach(s)) readers.insert(id);
      waiting.erase(waiting.begin() + static_cast<long>(i));
      grew = true;
      break;
    }
  }

  std::set<std::string> active;
  for (const std::string& id : readers) {
    auto it = w.orgs.find(id);
    if (it != w.orgs.end() && it->second.active) active.insert(id);
  }
  return active;
}

}  // namespace sw::policy::testing
