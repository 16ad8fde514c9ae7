#include "store/memory/fault_injecting_store.h"

#include "store_test_util.h"

namespace sw::store {
namespace {

using testing::new_id;
using testing::sdo;

std::vector<stix::Object> one() { return {sdo(new_id(), 1)}; }

TEST(FaultInjectingStore, FailsTheChosenCallOnlyAndWritesNothing) {
  FaultInjectingStore s(make_memory_store());
  s.fail_put_call(3);
  EXPECT_TRUE(s.put(one(), 1).ok());
  EXPECT_TRUE(s.put(one(), 1).ok());
  auto third = one();
  auto r = s.put(third, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kStore);
  EXPECT_EQ(r.error().message, "injected fault");
  auto got = s.get(third[0].meta.id);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  EXPECT_TRUE(s.put(third, 1).ok());
  EXPECT_EQ(*s.max_seq(), 3);
  EXPECT_EQ(s.put_calls(), 4);
  EXPECT_EQ(s.injected_failures(), 1);
}

TEST(FaultInjectingStore, FailsEveryPutWhileToldWithTheChosenError) {
  FaultInjectingStore s(make_memory_store());
  s.set_error(core::Error{core::Code::kUnavailable, "disk on fire", ""});
  s.set_fail_puts(true);
  for (int i = 0; i < 3; ++i) {
    auto r = s.put(one(), 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::Code::kUnavailable);
    EXPECT_EQ(r.error().message, "disk on fire");
  }
  s.set_fail_puts(false);
  EXPECT_TRUE(s.put(one(), 1).ok());
  EXPECT_EQ(s.injected_failures(), 3);
  auto stats = s.stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->max_seq, 1);
}

TEST(FaultInjectingStore, ForwardsEverythingElse) {
  FaultInjectingStore s(make_memory_store());
  const std::string id = new_id();
  ASSERT_TRUE(s.put(std::vector<stix::Object>{sdo(id, 1), sdo(id, 2)}, 5).ok());
  EXPECT_STREQ(s.backend(), "memory");
  EXPECT_EQ((*s.get(id))->seq, 2);
  EXPECT_EQ(s.get_versions(id)->size(), 2u);
  EXPECT_TRUE(*s.get_version(id, sdo(id, 1).meta.version_key()));
  int visits = 0;
  ASSERT_TRUE(s.scan(Query{}, [&](const StoredObject&) { return ++visits, true; }).ok());
  EXPECT_EQ(visits, 1);
  EXPECT_EQ(s.inner().max_seq().value(), 2);
}

}  // namespace
}  // namespace sw::store
