// Keys of variable or large size (domains, URLs, e-mail addresses, other values as text; hashes
// as raw bytes) with their posting lists, stored as records in an arena and found through a hash
// set of 32-bit record references (internal/table.h).
//
// A record is [Posting (8 bytes)][length (2 bytes)][key bytes], padded to 8 bytes, so a hit
// touches one cache line for both the key and its objects. Records never move: a reference stays
// valid until the record is released; released records are reused by size. The arena grows in
// chunks of up to 2 MiB (a huge page), never by copying.
//
// Not thread-safe: the Index guards it. Look-ups allocate nothing.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "index/internal/huge_pages.h"
#include "index/internal/postings.h"
#include "index/internal/table.h"

namespace sw::index::internal {

class RecordArena {
 public:
  static constexpr uint32_t kUnitBits = 3;         // 8-byte units
  static constexpr uint32_t kChunkUnitsBits = 18;  // 2 MiB chunks: one huge page each
  static constexpr size_t kChunkBytes = size_t{1} << (kChunkUnitsBits + kUnitBits);
  static constexpr size_t kHeaderBytes = sizeof(Posting) + sizeof(uint16_t);
  static constexpr size_t kMaxKeyBytes = 65535;

  RecordArena() = default;
  ~RecordArena();
  RecordArena(const RecordArena&) = delete;
  RecordArena& operator=(const RecordArena&) = delete;

  // A new record holding `key` (at most kMaxKeyBytes) and an empty posting list.
  uint32_t allocate(std::string_view key);
  void release(uint32_t ref);

  Posting& posting(uint32_t ref) { return *reinterpret_cast<Posting*>(at(ref)); }
  const Posting& posting(uint32_t ref) const { return *reinterpret_cast<const Posting*>(at(ref)); }
  std::string_view key(uint32_t ref) const {
    const char* p = at(ref);
    uint16_t len;
    std::memcpy(&len, p + sizeof(Posting), sizeof len);
    return {p + kHeaderBytes, len};
  }

  size_t bytes() const { return total_units_ << kUnitBits; }
  // Bytes of released records not yet reused, and of chunk tails too short for the next record.
  size_t free_bytes() const { return free_units_ << kUnitBits; }

 private:
  static size_t units_for(size_t key_len) {
    return (kHeaderBytes + key_len + (size_t{1} << kUnitBits) - 1) >> kUnitBits;
  }
  char* at(uint32_t ref) {
    return reinterpret_cast<char*>(chunks_[ref >> kChunkUnitsBits]) +
           ((ref & ((uint32_t{1} << kChunkUnitsBits) - 1)) << kUnitBits);
  }
  const char* at(uint32_t ref) const {
    return reinterpret_cast<const char*>(chunks_[ref >> kChunkUnitsBits]) +
           ((ref & ((uint32_t{1} << kChunkUnitsBits) - 1)) << kUnitBits);
  }
  // Chunks grow from 64 KiB to 2 MiB, so that a small index stays small.
  std::vector<uint64_t*> chunks_;  // owned; HugePageAllocator
  std::vector<size_t> chunk_units_;
  size_t used_units_ = 0;  // in the last chunk
  size_t total_units_ = 0;
  size_t free_units_ = 0;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> free_;  // released refs by unit count
};

// A set of records keyed by their bytes.
class RecordTable {
 public:
  static constexpr uint32_t kNone = RefSet::kNone;

  RecordTable() = default;
  RecordTable(const RecordTable&) = delete;
  RecordTable& operator=(const RecordTable&) = delete;

  uint32_t find(std::string_view key) const {
    return set_.find(RefSet::hash_of(key), [&](uint32_t ref) { return arena_.key(ref) == key; });
  }
  void prefetch(std::string_view key) const { set_.prefetch(RefSet::hash_of(key)); }
  // The record of `key`, created with an empty posting list when absent.
  uint32_t find_or_insert(std::string_view key, bool& created) {
    const uint32_t hash = RefSet::hash_of(key);
    uint32_t ref = set_.find(hash, [&](uint32_t r) { return arena_.key(r) == key; });
    created = ref == kNone;
    if (created) {
      ref = arena_.allocate(key);
      set_.insert(hash, ref);
    }
    return ref;
  }
  void erase(uint32_t ref) {
    set_.erase(RefSet::hash_of(arena_.key(ref)), ref);
    arena_.release(ref);
  }

  Posting& posting(uint32_t ref) { return arena_.posting(ref); }
  const Posting& posting(uint32_t ref) const { return arena_.posting(ref); }
  std::string_view key(uint32_t ref) const { return arena_.key(ref); }
  size_t size() const { return set_.size(); }
  template <class F>
  void for_each(F&& f) const {
    set_.for_each(f);
  }

  size_t bytes() const { return arena_.bytes() + set_.bytes(); }

 private:
  RecordArena arena_;
  RefSet set_;
};

}  // namespace sw::index::internal
