// The sharing policy: scenarios a CERT analyst would check by hand, then a property test holding
// Policy to the plain reference model (reference_model.h) over 100,000+ generated cases, and
// invariants that hold whatever the model says.
#include "policy/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "policy/reference_model.h"

namespace sw::policy {
namespace {

using stix::Tlp;

std::vector<const ShareRecord*> pointers(const std::vector<ShareRecord>& v) {
  std::vector<const ShareRecord*> p;
  for (const ShareRecord& s : v) p.push_back(&s);
  return p;
}

// A small consortium: two members, a client of the first, a police unit, a group.
class Consortium : public ::testing::Test {
 protected:
  void SetUp() override {
    add("identity--fox", "Fox-IT", OrgKind::kMember);
    add("identity--nord", "Nordsec", OrgKind::kMember);
    add("identity--bank", "Bank", OrgKind::kClient, "identity--fox");
    add("identity--police", "Police", OrgKind::kAuthority);
    SharingGroup g;
    g.id = "x-shieldwall-sharing-group--1";
    g.name = "finance";
    g.members = {"identity--nord", "identity--bank"};
    policy.put_group(g);
  }
  void add(const std::string& id, const std::string& name, OrgKind kind,
           const std::string& client_of = "") {
    Organisation o;
    o.id = id;
    o.name = name;
    o.kind = kind;
    o.client_of = client_of;
    policy.put_organisation(o);
  }
  static ShareRecord share(const std::string& sharer, const std::string& dist) {
    ShareRecord s;
    s.sharer = sharer;
    EXPECT_TRUE(parse_distribution(dist, s.distribution)) << dist;
    return s;
  }
  Decision read(const std::string& org, Tlp tlp, const std::vector<ShareRecord>& shares,
                const std::string& owner = "identity--fox") {
    ObjectFacts f;
    f.owner = owner;
    f.tlp = tlp;
    const auto ptrs = pointers(shares);
    f.shares = ptrs;
    return policy.org_can_read(org, f);
  }

  Policy policy;
};

TEST_F(Consortium, OwnerAlwaysReads) {
  const auto d = read("identity--fox", Tlp::kRed, {share("identity--fox", "organisation")});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kOwner);
  EXPECT_EQ(d.message, "Fox-IT owns this object");
}

TEST_F(Consortium, ConsortiumReachesMembersNotAuthorities) {
  const std::vector<ShareRecord> s = {share("identity--fox", "consortium")};
  const auto nord = read("identity--nord", Tlp::kAmber, s);
  EXPECT_TRUE(nord.allowed);
  EXPECT_EQ(nord.message, "shared with the consortium (TLP:AMBER)");
  const auto police = read("identity--police", Tlp::kAmber, s);
  EXPECT_FALSE(police.allowed);
  EXPECT_EQ(police.reason, Reason::kNotShared);
  // CLEAR shared with the consortium is still only for its members.
  EXPECT_FALSE(read("identity--police", Tlp::kClear, s).allowed);
  EXPECT_TRUE(read("identity--police", Tlp::kClear, {share("identity--fox", "public")}).allowed);
}

TEST_F(Consortium, RedOnlyForNamedRecipients) {
  const auto nord = read("identity--nord", Tlp::kRed, {share("identity--fox", "consortium")});
  EXPECT_FALSE(nord.allowed);
  EXPECT_EQ(nord.reason, Reason::kRedNamedOnly);
  EXPECT_EQ(nord.message, "TLP:RED reaches only the named recipients of a sharing group");
  const std::vector<ShareRecord> g = {share("identity--fox", "sharing-group:x-shieldwall-sharing-group--1")};
  EXPECT_TRUE(read("identity--nord", Tlp::kRed, g).allowed);
  EXPECT_TRUE(read("identity--bank", Tlp::kRed, g).allowed);  // named in its own right
}

TEST_F(Consortium, ClientsReceiveThroughTheirMemberUpToAmber) {
  const std::vector<ShareRecord> s = {share("identity--nord", "consortium")};
  for (Tlp t : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber}) {
    const auto d = read("identity--bank", t, s, "identity--nord");
    EXPECT_TRUE(d.allowed) << stix::tlp_name(t);
    EXPECT_EQ(d.reason, Reason::kClient);
  }
  const auto strict = read("identity--bank", Tlp::kAmberStrict, s, "identity--nord");
  EXPECT_FALSE(strict.allowed);
  EXPECT_EQ(strict.reason, Reason::kClientTlp);
  EXPECT_EQ(strict.message, "TLP:AMBER+STRICT does not reach clients of Fox-IT");
  // The member's own object, kept to the organisation: not for its clients either.
  EXPECT_FALSE(read("identity--bank", Tlp::kGreen, {share("identity--fox", "organisation")}).allowed);
}

