// What only SqliteStore promises beyond the conformance suite: the file's settings, migrations,
// several processes on one file, waiting for the write lock, and errors naming the file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "store_test_util.h"

namespace sw::store {
namespace {

using testing::new_id;
using testing::sdo;

// Runs a query on the file directly and returns the first column of every row as text.
std::vector<std::string> query_file(const std::filesystem::path& file, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    const auto* t = sqlite3_column_text(st, 0);
    rows.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

TEST(SqliteStore, CreatesTheFileInWalModeAndRecordsTheSchemaVersion) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  {
    auto s = open_sqlite(file);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    EXPECT_STREQ((*s)->backend(), "sqlite");
  }
  EXPECT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(query_file(file, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  // Every migration, once each.
  std::vector<std::string> versions;
  for (int v = 1; v <= sqlite_schema_version(); ++v) versions.push_back(std::to_string(v));
  EXPECT_EQ(query_file(file, "SELECT version FROM schema_version ORDER BY version"), versions);
  ASSERT_TRUE(open_sqlite(file).ok());  // reopening applies nothing twice
  EXPECT_EQ(query_file(file, "SELECT version FROM schema_version ORDER BY version"), versions);
}

// The look-up index holds a hash of the id; stored files depend on it never changing.
TEST(SqliteStore, IdHashIsStable) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  auto s = open_sqlite(file);
  ASSERT_TRUE(s.ok());
  stix::Object o = sdo("indicator--00000000-0000-4000-8000-000000000000", 1);
  ASSERT_TRUE((*s)->put(std::vector<stix::Object>{o}, 1).ok());
  EXPECT_EQ(query_file(file, "SELECT id_hash FROM object_versions"),
            std::vector<std::string>{"5908369733950535733"});
}

// A file written by a build that knew only schema version 1 (objects, no audit table) gets the
// audit table on its next open and keeps everything it had.
TEST(SqliteStore, MigratesAVersion1FileToTheCurrentSchema) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  const std::string id = new_id();
  {
    auto s = open_sqlite(file);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->put(std::vector<stix::Object>{sdo(id, 1)}, 1).ok());
  }
  ASSERT_TRUE(testing::sqlite_exec(
      file,
      "DROP TABLE audit_log; DROP TABLE local_records; DELETE FROM schema_version WHERE version > 1"));
  auto s = open_sqlite(file);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(query_file(file, "SELECT max(version) FROM schema_version"),
            std::vector<std::string>{std::to_string(sqlite_schema_version())});
  auto got = (*s)->get(id);
  ASSERT_TRUE(got.ok() && *got);
  std::vector<AuditRow> rows(1);
  rows[0].action = "config.change";
  ASSERT_TRUE((*s)->append_audit(rows, [](const AuditRow* last, std::span<AuditRow> r) {
                  EXPECT_EQ(last, nullptr);
                  r[0].seq = 1;
                  return core::ok_status();
                }).ok());
  EXPECT_EQ(query_file(file, "SELECT action FROM audit_log"),
            std::vector<std::string>{"config.change"});
}

TEST(SqliteStore, RefusesAFileWithANewerSchemaAndLeavesItAlone) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  {
    auto s = open_sqlite(file);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->put(std::vector<stix::Object>{sdo(new_id(), 1)}, 1).ok());
  }
  ASSERT_TRUE(testing::sqlite_exec(file, "INSERT INTO schema_version VALUES (99, 0)"));
  auto s = open_sqlite(file);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::Code::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("version 99"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("newer shieldwall"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(file.string()), std::string::npos) << s.error().message;
  EXPECT_EQ(query_file(file, "SELECT count(*) FROM object_versions"),
            std::vector<std::string>{"1"});
}

TEST(SqliteStore, WaitsForAnotherWriterThenFailsNamingTheLockAndRecovers) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  SqliteOptions opts;
  opts.busy_timeout_ms = 300;
  auto s = open_sqlite(file, opts);
  ASSERT_TRUE(s.ok());
  Store& store = **s;

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = store.put(std::vector<stix::Object>{sdo(new_id(), 1)}, 1);
  const auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kStore);
  EXPECT_NE(r.error().message.find("locked"), std::string::npos) << r.error().message;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  auto again = store.put(std::vector<stix::Object>{sdo(new_id(), 1)}, 1);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(again->seqs, std::vector<int64_t>{1});
}

TEST(SqliteStore, ErrorsNameTheFile) {
  testing::TempDir dir;
  auto missing = open_sqlite(dir.path() / "no-such-dir" / "node.db");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kIo);
  EXPECT_NE(missing.error().message.find("no-such-dir"), std::string::npos);

  const auto junk = dir.path() / "junk.db";
  std::ofstream(junk) << std::string(8192, 'j');
  auto bad = open_sqlite(junk);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::Code::kStore);
  EXPECT_NE(bad.error().message.find(junk.string()), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("not a database"), std::string::npos) << bad.error().message;
}

