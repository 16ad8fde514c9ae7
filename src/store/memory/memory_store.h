// MemoryStore: the store kept in process memory, for unit tests of everything above the store and
// as the reference the conformance suite holds the database backends to.
#pragma once

#include <memory>

#include "store/store.h"

namespace sw::store {

// Keeps the whole store contract except durability: nothing survives the last handle. put() is
// atomic because a batch is classified completely before anything is written, under an exclusive
// lock. Several handles (another_handle()) share one database and are safe together from
// different threads; one handle is used from one thread at a time, as every Store. stats().bytes is
// the size of the JSON held. A scan copies up to a few thousand matches under a shared lock, then
// calls the visitor without holding it, so a visitor may use other handles (writers included); it
// must not call back into the handle it is scanning.
class MemoryStore final : public Store {
 public:
  struct Database;

  MemoryStore();
  explicit MemoryStore(std::shared_ptr<Database> db);
  ~MemoryStore() override;

  // A new Store on the same data, as opening a database a second time would give.
  StorePtr another_handle() const;

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
  const char* backend() const override { return "memory"; }

 private:
  std::shared_ptr<Database> db_;
  bool in_scan_ = false;
};

// A fresh, empty in-memory store.
StorePtr make_memory_store();

}  // namespace sw::store