TEST_F(Consortium, AuthoritiesSeeClearSharedWithThemOnly) {
  SharingGroup g;
  g.id = "x-shieldwall-sharing-group--2";
  g.name = "police liaison";
  g.members = {"identity--police"};
  policy.put_group(g);
  const std::vector<ShareRecord> s = {share("identity--fox", "sharing-group:" + g.id)};
  EXPECT_TRUE(read("identity--police", Tlp::kClear, s).allowed);
  const auto amber = read("identity--police", Tlp::kAmber, s);
  EXPECT_FALSE(amber.allowed);
  EXPECT_EQ(amber.reason, Reason::kAuthorityClearOnly);
}

TEST_F(Consortium, NoShareRecordsMeansTheDefaults) {
  // Default distribution consortium, default TLP AMBER: members yes, the client through Fox-IT
  // (the owner) yes, the authority no.
  EXPECT_TRUE(read("identity--nord", Tlp::kNone, {}).allowed);
  EXPECT_TRUE(read("identity--bank", Tlp::kNone, {}).allowed);
  EXPECT_FALSE(read("identity--police", Tlp::kNone, {}).allowed);
  Policy::Options strict;
  strict.default_tlp = Tlp::kRed;
  Policy p(strict);
  Organisation nord;
  nord.id = "identity--nord";
  nord.name = "Nordsec";
  p.put_organisation(nord);
  ObjectFacts f;
  f.owner = "identity--fox";
  EXPECT_FALSE(p.org_can_read("identity--nord", f).allowed);
}

TEST_F(Consortium, RevokedShareUnshares) {
  ShareRecord s = share("identity--fox", "consortium");
  s.revoked = true;
  const auto d = read("identity--nord", Tlp::kGreen, {s});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kNotShared);
  EXPECT_EQ(d.message, "this object is not shared with Nordsec");
}

TEST_F(Consortium, ResharingFollowsTheTlp) {
  Principal nord{"ana", "identity--nord", kAnalyst};
  ObjectFacts f;
  f.owner = "identity--fox";
  const std::vector<ShareRecord> via_group = {
      share("identity--fox", "sharing-group:x-shieldwall-sharing-group--1")};
  auto via_group_p = pointers(via_group);
  f.shares = via_group_p;
  Distribution consortium, pub;
  ASSERT_TRUE(parse_distribution("public", pub));
  f.tlp = Tlp::kGreen;
  EXPECT_TRUE(policy.can_share(nord, f, consortium).allowed);
  const auto green_public = policy.can_share(nord, f, pub);
  EXPECT_FALSE(green_public.allowed);
  EXPECT_EQ(green_public.message, "TLP:GREEN stays in the community: it may not be made public");
  f.tlp = Tlp::kAmber;
  const auto amber = policy.can_share(nord, f, consortium);
  EXPECT_FALSE(amber.allowed);
  EXPECT_EQ(amber.reason, Reason::kReshareTlp);
  // A re-share the TLP forbids does not count for readers either.
  std::vector<ShareRecord> both = via_group;
  both.push_back(share("identity--nord", "public"));
  EXPECT_FALSE(read("identity--police", Tlp::kAmber, both).allowed);
  EXPECT_TRUE(read("identity--police", Tlp::kClear, both).allowed);
  // Nordsec cannot share what it never received.
  f.shares = {};
  f.tlp = Tlp::kClear;
  std::vector<ShareRecord> own = {share("identity--fox", "organisation")};
  auto own_p = pointers(own);
  f.shares = own_p;
  EXPECT_EQ(policy.can_share(nord, f, consortium).reason, Reason::kNotShared);
}

