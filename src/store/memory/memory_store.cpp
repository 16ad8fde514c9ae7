#include "store/memory/memory_store.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "store/internal/audit_rows.h"
#include "store/internal/batch_plan.h"

namespace sw::store {
namespace {

// How many matches a scan copies under the shared lock before it calls the visitor.
constexpr size_t kScanChunk = 2048;

core::Error reentered() {
  return core::Error::precondition(
      "memory store: called from inside its own scan visitor (use another handle)");
}

}  // namespace

struct MemoryStore::Database {
  struct Version {
    StoredObject object;
    std::string version_key;
    bool latest = false;
  };
  struct Versions {
    std::map<std::string, int64_t> by_key;  // version key → seq; ordered oldest first
    int64_t latest_seq = 0;
  };

  std::shared_mutex mu;
  std::vector<Version> versions;                  // GUARDED_BY(mu); versions[seq - 1]
  std::unordered_map<std::string, Versions> ids;  // GUARDED_BY(mu)
  std::map<std::string, TypeCount> counts;        // GUARDED_BY(mu)
  int64_t json_bytes = 0;                         // GUARDED_BY(mu)
  std::vector<AuditRow> audit;                    // GUARDED_BY(mu); in seq order
  std::map<std::pair<std::string, std::string>, LocalRecord> local;  // GUARDED_BY(mu)
};

MemoryStore::MemoryStore() : db_(std::make_shared<Database>()) {}
MemoryStore::MemoryStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}
MemoryStore::~MemoryStore() = default;

StorePtr MemoryStore::another_handle() const { return std::make_unique<MemoryStore>(db_); }

StorePtr make_memory_store() { return std::make_unique<MemoryStore>(); }

core::Result<PutResult> MemoryStore::put(std::span<const stix::Object> batch, int64_t added_us) {
  if (in_scan_) return reentered();
  Database& db = *db_;
  std::unique_lock lock(db.mu);

  internal::StoredLookup lookup;
  lookup.latest = [&](const std::string& id) -> core::Result<std::optional<internal::StoredHead>> {
    auto it = db.ids.find(id);
    if (it == db.ids.end()) return std::optional<internal::StoredHead>();
    const Database::Version& v = db.versions[static_cast<size_t>(it->second.latest_seq - 1)];
    return std::optional<internal::StoredHead>(
        internal::StoredHead{v.version_key, v.object.meta.revoked, v.object.seq});
  };
  lookup.has = [&](const std::string& id, const std::string& key) -> core::Result<bool> {
    auto it = db.ids.find(id);
    return it != db.ids.end() && it->second.by_key.count(key) != 0;
  };
  SW_ASSIGN(internal::BatchPlan plan,
            internal::plan_batch(batch, internal::version_keys(batch), lookup));

  // Everything is decided; now write. Reserving first keeps the one large allocation from
  // failing half-way through.
  db.versions.reserve(db.versions.size() + plan.stored.size());
  PutResult result;
  result.outcomes = std::move(plan.outcomes);
  result.seqs.assign(batch.size(), 0);
  for (int64_t seq : plan.superseded) db.versions[static_cast<size_t>(seq - 1)].latest = false;
  for (size_t i : plan.stored) {
    const int64_t seq = static_cast<int64_t>(db.versions.size()) + 1;
    Database::Version v;
    v.object.meta = batch[i].meta;
    v.object.json = batch[i].json;
    v.object.seq = seq;
    v.object.added_us = added_us;
    v.version_key = plan.version_keys[i];
    v.latest = plan.latest_after[i];
    Database::Versions& idv = db.ids[batch[i].meta.id];
    idv.by_key.emplace(v.version_key, seq);
    if (v.latest) idv.latest_seq = seq;
    db.json_bytes += static_cast<int64_t>(v.object.json.size());
    db.versions.push_back(std::move(v));
    result.seqs[i] = seq;
  }
  for (auto& [type, c] : plan.added) {
    TypeCount& total = db.counts[type];
    total.objects += c.objects;
    total.versions += c.versions;
  }
  return result;
}

