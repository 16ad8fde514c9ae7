#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "store/internal/audit_rows.h"
#include "store/internal/batch_plan.h"

namespace sw::store {
namespace {

// Numbered migrations; migration N brings the schema from version N-1 to N. Append only. Tables
// are created in the connection's current schema.
using internal::Migration;
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE object_versions (
  seq             bigint   PRIMARY KEY,   -- node-wide sequence number: commit order, from 1
  added_us        bigint   NOT NULL,      -- when this node stored it (TAXII date_added)
  id              text     COLLATE "C" NOT NULL,
  version_key     text     COLLATE "C" NOT NULL,  -- stix::ObjectMeta::version_key()
  type            text     COLLATE "C" NOT NULL,
  revoked         boolean  NOT NULL,
  has_created     boolean  NOT NULL,
  has_modified    boolean  NOT NULL,
  created_digits  smallint NOT NULL,      -- sub-second digits the source had
  modified_digits smallint NOT NULL,
  tlp             smallint NOT NULL,      -- stix::Tlp value
  pap             smallint NOT NULL,      -- stix::Pap value
  kind            smallint NOT NULL,      -- stix::ObjectKind value
  spec_version    text     NOT NULL,
  created         text     COLLATE "C" NOT NULL,  -- core::sortable(): byte order is time order
  modified        text     COLLATE "C" NOT NULL,
  created_by_ref  text     NOT NULL,
  marking_refs    text[]   NOT NULL,
  json            text     NOT NULL       -- exactly as given to put() (jsonb would not keep it)
);
-- A hash index holds 4-byte hash codes, not the id text: small, so a batch of random ids dirties
-- (and writes to the WAL) far fewer pages than a B-tree on id would. (A B-tree on an 8-byte hash
-- computed by the client, as SQLite has, was measured too: more server CPU per insert.) There is
-- no index on type: it cost ~14% of put()'s server CPU; scans by type filter the seq order.
CREATE INDEX object_versions_by_id ON object_versions USING hash (id);
-- The versions that are no longer the latest of their id (a version with a greater key is
-- stored). Latest-only scans skip them. Kept apart from the rows so that a new version inserts
-- a small row here instead of writing a new copy of its predecessor's row and index entries.
CREATE TABLE superseded (
  seq bigint PRIMARY KEY
);
CREATE TABLE type_counts (
  type     text   COLLATE "C" PRIMARY KEY,
  objects  bigint NOT NULL,  -- distinct ids
  versions bigint NOT NULL
);
-- The sequence allocator. Its one row is locked FOR UPDATE by every put() before it classifies,
-- and stays locked until commit: allocation order is commit order (a PostgreSQL SEQUENCE is not).
CREATE TABLE seq_counter (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq bigint  NOT NULL
);
INSERT INTO seq_counter (seq) VALUES (0);
)sql"},
    {2, R"sql(
-- The audit module's log (store.h, clause 6): append-only rows in seq order. The store neither
-- computes nor checks the hashes; src/audit does. Appenders serialise on an advisory lock of
-- their own (see append_audit), not on seq_counter, so a login is never recorded behind an import.
CREATE TABLE audit_log (
  seq       bigint PRIMARY KEY,     -- from 1, commit order
  time_us   bigint NOT NULL,        -- microseconds since the epoch
  actor     text   COLLATE "C" NOT NULL,
  org       text   COLLATE "C" NOT NULL,
  action    text   COLLATE "C" NOT NULL,  -- dotted name, e.g. auth.login
  target    text   NOT NULL,
  outcome   text   COLLATE "C" NOT NULL,  -- ok | denied | failed
  reason    text   NOT NULL,
  details   text   NOT NULL,        -- JSON object text, exactly as given
  prev_hash text   NOT NULL,        -- hex SHA-256 of the previous entry
  hash      text   NOT NULL         -- hex SHA-256 of this entry
);
-- Refuses changes made through SQL by mistake. Not a defence against the database's owner (who
-- can drop these): `shieldwall audit verify` is.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
)sql"},
    {3, R"sql(
-- Local records (store.h, clause 7): accounts, keys, sessions; never synced. Each write is one
-- statement that compares the version and sets the new one (no explicit lock needed).
CREATE TABLE local_records (
  kind    text   COLLATE "C" NOT NULL,
  key     text   COLLATE "C" NOT NULL,
  version bigint NOT NULL,  -- 1 when made, +1 per write
  json    text   NOT NULL,
  PRIMARY KEY (kind, key)
);
)sql"},
};
constexpr int kSchemaVersion = kMigrations[std::size(kMigrations) - 1].version;

// Column order of every read; decode_row() depends on it.
constexpr const char* kColumns =
    "seq, id, type, spec_version, created, created_digits, has_created, modified, "
    "modified_digits, has_modified, revoked, created_by_ref, marking_refs, tlp, pap, kind, "
    "added_us, json";
// Column order of the COPY; write_row() depends on it.
constexpr const char* kCopy =
    "COPY object_versions (seq, id, version_key, type, revoked, added_us, "
    "spec_version, created, created_digits, has_created, modified, modified_digits, has_modified, "
    "created_by_ref, marking_refs, tlp, pap, kind, json) FROM STDIN (FORMAT binary)";
constexpr int16_t kCopyFields = 19;

constexpr uint32_t kTextOid = 25;
constexpr uint32_t kInt8Oid = 20;
constexpr int kFetchRows = 10'000;
constexpr size_t kCopyChunk = 1 << 20;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Res = std::unique_ptr<PGresult, ResultDeleter>;

