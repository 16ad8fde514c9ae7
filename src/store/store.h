// store::Store — where a node keeps every version of every STIX object it has accepted.
//
// Contract (every backend — SqliteStore, PostgresStore, MemoryStore — keeps all of it; the
// conformance suite in tests/store/ checks each clause on each backend):
//
//  1. Versions. An object is identified by `id`; a version by (id, ObjectMeta::version_key()).
//     put() classifies each object of a batch against what is stored and what came earlier in the
//     same batch:
//       kNew        — no version of this id existed; stored.
//       kNewVersion — newer than the latest stored version; stored, becomes the latest.
//       kHistory    — older than the latest but not stored yet; stored as history, latest unchanged.
//       kDuplicate  — this exact version is already stored; nothing written, no sequence number.
//       kRevoked    — newer than a latest version that is revoked (STIX §3.6: a revoked object
//                     gets no new versions); nothing written.
//  2. Sequence. Each stored version gets a node-wide sequence number, strictly increasing in the
//     order versions become visible to readers (commit order), never reused, starting at 1. Within
//     a batch numbers follow batch order. This is TAXII's date_added order and the sync cursor;
//     a reader paging with `after_seq` never misses a version committed later, even with several
//     writer processes (backends serialise sequence allocation with commit).
//  3. Atomicity and durability. put() is one transaction: when it returns ok every stored version
//     of the batch is durable (survives kill -9 and, per backend settings, power loss); when it
//     returns an error nothing of the batch is visible. No partial object is ever visible.
//     The one exception is a client-server backend whose connection breaks while COMMIT is in
//     flight: nobody can know the outcome, so put() returns kStore saying the batch may have been
//     stored. Putting the same batch again is always safe (what is stored comes back kDuplicate).
//  4. Content. get/scan return the JSON text exactly as given to put(), and the same metadata.
//  5. Errors. Backend failures come back as core::Code::kStore with the backend's message; the
//     store stays usable after an error.
//  6. Audit rows. A second, separate table of append-only rows (the audit module's log; the store
//     knows nothing of hashes or chains). append_audit() is one write transaction taken under the
//     backend's write lock, so appenders — several Store objects and processes — run one at a
//     time: it reads the row with the greatest seq (or none), lets `seal` fill in the new rows
//     (seq, prev_hash, hash …), checks their seqs are strictly increasing and greater than that
//     row's, inserts them and commits. When it returns ok every row is durable (as clause 3);
//     when it fails — `seal` failing included — none is visible. Rows are never updated or
//     deleted through the Store. scan_audit() visits rows in seq order, after `after_seq`, with
//     the query's filters, at most `limit` of them. Every field round-trips byte for byte (text
//     fields must be valid UTF-8 without NUL; the audit module guarantees it). Audit seqs are
//     their own sequence, unrelated to object seqs.
//  7. Local records. A third table of small JSON documents the node keeps for itself and never
//     syncs (accounts, keys, sessions, settings), under (kind, key), each with a version: 1 when
//     made, +1 per write. put_local() is compare-and-set: it writes only when the stored version
//     is `expected` (0: the record must not exist), atomically with respect to every other writer
//     (Store objects and processes), and returns the new version; kAlreadyExists when expected is
//     0 and the record exists, kFailedPrecondition when the version moved on or the record is
//     gone. delete_local() removes a record (absent is not an error). get_local() and
//     scan_local() (one kind, by key) see committed writes only. kind and key are 1-256 bytes
//     of UTF-8; the JSON up to 1 MiB.
//
// Thread-safety: a Store object may be used from one thread at a time; open one per thread (or per
// process) for concurrency. Several Store objects on one database are safe together.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "stix/object.h"

