// Test databases for the store tests: a fresh database per test for each backend, a way to open
// several Store objects on it, and a way to make the database itself fail a write. Also builders
// for STIX-like test objects.
//
// PostgreSQL: the connection string comes from SW_TEST_POSTGRES (start a throw-away server with
// `eval "$(scripts/pg-scratch)"`); each test gets its own schema, dropped afterwards. Without it
// the PostgreSQL cases are skipped, or fail when SW_TEST_REQUIRE_POSTGRES=1.
#pragma once

#include <gtest/gtest.h>
#include <postgresql/libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <random>
#include <string>

#include "core/time.h"
#include "core/uuid.h"
#include "stix/object.h"
#include "store/memory/memory_store.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace sw::store::testing {

// A database that exists for one test.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // A new Store object on this database (like another process opening it).
  virtual core::Result<StorePtr> open() = 0;
  // Makes the database itself refuse to store `id` (a trigger raising an error whose message
  // contains "injected-by-test"), so a put() fails inside the backend half-way through a batch.
  // False when the backend has no failure path of its own (memory).
  virtual bool fail_writes_of(const std::string& id) {
    (void)id;
    return false;
  }
  virtual void stop_failing() {}
  // Runs SQL on the database directly (not through a Store); false when not an SQL backend.
  virtual bool exec_sql(const std::string& sql) {
    (void)sql;
    return false;
  }
};

inline int64_t unique_counter() {
  static std::atomic<int64_t> n{0};
  return ++n;
}

class MemoryDatabase final : public TestDatabase {
 public:
  core::Result<StorePtr> open() override { return root_.another_handle(); }

 private:
  MemoryStore root_;  // keeps the data alive between handles, as a file would
};

inline bool sqlite_exec(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(file.c_str(), &db) == SQLITE_OK;
  if (ok) {
    sqlite3_busy_timeout(db, 10'000);
    char* msg = nullptr;
    ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) == SQLITE_OK;
    if (!ok) ADD_FAILURE() << "sqlite: " << sql << ": " << (msg ? msg : "?");
    sqlite3_free(msg);
  }
  sqlite3_close(db);
  return ok;
}

// A scratch directory removed with the object.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/sw-store-test.XXXXXX";
    if (!mkdtemp(tmpl.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class SqliteDatabase final : public TestDatabase {
 public:
  core::Result<StorePtr> open() override { return open_sqlite(file()); }
  std::filesystem::path file() const { return dir_.path() / "store.db"; }
  bool fail_writes_of(const std::string& id) override {
    // The store creates the schema on first open.
    if (!open().ok()) return false;
    return sqlite_exec(
        file(), "CREATE TRIGGER test_fail BEFORE INSERT ON object_versions WHEN NEW.id = '" + id +
                    "' BEGIN SELECT RAISE(ABORT, 'injected-by-test'); END");
  }
  void stop_failing() override { sqlite_exec(file(), "DROP TRIGGER IF EXISTS test_fail"); }
  bool exec_sql(const std::string& sql) override { return sqlite_exec(file(), sql); }

 private:
  TempDir dir_;
};

// Quotes a libpq connection-string value.
inline std::string pq_quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// Runs SQL on a new connection; records a test failure (and returns false) when it fails.
inline bool pq_exec(const std::string& conninfo, const std::string& sql) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (!ok) {
    ADD_FAILURE() << "postgres connect: " << PQerrorMessage(c);
  } else {
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) ADD_FAILURE() << "postgres: " << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

// `base` with `extra_options` added to its `options` (server settings for the session).
inline std::string pq_with_options(const std::string& base, const std::string& extra_options) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(base.c_str(), &err);
  if (!opts) {
    ADD_FAILURE() << "SW_TEST_POSTGRES is not a valid connection string: " << (err ? err : "?");
    PQfreemem(err);
    return base;
  }
  std::string out, options;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val) continue;
    if (std::string(o->keyword) == "options") {
      options = o->val;
      continue;
    }
    out += std::string(o->keyword) + "=" + pq_quote(o->val) + " ";
  }
  PQconninfoFree(opts);
  options += (options.empty() ? "" : " ") + extra_options;
  return out + "options=" + pq_quote(options);
}

// Whether the PostgreSQL cases can run; when not, skips (or fails when they are required).
inline const char* postgres_conninfo() { return std::getenv("SW_TEST_POSTGRES"); }
inline bool postgres_required() {
  const char* r = std::getenv("SW_TEST_REQUIRE_POSTGRES");
  return r && std::string(r) == "1";
}
#define SW_REQUIRE_POSTGRES()                                                                 \
  do {                                                                                        \
    if (!::sw::store::testing::postgres_conninfo()) {                                         \
      if (::sw::store::testing::postgres_required()) {                                        \
        FAIL() << "SW_TEST_REQUIRE_POSTGRES=1 but SW_TEST_POSTGRES is not set";               \
      }                                                                                       \
      GTEST_SKIP() << "SW_TEST_POSTGRES is not set (eval \"$(scripts/pg-scratch)\" starts a " \
                      "server)";                                                              \
    }                                                                                         \
  } while (0)

