#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <absl/container/flat_hash_set.h>

#include "core/json.h"
#include "store/internal/audit_rows.h"
#include "store/internal/batch_plan.h"

namespace sw::store {
namespace {

// Numbered migrations; migration N brings the schema from version N-1 to N. Append only.
using internal::Migration;
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE object_versions (
  seq             INTEGER PRIMARY KEY,  -- node-wide sequence number: commit order, from 1
  id_hash         INTEGER NOT NULL,     -- internal::id_hash(id): what the look-up index holds
  id              TEXT    NOT NULL,
  version_key     TEXT    NOT NULL,     -- stix::ObjectMeta::version_key()
  type            TEXT    NOT NULL,
  revoked         INTEGER NOT NULL,
  added_us        INTEGER NOT NULL,     -- when this node stored it (TAXII date_added)
  spec_version    TEXT    NOT NULL,
  created         TEXT    NOT NULL,     -- core::sortable(): byte order is time order
  created_digits  INTEGER NOT NULL,     -- sub-second digits the source had
  has_created     INTEGER NOT NULL,
  modified        TEXT    NOT NULL,
  modified_digits INTEGER NOT NULL,
  has_modified    INTEGER NOT NULL,
  created_by_ref  TEXT    NOT NULL,
  marking_refs    TEXT    NOT NULL,     -- JSON array of ids
  tlp             INTEGER NOT NULL,     -- stix::Tlp value
  pap             INTEGER NOT NULL,     -- stix::Pap value
  kind            INTEGER NOT NULL,     -- stix::ObjectKind value
  json            TEXT    NOT NULL      -- exactly as given to put()
) STRICT;
-- Look-ups by id go through an index of 8-byte hashes (and compare the id itself): a fifth of
-- the size of an index on the id text, so far fewer pages are dirtied — and written to the WAL —
-- by a batch of random ids.
CREATE INDEX object_versions_by_id ON object_versions (id_hash);
-- The versions that are no longer the latest of their id (a version with a greater key is
-- stored). Latest-only scans skip them. Kept apart from the rows so that a new version adds an
-- 8-byte entry here instead of rewriting a page of its predecessor's row.
CREATE TABLE superseded (
  seq INTEGER PRIMARY KEY
) STRICT;
CREATE TABLE type_counts (
  type     TEXT    PRIMARY KEY,
  objects  INTEGER NOT NULL,  -- distinct ids
  versions INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql"},
    {2, R"sql(
-- The audit module's log (store.h, clause 6): append-only rows in seq order. The store neither
-- computes nor checks the hashes; src/audit does.
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,  -- from 1, commit order
  time_us   INTEGER NOT NULL,     -- microseconds since the epoch
  actor     TEXT    NOT NULL,
  org       TEXT    NOT NULL,
  action    TEXT    NOT NULL,     -- dotted name, e.g. auth.login
  target    TEXT    NOT NULL,
  outcome   TEXT    NOT NULL,     -- ok | denied | failed
  reason    TEXT    NOT NULL,
  details   TEXT    NOT NULL,     -- JSON object text
  prev_hash TEXT    NOT NULL,     -- hex SHA-256 of the previous entry
  hash      TEXT    NOT NULL      -- hex SHA-256 of this entry
) STRICT;
-- Refuses changes made through SQL by mistake. Not a defence against someone who can write the
-- file (they can drop these): `shieldwall audit verify` is.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql"},
    {3, R"sql(
-- Local records (store.h, clause 7): accounts, keys, sessions; never synced.
CREATE TABLE local_records (
  kind    TEXT    NOT NULL,
  key     TEXT    NOT NULL,
  version INTEGER NOT NULL,  -- 1 when made, +1 per write (compare-and-set)
  json    TEXT    NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT, WITHOUT ROWID;
)sql"},
};
constexpr int kSchemaVersion = kMigrations[std::size(kMigrations) - 1].version;

// The columns every read returns, in the order decode_row() reads them.
constexpr const char* kColumns =
    "seq, id, type, spec_version, created, created_digits, has_created, modified, "
    "modified_digits, has_modified, revoked, created_by_ref, marking_refs, tlp, pap, kind, "
    "added_us, json";

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// marking_refs as a JSON array of strings: readable in the sqlite3 shell and queryable with
// json_each(). The decoder reads what the encoder writes (and any JSON array of strings).
std::string encode_refs(const std::vector<std::string>& refs) {
  std::string out = "[";
  for (size_t i = 0; i < refs.size(); ++i) {
    if (i) out.push_back(',');
    core::append_json_string(out, refs[i]);
  }
  out.push_back(']');
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

bool decode_refs(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  };
  auto hex4 = [&](uint32_t& v) {
    if (i + 4 > s.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s[i++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<uint32_t>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  };
  skip_ws();
  if (i >= s.size() || s[i++] != '[') return false;
  skip_ws();
  if (i < s.size() && s[i] == ']') return ++i, true;
  for (;;) {
    skip_ws();
    if (i >= s.size() || s[i++] != '"') return false;
    std::string& str = out.emplace_back();
    for (;;) {
      // Copy the run up to the next quote or backslash at once (ids have no escapes).
      const size_t run = s.find_first_of("\"\\", i);
      if (run == std::string_view::npos) return false;
      str.append(s.data() + i, run - i);
      i = run;
      const char c = s[i++];
      if (c == '"') break;
      if (i >= s.size()) return false;
      switch (s[i++]) {
        case '"':
          str.push_back('"');
          break;
        case '\\':
          str.push_back('\\');
          break;
        case '/':
          str.push_back('/');
          break;
        case 'b':
          str.push_back('\b');
          break;
        case 'f':
          str.push_back('\f');
          break;
        case 'n':
          str.push_back('\n');
          break;
        case 'r':
          str.push_back('\r');
          break;
        case 't':
          str.push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
            i += 2;
            uint32_t lo;
            if (!hex4(lo) || lo < 0xdc00 || lo > 0xdfff) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          append_utf8(str, cp);
          break;
        }
        default:
          return false;
      }
    }
    skip_ws();
    if (i >= s.size()) return false;
    const char c = s[i++];
    if (c == ']') break;
    if (c != ',') return false;
  }
  skip_ws();
  return i == s.size();
}

std::string_view column_text(sqlite3_stmt* st, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
  const int n = sqlite3_column_bytes(st, col);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

// A statement prepared once per connection; finalised with it.
struct StmtDeleter {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbDeleter>;

// Resets a statement (and clears its bindings) when the using scope ends, so a cached statement
// never holds a read transaction open or points at freed bound text.
class Use {
 public:
  explicit Use(sqlite3_stmt* st) : st_(st) {}
  ~Use() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  sqlite3_stmt* operator*() const { return st_; }

 private:
  sqlite3_stmt* st_;
};

// Copies the WAL into the database file on a thread and connection of its own, so that put()
// does not wait for the copy and its fsync (measured with SQLite alone on this schema: about a
// third of the time of a 10,000-row put when the committing connection checkpoints, as SQLite
// does by default). The store's connection asks for a checkpoint
// from its WAL hook; if the log still grows past kForcePages (a checkpointer falling behind, or a
// reader holding an old snapshot), the committing connection checkpoints itself, as SQLite would.
// Thread-safe: request() may be called from any thread; the rest runs on its own thread.
class Checkpointer {
 public:
  static constexpr int kRequestPages = 1000;  // SQLite's own autocheckpoint threshold
  static constexpr int kForcePages = 16'000;  // ~64 MB of log with 4 KB pages

  explicit Checkpointer(DbPtr db) : db_(std::move(db)), thread_([this] { run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void request() {
    {
      std::lock_guard lock(mu_);
      requested_ = true;
    }
    cv_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return requested_ || stop_; });
      if (stop_) return;
      requested_ = false;
      lock.unlock();
      // PASSIVE never blocks writers or readers; it copies what no reader still needs. Failure
      // (another process checkpointing: SQLITE_BUSY) only means the next request does it.
      sqlite3_wal_checkpoint_v2(db_.get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  DbPtr db_;  // used by thread_ only
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;  // GUARDED_BY(mu_)
  bool stop_ = false;       // GUARDED_BY(mu_)
  std::thread thread_;      // last: starts once the members above exist
};

// Not thread-safe: one thread at a time (the contract of Store). The connection is opened
// SQLITE_OPEN_NOMUTEX for that reason.
class SqliteStore final : public Store {
 public:
  SqliteStore(DbPtr db, std::string file) : db_(std::move(db)), file_(std::move(file)) {}
  ~SqliteStore() override {
    if (checkpointer_) sqlite3_wal_hook(db_.get(), nullptr, nullptr);
    checkpointer_.reset();  // before db_: its thread must not outlive the hook's target
  }

  core::Status init(const SqliteOptions& options);

  core::Result<PutResult> put(std::span<const stix::Object> batch, int64_t added_us) override;
  core::Result<std::optional<StoredObject>> get(const std::string& id) override;
  core::Result<std::vector<StoredObject>> get_versions(const std::string& id) override;
  core::Result<std::optional<StoredObject>> get_version(const std::string& id,
                                                        const std::string& version_key) override;
  core::Status scan(const Query& query, const Visitor& visit) override;
  core::Result<Stats> stats() override;
  core::Result<int64_t> max_seq() override;
  core::Status append_audit(std::span<AuditRow> rows, const AuditSeal& seal) override;
  core::Status scan_audit(const AuditQuery& query, const AuditVisitor& visit) override;
  core::Result<std::optional<LocalRecord>> get_local(std::string_view kind,
                                                     std::string_view key) override;
  core::Status scan_local(std::string_view kind, const LocalVisitor& visit) override;
  core::Result<int64_t> put_local(std::string_view kind, std::string_view key,
                                  std::string_view json, int64_t expected) override;
  core::Status delete_local(std::string_view kind, std::string_view key) override;
  const char* backend() const override { return "sqlite"; }

 private:
  core::Error error(std::string_view what) const {
    return core::Error::store("sqlite: " + file_ + ": " + std::string(what) + ": " +
                              sqlite3_errmsg(db_.get()));
  }
  core::Error reentered() const {
    return core::Error::precondition("sqlite: " + file_ +
                                     ": store called from inside its own scan visitor");
  }
  // Every call starts here: refuses re-entry from a scan visitor and ends a transaction an
  // exception from a visitor may have left open.
  core::Status ready();
  core::Status exec(const char* sql);
  // The cached statement for `sql`, prepared on first use. `transient`: one of the many SQL texts a
  // scan builds; those live in a bounded cache of their own, so a pointer to a fixed statement
  // stays valid for the connection's life.
  core::Result<sqlite3_stmt*> stmt(const std::string& sql, bool transient = false);
  // Steps a statement that returns no rows (or whose rows are ignored).
  core::Status run(sqlite3_stmt* st, std::string_view what);
  core::Status migrate();
  core::Status rollback_after_error();
  core::Result<int64_t> read_max_seq();
  core::Status insert_version(sqlite3_stmt* st, const stix::Object& o, const std::string& key,
                              int64_t seq, int64_t added_us);
  core::Status decode_row(sqlite3_stmt* st, StoredObject& out) const;
  // Every stored version of `id` (binds ?1 id_hash, ?2 id of `sql`; `key` binds ?3).
  core::Result<std::vector<StoredObject>> read_versions(const std::string& sql,
                                                        const std::string& id,
                                                        const std::string* key);

  static int on_commit(void* self, sqlite3* db, const char* name, int pages);

  DbPtr db_;
  std::string file_;
  std::unique_ptr<Checkpointer> checkpointer_;  // null: the committing connection checkpoints
  std::unordered_map<std::string, StmtPtr> stmts_;
  std::unordered_map<std::string, StmtPtr> scan_stmts_;
  bool in_scan_ = false;

  // The id_hash of every stored version up to ids_seq_, filled at the first put() and kept up to
  // date by each later one. put() asks SQLite about an id only when its hash is in the set: a
  // bulk import of new objects then reads no index page to classify them (it was a fifth of
  // put()'s time at 1M objects). Another process writing the same file appends rows with greater
  // seqs; put() reads their hashes before classifying. A hash in the set whose batch was rolled
  // back only costs one needless query.
  absl::flat_hash_set<int64_t> ids_;
  int64_t ids_seq_ = -1;  // -1: not loaded
  core::Status refresh_ids(int64_t max_seq);
};

core::Status SqliteStore::ready() {
  if (in_scan_) return reentered();
  return rollback_after_error();
}

core::Status SqliteStore::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : sqlite3_errmsg(db_.get());
    sqlite3_free(msg);
    std::string_view head(sql);
    head = head.substr(0, std::min<size_t>(head.find('\n'), 60));
    return core::Error::store("sqlite: " + file_ + ": " + std::string(head) + ": " + m);
  }
  return core::ok_status();
}

core::Result<sqlite3_stmt*> SqliteStore::stmt(const std::string& sql, bool transient) {
  auto& cache = transient ? scan_stmts_ : stmts_;
  auto it = cache.find(sql);
  if (it != cache.end()) return it->second.get();
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
    return error("prepare");
  }
  // Scans build their SQL from the query; keep that cache bounded however many shapes appear.
  if (transient && cache.size() >= 64) cache.clear();
  cache.emplace(sql, StmtPtr(st));
  return st;
}

core::Status SqliteStore::run(sqlite3_stmt* st, std::string_view what) {
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return error(what);
  return core::ok_status();
}

core::Status SqliteStore::init(const SqliteOptions& options) {
  sqlite3_extended_result_codes(db_.get(), 1);
  sqlite3_busy_timeout(db_.get(), options.busy_timeout_ms);
  // WAL: readers never block the writer nor each other, and a commit is one append to the log.
  // synchronous=FULL: the log is fsynced at every commit, so a put() that returned survives power
  // loss, not only kill -9 (NORMAL would keep the last commits only in the page cache).
  {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), "PRAGMA journal_mode=WAL", -1, &raw, nullptr) != SQLITE_OK) {
      return error("PRAGMA journal_mode=WAL");
    }
    StmtPtr st(raw);
    if (sqlite3_step(raw) != SQLITE_ROW) return error("PRAGMA journal_mode=WAL");
    std::string mode(column_text(raw, 0));
    if (mode != "wal") {
      return core::Error::store("sqlite: " + file_ + ": cannot use WAL journal mode (got \"" +
                                mode + "\"); is the file on a network file system?");
    }
  }
  SW_TRY(exec("PRAGMA synchronous=FULL"));
  const std::string cache = "PRAGMA cache_size=-" + std::to_string(options.cache_mib * 1024);
  SW_TRY(exec(cache.c_str()));
  SW_TRY(migrate());
  // A second connection for the checkpointer thread; without one (or without a thread) the
  // default stays: the committing connection checkpoints every 1000 pages.
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(file_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) ==
      SQLITE_OK) {
    DbPtr ck(raw);
    if (sqlite3_exec(ck.get(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) == SQLITE_OK) {
      try {
        checkpointer_ = std::make_unique<Checkpointer>(std::move(ck));
        sqlite3_wal_hook(db_.get(), &SqliteStore::on_commit, this);
      } catch (const std::system_error&) {
        // No thread: keep SQLite's own checkpointing.
      }
    }
  } else {
    sqlite3_close_v2(raw);
  }
  return core::ok_status();
}

int SqliteStore::on_commit(void* self, sqlite3* db, const char* name, int pages) {
  auto* store = static_cast<SqliteStore*>(self);
  if (pages >= Checkpointer::kForcePages) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= Checkpointer::kRequestPages) {
    store->checkpointer_->request();
  }
  return SQLITE_OK;
}

core::Status SqliteStore::migrate() {
  SW_TRY(exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> core::Status {
    SW_TRY(
        exec("CREATE TABLE IF NOT EXISTS schema_version ("
             "version INTEGER PRIMARY KEY, applied_us INTEGER NOT NULL) STRICT"));
    SW_ASSIGN(sqlite3_stmt * cur, stmt("SELECT coalesce(max(version), 0) FROM schema_version"));
    int current;
    {
      Use use(cur);
      if (sqlite3_step(cur) != SQLITE_ROW) return error("reading schema_version");
      current = sqlite3_column_int(cur, 0);
    }
    if (current > kSchemaVersion) {
      return core::Error::precondition(
          "sqlite: " + file_ + ": the store's schema is version " + std::to_string(current) +
          " but this build of shieldwall knows versions up to " + std::to_string(kSchemaVersion) +
          "; use a newer shieldwall (the file was not changed)");
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      SW_TRY(exec(m.sql));
      SW_ASSIGN(sqlite3_stmt * ins,
                stmt("INSERT INTO schema_version (version, applied_us) VALUES (?1, ?2)"));
      Use use(ins);
      sqlite3_bind_int(ins, 1, m.version);
      sqlite3_bind_int64(ins, 2, now_us());
      SW_TRY(run(ins, "recording the schema version"));
    }
    return exec("COMMIT");
  };
  core::Status st = body();
  if (!st.ok()) (void)rollback_after_error();
  return st;
}

core::Status SqliteStore::rollback_after_error() {
  if (sqlite3_get_autocommit(db_.get())) return core::ok_status();  // already rolled back
  return exec("ROLLBACK");
}

core::Status SqliteStore::insert_version(sqlite3_stmt* st, const stix::Object& o,
                                         const std::string& key, int64_t seq, int64_t added_us) {
  const stix::ObjectMeta& m = o.meta;
  // The version key is sortable(modified) or sortable(created); reuse it rather than format twice.
  const std::string created =
      m.has_created && !m.has_modified ? key : internal::sortable(m.created);
  const std::string modified = m.has_modified ? key : internal::sortable(m.modified);
  const std::string refs = m.marking_refs.empty() ? std::string("[]") : encode_refs(m.marking_refs);
  auto text = [&](int col, std::string_view s) {
    sqlite3_bind_text(st, col, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  };
  sqlite3_bind_int64(st, 1, seq);
  text(2, m.id);
  text(3, key);
  text(4, m.type);
  sqlite3_bind_int(st, 5, m.revoked ? 1 : 0);
  sqlite3_bind_int64(st, 6, added_us);
  text(7, m.spec_version);
  text(8, created);
  sqlite3_bind_int(st, 9, m.created.digits);
  sqlite3_bind_int(st, 10, m.has_created ? 1 : 0);
  text(11, modified);
  sqlite3_bind_int(st, 12, m.modified.digits);
  sqlite3_bind_int(st, 13, m.has_modified ? 1 : 0);
  text(14, m.created_by_ref);
  text(15, refs);
  sqlite3_bind_int(st, 16, static_cast<int>(m.tlp));
  sqlite3_bind_int(st, 17, static_cast<int>(m.pap));
  sqlite3_bind_int(st, 18, static_cast<int>(m.kind));
  if (o.json.size() > static_cast<size_t>(INT32_MAX)) {
    return core::Error::exhausted("sqlite: object " + m.id + " is larger than 2 GiB");
  }
  text(19, o.json);
  sqlite3_bind_int64(st, 20, internal::id_hash(m.id));
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return error("storing " + m.id);
  return core::ok_status();
}

core::Status SqliteStore::refresh_ids(int64_t max_seq) {
  if (ids_seq_ > max_seq) ids_seq_ = -1;  // the file was replaced under us: start again
  if (ids_seq_ == max_seq) return core::ok_status();
  const bool all = ids_seq_ < 0;
  if (all) ids_.clear();
  // Called inside put()'s write transaction, so max_seq stays the greatest seq while this reads.
  // Everything: from the id index alone (a fifth of the table's size). Since the last refresh:
  // by rowid range.
  SW_ASSIGN(sqlite3_stmt * st,
            stmt(all ? "SELECT id_hash FROM object_versions INDEXED BY object_versions_by_id"
                     : "SELECT id_hash FROM object_versions WHERE seq > ?1"));
  Use use(st);
  if (!all) sqlite3_bind_int64(st, 1, ids_seq_);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) ids_.insert(sqlite3_column_int64(st, 0));
  if (rc != SQLITE_DONE) return error("reading stored ids");
  ids_seq_ = max_seq;
  return core::ok_status();
}

core::Result<PutResult> SqliteStore::put(std::span<const stix::Object> batch, int64_t added_us) {
  SW_TRY(ready());
  PutResult result;
  if (batch.empty()) return result;
  // BEGIN IMMEDIATE takes the write lock first (waiting up to busy_timeout), so classification,
  // sequence allocation and commit happen under one lock: sequence order is commit order.
  SW_TRY(exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> core::Status {
    SW_ASSIGN(sqlite3_stmt * max_st, stmt("SELECT coalesce(max(seq), 0) FROM object_versions"));
    int64_t seq;
    {
      Use use(max_st);
      if (sqlite3_step(max_st) != SQLITE_ROW) return error("reading the sequence");
      seq = sqlite3_column_int64(max_st, 0);
    }
    SW_TRY(refresh_ids(seq));
    // One query per distinct id reads the key and flags of all its versions (usually none or
    // one); the latest is the greatest key, and the classifier's "is this older key stored?"
    // is answered from the same rows.
    SW_ASSIGN(sqlite3_stmt * versions_st,
              stmt("SELECT version_key, revoked, seq FROM object_versions "
                   "WHERE id_hash = ?1 AND id = ?2"));
    std::unordered_map<std::string, std::vector<std::string>> keys_of;
    internal::StoredLookup lookup;
    lookup.latest =
        [&](const std::string& id) -> core::Result<std::optional<internal::StoredHead>> {
      const int64_t hash = internal::id_hash(id);
      if (!ids_.contains(hash)) return std::optional<internal::StoredHead>();
      Use use(versions_st);
      sqlite3_bind_int64(versions_st, 1, hash);
      sqlite3_bind_text(versions_st, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      std::optional<internal::StoredHead> head;
      std::vector<std::string>* keys = nullptr;
      int rc;
      while ((rc = sqlite3_step(versions_st)) == SQLITE_ROW) {
        std::string_view key = column_text(versions_st, 0);
        if (!keys) keys = &keys_of[id];
        keys->emplace_back(key);
        if (!head || key > head->version_key) {
          head = internal::StoredHead{std::string(key), sqlite3_column_int(versions_st, 1) != 0,
                                      sqlite3_column_int64(versions_st, 2)};
        }
      }
      if (rc != SQLITE_DONE) return error("looking up " + id);
      return head;
    };
    lookup.has = [&](const std::string& id, const std::string& key) -> core::Result<bool> {
      auto it = keys_of.find(id);
      return it != keys_of.end() &&
             std::find(it->second.begin(), it->second.end(), key) != it->second.end();
    };
    SW_ASSIGN(internal::BatchPlan plan,
              internal::plan_batch(batch, internal::version_keys(batch), lookup));

    result.seqs.assign(batch.size(), 0);
    const int64_t first_seq = seq + 1;
    if (!plan.stored.empty()) {
      SW_ASSIGN(sqlite3_stmt * ins,
                stmt("INSERT INTO object_versions (seq, id, version_key, type, revoked, "
                     "added_us, spec_version, created, created_digits, has_created, modified, "
                     "modified_digits, has_modified, created_by_ref, marking_refs, tlp, pap, kind, "
                     "json, id_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                     "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"));
      Use use(ins);
      for (size_t i : plan.stored) {
        result.seqs[i] = ++seq;
        SW_TRY(insert_version(ins, batch[i], plan.version_keys[i], seq, added_us));
      }
    }
    const std::vector<int64_t> superseded = internal::superseded_after(plan, first_seq);
    if (!superseded.empty()) {
      SW_ASSIGN(sqlite3_stmt * sup, stmt("INSERT INTO superseded (seq) VALUES (?1)"));
      for (int64_t s : superseded) {
        Use use(sup);
        sqlite3_bind_int64(sup, 1, s);
        SW_TRY(run(sup, "recording a superseded version"));
      }
    }
    if (!plan.added.empty()) {
      SW_ASSIGN(sqlite3_stmt * cnt,
                stmt("INSERT INTO type_counts (type, objects, versions) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (type) DO UPDATE SET objects = objects + excluded.objects, "
                     "versions = versions + excluded.versions"));
      for (const auto& [type, c] : plan.added) {
        Use use(cnt);
        sqlite3_bind_text(cnt, 1, type.data(), static_cast<int>(type.size()), SQLITE_STATIC);
        sqlite3_bind_int64(cnt, 2, c.objects);
        sqlite3_bind_int64(cnt, 3, c.versions);
        SW_TRY(run(cnt, "counting types"));
      }
    }
    result.outcomes = std::move(plan.outcomes);
    SW_TRY(exec("COMMIT"));
    for (size_t i : plan.stored) ids_.insert(internal::id_hash(batch[i].meta.id));
    ids_seq_ = seq;
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) {
    (void)rollback_after_error();
    return std::move(st).error();
  }
  return result;
}

core::Status SqliteStore::decode_row(sqlite3_stmt* st, StoredObject& out) const {
  out.seq = sqlite3_column_int64(st, 0);
  stix::ObjectMeta& m = out.meta;
  m.id.assign(column_text(st, 1));
  m.type.assign(column_text(st, 2));
  m.spec_version.assign(column_text(st, 3));
  auto created = internal::decode_timestamp(column_text(st, 4), sqlite3_column_int(st, 5));
  if (!created.ok()) return internal::corrupt_row("sqlite", "created", out.seq);
  m.created = *created;
  m.has_created = sqlite3_column_int(st, 6) != 0;
  auto modified = internal::decode_timestamp(column_text(st, 7), sqlite3_column_int(st, 8));
  if (!modified.ok()) return internal::corrupt_row("sqlite", "modified", out.seq);
  m.modified = *modified;
  m.has_modified = sqlite3_column_int(st, 9) != 0;
  m.revoked = sqlite3_column_int(st, 10) != 0;
  m.created_by_ref.assign(column_text(st, 11));
  if (!decode_refs(column_text(st, 12), m.marking_refs)) {
    return internal::corrupt_row("sqlite", "marking_refs", out.seq);
  }
  const int tlp = sqlite3_column_int(st, 13), pap = sqlite3_column_int(st, 14),
            kind = sqlite3_column_int(st, 15);
  if (tlp < 0 || tlp > 5 || pap < 0 || pap > 4 || kind < 0 || kind > 4) {
    return internal::corrupt_row("sqlite", "tlp/pap/kind out of range", out.seq);
  }
  m.tlp = static_cast<stix::Tlp>(tlp);
  m.pap = static_cast<stix::Pap>(pap);
  m.kind = static_cast<stix::ObjectKind>(kind);
  out.added_us = sqlite3_column_int64(st, 16);
  out.json.assign(column_text(st, 17));
  return core::ok_status();
}

core::Result<std::vector<StoredObject>> SqliteStore::read_versions(const std::string& sql,
                                                                   const std::string& id,
                                                                   const std::string* key) {
  SW_TRY(ready());
  SW_ASSIGN(sqlite3_stmt * st, stmt(sql));
  Use use(st);
  sqlite3_bind_int64(st, 1, internal::id_hash(id));
  sqlite3_bind_text(st, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
  if (key) sqlite3_bind_text(st, 3, key->data(), static_cast<int>(key->size()), SQLITE_STATIC);
  std::vector<StoredObject> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) SW_TRY(decode_row(st, out.emplace_back()));
  if (rc != SQLITE_DONE) return error("reading " + id);
  return out;
}

// Version keys are not stored in StoredObject; they are recomputed from the metadata, which is
// what put() computed them from.
bool older_key(const StoredObject& a, const StoredObject& b) {
  return internal::version_key(a.meta) < internal::version_key(b.meta);
}

core::Result<std::optional<StoredObject>> SqliteStore::get(const std::string& id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM object_versions WHERE id_hash = ?1 AND id = ?2";
  SW_ASSIGN(std::vector<StoredObject> all, read_versions(sql, id, nullptr));
  if (all.empty()) return std::optional<StoredObject>();
  return std::optional<StoredObject>(
      std::move(*std::max_element(all.begin(), all.end(), older_key)));
}

core::Result<std::optional<StoredObject>> SqliteStore::get_version(const std::string& id,
                                                                   const std::string& key) {
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM object_versions WHERE id_hash = ?1 AND id = ?2 AND "
                                 "version_key = ?3";
  SW_ASSIGN(std::vector<StoredObject> one, read_versions(sql, id, &key));
  if (one.empty()) return std::optional<StoredObject>();
  return std::optional<StoredObject>(std::move(one.front()));
}

core::Result<std::vector<StoredObject>> SqliteStore::get_versions(const std::string& id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM object_versions WHERE id_hash = ?1 AND id = ?2";
  SW_ASSIGN(std::vector<StoredObject> all, read_versions(sql, id, nullptr));
  std::sort(all.begin(), all.end(), older_key);
  return all;
}

core::Status SqliteStore::scan(const Query& query, const Visitor& visit) {
  SW_TRY(ready());
  std::vector<std::string> types = query.types;
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());

  // One read transaction, so the rows and the superseded list are one snapshot: "latest" means
  // latest when the scan started.
  SW_TRY(exec("BEGIN"));
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  auto body = [&]() -> core::Status {
    // The table in rowid (= seq) order: streams without a sort, reads no index. Types and
    // added_us are filters (there is no type index: it cost a fifth of put()'s CPU, see
    // README.md). Parameters: ?1 after_seq, ?2 added_after_us, ?3 limit (-1: none), ?4... types.
    std::string sql = std::string("SELECT ") + kColumns + " FROM object_versions WHERE seq > ?1";
    if (query.added_after_us != 0) sql += " AND added_us > ?2";
    if (!types.empty()) {
      sql += " AND type IN (";
      for (size_t k = 0; k < types.size(); ++k) sql += (k ? ", ?" : "?") + std::to_string(k + 4);
      sql += ")";
    }
    sql += " ORDER BY seq LIMIT ?3";

    // Latest only: walk the superseded list alongside the rows (both in seq order) and skip the
    // rows it names — one comparison a row. The limit then counts visited rows, here.
    const int64_t limit = query.limit > 0 ? query.limit : -1;
    SW_ASSIGN(sqlite3_stmt * sup, stmt("SELECT seq FROM superseded WHERE seq > ?1 ORDER BY seq"));
    Use use_sup(sup);
    int64_t next_superseded = INT64_MAX;
    auto advance = [&]() -> core::Status {
      const int rc = sqlite3_step(sup);
      if (rc == SQLITE_ROW) {
        next_superseded = sqlite3_column_int64(sup, 0);
      } else if (rc == SQLITE_DONE) {
        next_superseded = INT64_MAX;
      } else {
        return error("scanning superseded versions");
      }
      return core::ok_status();
    };
    if (query.latest_only) {
      sqlite3_bind_int64(sup, 1, query.after_seq);
      SW_TRY(advance());
    }

    SW_ASSIGN(sqlite3_stmt * st, stmt(sql, /*transient=*/true));
    Use use(st);
    sqlite3_bind_int64(st, 1, query.after_seq);
    sqlite3_bind_int64(st, 2, query.added_after_us);
    sqlite3_bind_int64(st, 3, query.latest_only ? -1 : limit);
    for (size_t k = 0; k < types.size(); ++k) {
      sqlite3_bind_text(st, static_cast<int>(k + 4), types[k].data(),
                        static_cast<int>(types[k].size()), SQLITE_STATIC);
    }
    StoredObject o;  // reused: its strings keep their capacity from row to row
    int64_t visited = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      if (query.latest_only) {
        const int64_t seq = sqlite3_column_int64(st, 0);
        while (next_superseded < seq) SW_TRY(advance());
        if (next_superseded == seq) continue;
      }
      SW_TRY(decode_row(st, o));
      if (!visit(o)) return core::ok_status();
      if (++visited == limit) return core::ok_status();
    }
    if (rc != SQLITE_DONE) return error("scanning");
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) {
    (void)rollback_after_error();
    return st;
  }
  return exec("COMMIT");
}

core::Result<int64_t> SqliteStore::max_seq() {
  SW_TRY(ready());
  return read_max_seq();
}

core::Result<int64_t> SqliteStore::read_max_seq() {
  SW_ASSIGN(sqlite3_stmt * st, stmt("SELECT coalesce(max(seq), 0) FROM object_versions"));
  Use use(st);
  if (sqlite3_step(st) != SQLITE_ROW) return error("reading the sequence");
  return sqlite3_column_int64(st, 0);
}

core::Result<Stats> SqliteStore::stats() {
  SW_TRY(ready());
  // One read transaction, so the counts, max_seq and size are of one snapshot.
  SW_TRY(exec("BEGIN"));
  Stats s;
  auto body = [&]() -> core::Status {
    SW_ASSIGN(sqlite3_stmt * counts, stmt("SELECT type, objects, versions FROM type_counts"));
    {
      Use use(counts);
      int rc;
      while ((rc = sqlite3_step(counts)) == SQLITE_ROW) {
        s.by_type[std::string(column_text(counts, 0))] =
            TypeCount{sqlite3_column_int64(counts, 1), sqlite3_column_int64(counts, 2)};
      }
      if (rc != SQLITE_DONE) return error("reading type counts");
    }
    SW_ASSIGN(s.max_seq, read_max_seq());
    SW_ASSIGN(sqlite3_stmt * size,
              stmt("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"));
    {
      Use use(size);
      if (sqlite3_step(size) != SQLITE_ROW) return error("reading the file size");
      s.bytes = sqlite3_column_int64(size, 0);
    }
    return exec("COMMIT");
  };
  core::Status st = body();
  if (!st.ok()) {
    (void)rollback_after_error();
    return std::move(st).error();
  }
  return s;
}

// The audit columns in AuditRow order; read_audit_row() depends on it.
constexpr const char* kAuditColumns =
    "seq, time_us, actor, org, action, target, outcome, reason, details, prev_hash, hash";

void read_audit_row(sqlite3_stmt* st, AuditRow& r) {
  r.seq = sqlite3_column_int64(st, 0);
  r.time_us = sqlite3_column_int64(st, 1);
  r.actor.assign(column_text(st, 2));
  r.org.assign(column_text(st, 3));
  r.action.assign(column_text(st, 4));
  r.target.assign(column_text(st, 5));
  r.outcome.assign(column_text(st, 6));
  r.reason.assign(column_text(st, 7));
  r.details_json.assign(column_text(st, 8));
  r.prev_hash.assign(column_text(st, 9));
  r.hash.assign(column_text(st, 10));
}

core::Status SqliteStore::append_audit(std::span<AuditRow> rows, const AuditSeal& seal) {
  SW_TRY(ready());
  if (rows.empty()) return core::ok_status();
  // The database's one write lock, as put(): appenders in every process run one at a time, so
  // the last row read here is still the last when the new rows are inserted.
  SW_TRY(exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> core::Status {
    static const std::string last_sql =
        std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq DESC LIMIT 1";
    SW_ASSIGN(sqlite3_stmt * last_st, stmt(last_sql));
    std::optional<AuditRow> last;
    {
      Use use(last_st);
      const int rc = sqlite3_step(last_st);
      if (rc == SQLITE_ROW) {
        read_audit_row(last_st, last.emplace());
      } else if (rc != SQLITE_DONE) {
        return error("reading the last audit row");
      }
    }
    SW_TRY(internal::seal_audit_rows(last ? &*last : nullptr, rows, seal));
    SW_ASSIGN(sqlite3_stmt * ins,
              stmt(std::string("INSERT INTO audit_log (") + kAuditColumns +
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    for (const AuditRow& r : rows) {
      Use use(ins);
      auto text = [&](int col, const std::string& v) {
        sqlite3_bind_text(ins, col, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
      };
      sqlite3_bind_int64(ins, 1, r.seq);
      sqlite3_bind_int64(ins, 2, r.time_us);
      text(3, r.actor);
      text(4, r.org);
      text(5, r.action);
      text(6, r.target);
      text(7, r.outcome);
      text(8, r.reason);
      text(9, r.details_json);
      text(10, r.prev_hash);
      text(11, r.hash);
      SW_TRY(run(ins, "storing audit row " + std::to_string(r.seq)));
    }
    return exec("COMMIT");
  };
  core::Status st = body();
  if (!st.ok()) (void)rollback_after_error();
  return st;
}

core::Status SqliteStore::scan_audit(const AuditQuery& q, const AuditVisitor& visit) {
  SW_TRY(ready());
  // ?1 after_seq, ?2 action, ?3 action + ".", ?4 action + "/" ('/' follows '.'), ?5 actor,
  // ?6 org, ?7 outcome, ?8 since, ?9 until, ?10 limit (-1: none). The action range compares bytes
  // (BINARY collation), so "auth" matches "auth.login" but not "authz".
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE seq > ?1";
  if (!q.action.empty()) sql += " AND (action = ?2 OR (action > ?3 AND action < ?4))";
  if (!q.actor.empty()) sql += " AND actor = ?5";
  if (!q.org.empty()) sql += " AND org = ?6";
  if (!q.outcome.empty()) sql += " AND outcome = ?7";
  if (q.since_us != 0) sql += " AND time_us >= ?8";
  if (q.until_us != 0) sql += " AND time_us < ?9";
  sql += " ORDER BY seq LIMIT ?10";
  SW_ASSIGN(sqlite3_stmt * st, stmt(sql, /*transient=*/true));
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  Use use(st);
  const std::string dot = q.action + ".", slash = q.action + "/";
  auto text = [&](int col, const std::string& v) {
    sqlite3_bind_text(st, col, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  };
  sqlite3_bind_int64(st, 1, q.after_seq);
  text(2, q.action);
  text(3, dot);
  text(4, slash);
  text(5, q.actor);
  text(6, q.org);
  text(7, q.outcome);
  sqlite3_bind_int64(st, 8, q.since_us);
  sqlite3_bind_int64(st, 9, q.until_us);
  sqlite3_bind_int64(st, 10, q.limit > 0 ? q.limit : -1);
  AuditRow row;  // reused
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    read_audit_row(st, row);
    if (!visit(row)) return core::ok_status();
  }
  if (rc != SQLITE_DONE) return error("scanning the audit log");
  return core::ok_status();
}

namespace {
void bind_text(sqlite3_stmt* st, int col, std::string_view v) {
  sqlite3_bind_text(st, col, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
}  // namespace

core::Result<std::optional<LocalRecord>> SqliteStore::get_local(std::string_view kind,
                                                                std::string_view key) {
  SW_TRY(ready());
  SW_ASSIGN(sqlite3_stmt * st,
            stmt("SELECT version, json FROM local_records WHERE kind = ?1 AND key = ?2"));
  Use use(st);
  bind_text(st, 1, kind);
  bind_text(st, 2, key);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<LocalRecord>{};
  if (rc != SQLITE_ROW) return error("reading a local record");
  return std::optional<LocalRecord>(LocalRecord{std::string(kind), std::string(key),
                                                std::string(column_text(st, 1)),
                                                sqlite3_column_int64(st, 0)});
}

core::Status SqliteStore::scan_local(std::string_view kind, const LocalVisitor& visit) {
  SW_TRY(ready());
  SW_ASSIGN(sqlite3_stmt * st,
            stmt("SELECT key, version, json FROM local_records WHERE kind = ?1 ORDER BY key"));
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  Use use(st);
  bind_text(st, 1, kind);
  LocalRecord r;
  r.kind = std::string(kind);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    r.key.assign(column_text(st, 0));
    r.version = sqlite3_column_int64(st, 1);
    r.json.assign(column_text(st, 2));
    if (!visit(r)) return core::ok_status();
  }
  if (rc != SQLITE_DONE) return error("scanning local records");
  return core::ok_status();
}

core::Result<int64_t> SqliteStore::put_local(std::string_view kind, std::string_view key,
                                             std::string_view json, int64_t expected) {
  SW_TRY(ready());
  SW_TRY(check_local_record(kind, key, json));
  const std::string where = std::string(kind) + "/" + std::string(key);
  SW_TRY(exec("BEGIN IMMEDIATE"));  // the write lock: compare and set with no one in between
  auto body = [&]() -> core::Result<int64_t> {
    SW_ASSIGN(sqlite3_stmt * sel,
              stmt("SELECT version FROM local_records WHERE kind = ?1 AND key = ?2"));
    int64_t current = 0;
    {
      Use use(sel);
      bind_text(sel, 1, kind);
      bind_text(sel, 2, key);
      const int rc = sqlite3_step(sel);
      if (rc == SQLITE_ROW) {
        current = sqlite3_column_int64(sel, 0);
      } else if (rc != SQLITE_DONE) {
        return error("reading a local record");
      }
    }
    if (current == 0 && expected != 0) return core::Error::precondition("the record is gone", where);
    if (current != 0 && expected == 0) {
      return core::Error{core::Code::kAlreadyExists, "the record exists", where};
    }
    if (current != expected) return core::Error::precondition("the record changed meanwhile", where);
    SW_ASSIGN(sqlite3_stmt * up,
              stmt("INSERT INTO local_records (kind, key, version, json) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, "
                   "json = excluded.json"));
    {
      Use use(up);
      bind_text(up, 1, kind);
      bind_text(up, 2, key);
      sqlite3_bind_int64(up, 3, current + 1);
      bind_text(up, 4, json);
      SW_TRY(run(up, "writing local record " + where));
    }
    SW_TRY(exec("COMMIT"));
    return current + 1;
  };
  auto r = body();
  if (!r.ok()) (void)rollback_after_error();
  return r;
}

core::Status SqliteStore::delete_local(std::string_view kind, std::string_view key) {
  SW_TRY(ready());
  SW_ASSIGN(sqlite3_stmt * st, stmt("DELETE FROM local_records WHERE kind = ?1 AND key = ?2"));
  Use use(st);
  bind_text(st, 1, kind);
  bind_text(st, 2, key);
  return run(st, "deleting a local record");
}

}  // namespace

int sqlite_schema_version() { return kSchemaVersion; }

core::Result<StorePtr> open_sqlite(const std::filesystem::path& file) {
  return open_sqlite(file, SqliteOptions{});
}

core::Result<StorePtr> open_sqlite(const std::filesystem::path& file,
                                   const SqliteOptions& options) {
  const std::string name = file.string();
  std::error_code ec;
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  if (!std::filesystem::is_directory(dir, ec)) {
    return core::Error::io("sqlite: " + name + ": directory " + dir.string() + " does not exist");
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(
      name.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return core::Error::store("sqlite: " + name +
                              ": open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  auto store = std::make_unique<SqliteStore>(std::move(db), name);
  SW_TRY(store->init(options));
  return StorePtr(std::move(store));
}

}  // namespace sw::store