// PostgreSQL's binary formats are big-endian.
void put_u16(std::string& b, uint16_t v) {
  b.push_back(static_cast<char>(v >> 8));
  b.push_back(static_cast<char>(v));
}
void put_u32(std::string& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>(v >> s));
}
void put_i64(std::string& b, int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  for (int s = 56; s >= 0; s -= 8) b.push_back(static_cast<char>(u >> s));
}
uint32_t get_u32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} << 24 | uint32_t{u[1]} << 16 | uint32_t{u[2]} << 8 | u[3];
}
int64_t get_i64(const char* p) {
  return static_cast<int64_t>(uint64_t{get_u32(p)} << 32 | get_u32(p + 4));
}
int16_t get_i16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<int16_t>(u[0] << 8 | u[1]);
}

// COPY binary fields: a length, then the bytes.
void field_text(std::string& b, std::string_view s) {
  put_u32(b, static_cast<uint32_t>(s.size()));
  b.append(s);
}
void field_i64(std::string& b, int64_t v) {
  put_u32(b, 8);
  put_i64(b, v);
}
void field_i16(std::string& b, int v) {
  put_u32(b, 2);
  put_u16(b, static_cast<uint16_t>(v));
}
void field_bool(std::string& b, bool v) {
  put_u32(b, 1);
  b.push_back(v ? 1 : 0);
}

// A one-dimensional array in binary form (array_recv): what a text[] or bigint[] parameter or
// COPY field carries.
template <class Range, class Put>
std::string binary_array(const Range& items, uint32_t elem_oid, Put put_elem) {
  std::string b;
  const size_t n = std::size(items);
  put_u32(b, n ? 1 : 0);  // dimensions
  put_u32(b, 0);          // no nulls
  put_u32(b, elem_oid);
  if (n) {
    put_u32(b, static_cast<uint32_t>(n));
    put_u32(b, 1);  // lower bound
  }
  for (const auto& item : items) put_elem(b, item);
  return b;
}
std::string text_array(const std::vector<std::string_view>& items) {
  return binary_array(items, kTextOid,
                      [](std::string& b, std::string_view s) { field_text(b, s); });
}
std::string text_array(const std::vector<std::string>& items) {
  return binary_array(items, kTextOid,
                      [](std::string& b, std::string_view s) { field_text(b, s); });
}
std::string int8_array(const std::vector<int64_t>& items) {
  return binary_array(items, kInt8Oid, [](std::string& b, int64_t v) { field_i64(b, v); });
}

bool decode_text_array(const char* p, size_t len, std::vector<std::string>& out) {
  out.clear();
  if (len < 12) return false;
  const uint32_t ndim = get_u32(p);
  if (ndim == 0) return true;
  if (ndim != 1 || len < 20) return false;
  const uint32_t n = get_u32(p + 12);
  size_t off = 20;
  for (uint32_t k = 0; k < n; ++k) {
    if (off + 4 > len) return false;
    const uint32_t l = get_u32(p + off);
    off += 4;
    if (l == 0xffffffffu || off + l > len) return false;  // NULL elements are never written
    out.emplace_back(p + off, l);
    off += l;
  }
  return off == len;
}

// Binary parameters for PQexecPrepared / PQexecParams.
class Params {
 public:
  Params& text(std::string_view s) { return add(std::string(s)); }
  Params& i64(int64_t v) {
    std::string b;
    put_i64(b, v);
    return add(std::move(b));
  }
  Params& raw(std::string b) { return add(std::move(b)); }
  int size() const { return static_cast<int>(values_.size()); }
  // "$n" for the parameter added next.
  std::string next() const { return "$" + std::to_string(values_.size() + 1); }
  const char* const* values() {
    ptrs_.clear();
    for (const std::string& v : values_) ptrs_.push_back(v.data());
    return ptrs_.data();
  }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& add(std::string v) {
    lengths_.push_back(static_cast<int>(v.size()));
    formats_.push_back(1);
    values_.push_back(std::move(v));
    return *this;
  }
  std::vector<std::string> values_;
  std::vector<int> lengths_, formats_;
  std::vector<const char*> ptrs_;
};

std::string trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

struct Prepared {
  const char* name;
  const char* sql;  // nullptr: built by prepared_sql()
};

// Not thread-safe: one thread at a time, as every Store.
class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  ~PostgresStore() override {
    if (conn_) PQfinish(conn_);
  }

  core::Status open();

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
  const char* backend() const override { return "postgres"; }

 private:
  core::Error error(std::string_view what, const PGresult* r = nullptr) const {
    std::string msg = trimmed(r ? PQresultErrorMessage(r) : nullptr);
    if (msg.empty()) msg = trimmed(PQerrorMessage(conn_));
    if (r) {
      if (const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE)) {
        msg += std::string(" (SQLSTATE ") + state + ")";
      }
    }
    return core::Error::store("postgres: " + std::string(what) + ": " + msg);
  }
  // Checks a result; the error names `what`.
  core::Result<Res> check(PGresult* raw, ExecStatusType expect, std::string_view what) const {
    Res r(raw);
    if (!r || PQresultStatus(r.get()) != expect) return error(what, r.get());
    return r;
  }
  core::Result<Res> exec(const char* sql, ExecStatusType expect = PGRES_COMMAND_OK) {
    return check(PQexec(conn_, sql), expect, std::string_view(sql).substr(0, 40));
  }
  core::Result<Res> run(const char* name, Params& p, ExecStatusType expect = PGRES_TUPLES_OK) {
    return check(PQexecPrepared(conn_, name, p.size(), p.values(), p.lengths(), p.formats(), 1),
                 expect, name);
  }
  // Every call starts here: refuses re-entry from a scan visitor, re-opens a broken connection
  // and makes sure no transaction is left open.
  core::Status ready();
  core::Status setup_session();
  core::Status prepare_statements();
  core::Status migrate();
  void rollback_quietly();
  void drain();
  core::Status copy_rows(std::span<const stix::Object> batch, const internal::BatchPlan& plan,
                         int64_t first_seq, int64_t added_us);
  core::Status decode_row(const PGresult* r, int row, StoredObject& out) const;
  core::Result<std::vector<StoredObject>> read_all(const char* name, Params& p);
  core::Error reentered() const {
    return core::Error::precondition("postgres: store called from inside its own scan visitor");
  }

  std::string conninfo_;
  PGconn* conn_ = nullptr;
  bool in_scan_ = false;
};

