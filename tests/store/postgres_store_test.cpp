// What only PostgresStore promises beyond the conformance suite: migrations, several first opens
// at once, recovery from a lost connection, errors carrying PostgreSQL's message.
#include <thread>

#include "store_test_util.h"

namespace sw::store {
namespace {

using testing::new_id;
using testing::sdo;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SW_REQUIRE_POSTGRES();
    db_ = std::make_unique<testing::PostgresDatabase>();
  }
  std::unique_ptr<testing::PostgresDatabase> db_;
};

// A database written by a build that knew only schema version 1 gets the audit table (and its
// triggers) on its next open and keeps everything it had.
TEST_F(PostgresStoreTest, MigratesAVersion1DatabaseToTheCurrentSchema) {
  const std::string id = new_id();
  {
    auto s = db_->open();
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    ASSERT_TRUE((*s)->put(std::vector<stix::Object>{sdo(id, 1)}, 1).ok());
  }
  ASSERT_TRUE(db_->exec_sql(
      "DROP TABLE audit_log; DROP TABLE local_records; DROP FUNCTION audit_log_append_only(); "
      "DELETE FROM schema_version WHERE version > 1"));
  auto s = db_->open();
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto got = (*s)->get(id);
  ASSERT_TRUE(got.ok() && *got);
  std::vector<AuditRow> rows(1);
  rows[0].action = "config.change";
  ASSERT_TRUE((*s)->append_audit(rows, [](const AuditRow* last, std::span<AuditRow> r) {
                  EXPECT_EQ(last, nullptr);
                  r[0].seq = 1;
                  return core::ok_status();
                }).ok());
  ASSERT_TRUE(db_->exec_sql("SELECT 1 FROM schema_version WHERE version = " +
                            std::to_string(postgres_schema_version())));
}

TEST_F(PostgresStoreTest, RefusesADatabaseWithANewerSchemaAndLeavesItAlone) {
  {
    auto s = db_->open();
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    EXPECT_STREQ((*s)->backend(), "postgres");
    ASSERT_TRUE((*s)->put(std::vector<stix::Object>{sdo(new_id(), 1)}, 1).ok());
  }
  ASSERT_TRUE(db_->exec_sql("INSERT INTO schema_version (version) VALUES (99)"));
  auto s = db_->open();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::Code::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("version 99"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("newer shieldwall"), std::string::npos) << s.error().message;
  ASSERT_TRUE(db_->exec_sql("DELETE FROM schema_version WHERE version = 99"));
  auto again = db_->open();
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(*(*again)->max_seq(), 1);
}

TEST_F(PostgresStoreTest, SeveralFirstOpensAtOnceCreateTheSchemaOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto s = db_->open();
      EXPECT_TRUE(s.ok()) << s.error().to_string();
      if (s.ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
}

TEST_F(PostgresStoreTest, ALostConnectionFailsOneCallThenReconnects) {
  auto s = db_->open();
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  Store& store = **s;
  const std::string id = new_id();
  ASSERT_TRUE(store.put(std::vector<stix::Object>{sdo(id, 1)}, 1).ok());
  ASSERT_TRUE(
      db_->exec_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = '" +
                    db_->schema() +
                    "' "
                    "AND pid <> pg_backend_pid()"));
  auto lost = store.get(id);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, core::Code::kStore);
  EXPECT_NE(lost.error().message.find("postgres"), std::string::npos);
  auto back = store.get(id);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_TRUE(*back);
  auto r = store.put(std::vector<stix::Object>{sdo(id, 2), sdo(new_id(), 1)}, 1);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->seqs, (std::vector<int64_t>{2, 3}));
}

TEST_F(PostgresStoreTest, ConnectErrorsCarryTheServerMessage) {
  auto s = open_postgres("host=127.0.0.1 port=1 connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::Code::kStore);
  EXPECT_NE(s.error().message.find("connect"), std::string::npos) << s.error().message;
  auto bad_schema = open_postgres(
      testing::pq_with_options(testing::postgres_conninfo(), "-c search_path=no_such_schema"));
  ASSERT_FALSE(bad_schema.ok());
  EXPECT_EQ(bad_schema.error().code, core::Code::kStore);
  EXPECT_NE(bad_schema.error().message.find("SQLSTATE"), std::string::npos)
      << bad_schema.error().message;
}

TEST_F(PostgresStoreTest, StatsMeasureTheTables) {
  auto s = db_->open();
  ASSERT_TRUE(s.ok());
  auto before = (*s)->stats();
  ASSERT_TRUE(before.ok()) << before.error().to_string();
  std::vector<stix::Object> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(sdo(new_id(), 1));
  ASSERT_TRUE((*s)->put(batch, 1).ok());
  auto after = (*s)->stats();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(after->bytes, before->bytes + 2000 * 500);
  EXPECT_EQ(after->max_seq, 2000);
}

}  // namespace
}  // namespace sw::store