TEST_F(Consortium, WritesByOwnerAndWritingRolesOnly) {
  ObjectFacts f;
  f.owner = "identity--fox";
  const auto other = policy.can_write({"ana", "identity--nord", kAnalyst}, f);
  EXPECT_FALSE(other.allowed);
  EXPECT_EQ(other.message, "only its owner, Fox-IT, makes new versions of this object");
  const auto reader = policy.can_write({"rita", "identity--fox", kReadOnly | kAuditor}, f);
  EXPECT_FALSE(reader.allowed);
  EXPECT_EQ(reader.reason, Reason::kRole);
  EXPECT_EQ(reader.message,
            "writing intel needs the analyst, incident-lead or admin role; rita has "
            "auditor,read-only");
  EXPECT_TRUE(policy.can_write({"ana", "identity--fox", kAnalyst}, f).allowed);
  // Content from outside the consortium (a MITRE object): any writer may bring it in.
  f.owner = "identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5";
  EXPECT_TRUE(policy.can_write({"ana", "identity--nord", kAnalyst}, f).allowed);
}

TEST_F(Consortium, DisabledOrganisationsReadNothing) {
  Organisation o = *policy.organisation("identity--nord");
  o.active = false;
  policy.put_organisation(o);
  const auto d = read("identity--nord", Tlp::kClear, {share("identity--fox", "public")});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kUnknownOrganisation);
  EXPECT_FALSE(read("identity--nobody", Tlp::kClear, {share("identity--fox", "public")}).allowed);
}

TEST_F(Consortium, WhoCanSeeThis) {
  ObjectFacts f;
  f.owner = "identity--fox";
  f.tlp = Tlp::kAmber;
  const std::vector<ShareRecord> s = {share("identity--fox", "consortium")};
  const auto sp = pointers(s);
  f.shares = sp;
  std::vector<std::string> names;
  for (const auto& [org, d] : policy.readers(f)) names.push_back(org->name + ": " + reason_code(d.reason));
  EXPECT_EQ(names, (std::vector<std::string>{"Bank: client-of-recipient", "Fox-IT: owner",
                                             "Nordsec: consortium"}));
}

TEST(Names, OptionsFromTheNodeConfig) {
  core::NodeConfig c;
  auto o = options_from(c);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->default_tlp, Tlp::kAmber);
  EXPECT_EQ(o->default_distribution.kind, DistributionKind::kConsortium);
  c.default_tlp = "amber+strict";
  c.default_distribution = "organisation";
  o = options_from(c);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->default_tlp, Tlp::kAmberStrict);
  EXPECT_EQ(o->default_distribution.kind, DistributionKind::kOrganisation);
  c.default_tlp = "white";
  EXPECT_EQ(options_from(c).error().where, "[node.default_tlp]");
}

TEST(Names, RolesDistributionsKinds) {
  Roles r = 0;
  ASSERT_TRUE(parse_roles("analyst, incident-lead", r));
  EXPECT_EQ(r, kAnalyst | kIncidentLead);
  EXPECT_EQ(roles_string(r), "analyst,incident-lead");
  EXPECT_FALSE(parse_roles("analyst,wizard", r));
  EXPECT_FALSE(parse_roles("", r));
  Distribution d;
  ASSERT_TRUE(parse_distribution("sharing-group:x-shieldwall-sharing-group--9", d));
  EXPECT_EQ(d.group, "x-shieldwall-sharing-group--9");
  EXPECT_EQ(distribution_string(d), "sharing-group:x-shieldwall-sharing-group--9");
  EXPECT_FALSE(parse_distribution("sharing-group:", d));
  EXPECT_FALSE(parse_distribution("everyone", d));
  OrgKind k;
  EXPECT_TRUE(parse_org_kind("authority", k));
  EXPECT_EQ(k, OrgKind::kAuthority);
  EXPECT_FALSE(parse_org_kind("vendor", k));
}

// ---- Property test -------------------------------------------------------------------------