// Statements prepared on every connection (and again after a reconnect).
const Prepared kPrepared[] = {
    {"sw_lock", "SELECT seq FROM seq_counter FOR UPDATE"},
    // Every stored version of the batch's ids, one index probe per id. The LATERAL subquery with
    // OFFSET 0 pins that plan: a plain join invites a hash join over the whole table, and
    // "id = ANY($1)" under a generic plan rechecks every row against the whole array.
    {"sw_lookup",
     "SELECT v.id, v.version_key, v.revoked, v.seq "
     "FROM unnest($1::text[]) AS b(id) CROSS JOIN LATERAL ("
     "SELECT id, version_key, revoked, seq FROM object_versions o "
     "WHERE o.id = b.id OFFSET 0) v"},
    {"sw_supersede", "INSERT INTO superseded (seq) SELECT unnest($1::bigint[])"},
    {"sw_count",
     "INSERT INTO type_counts (type, objects, versions) "
     "SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) "
     "ON CONFLICT (type) DO UPDATE SET objects = type_counts.objects + excluded.objects, "
     "versions = type_counts.versions + excluded.versions"},
    {"sw_setseq", "UPDATE seq_counter SET seq = $1::bigint"},
    {"sw_max_seq", "SELECT seq FROM seq_counter"},
    {"sw_get", nullptr},
    {"sw_get_versions", nullptr},
    {"sw_get_version", nullptr},
    {"sw_size",
     "SELECT pg_total_relation_size('object_versions') + pg_total_relation_size('type_counts') + "
     "pg_total_relation_size('seq_counter') + pg_total_relation_size('schema_version') + "
     "pg_total_relation_size('superseded') + pg_total_relation_size('audit_log') + "
     "pg_total_relation_size('local_records')"},
    {"sw_counts", "SELECT type, objects, versions FROM type_counts"},
    // The audit appenders' lock: one per schema (the store's tables live in the current schema),
    // held to COMMIT. Apart from put()'s seq_counter row, so audit rows are not written behind a
    // large batch of objects; appenders still run one at a time.
    {"sw_audit_lock",
     "SELECT pg_advisory_xact_lock(21336, hashtext(coalesce(current_schema(), '')))"},
    {"sw_audit_last",
     "SELECT seq, time_us, actor, org, action, target, outcome, reason, details, prev_hash, hash "
     "FROM audit_log ORDER BY seq DESC LIMIT 1"},
    {"sw_local_get", "SELECT version, json FROM local_records WHERE kind = $1::text AND key = $2::text"},
    {"sw_local_insert",
     "INSERT INTO local_records (kind, key, version, json) VALUES ($1::text, $2::text, 1, $3::text) "
     "ON CONFLICT (kind, key) DO NOTHING"},
    {"sw_local_update",
     "UPDATE local_records SET version = version + 1, json = $3::text "
     "WHERE kind = $1::text AND key = $2::text AND version = $4::bigint RETURNING version"},
    {"sw_local_delete", "DELETE FROM local_records WHERE kind = $1::text AND key = $2::text"},
    {"sw_local_scan", "SELECT key, version, json FROM local_records WHERE kind = $1::text ORDER BY key"},
    {"sw_audit_insert",
     "INSERT INTO audit_log (seq, time_us, actor, org, action, target, outcome, reason, details, "
     "prev_hash, hash) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], "
     "$5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])"},
};

std::string prepared_sql(const Prepared& p) {
  if (p.sql) return p.sql;
  const std::string select = std::string("SELECT ") + kColumns + " FROM object_versions ";
  const std::string_view name = p.name;
  if (name == "sw_get") return select + "WHERE id = $1::text ORDER BY version_key DESC LIMIT 1";
  if (name == "sw_get_versions") return select + "WHERE id = $1::text ORDER BY version_key";
  return select + "WHERE id = $1::text AND version_key = $2::text";
}

core::Status PostgresStore::open() {
  conn_ = PQconnectdb(conninfo_.c_str());
  if (!conn_) return core::Error::store("postgres: out of memory connecting");
  if (PQstatus(conn_) != CONNECTION_OK) {
    return core::Error::store("postgres: connect: " + trimmed(PQerrorMessage(conn_)));
  }
  // libpq prints notices ("relation already exists, skipping") on stderr by default; the store
  // reports what matters through its results. The processor survives PQreset.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  // The encoding is checked before anything is created.
  SW_TRY(setup_session());
  SW_TRY(migrate());
  return prepare_statements();
}

core::Status PostgresStore::setup_session() {
  if (PQsetClientEncoding(conn_, "UTF8") != 0) return error("setting client_encoding UTF8");
  const char* enc = PQparameterStatus(conn_, "server_encoding");
  const std::string server_encoding = enc ? enc : "";
  if (server_encoding != "UTF8" && server_encoding != "SQL_ASCII") {
    return core::Error::store("postgres: the database's encoding is " + server_encoding +
                              "; the store needs UTF8 to keep JSON text exactly");
  }
  // put() promises durability when it returns: never acknowledge a commit before it is flushed
  // locally, whatever the server's default (stricter settings such as remote_apply are kept).
  SW_ASSIGN(Res sc, exec("SHOW synchronous_commit", PGRES_TUPLES_OK));
  if (std::string_view(PQgetvalue(sc.get(), 0, 0)) == "off") {
    SW_TRY(exec("SET synchronous_commit = local"));
  }
  // The per-batch look-up is estimated expensive enough to be JIT-compiled, which costs 85-180 ms
  // a batch and gains nothing on index probes (docs/benchmarks.md).
  SW_TRY(exec("SET jit = off"));
  return core::ok_status();
}