core::Result<std::optional<StoredObject>> MemoryStore::get(const std::string& id) {
  if (in_scan_) return reentered();
  std::shared_lock lock(db_->mu);
  auto it = db_->ids.find(id);
  if (it == db_->ids.end()) return std::optional<StoredObject>();
  return std::optional<StoredObject>(
      db_->versions[static_cast<size_t>(it->second.latest_seq - 1)].object);
}

core::Result<std::vector<StoredObject>> MemoryStore::get_versions(const std::string& id) {
  if (in_scan_) return reentered();
  std::shared_lock lock(db_->mu);
  std::vector<StoredObject> out;
  auto it = db_->ids.find(id);
  if (it == db_->ids.end()) return out;
  for (const auto& [key, seq] : it->second.by_key) {
    out.push_back(db_->versions[static_cast<size_t>(seq - 1)].object);
  }
  return out;
}

core::Result<std::optional<StoredObject>> MemoryStore::get_version(const std::string& id,
                                                                   const std::string& key) {
  if (in_scan_) return reentered();
  std::shared_lock lock(db_->mu);
  auto it = db_->ids.find(id);
  if (it == db_->ids.end()) return std::optional<StoredObject>();
  auto v = it->second.by_key.find(key);
  if (v == it->second.by_key.end()) return std::optional<StoredObject>();
  return std::optional<StoredObject>(db_->versions[static_cast<size_t>(v->second - 1)].object);
}

core::Status MemoryStore::scan(const Query& query, const Visitor& visit) {
  if (in_scan_) return reentered();
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};

  auto type_ok = [&](const std::string& type) {
    return query.types.empty() ||
           std::find(query.types.begin(), query.types.end(), type) != query.types.end();
  };
  int64_t cursor = std::max<int64_t>(query.after_seq, 0);
  int64_t visited = 0;
  std::vector<StoredObject> chunk;
  for (;;) {
    chunk.clear();
    {
      std::shared_lock lock(db_->mu);
      const auto end = static_cast<int64_t>(db_->versions.size());
      while (cursor < end && chunk.size() < kScanChunk &&
             (query.limit <= 0 || visited + static_cast<int64_t>(chunk.size()) < query.limit)) {
        const Database::Version& v = db_->versions[static_cast<size_t>(cursor)];
        ++cursor;
        if (query.latest_only && !v.latest) continue;
        if (query.added_after_us != 0 && v.object.added_us <= query.added_after_us) continue;
        if (!type_ok(v.object.meta.type)) continue;
        chunk.push_back(v.object);
      }
    }
    if (chunk.empty()) return core::ok_status();
    for (const StoredObject& o : chunk) {
      ++visited;
      if (!visit(o)) return core::ok_status();
    }
    if (query.limit > 0 && visited >= query.limit) return core::ok_status();
  }
}

core::Result<Stats> MemoryStore::stats() {
  if (in_scan_) return reentered();
  std::shared_lock lock(db_->mu);
  Stats s;
  s.by_type = db_->counts;
  s.max_seq = static_cast<int64_t>(db_->versions.size());
  s.bytes = db_->json_bytes;
  return s;
}

core::Result<int64_t> MemoryStore::max_seq() {
  if (in_scan_) return reentered();
  std::shared_lock lock(db_->mu);
  return static_cast<int64_t>(db_->versions.size());
}

core::Result<std::optional<LocalRecord>> MemoryStore::get_local(std::string_view kind,
                                                                std::string_view key) {
  if (in_scan_) return reentered();
  std::shared_lock lock(db_->mu);
  auto it = db_->local.find({std::string(kind), std::string(key)});
  if (it == db_->local.end()) return std::optional<LocalRecord>{};
  return std::optional<LocalRecord>(it->second);
}

