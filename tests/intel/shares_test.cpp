// Share records: valid STIX 2.1 as written, read back exactly, indexed per covered object, and
// what the policy decides from them — through a real SQLite store.
#include "intel/shares.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/uuid.h"
#include "intel/import_test_util.h"
#include "stix/parse.h"
#include "store/sqlite/sqlite_store.h"

namespace sw::intel {
namespace {

const std::string kFox = "identity--0d6b1a57-7b4f-4f61-9a4f-3a1f2b0c9d01";
const std::string kNord = "identity--0d6b1a57-7b4f-4f61-9a4f-3a1f2b0c9d02";
const std::string kGroup = "x-shieldwall-sharing-group--7e1f0c52-2a4b-4c0d-8e3f-1b2c3d4e5f60";

core::Timestamp at(int64_t s) { return core::from_micros(1'700'000'000'000'000 + s * 1'000'000); }

ShareSpec spec(std::vector<std::string> ids, std::string_view dist) {
  ShareSpec s;
  s.sharer = kFox;
  s.object_ids = std::move(ids);
  EXPECT_TRUE(policy::parse_distribution(dist, s.distribution));
  s.created = at(0);
  s.modified = at(0);
  return s;
}

bool valid_stix(const std::string& json, std::string& why) {
  stix::MarkingResolver markings;
  stix::ObjectParser parser(markings);
  stix::Object o;
  std::vector<stix::Issue> issues;
  const bool ok = parser.parse_unpadded(json, o, issues);
  for (const auto& i : issues) why += i.message + "; ";
  return ok;
}

TEST(Shares, RecordsAndTheirDefinitionAreValidStix) {
  auto j = share_json(spec({testing::indicator_id(1), testing::indicator_id(2)},
                           "sharing-group:" + kGroup));
  ASSERT_TRUE(j.ok()) << j.error().to_string();
  std::string why;
  EXPECT_TRUE(valid_stix(*j, why)) << why << "\n" << *j;
  EXPECT_TRUE(valid_stix(share_extension_definition_json(), why)) << why;

  auto p = parse_share(*j);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_TRUE(p->record.id.starts_with("x-shieldwall-share--"));
  EXPECT_EQ(p->record.sharer, kFox);
  EXPECT_EQ(p->record.distribution.kind, policy::DistributionKind::kSharingGroup);
  EXPECT_EQ(p->record.distribution.group, kGroup);
  EXPECT_FALSE(p->record.revoked);
  EXPECT_EQ(p->object_ids, (std::vector<std::string>{testing::indicator_id(1), testing::indicator_id(2)}));
  EXPECT_EQ(p->modified, at(0));
}

TEST(Shares, BadSpecsAndBadRecordsNameTheProperty) {
  EXPECT_EQ(share_json(spec({}, "consortium")).error().where, "object_refs");
  EXPECT_EQ(share_json(spec({"not-an-id"}, "consortium")).error().where, "object_refs");
  ShareSpec s = spec({testing::indicator_id(1)}, "consortium");
  s.sharer = "Fox-IT";
  EXPECT_EQ(share_json(s).error().where, "created_by_ref");
  EXPECT_EQ(parse_share(R"({"type":"indicator"})").error().where, "type");
  EXPECT_EQ(parse_share(R"({"type":"x-shieldwall-share","id":"x-shieldwall-share--1","created_by_ref":")" +
                        kFox + R"(","distribution":"everyone","object_refs":[]})")
                .error()
                .where,
            "distribution");
  EXPECT_EQ(parse_share("[").error().code, core::Code::kInvalidArgument);
}

TEST(Shares, IndexFollowsVersionsAndRevocation) {
  ShareIndex index;
  ShareSpec s = spec({testing::indicator_id(1), testing::indicator_id(2)}, "consortium");
  s.id = "x-shieldwall-share--5b0a3f43-2c1d-4e5f-8a9b-0c1d2e3f4a5b";
  ASSERT_TRUE(index.apply(*share_json(s)).ok());
  std::vector<const policy::ShareRecord*> got;
  index.shares_of(testing::indicator_id(1), got);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->distribution.kind, policy::DistributionKind::kConsortium);
  const policy::ShareRecord* first = got[0];

  // A newer version covers other objects and is kept to the organisation.
  ShareSpec v2 = s;
  v2.object_ids = {testing::indicator_id(3)};
  v2.distribution = {policy::DistributionKind::kOrganisation, {}};
  v2.modified = at(10);
  ASSERT_TRUE(index.apply(*share_json(v2)).ok());
  index.shares_of(testing::indicator_id(1), got);
  EXPECT_TRUE(got.empty());
  index.shares_of(testing::indicator_id(3), got);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->distribution.kind, policy::DistributionKind::kOrganisation);
  EXPECT_EQ(first->distribution.kind, policy::DistributionKind::kConsortium);  // still valid memory

  // An older version arriving late changes nothing.
  ASSERT_TRUE(index.apply(*share_json(s)).ok());
  index.shares_of(testing::indicator_id(1), got);
  EXPECT_TRUE(got.empty());

  // Another organisation cannot make a version of Fox-IT's share.
  ShareSpec forged = v2;
  forged.sharer = kNord;
  forged.modified = at(20);
  EXPECT_FALSE(index.apply(*share_json(forged)).ok());
  index.shares_of(testing::indicator_id(3), got);
  EXPECT_EQ(got[0]->sharer, kFox);

  ShareSpec revoked = v2;
  revoked.revoked = true;
  revoked.modified = at(30);
  ASSERT_TRUE(index.apply(*share_json(revoked)).ok());
  index.shares_of(testing::indicator_id(3), got);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0]->revoked);
  EXPECT_EQ(index.records(), 1u);
  EXPECT_EQ(index.covered_objects(), 1u);
}

TEST(Shares, PolicyReadsThemFromAStore) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sw-shares-" + core::to_string(core::uuid_v4()));
  std::filesystem::create_directories(dir);
  {
    auto st = store::open_sqlite((dir / "node.db").string());
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    stix::MarkingResolver markings;
    stix::ObjectParser parser(markings);
    std::vector<stix::Object> objects;
    for (const std::string& text :
         {testing::indicator(1), *share_json(spec({testing::indicator_id(1)}, "sharing-group:" + kGroup))}) {
      stix::Object o;
      std::vector<stix::Issue> issues;
      ASSERT_TRUE(parser.parse_unpadded(text, o, issues));
      objects.push_back(std::move(o));
    }
    ASSERT_TRUE((*st)->put(objects, 1).ok());

    ShareIndex index;
    auto seq = index.load(**st);
    ASSERT_TRUE(seq.ok()) << seq.error().to_string();
    EXPECT_EQ(*seq, 2);

    policy::Policy p;
    p.put_organisation({kFox, "Fox-IT", policy::OrgKind::kMember, "NL", "", true});
    p.put_organisation({kNord, "Nordsec", policy::OrgKind::kMember, "SE", "", true});
    std::vector<const policy::ShareRecord*> shares;
    index.shares_of(testing::indicator_id(1), shares);
    policy::ObjectFacts f;
    f.owner = kFox;
    f.tlp = stix::Tlp::kAmber;
    f.shares = shares;
    EXPECT_FALSE(p.org_can_read(kNord, f).allowed);  // the group is not known yet
    p.put_group({kGroup, "finance", {kNord}});
    EXPECT_TRUE(p.org_can_read(kNord, f).allowed);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sw::intel