core::Status PostgresStore::prepare_statements() {
  for (const Prepared& p : kPrepared) {
    const std::string sql = prepared_sql(p);
    SW_TRY(check(PQprepare(conn_, p.name, sql.c_str(), 0, nullptr), PGRES_COMMAND_OK,
                 std::string("preparing ") + p.name));
  }
  return core::ok_status();
}

core::Status PostgresStore::migrate() {
  SW_TRY(exec("BEGIN"));
  auto body = [&]() -> core::Status {
    // Serialises concurrent first opens of one schema: CREATE TABLE IF NOT EXISTS alone races.
    SW_TRY(exec("SELECT pg_advisory_xact_lock(21335, hashtext(coalesce(current_schema(), '')))",
                PGRES_TUPLES_OK));
    SW_TRY(
        exec("CREATE TABLE IF NOT EXISTS schema_version ("
             "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
    SW_ASSIGN(Res cur,
              exec("SELECT coalesce(max(version), 0) FROM schema_version", PGRES_TUPLES_OK));
    const int current = std::atoi(PQgetvalue(cur.get(), 0, 0));
    if (current > kSchemaVersion) {
      return core::Error::precondition(
          "postgres: the store's schema is version " + std::to_string(current) +
          " but this build of shieldwall knows versions up to " + std::to_string(kSchemaVersion) +
          "; use a newer shieldwall (the database was not changed)");
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      SW_TRY(
          check(PQexec(conn_, m.sql), PGRES_COMMAND_OK, "migration " + std::to_string(m.version)));
      const std::string rec =
          "INSERT INTO schema_version (version) VALUES (" + std::to_string(m.version) + ")";
      SW_TRY(exec(rec.c_str()));
    }
    SW_TRY(exec("COMMIT"));
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) rollback_quietly();
  return st;
}

void PostgresStore::rollback_quietly() {
  if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    Res r(PQexec(conn_, "ROLLBACK"));
  }
}

void PostgresStore::drain() {
  while (PGresult* r = PQgetResult(conn_)) {
    // A COPY still open (after an error on our side) is ended so the connection is usable.
    if (PQresultStatus(r) == PGRES_COPY_IN) PQputCopyEnd(conn_, "aborted by the client");
    PQclear(r);
  }
}

core::Status PostgresStore::ready() {
  if (in_scan_) return reentered();
  if (PQstatus(conn_) != CONNECTION_OK) {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return core::Error::store("postgres: reconnect: " + trimmed(PQerrorMessage(conn_)));
    }
    SW_TRY(setup_session());
    SW_TRY(prepare_statements());
  }
  if (PQtransactionStatus(conn_) == PQTRANS_ACTIVE) drain();
  rollback_quietly();
  return core::ok_status();
}

core::Status PostgresStore::copy_rows(std::span<const stix::Object> batch,
                                      const internal::BatchPlan& plan, int64_t first_seq,
                                      int64_t added_us) {
  SW_TRY(exec(kCopy, PGRES_COPY_IN));
  std::string buf;
  buf.reserve(kCopyChunk + (64 << 10));
  buf.append("PGCOPY\n\xff\r\n\0", 11);
  put_u32(buf, 0);  // flags
  put_u32(buf, 0);  // header extension length
  auto flush = [&]() -> core::Status {
    if (PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) {
      return error("sending COPY data");
    }
    buf.clear();
    return core::ok_status();
  };
  auto body = [&]() -> core::Status {
    int64_t seq = first_seq;
    for (size_t i : plan.stored) {
      const stix::Object& o = batch[i];
      const stix::ObjectMeta& m = o.meta;
      const std::string& key = plan.version_keys[i];
      if (o.json.size() > (size_t{1} << 30) - 1) {
        return core::Error::exhausted("postgres: object " + m.id + " is larger than 1 GiB");
      }
      put_u16(buf, static_cast<uint16_t>(kCopyFields));
      field_i64(buf, seq++);
      field_text(buf, m.id);
      field_text(buf, key);
      field_text(buf, m.type);
      field_bool(buf, m.revoked);
      field_i64(buf, added_us);
      field_text(buf, m.spec_version);
      field_text(buf, m.has_created && !m.has_modified ? key : internal::sortable(m.created));
      field_i16(buf, m.created.digits);
      field_bool(buf, m.has_created);
      field_text(buf, m.has_modified ? key : internal::sortable(m.modified));
      field_i16(buf, m.modified.digits);
      field_bool(buf, m.has_modified);
      field_text(buf, m.created_by_ref);
      const std::string refs = text_array(m.marking_refs);
      field_text(buf, refs);
      field_i16(buf, static_cast<int>(m.tlp));
      field_i16(buf, static_cast<int>(m.pap));
      field_i16(buf, static_cast<int>(m.kind));
      field_text(buf, o.json);
      if (buf.size() >= kCopyChunk) SW_TRY(flush());
    }
    put_u16(buf, 0xffff);  // trailer
    return flush();
  };
  core::Status st = body();
  if (PQputCopyEnd(conn_, st.ok() ? nullptr : "aborted by the client") != 1 && st.ok()) {
    st = error("ending COPY");
  }
  // The COPY's own result says whether the server accepted every row.
  Res r(PQgetResult(conn_));
  if (st.ok() && (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)) {
    st = error("COPY object_versions", r.get());
  }
  drain();
  return st;
}