namespace sw::store {

enum class PutOutcome : uint8_t { kNew, kNewVersion, kHistory, kDuplicate, kRevoked };
const char* outcome_name(PutOutcome o);

struct PutResult {
  std::vector<PutOutcome> outcomes;  // one per object of the batch, in batch order
  std::vector<int64_t> seqs;         // sequence number per object; 0 where nothing was stored
};

struct StoredObject {
  stix::ObjectMeta meta;
  std::string json;
  int64_t seq = 0;
  int64_t added_us = 0;  // when this node stored it, microseconds since the epoch (TAXII date_added)
};

struct Query {
  std::vector<std::string> types;      // empty: every type
  int64_t after_seq = 0;               // only versions with seq > after_seq
  int64_t added_after_us = 0;          // only versions added strictly after this time (0: any)
  bool latest_only = true;             // only the latest version of each id (as of now)
  int64_t limit = 0;                   // at most this many (0: no limit)
};

struct TypeCount {
  int64_t objects = 0;   // distinct ids
  int64_t versions = 0;  // stored versions
};

struct Stats {
  std::map<std::string, TypeCount> by_type;
  int64_t max_seq = 0;
  int64_t bytes = 0;  // size of the store on disk (or of the JSON held, in memory)
};

// Visitor for scan(): return false to stop early.
using Visitor = std::function<bool(const StoredObject&)>;

// One row of the audit table (clause 6). The store keeps every field as given; what they mean is
// the audit module's business (src/audit/audit.h).
struct AuditRow {
  int64_t seq = 0;      // from 1; strictly increasing in commit order
  int64_t time_us = 0;  // microseconds since the epoch
  std::string actor, org, action, target, outcome, reason;
  std::string details_json;  // a JSON object, as text
  std::string prev_hash, hash;
};

struct AuditQuery {
  int64_t after_seq = 0;  // only rows with seq > after_seq
  int64_t limit = 0;      // at most this many (0: no limit); counts rows that pass the filters
  // Filters; empty (or 0) means any. `action` matches the action itself and every action below
  // it in the dotted hierarchy: "auth" matches "auth", "auth.login", "auth.login_failed"; it does
  // not match "authz". Comparisons are byte-exact.
  std::string action, actor, org, outcome;
  int64_t since_us = 0;  // time_us >= since_us
  int64_t until_us = 0;  // time_us < until_us
};

// Checks the sizes of clause 7 (kInvalidArgument naming the record); one definition for every
// backend.
core::Status check_local_record(std::string_view kind, std::string_view key, std::string_view json);

// Whether an action is `prefix` or below it (AuditQuery::action); one definition for every backend.
bool audit_action_matches(std::string_view action, std::string_view prefix);

// Called by append_audit() inside its transaction: `last` is the stored row with the greatest seq
// (nullptr when there is none); fill in each row of `rows` (at least seq; the audit module sets
// prev_hash and hash too). An error returned here aborts the append.
using AuditSeal = std::function<core::Status(const AuditRow* last, std::span<AuditRow> rows)>;
using AuditVisitor = std::function<bool(const AuditRow&)>;

// One local record (clause 7).
struct LocalRecord {
  std::string kind;
  std::string key;
  std::string json;
  int64_t version = 0;
};
using LocalVisitor = std::function<bool(const LocalRecord&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Stores a batch atomically (contract 1–3). `added_us` is recorded on every stored version.
  virtual core::Result<PutResult> put(std::span<const stix::Object> batch, int64_t added_us) = 0;

  // The latest version of `id`; nullopt when unknown.
  virtual core::Result<std::optional<StoredObject>> get(const std::string& id) = 0;
  // Every stored version of `id`, oldest first (by version key).
  virtual core::Result<std::vector<StoredObject>> get_versions(const std::string& id) = 0;
  // One version by its version key (stix::ObjectMeta::version_key()); nullopt when not stored.
  virtual core::Result<std::optional<StoredObject>> get_version(const std::string& id,
                                                                const std::string& version_key) = 0;

  // Visits matching versions in sequence order. With latest_only, a version is visited only if it
  // is the latest of its id when the scan runs.
  virtual core::Status scan(const Query& query, const Visitor& visit) = 0;

  virtual core::Result<Stats> stats() = 0;
  virtual core::Result<int64_t> max_seq() = 0;

  // Appends audit rows atomically under the write lock (clause 6); `rows` are filled in by `seal`
  // and hold what was stored when this returns ok. An empty span writes nothing and calls nothing.
  virtual core::Status append_audit(std::span<AuditRow> rows, const AuditSeal& seal) = 0;
  // Visits audit rows in seq order (clause 6); the visitor returns false to stop. Like scan(), the
  // visitor must not call back into this Store object (kFailedPrecondition).
  virtual core::Status scan_audit(const AuditQuery& query, const AuditVisitor& visit) = 0;

  // Local records (clause 7).
  virtual core::Result<std::optional<LocalRecord>> get_local(std::string_view kind,
                                                             std::string_view key) = 0;
  virtual core::Status scan_local(std::string_view kind, const LocalVisitor& visit) = 0;
  virtual core::Result<int64_t> put_local(std::string_view kind, std::string_view key,
                                          std::string_view json, int64_t expected) = 0;
  virtual core::Status delete_local(std::string_view kind, std::string_view key) = 0;

  // "sqlite", "postgres", "memory".
  virtual const char* backend() const = 0;
};

using StorePtr = std::unique_ptr<Store>;

}  // namespace sw::store