// A put() that returned ok is on disk when the process dies at once (kill -9).
TEST(SqliteStore, APutThatReturnedSurvivesKillNine) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  const std::string id = new_id();
  int pipe_fd[2];
  ASSERT_EQ(pipe(pipe_fd), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = open_sqlite(file);
    if (!s.ok()) _exit(2);
    std::vector<stix::Object> batch;
    for (int i = 0; i < 1000; ++i) batch.push_back(sdo(i ? new_id() : id, 1));
    if (!(*s)->put(batch, 1).ok()) _exit(3);
    if (write(pipe_fd[1], "k", 1) != 1) _exit(4);
    raise(SIGKILL);
  }
  close(pipe_fd[1]);
  char c = 0;
  EXPECT_EQ(read(pipe_fd[0], &c, 1), 1);
  close(pipe_fd[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;

  auto s = open_sqlite(file);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto got = (*s)->get(id);
  ASSERT_TRUE(got.ok() && *got);
  auto max = (*s)->max_seq();
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, 1000);
}

// Several processes write one file at once: each batch commits whole, and the sequence has no
// gaps and no repeats.
TEST(SqliteStore, SeveralProcessesShareOneFile) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  ASSERT_TRUE(open_sqlite(file).ok());
  constexpr int kProcs = 3, kBatches = 15, kBatchSize = 50;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcs; ++p) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = open_sqlite(file);
      if (!s.ok()) _exit(2);
      for (int b = 0; b < kBatches; ++b) {
        std::vector<stix::Object> batch;
        for (int i = 0; i < kBatchSize; ++i) batch.push_back(sdo(new_id(), 1));
        auto r = (*s)->put(batch, p);
        if (!r.ok()) _exit(3);
        for (size_t i = 1; i < r->seqs.size(); ++i) {
          if (r->seqs[i] != r->seqs[i - 1] + 1) _exit(4);  // a batch is contiguous
        }
      }
      _exit(0);
    }
    children.push_back(child);
  }
  for (pid_t c : children) {
    int status = 0;
    ASSERT_EQ(waitpid(c, &status, 0), c);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  auto s = open_sqlite(file);
  ASSERT_TRUE(s.ok());
  int64_t expect = 0;
  Query q;
  q.latest_only = false;
  ASSERT_TRUE((*s)->scan(q,
                         [&](const StoredObject& o) {
                           EXPECT_EQ(o.seq, ++expect);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(expect, kProcs * kBatches * kBatchSize);
}

// put() keeps the ids it has stored in memory to classify new objects without a query; writes of
// another connection (or process) to the same file must still be seen.
TEST(SqliteStore, ClassifiesAgainstWhatAnotherConnectionStored) {
  testing::TempDir dir;
  const auto file = dir.path() / "node.db";
  auto a = open_sqlite(file);
  auto b = open_sqlite(file);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string id = new_id(), other = new_id();
  // Both connections have put() once, so both hold their in-memory view.
  ASSERT_TRUE((*a)->put(std::vector<stix::Object>{sdo(other, 1)}, 1).ok());
  ASSERT_TRUE((*b)->put(std::vector<stix::Object>{sdo(new_id(), 1)}, 1).ok());
  // a stores id; b must then classify the same version as a duplicate, a newer one as a new
  // version, and an older one as history.
  ASSERT_TRUE((*a)->put(std::vector<stix::Object>{sdo(id, 5)}, 2).ok());
  auto dup = (*b)->put(std::vector<stix::Object>{sdo(id, 5)}, 3);
  ASSERT_TRUE(dup.ok()) << dup.error().to_string();
  EXPECT_EQ(dup->outcomes, std::vector<PutOutcome>{PutOutcome::kDuplicate});
  auto newer = (*b)->put(std::vector<stix::Object>{sdo(id, 7), sdo(id, 2)}, 4);
  ASSERT_TRUE(newer.ok());
  EXPECT_EQ(newer->outcomes,
            (std::vector<PutOutcome>{PutOutcome::kNewVersion, PutOutcome::kHistory}));
  // And back: a sees what b stored.
  auto again = (*a)->put(std::vector<stix::Object>{sdo(id, 7), sdo(id, 2)}, 5);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcomes,
            (std::vector<PutOutcome>{PutOutcome::kDuplicate, PutOutcome::kDuplicate}));
  auto versions = (*a)->get_versions(id);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 3u);
}

}  // namespace
}  // namespace sw::store