core::Result<PutResult> PostgresStore::put(std::span<const stix::Object> batch, int64_t added_us) {
  SW_TRY(ready());
  PutResult result;
  if (batch.empty()) return result;
  SW_TRY(exec("BEGIN"));
  auto body = [&]() -> core::Status {
    // The counter row stays locked until COMMIT: writers classify, allocate and commit one at a
    // time, and each statement below (READ COMMITTED) sees every earlier writer's commit.
    Params none;
    SW_ASSIGN(Res lock, run("sw_lock", none));
    if (PQntuples(lock.get()) != 1 || PQgetlength(lock.get(), 0, 0) != 8) {
      return core::Error::store("postgres: seq_counter must hold exactly one row");
    }
    int64_t seq = get_i64(PQgetvalue(lock.get(), 0, 0));

    // One round trip tells the classifier everything it may ask about stored versions: every
    // stored version of every id in the batch (usually none or one; only keys and flags).
    std::vector<std::string> keys = internal::version_keys(batch);
    std::unordered_map<std::string, internal::StoredHead> heads;
    std::unordered_set<std::string> stored_keys;  // id + '\0' + version key
    {
      std::vector<std::string_view> ids;
      std::unordered_set<std::string_view> seen;
      ids.reserve(batch.size());
      for (const stix::Object& o : batch) {
        if (seen.insert(o.meta.id).second) ids.push_back(o.meta.id);
      }
      Params p;
      p.raw(text_array(ids));
      SW_ASSIGN(Res r, run("sw_lookup", p));
      const int n = PQntuples(r.get());
      for (int row = 0; row < n; ++row) {
        if (PQgetlength(r.get(), row, 2) != 1 || PQgetlength(r.get(), row, 3) != 8) {
          return core::Error::store("postgres: unexpected look-up result");
        }
        std::string id(PQgetvalue(r.get(), row, 0),
                       static_cast<size_t>(PQgetlength(r.get(), row, 0)));
        std::string key(PQgetvalue(r.get(), row, 1),
                        static_cast<size_t>(PQgetlength(r.get(), row, 1)));
        const bool revoked = *PQgetvalue(r.get(), row, 2) != 0;
        const int64_t vseq = get_i64(PQgetvalue(r.get(), row, 3));
        stored_keys.insert(id + '\0' + key);
        // The latest is the greatest key.
        auto [it, fresh] = heads.try_emplace(std::move(id));
        if (fresh || key > it->second.version_key) {
          it->second = internal::StoredHead{std::move(key), revoked, vseq};
        }
      }
    }
    internal::StoredLookup lookup;
    lookup.latest =
        [&](const std::string& id) -> core::Result<std::optional<internal::StoredHead>> {
      auto it = heads.find(id);
      if (it == heads.end()) return std::optional<internal::StoredHead>();
      return std::optional<internal::StoredHead>(it->second);
    };
    lookup.has = [&](const std::string& id, const std::string& key) -> core::Result<bool> {
      return stored_keys.count(id + '\0' + key) != 0;
    };
    SW_ASSIGN(internal::BatchPlan plan, internal::plan_batch(batch, std::move(keys), lookup));

    result.seqs.assign(batch.size(), 0);
    if (!plan.stored.empty()) {
      const int64_t first_seq = seq + 1;
      SW_TRY(copy_rows(batch, plan, first_seq, added_us));
      for (size_t i : plan.stored) result.seqs[i] = ++seq;
      const std::vector<int64_t> superseded = internal::superseded_after(plan, first_seq);
      if (!superseded.empty()) {
        Params p;
        p.raw(int8_array(superseded));
        SW_TRY(run("sw_supersede", p, PGRES_COMMAND_OK));
      }
      std::vector<std::string> types;
      std::vector<int64_t> objects, versions;
      for (const auto& [type, c] : plan.added) {
        types.push_back(type);
        objects.push_back(c.objects);
        versions.push_back(c.versions);
      }
      Params counts;
      counts.raw(text_array(types)).raw(int8_array(objects)).raw(int8_array(versions));
      SW_TRY(run("sw_count", counts, PGRES_COMMAND_OK));
      Params next;
      next.i64(seq);
      SW_TRY(run("sw_setseq", next, PGRES_COMMAND_OK));
    }
    result.outcomes = std::move(plan.outcomes);
    core::Result<Res> commit = exec("COMMIT");
    if (!commit.ok() && PQstatus(conn_) != CONNECTION_OK) {
      // The server may have committed before the connection broke (store.h, clause 3).
      return core::Error::store(commit.error().message +
                                " — the connection broke during COMMIT, so the batch may or may "
                                "not have been stored; putting it again is safe");
    }
    SW_TRY(commit);
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) {
    rollback_quietly();
    return std::move(st).error();
  }
  return result;
}

