// Local records: what a node keeps that is not STIX and never leaves it (ARCHITECTURE.md §2 rule
// 4) — organisations' account settings, users, password hashes, API keys, sessions, sharing
// groups' local copy. Each record is a JSON document under (kind, key) with a version for
// compare-and-set, so that several server processes on one database update counters (failed
// sign-ins) without losing one another's writes.
//
// RecordStore is the interface the accounts directory (directory.h) is written against;
// store_records() adapts a store::Store, MemoryRecords serves unit tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sw::store {
class Store;
}

namespace sw::policy {

struct Record {
  std::string kind;
  std::string key;
  std::string json;
  int64_t version = 0;  // 1 for a new record, +1 per write
};

// Thread-safety as the implementation says; the directory calls it from one thread at a time
// per object.
class RecordStore {
 public:
  virtual ~RecordStore() = default;
  // The record, or nullopt.
  virtual core::Result<std::optional<Record>> get(std::string_view kind, std::string_view key) = 0;
  // Every record of a kind, by key.
  virtual core::Status scan(std::string_view kind,
                            const std::function<bool(const Record&)>& visit) = 0;
  // Writes `r.json` under (r.kind, r.key) if the stored version is `expected` (0: the record must
  // not exist). Returns the new version. kAlreadyExists when it exists and expected is 0;
  // kFailedPrecondition when the version moved on (read again and retry).
  virtual core::Result<int64_t> put(const Record& r, int64_t expected) = 0;
  // Removes the record (no error when absent).
  virtual core::Status remove(std::string_view kind, std::string_view key) = 0;
};

// The local records of a node's store (store::Store, "local records"); the store must outlive it.
// Thread-safety as the store's: one thread at a time.
std::unique_ptr<RecordStore> store_records(store::Store& store);

// In memory, for tests. Thread-safe.
class MemoryRecords final : public RecordStore {
 public:
  core::Result<std::optional<Record>> get(std::string_view kind, std::string_view key) override;
  core::Status scan(std::string_view kind, const std::function<bool(const Record&)>& visit) override;
  core::Result<int64_t> put(const Record& r, int64_t expected) override;
  core::Status remove(std::string_view kind, std::string_view key) override;

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Record> records_;
};

}  // namespace sw::policy