// A schema of its own in the database SW_TEST_POSTGRES names; dropped with the object.
class PostgresDatabase final : public TestDatabase {
 public:
  PostgresDatabase() : admin_(postgres_conninfo() ? postgres_conninfo() : "") {
    std::random_device rd;
    schema_ = "sw_test_" + std::to_string(getpid()) + "_" + std::to_string(unique_counter()) + "_" +
              std::to_string(rd() % 100000);
    // application_name lets a test find this database's connections in pg_stat_activity.
    conninfo_ =
        pq_with_options(admin_, "-c search_path=" + schema_) + " application_name=" + schema_;
    created_ = pq_exec(admin_, "CREATE SCHEMA " + schema_);
  }
  ~PostgresDatabase() override {
    if (created_) pq_exec(admin_, "DROP SCHEMA " + schema_ + " CASCADE");
  }
  core::Result<StorePtr> open() override { return open_postgres(conninfo_); }
  const std::string& conninfo() const { return conninfo_; }
  const std::string& schema() const { return schema_; }
  bool fail_writes_of(const std::string& id) override {
    if (!open().ok()) return false;
    return pq_exec(conninfo_,
                   "CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "RAISE EXCEPTION 'injected-by-test'; END $$; "
                   "CREATE TRIGGER test_fail BEFORE INSERT ON object_versions FOR EACH ROW WHEN "
                   "(NEW.id = '" +
                       id + "') EXECUTE FUNCTION test_fail()");
  }
  void stop_failing() override {
    pq_exec(conninfo_,
            "DROP TRIGGER IF EXISTS test_fail ON object_versions; "
            "DROP FUNCTION IF EXISTS test_fail()");
  }
  bool exec_sql(const std::string& sql) override { return pq_exec(conninfo_, sql); }

 private:
  std::string admin_;
  std::string schema_;
  std::string conninfo_;
  bool created_ = false;
};

// One backend of the parameterised suites: a name and a fresh database per test.
struct Backend {
  const char* name;
  std::function<std::unique_ptr<TestDatabase>()> make;
  bool postgres = false;
};

inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

inline Backend memory_backend() {
  return {"memory", [] { return std::make_unique<MemoryDatabase>(); }};
}
inline Backend sqlite_backend() {
  return {"sqlite", [] { return std::make_unique<SqliteDatabase>(); }};
}
inline Backend postgres_backend() {
  return {"postgres", [] { return std::make_unique<PostgresDatabase>(); }, true};
}

// ---- test objects ------------------------------------------------------------------------------

inline core::Timestamp at(int64_t seconds_after_2024, uint32_t nanos = 0, uint8_t digits = 3) {
  return core::Timestamp{1'704'067'200 + seconds_after_2024, nanos, digits};
}

inline std::string new_id(const std::string& type = "indicator") {
  return type + "--" + core::to_string(core::uuid_v4());
}

// A versioned SDO: created at(0), modified at(version). JSON looks like an indicator, ~500 bytes.
inline stix::Object sdo(const std::string& id, int64_t version, bool revoked = false) {
  stix::Object o;
  stix::ObjectMeta& m = o.meta;
  m.id = id;
  m.type = id.substr(0, id.find("--"));
  m.spec_version = "2.1";
  m.created = at(0);
  m.modified = at(version);
  m.has_created = true;
  m.has_modified = true;
  m.revoked = revoked;
  m.created_by_ref = "identity--b4c5b44d-6f3f-4b1f-9f6e-8c0c7b0d1a11";
  m.marking_refs = {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"};
  m.tlp = stix::Tlp::kGreen;
  m.kind = stix::ObjectKind::kSdo;
  o.json = R"({"type":")" + m.type + R"(","spec_version":"2.1","id":")" + id +
           R"(","created_by_ref":"identity--b4c5b44d-6f3f-4b1f-9f6e-8c0c7b0d1a11","created":")" +
           core::format_timestamp(m.created) + R"(","modified":")" +
           core::format_timestamp(m.modified) + "\"" + (revoked ? R"(,"revoked":true)" : "") +
           R"(,"name":"Malicious site hosting downloader","description":"This organized threat )"
           R"(actor group operates to create profit from all types of crime.","indicator_types":)"
           R"(["malicious-activity"],"pattern":"[url:value = 'http://x4z9arb.cn/4712/']",)"
           R"("pattern_type":"stix","valid_from":"2014-06-29T13:49:37.079Z","object_marking_refs":)"
           R"(["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]})";
  return o;
}

// An SCO: no created or modified, so one version per id.
inline stix::Object sco(const std::string& value) {
  stix::Object o;
  o.meta.id = "ipv4-addr--" + core::to_string(core::uuid_v5(core::stix_sco_namespace(), value));
  o.meta.type = "ipv4-addr";
  o.meta.spec_version = "2.1";
  o.meta.kind = stix::ObjectKind::kSco;
  o.json = R"({"type":"ipv4-addr","spec_version":"2.1","id":")" + o.meta.id + R"(","value":")" +
           value + "\"}";
  return o;
}

inline void expect_same_meta(const stix::ObjectMeta& got, const stix::ObjectMeta& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.spec_version, want.spec_version);
  EXPECT_EQ(got.created.seconds, want.created.seconds) << want.id;
  EXPECT_EQ(got.created.nanos, want.created.nanos) << want.id;
  EXPECT_EQ(got.created.digits, want.created.digits) << want.id;
  EXPECT_EQ(got.modified.seconds, want.modified.seconds) << want.id;
  EXPECT_EQ(got.modified.nanos, want.modified.nanos) << want.id;
  EXPECT_EQ(got.modified.digits, want.modified.digits) << want.id;
  EXPECT_EQ(got.has_created, want.has_created);
  EXPECT_EQ(got.has_modified, want.has_modified);
  EXPECT_EQ(got.revoked, want.revoked);
  EXPECT_EQ(got.created_by_ref, want.created_by_ref);
  EXPECT_EQ(got.marking_refs, want.marking_refs);
  EXPECT_EQ(got.tlp, want.tlp);
  EXPECT_EQ(got.pap, want.pap);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.version_key(), want.version_key());
}

}  // namespace sw::store::testing