core::Status PostgresStore::decode_row(const PGresult* r, int row, StoredObject& out) const {
  auto val = [&](int col) { return PQgetvalue(r, row, col); };
  auto len = [&](int col) { return static_cast<size_t>(PQgetlength(r, row, col)); };
  auto text = [&](int col) { return std::string_view(val(col), len(col)); };
  static constexpr int kInt8Cols[] = {0, 16};
  static constexpr int kInt2Cols[] = {5, 8, 13, 14, 15};
  static constexpr int kBoolCols[] = {6, 9, 10};
  if (PQnfields(r) != 18) return core::Error::store("postgres: unexpected result shape");
  for (int c : kInt8Cols)
    if (len(c) != 8) return internal::corrupt_row("postgres", "int8", 0);
  for (int c : kInt2Cols)
    if (len(c) != 2) return internal::corrupt_row("postgres", "int2", 0);
  for (int c : kBoolCols)
    if (len(c) != 1) return internal::corrupt_row("postgres", "bool", 0);
  out.seq = get_i64(val(0));
  stix::ObjectMeta& m = out.meta;
  m.id.assign(text(1));
  m.type.assign(text(2));
  m.spec_version.assign(text(3));
  auto created = internal::decode_timestamp(text(4), get_i16(val(5)));
  if (!created.ok()) return internal::corrupt_row("postgres", "created", out.seq);
  m.created = *created;
  m.has_created = *val(6) != 0;
  auto modified = internal::decode_timestamp(text(7), get_i16(val(8)));
  if (!modified.ok()) return internal::corrupt_row("postgres", "modified", out.seq);
  m.modified = *modified;
  m.has_modified = *val(9) != 0;
  m.revoked = *val(10) != 0;
  m.created_by_ref.assign(text(11));
  if (!decode_text_array(val(12), len(12), m.marking_refs)) {
    return internal::corrupt_row("postgres", "marking_refs", out.seq);
  }
  const int tlp = get_i16(val(13)), pap = get_i16(val(14)), kind = get_i16(val(15));
  if (tlp < 0 || tlp > 5 || pap < 0 || pap > 4 || kind < 0 || kind > 4) {
    return internal::corrupt_row("postgres", "tlp/pap/kind out of range", out.seq);
  }
  m.tlp = static_cast<stix::Tlp>(tlp);
  m.pap = static_cast<stix::Pap>(pap);
  m.kind = static_cast<stix::ObjectKind>(kind);
  out.added_us = get_i64(val(16));
  out.json.assign(text(17));
  return core::ok_status();
}

core::Result<std::vector<StoredObject>> PostgresStore::read_all(const char* name, Params& p) {
  SW_ASSIGN(Res r, run(name, p));
  std::vector<StoredObject> out(static_cast<size_t>(PQntuples(r.get())));
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    SW_TRY(decode_row(r.get(), row, out[static_cast<size_t>(row)]));
  }
  return out;
}

core::Result<std::optional<StoredObject>> PostgresStore::get(const std::string& id) {
  SW_TRY(ready());
  Params p;
  p.text(id);
  SW_ASSIGN(std::vector<StoredObject> v, read_all("sw_get", p));
  if (v.empty()) return std::optional<StoredObject>();
  return std::optional<StoredObject>(std::move(v.front()));
}

core::Result<std::vector<StoredObject>> PostgresStore::get_versions(const std::string& id) {
  SW_TRY(ready());
  Params p;
  p.text(id);
  return read_all("sw_get_versions", p);
}

core::Result<std::optional<StoredObject>> PostgresStore::get_version(const std::string& id,
                                                                     const std::string& key) {
  SW_TRY(ready());
  Params p;
  p.text(id).text(key);
  SW_ASSIGN(std::vector<StoredObject> v, read_all("sw_get_version", p));
  if (v.empty()) return std::optional<StoredObject>();
  return std::optional<StoredObject>(std::move(v.front()));
}

core::Status PostgresStore::scan(const Query& query, const Visitor& visit) {
  SW_TRY(ready());
  std::vector<std::string> types = query.types;
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());

  // Only the parameters the text uses are sent (PostgreSQL must infer each one's type). The
  // cursor streams in seq order through the primary key or a partial latest index (one type: the
  // (type, seq) one); its snapshot is the scan's.
  Params p;
  std::string sql = std::string("DECLARE sw_scan NO SCROLL CURSOR FOR SELECT ") + kColumns +
                    " FROM object_versions WHERE seq > " + p.next() + "::bigint";
  p.i64(query.after_seq);
  if (query.latest_only) {
    sql += " AND NOT EXISTS (SELECT 1 FROM superseded s WHERE s.seq = object_versions.seq)";
  }
  if (query.added_after_us != 0) {
    sql += " AND added_us > " + p.next() + "::bigint";
    p.i64(query.added_after_us);
  }
  if (types.size() == 1) {
    sql += " AND type = " + p.next() + "::text";
    p.text(types[0]);
  } else if (types.size() > 1) {
    sql += " AND type = ANY(" + p.next() + "::text[])";
    p.raw(text_array(types));
  }
  sql += " ORDER BY seq";
  if (query.limit > 0) {
    sql += " LIMIT " + p.next() + "::bigint";
    p.i64(query.limit);
  }

  SW_TRY(exec("BEGIN READ ONLY"));
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  auto body = [&]() -> core::Status {
    SW_TRY(check(PQexecParams(conn_, sql.c_str(), p.size(), nullptr, p.values(), p.lengths(),
                              p.formats(), 1),
                 PGRES_COMMAND_OK, "DECLARE sw_scan"));
    static const std::string fetch = "FETCH " + std::to_string(kFetchRows) + " FROM sw_scan";
    auto send_fetch = [&]() -> core::Status {
      if (!PQsendQueryParams(conn_, fetch.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1)) {
        return error("FETCH");
      }
      return core::ok_status();
    };
    auto receive = [&]() -> core::Result<Res> {
      Res last;
      while (PGresult* r = PQgetResult(conn_)) last.reset(r);
      return check(last.release(), PGRES_TUPLES_OK, "FETCH");
    };
    SW_TRY(send_fetch());
    StoredObject o;  // reused: its strings keep their capacity from row to row
    for (;;) {
      SW_ASSIGN(Res r, receive());
      const int n = PQntuples(r.get());
      // Ask for the next rows before visiting these, so the server reads while we decode.
      const bool more = n == kFetchRows;
      if (more) SW_TRY(send_fetch());
      for (int row = 0; row < n; ++row) {
        core::Status st = decode_row(r.get(), row, o);
        if (!st.ok() || !visit(o)) {
          if (more) drain();
          return st;
        }
      }
      if (!more) break;
    }
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) {
    rollback_quietly();
    return st;
  }
  SW_TRY(exec("COMMIT"));
  return core::ok_status();
}