core::Status MemoryStore::scan_local(std::string_view kind, const LocalVisitor& visit) {
  if (in_scan_) return reentered();
  std::vector<LocalRecord> copy;
  {
    std::shared_lock lock(db_->mu);
    for (auto it = db_->local.lower_bound({std::string(kind), std::string()});
         it != db_->local.end() && it->first.first == kind; ++it) {
      copy.push_back(it->second);
    }
  }
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  for (const LocalRecord& r : copy) {
    if (!visit(r)) break;
  }
  return core::ok_status();
}

core::Result<int64_t> MemoryStore::put_local(std::string_view kind, std::string_view key,
                                             std::string_view json, int64_t expected) {
  if (in_scan_) return reentered();
  SW_TRY(check_local_record(kind, key, json));
  const std::string where = std::string(kind) + "/" + std::string(key);
  std::unique_lock lock(db_->mu);
  auto it = db_->local.find({std::string(kind), std::string(key)});
  if (it == db_->local.end()) {
    if (expected != 0) return core::Error::precondition("the record is gone", where);
    db_->local.emplace(std::make_pair(std::string(kind), std::string(key)),
                       LocalRecord{std::string(kind), std::string(key), std::string(json), 1});
    return int64_t{1};
  }
  if (expected == 0) return core::Error{core::Code::kAlreadyExists, "the record exists", where};
  if (it->second.version != expected) {
    return core::Error::precondition("the record changed meanwhile", where);
  }
  it->second.json.assign(json);
  return ++it->second.version;
}

core::Status MemoryStore::delete_local(std::string_view kind, std::string_view key) {
  if (in_scan_) return reentered();
  std::unique_lock lock(db_->mu);
  db_->local.erase({std::string(kind), std::string(key)});
  return core::ok_status();
}

core::Status MemoryStore::append_audit(std::span<AuditRow> rows, const AuditSeal& seal) {
  if (in_scan_) return reentered();
  if (rows.empty()) return core::ok_status();
  std::unique_lock lock(db_->mu);  // the write lock, as put()
  std::vector<AuditRow>& log = db_->audit;
  SW_TRY(internal::seal_audit_rows(log.empty() ? nullptr : &log.back(), rows, seal));
  log.reserve(log.size() + rows.size());  // the one allocation that could fail, before any write
  log.insert(log.end(), rows.begin(), rows.end());
  return core::ok_status();
}

core::Status MemoryStore::scan_audit(const AuditQuery& q, const AuditVisitor& visit) {
  if (in_scan_) return reentered();
  in_scan_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_scan_};
  auto matches = [&](const AuditRow& r) {
    return r.seq > q.after_seq && audit_action_matches(r.action, q.action) &&
           (q.actor.empty() || r.actor == q.actor) && (q.org.empty() || r.org == q.org) &&
           (q.outcome.empty() || r.outcome == q.outcome) &&
           (q.since_us == 0 || r.time_us >= q.since_us) &&
           (q.until_us == 0 || r.time_us < q.until_us);
  };
  // Rows are in seq order; find the first after after_seq, then copy matches in chunks under
  // the shared lock and visit them without it.
  size_t cursor = 0;
  int64_t visited = 0;
  std::vector<AuditRow> chunk;
  {
    std::shared_lock lock(db_->mu);
    const auto& log = db_->audit;
    cursor = static_cast<size_t>(
        std::upper_bound(log.begin(), log.end(), q.after_seq,
                         [](int64_t s, const AuditRow& r) { return s < r.seq; }) -
        log.begin());
  }
  for (;;) {
    chunk.clear();
    {
      std::shared_lock lock(db_->mu);
      const auto& log = db_->audit;
      while (cursor < log.size() && chunk.size() < kScanChunk &&
             (q.limit <= 0 || visited + static_cast<int64_t>(chunk.size()) < q.limit)) {
        const AuditRow& r = log[cursor++];
        if (matches(r)) chunk.push_back(r);
      }
    }
    if (chunk.empty()) return core::ok_status();
    for (const AuditRow& r : chunk) {
      ++visited;
      if (!visit(r)) return core::ok_status();
    }
    if (q.limit > 0 && visited >= q.limit) return core::ok_status();
  }
}

}  // namespace sw::store