class World {
 public:
  explicit World(uint32_t seed) : rng_(seed) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }

  // A fresh consortium: 3-9 organisations, 0-4 groups, a random default TLP.
  void make(Policy& policy, testing::ModelWorld& model) {
    const int n = uniform(3, 9);
    ids_.clear();
    for (int i = 0; i < n; ++i) ids_.push_back("identity--o" + std::to_string(i));
    for (int i = 0; i < n; ++i) {
      Organisation o;
      o.id = ids_[static_cast<size_t>(i)];
      o.name = "Org " + std::to_string(i);
      const int k = uniform(0, 9);
      o.kind = k < 6 ? OrgKind::kMember : k < 8 ? OrgKind::kClient : OrgKind::kAuthority;
      if (o.kind == OrgKind::kClient) {
        o.client_of = coin(0.9) ? pick() : "identity--gone";  // its member, or one that left
      }
      o.active = coin(0.9);
      policy.put_organisation(o);
      model.orgs[o.id] = {o.id, o.kind, o.client_of, o.active};
    }
    groups_.clear();
    for (int g = uniform(0, 4); g > 0; --g) {
      SharingGroup sg;
      sg.id = "x-shieldwall-sharing-group--" + std::to_string(g);
      sg.name = "group " + std::to_string(g);
      for (const std::string& id : ids_) {
        if (coin(0.35)) sg.members.push_back(id);
      }
      if (coin(0.1)) sg.members.push_back("identity--stranger");
      policy.put_group(sg);
      model.groups[sg.id] = {sg.members.begin(), sg.members.end()};
      groups_.push_back(sg.id);
    }
    model.default_tlp = policy.options().default_tlp;
  }

  std::string pick() { return ids_[static_cast<size_t>(uniform(0, static_cast<int>(ids_.size()) - 1))]; }

  Tlp tlp() { return static_cast<Tlp>(uniform(0, 5)); }

  Distribution distribution() {
    Distribution d;
    switch (uniform(0, 4)) {
      case 0:
        d.kind = DistributionKind::kOrganisation;
        break;
      case 1:
        d.kind = DistributionKind::kConsortium;
        break;
      case 2:
        d.kind = DistributionKind::kPublic;
        break;
      default:
        d.kind = DistributionKind::kSharingGroup;
        d.group = !groups_.empty() && coin(0.9)
                      ? groups_[static_cast<size_t>(uniform(0, static_cast<int>(groups_.size()) - 1))]
                      : "x-shieldwall-sharing-group--unknown";
    }
    return d;
  }

  testing::ModelObject object() {
    testing::ModelObject o;
    const int who = uniform(0, 9);
    o.owner = who < 7 ? pick() : who < 9 ? "identity--mitre" : "";
    o.tlp = tlp();
    for (int s = uniform(0, 3); s > 0; --s) {
      ShareRecord r;
      r.id = "x-shieldwall-share--" + std::to_string(s);
      r.sharer = coin(0.5) ? o.owner : coin(0.9) ? pick() : "identity--stranger";
      r.distribution = distribution();
      r.revoked = coin(0.1);
      o.shares.push_back(r);
    }
    return o;
  }

 private:
  std::mt19937 rng_;
  std::vector<std::string> ids_;
  std::vector<std::string> groups_;
};

// The facts of a model object; `ptrs` holds the share pointers while the facts are used.
ObjectFacts facts(const testing::ModelObject& o, std::vector<const ShareRecord*>& ptrs) {
  ptrs = pointers(o.shares);
  ObjectFacts f;
  f.owner = o.owner;
  f.tlp = o.tlp;
  f.shares = ptrs;
  return f;
}

std::string describe(const testing::ModelObject& o) {
  std::string s = "owner=" + o.owner + " tlp=" + stix::tlp_name(o.tlp);
  for (const ShareRecord& r : o.shares) {
    s += " share(" + r.sharer + " " + distribution_string(r.distribution) +
         (r.revoked ? " revoked" : "") + ")";
  }
  return s;
}