core::Result<int64_t> PostgresStore::max_seq() {
  SW_TRY(ready());
  Params none;
  SW_ASSIGN(Res r, run("sw_max_seq", none));
  if (PQntuples(r.get()) != 1 || PQgetlength(r.get(), 0, 0) != 8) {
    return core::Error::store("postgres: seq_counter must hold exactly one row");
  }
  return get_i64(PQgetvalue(r.get(), 0, 0));
}

core::Result<Stats> PostgresStore::stats() {
  SW_TRY(ready());
  // One snapshot for the counts, the sequence and the size.
  SW_TRY(exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Stats s;
  auto body = [&]() -> core::Status {
    Params none;
    SW_ASSIGN(Res counts, run("sw_counts", none));
    for (int row = 0; row < PQntuples(counts.get()); ++row) {
      if (PQgetlength(counts.get(), row, 1) != 8 || PQgetlength(counts.get(), row, 2) != 8) {
        return core::Error::store("postgres: unexpected type_counts row");
      }
      s.by_type[std::string(PQgetvalue(counts.get(), row, 0),
                            static_cast<size_t>(PQgetlength(counts.get(), row, 0)))] = TypeCount{
          get_i64(PQgetvalue(counts.get(), row, 1)), get_i64(PQgetvalue(counts.get(), row, 2))};
    }
    SW_ASSIGN(Res seq, run("sw_max_seq", none));
    SW_ASSIGN(Res size, run("sw_size", none));
    if (PQntuples(seq.get()) != 1 || PQgetlength(seq.get(), 0, 0) != 8 ||
        PQntuples(size.get()) != 1 || PQgetlength(size.get(), 0, 0) != 8) {
      return core::Error::store("postgres: unexpected stats result");
    }
    s.max_seq = get_i64(PQgetvalue(seq.get(), 0, 0));
    s.bytes = get_i64(PQgetvalue(size.get(), 0, 0));
    SW_TRY(exec("COMMIT"));
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) {
    rollback_quietly();
    return std::move(st).error();
  }
  return s;
}

// One audit row of a binary result with the columns of sw_audit_last.
core::Status decode_audit_row(const PGresult* r, int row, AuditRow& out) {
  if (PQnfields(r) != 11 || PQgetlength(r, row, 0) != 8 || PQgetlength(r, row, 1) != 8) {
    return core::Error::store("postgres: unexpected audit_log result shape");
  }
  auto text = [&](int col, std::string& s) {
    s.assign(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
  };
  out.seq = get_i64(PQgetvalue(r, row, 0));
  out.time_us = get_i64(PQgetvalue(r, row, 1));
  text(2, out.actor);
  text(3, out.org);
  text(4, out.action);
  text(5, out.target);
  text(6, out.outcome);
  text(7, out.reason);
  text(8, out.details_json);
  text(9, out.prev_hash);
  text(10, out.hash);
  return core::ok_status();
}

core::Status PostgresStore::append_audit(std::span<AuditRow> rows, const AuditSeal& seal) {
  SW_TRY(ready());
  if (rows.empty()) return core::ok_status();
  SW_TRY(exec("BEGIN"));
  auto body = [&]() -> core::Status {
    Params none;
    SW_TRY(run("sw_audit_lock", none));
    // READ COMMITTED: this statement runs after the lock is held, so it sees the rows of every
    // appender that held it before.
    SW_ASSIGN(Res last_r, run("sw_audit_last", none));
    std::optional<AuditRow> last;
    if (PQntuples(last_r.get()) == 1) SW_TRY(decode_audit_row(last_r.get(), 0, last.emplace()));
    SW_TRY(internal::seal_audit_rows(last ? &*last : nullptr, rows, seal));
    // One round trip for the whole batch.
    std::vector<int64_t> seqs, times;
    std::vector<std::vector<std::string_view>> cols(9);
    for (const AuditRow& r : rows) {
      seqs.push_back(r.seq);
      times.push_back(r.time_us);
      const std::string* f[] = {&r.actor,   &r.org,          &r.action,    &r.target, &r.outcome,
                                &r.reason, &r.details_json, &r.prev_hash, &r.hash};
      for (size_t c = 0; c < 9; ++c) cols[c].push_back(*f[c]);
    }
    Params p;
    p.raw(int8_array(seqs)).raw(int8_array(times));
    for (const auto& c : cols) p.raw(text_array(c));
    SW_TRY(run("sw_audit_insert", p, PGRES_COMMAND_OK));
    core::Result<Res> commit = exec("COMMIT");
    if (!commit.ok() && PQstatus(conn_) != CONNECTION_OK) {
      return core::Error::store(commit.error().message +
                                " — the connection broke during COMMIT, so the audit rows may or "
                                "may not have been stored");
    }
    SW_TRY(commit);
    return core::ok_status();
  };
  core::Status st = body();
  if (!st.ok()) rollback_quietly();
  return st;
}

core::Status PostgresStore::scan_audit(const AuditQuery& q, const AuditVisitor& visit) {
  SW_TRY(ready());
  Params p;
  std::string sql =
      "DECLARE sw_audit_scan NO SCROLL CURSOR FOR SELECT seq, time_us, actor, org, action, "
      "target, outcome, reason, details, prev_hash, hash FROM audit_log WHERE seq > " +
      p.next() + "::bigint";
  p.i64(q.after_seq);
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    sql += std::string(" AND ") + col + " = " + p.next() + "::text";
    p.text(v);
  };
  if (!q.action.empty()) {
    // Byte order (the column is COLLATE "C"): "auth" matches "auth.login", not "authz".
    const std::string a = p.next();
    p.text(q.action);
    const std::string dot = p.next();
    p.text(q.action + ".");
    const std::string slash = p.next();
    p.text(q.action + "/");
    sql += " AND (action = " + a + "::text OR (action > " + dot + "::text AND action < " + slash +
           "::text))";
  }
  eq("actor", q.actor);
  eq("org", q.org);
  eq("outcome", q.outcome);
  if (q.since_us != 0) {
    sql += " AND time_us >= " + p.next() + "::bigint";
    p.i64(q.since_us);
  }
  if (q.until_us != 0) {
    sql += " AND time_us < " + p.next() + "::bigint";
    p.i64(q.until_us);
  }
  sql += " ORDER BY seq";
  if (q.limit > 0) {
    sql += " LIMIT " + p.next() + "::bigint";
    p.i64(q.limit);
  }
  SW_TRY(exec("BEGIN READ ONLY"));
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  auto body = [&]() -> core::Status {
    SW_TRY(check(PQexecParams(conn_, sql.c_str(), p.size(), nullptr, p.values(), p.lengths(),
                              p.formats(), 1),
                 PGRES_COMMAND_OK, "DECLARE sw_audit_scan"));
    static const std::string fetch =
        "FETCH " + std::to_string(kFetchRows) + " FROM sw_audit_scan";
    AuditRow row;  // reused
    for (;;) {
      SW_ASSIGN(Res r, check(PQexecParams(conn_, fetch.c_str(), 0, nullptr, nullptr, nullptr,
                                          nullptr, 1),
                             PGRES_TUPLES_OK, "FETCH sw_audit_scan"));
      const int n = PQntuples(r.get());
      for (int i = 0; i < n; ++i) {
        SW_TRY(decode_audit_row(r.get(), i, row));
        if (!visit(row)) return core::ok_status();
      }
      if (n < kFetchRows) return core::ok_status();
    }
  };
  core::Status st = body();
  if (!st.ok()) {
    rollback_quietly();
    return st;
  }
  SW_TRY(exec("COMMIT"));
  return core::ok_status();
}

core::Result<std::optional<LocalRecord>> PostgresStore::get_local(std::string_view kind,
                                                                  std::string_view key) {
  SW_TRY(ready());
  Params p;
  p.text(kind).text(key);
  SW_ASSIGN(Res r, run("sw_local_get", p));
  if (PQntuples(r.get()) == 0) return std::optional<LocalRecord>{};
  return std::optional<LocalRecord>(LocalRecord{
      std::string(kind), std::string(key),
      std::string(PQgetvalue(r.get(), 0, 1), static_cast<size_t>(PQgetlength(r.get(), 0, 1))),
      get_i64(PQgetvalue(r.get(), 0, 0))});
}

core::Status PostgresStore::scan_local(std::string_view kind, const LocalVisitor& visit) {
  SW_TRY(ready());
  Params p;
  p.text(kind);
  // Local records are few (accounts, keys): one result, then the visits.
  SW_ASSIGN(Res r, run("sw_local_scan", p));
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  LocalRecord rec;
  rec.kind = std::string(kind);
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
    rec.key.assign(PQgetvalue(r.get(), i, 0), static_cast<size_t>(PQgetlength(r.get(), i, 0)));
    rec.version = get_i64(PQgetvalue(r.get(), i, 1));
    rec.json.assign(PQgetvalue(r.get(), i, 2), static_cast<size_t>(PQgetlength(r.get(), i, 2)));
    if (!visit(rec)) break;
  }
  return core::ok_status();
}

