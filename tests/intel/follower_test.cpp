// The follower keeps the index and the share index in step with the store, whoever writes to it.
#include "intel/follower.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "common/stix_objects.h"
#include "core/uuid.h"
#include "intel/import_test_util.h"
#include "stix/parse.h"
#include "store/sqlite/sqlite_store.h"

namespace sw::intel {
namespace {

const std::string kFox = "identity--0d6b1a57-7b4f-4f61-9a4f-3a1f2b0c9d01";

struct Node {
  Node() : dir(std::filesystem::temp_directory_path() / ("sw-follow-" + core::to_string(core::uuid_v4()))) {
    std::filesystem::create_directories(dir);
    reader_store = std::move(store::open_sqlite(dir / "node.db").value());
    writer_store = std::move(store::open_sqlite(dir / "node.db").value());  // "another process"
  }
  ~Node() {
    reader_store.reset();
    writer_store.reset();
    std::filesystem::remove_all(dir);
  }
  void put(const std::vector<std::string>& texts) { sw::testing::put_objects(*writer_store, texts); }
  size_t hits(std::string_view domain) {
    auto r = index.reader();
    return r.lookup(index::Kind::kDomain, domain, [](const index::Hit&) {});
  }

  std::filesystem::path dir;
  store::StorePtr reader_store, writer_store;
  index::Index index;
  ShareIndex shares;
  core::FakeClock clock;
};

TEST(Follower, AppliesWhatOthersStoreExactlyOnce) {
  Node n;
  Follower f(*n.reader_store, n.index, n.shares, n.clock);
  auto none = f.catch_up();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);

  n.put({testing::indicator(1), testing::indicator(2)});
  auto first = f.catch_up();
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(*first, 2);
  EXPECT_EQ(n.hits("host1.example"), 1u);
  EXPECT_EQ(f.seq(), 2);
  EXPECT_EQ(*f.catch_up(), 0);  // nothing new: nothing read again

  // A share record and a revocation arrive together.
  ShareSpec s;
  s.sharer = kFox;
  s.object_ids = {testing::indicator_id(2)};
  s.created = s.modified = core::from_micros(1'700'000'000'000'000);
  n.put({*share_json(s), testing::indicator(1, R"(,"revoked":true)", "2024-02-01T00:00:00.000Z")});
  ASSERT_TRUE(f.catch_up().ok());
  EXPECT_EQ(n.hits("host1.example"), 0u);
  std::vector<const policy::ShareRecord*> got;
  n.shares.shares_of(testing::indicator_id(2), got);
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(n.hits("host2.example"), 1u);
}

TEST(Follower, ItsThreadCatchesUpUntilStopped) {
  Node n;
  Follower f(*n.reader_store, n.index, n.shares, n.clock);
  f.start(std::chrono::milliseconds(5));
  n.put({testing::indicator(7)});
  // No timing assertion: wait (bounded, to fail rather than hang) until it shows.
  for (int i = 0; i < 2000 && n.hits("host7.example") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(n.hits("host7.example"), 1u);
  f.stop();
  n.put({testing::indicator(8)});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(n.hits("host8.example"), 0u);  // stopped: nothing more applied
  ASSERT_TRUE(f.catch_up().ok());
  EXPECT_EQ(n.hits("host8.example"), 1u);
}

}  // namespace
}  // namespace sw::intel