TEST(PolicyProperty, AgreesWithTheReferenceModel) {
  World gen(20261128);
  uint64_t cases = 0, allowed = 0, disagreements = 0;
  std::array<uint64_t, 16> reasons{};
  for (int world = 0; world < 1500; ++world) {
    Policy::Options opt;
    opt.default_tlp = gen.coin(0.8) ? Tlp::kAmber : gen.tlp();
    if (opt.default_tlp == Tlp::kNone) opt.default_tlp = Tlp::kAmber;
    Policy policy(opt);
    testing::ModelWorld model;
    gen.make(policy, model);
    for (int i = 0; i < 25; ++i) {
      const testing::ModelObject o = gen.object();
      std::vector<const ShareRecord*> ptrs;
      const ObjectFacts f = facts(o, ptrs);
      const std::set<std::string> want = testing::model_readers(model, o);
      std::set<std::string> listed;
      for (const auto& [org, d] : policy.readers(f)) listed.insert(org->id);
      EXPECT_EQ(listed, want) << describe(o);
      for (const auto& [id, org] : model.orgs) {
        const Decision d = policy.org_can_read(id, f);
        ++cases;
        ++reasons[static_cast<size_t>(d.reason)];
        allowed += d.allowed;
        if (d.allowed != (want.count(id) > 0)) {
          ++disagreements;
          ADD_FAILURE() << id << " (" << org_kind_name(org.kind) << (org.active ? "" : ", disabled")
                        << "): policy says " << d.allowed << " (" << d.message << "), model "
                        << want.count(id) << "; " << describe(o);
        }
        EXPECT_FALSE(d.message.empty());
      }
      EXPECT_FALSE(policy.org_can_read("identity--stranger", f).allowed);
    }
  }
  EXPECT_EQ(disagreements, 0u);
  EXPECT_GE(cases, 100000u);
  // The generator must reach every outcome, or the agreement means little.
  for (Reason r : {Reason::kOwner, Reason::kSharer, Reason::kConsortium, Reason::kSharingGroup,
                   Reason::kPublic, Reason::kClient, Reason::kUnknownOrganisation,
                   Reason::kNotShared, Reason::kRedNamedOnly, Reason::kAuthorityClearOnly,
                   Reason::kClientTlp}) {
    EXPECT_GT(reasons[static_cast<size_t>(r)], 100u) << reason_code(r);
  }
  std::printf("policy cases: %llu, allowed %llu\n", static_cast<unsigned long long>(cases),
              static_cast<unsigned long long>(allowed));
}

// Invariants of TLP 2.0 that hold whatever the model says.
TEST(PolicyProperty, TlpInvariants) {
  World gen(7);
  uint64_t checked = 0;
  for (int world = 0; world < 400; ++world) {
    Policy policy;
    testing::ModelWorld model;
    gen.make(policy, model);
    for (int i = 0; i < 25; ++i) {
      const testing::ModelObject o = gen.object();
      const Tlp t = policy.effective_tlp(o.tlp);
      std::vector<const ShareRecord*> ptrs;
      for (const auto& [org, d] : policy.readers(facts(o, ptrs))) {
        ++checked;
        const bool is_sharer = std::any_of(o.shares.begin(), o.shares.end(), [&](const ShareRecord& s) {
          return !s.revoked && s.sharer == org->id;
        }) || (o.shares.empty() && o.owner == org->id);
        const bool owner = org->id == o.owner;
        bool named = false;
        for (const ShareRecord& s : o.shares) {
          const SharingGroup* g = s.revoked ? nullptr : policy.group(s.distribution.group);
          if (g && std::find(g->members.begin(), g->members.end(), org->id) != g->members.end())
            named = true;
        }
        if (t == Tlp::kRed) {
          EXPECT_TRUE(owner || is_sharer || named) << org->id << " reads RED: " << describe(o);
        }
        if (org->kind == OrgKind::kAuthority && !owner && !is_sharer) {
          EXPECT_EQ(t, Tlp::kClear) << org->id << ": " << describe(o);
        }
        if (org->kind == OrgKind::kClient && !owner && !is_sharer && !named) {
          EXPECT_TRUE(t == Tlp::kClear || t == Tlp::kGreen || t == Tlp::kAmber)
              << org->id << ": " << describe(o);
        }
        EXPECT_TRUE(org->active);
      }
    }
  }
  EXPECT_GT(checked, 10000u);
}

}  // namespace
}  // namespace sw::policy
