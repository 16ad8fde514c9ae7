// The classifier every backend shares (clause 1 of the store contract) and the fast timestamp
// formatting put() uses, checked against the definitions they must match.
#include "store/internal/batch_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "store_test_util.h"

namespace sw::store::internal {
namespace {

TEST(Sortable, MatchesCoreSortableEverywhere) {
  std::mt19937_64 rng(42);
  std::vector<core::Timestamp> cases = {{0, 0, 3},
                                        {-1, 999'999'999, 9},
                                        {-62'135'596'800, 0, 0},
                                        {253'402'300'799, 999'999'999, 9},
                                        {951'782'400, 1, 1} /* 2000-02-29 */,
                                        {-62'167'219'200, 5, 3} /* year 0 */,
                                        {-62'167'219'201, 0, 3} /* year -1: the slow way */,
                                        {253'402'300'800, 0, 3} /* 10000 */};
  for (int i = 0; i < 200'000; ++i) {
    const auto s = static_cast<int64_t>(rng() % 315'537'897'600ull) - 62'167'219'200;
    cases.push_back({s, static_cast<uint32_t>(rng() % 1'000'000'000), 3});
  }
  for (const auto& ts : cases) {
    ASSERT_EQ(internal::sortable(ts), core::sortable(ts)) << ts.seconds;
    if (ts.seconds < -62'167'219'200 || ts.seconds >= 253'402'300'800) continue;
    auto back = decode_timestamp(internal::sortable(ts), 7);
    ASSERT_TRUE(back.ok()) << internal::sortable(ts);
    ASSERT_EQ(back->seconds, ts.seconds) << internal::sortable(ts);
    ASSERT_EQ(back->nanos, ts.nanos);
    ASSERT_EQ(back->digits, 7);
  }
}

TEST(DecodeTimestamp, OtherFormsGoThroughTheFullParser) {
  auto short_form = decode_timestamp("2016-04-06T20:03:48.1Z", 1);
  ASSERT_TRUE(short_form.ok());
  EXPECT_EQ(short_form->nanos, 100'000'000u);
  EXPECT_FALSE(decode_timestamp("2016-04-06T20:03:48.000000000X", 3).ok());
  EXPECT_FALSE(decode_timestamp("2016-13-06T20:03:48.000000000Z", 3).ok());
  EXPECT_FALSE(decode_timestamp("garbage", 3).ok());
  EXPECT_FALSE(decode_timestamp("2016-04-06T20:03:48.000000000Z", 10).ok());
}

TEST(VersionKey, MatchesObjectMeta) {
  stix::ObjectMeta m;
  EXPECT_EQ(version_key(m), m.version_key());
  m.has_created = true;
  m.created = {1'600'000'000, 123, 3};
  EXPECT_EQ(version_key(m), m.version_key());
  m.has_modified = true;
  m.modified = {1'700'000'000, 456'000'000, 6};
  EXPECT_EQ(version_key(m), m.version_key());
  m.has_created = false;
  EXPECT_EQ(version_key(m), m.version_key());
}

// A lookup over a fixed set of stored versions that counts what it is asked.
struct FakeStored {
  std::map<std::string, StoredHead> heads;
  std::set<std::pair<std::string, std::string>> versions;
  int latest_calls = 0, has_calls = 0;
  StoredLookup lookup() {
    StoredLookup l;
    l.latest = [this](const std::string& id) -> core::Result<std::optional<StoredHead>> {
      ++latest_calls;
      auto it = heads.find(id);
      return it == heads.end() ? std::optional<StoredHead>()
                               : std::optional<StoredHead>(it->second);
    };
    l.has = [this](const std::string& id, const std::string& key) -> core::Result<bool> {
      ++has_calls;
      return versions.count({id, key}) != 0;
    };
    return l;
  }
};

TEST(PlanBatch, AsksOncePerIdAndOnlyForOlderKeys) {
  const std::string a = testing::new_id(), b = testing::new_id();
  FakeStored stored;
  const std::string k5 = testing::sdo(a, 5).meta.version_key();
  stored.heads[a] = {k5, false, 7};
  stored.versions = {{a, k5}, {a, testing::sdo(a, 2).meta.version_key()}};
  std::vector<stix::Object> batch = {testing::sdo(a, 6), testing::sdo(a, 2), testing::sdo(a, 3),
                                     testing::sdo(b, 1), testing::sdo(b, 1), testing::sdo(a, 5)};
  auto plan = plan_batch(batch, version_keys(batch), stored.lookup());
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  using O = PutOutcome;
  EXPECT_EQ(plan->outcomes, (std::vector<O>{O::kNewVersion, O::kDuplicate, O::kHistory, O::kNew,
                                            O::kDuplicate, O::kDuplicate}));
  EXPECT_EQ(plan->stored, (std::vector<size_t>{0, 2, 3}));
  EXPECT_EQ(plan->latest_after, (std::vector<bool>{true, false, false, true, false, false}));
  EXPECT_EQ(plan->superseded, std::vector<int64_t>{7});
  EXPECT_EQ(plan->added["indicator"].objects, 1);
  EXPECT_EQ(plan->added["indicator"].versions, 3);
  EXPECT_EQ(stored.latest_calls, 2);
  EXPECT_EQ(stored.has_calls, 3);  // keys 2, 3 and 5 are older than the latest (6) — 5 is stored
}

TEST(PlanBatch, LookupErrorsComeBack) {
  StoredLookup l;
  l.latest = [](const std::string&) -> core::Result<std::optional<StoredHead>> {
    return core::Error::store("boom");
  };
  l.has = [](const std::string&, const std::string&) -> core::Result<bool> { return false; };
  std::vector<stix::Object> batch = {testing::sdo(testing::new_id(), 1)};
  auto plan = plan_batch(batch, version_keys(batch), l);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message, "boom");
}

}  // namespace
}  // namespace sw::store::internal