core::Result<int64_t> PostgresStore::put_local(std::string_view kind, std::string_view key,
                                               std::string_view json, int64_t expected) {
  SW_TRY(ready());
  SW_TRY(check_local_record(kind, key, json));
  const std::string where = std::string(kind) + "/" + std::string(key);
  Params p;
  p.text(kind).text(key).text(json);
  if (expected == 0) {
    SW_ASSIGN(Res r, run("sw_local_insert", p, PGRES_COMMAND_OK));
    if (std::string_view(PQcmdTuples(r.get())) != "1") {
      return core::Error{core::Code::kAlreadyExists, "the record exists", where};
    }
    return int64_t{1};
  }
  p.i64(expected);
  SW_ASSIGN(Res r, run("sw_local_update", p));
  if (PQntuples(r.get()) == 1) return get_i64(PQgetvalue(r.get(), 0, 0));
  Params q;
  q.text(kind).text(key);
  SW_ASSIGN(Res now, run("sw_local_get", q));
  return core::Error::precondition(
      PQntuples(now.get()) == 0 ? "the record is gone" : "the record changed meanwhile", where);
}

core::Status PostgresStore::delete_local(std::string_view kind, std::string_view key) {
  SW_TRY(ready());
  Params p;
  p.text(kind).text(key);
  SW_ASSIGN(Res r, run("sw_local_delete", p, PGRES_COMMAND_OK));
  (void)r;
  return core::ok_status();
}

}  // namespace

int postgres_schema_version() { return kSchemaVersion; }

core::Result<StorePtr> open_postgres(const std::string& conninfo) {
  auto store = std::make_unique<PostgresStore>(conninfo);
  SW_TRY(store->open());
  return StorePtr(std::move(store));
}

}  // namespace sw::store
