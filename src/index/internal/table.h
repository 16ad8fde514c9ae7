// Open-addressing hash tables for the index's hot paths.
//
// Why not absl::flat_hash_map: a probe there reads a control byte, then the slot — two dependent
// cache misses once a table outgrows the caches — and absl's prefetch() is compiled out in the
// Debian build (ABSL_INTERNAL_HAVE_PREFETCH is never defined), so batched look-ups cannot overlap
// them. Here a slot holds the key (or a 32-bit hash tag) itself: one miss per probe, and prefetch()
// works. Linear probing, load factor at most 3/4, backward-shift deletion (no tombstones); hashes
// are absl::Hash, seeded per process, so crafted keys cannot force collisions.
//
// Not thread-safe: the Index guards them. find() and prefetch() never allocate.
#pragma once

#include <absl/hash/hash.h>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "index/internal/huge_pages.h"
#include "index/internal/postings.h"

namespace sw::index::internal {

// Key -> Posting. A slot whose posting is empty (count 0) is free: the index never keeps a key
// without objects.
template <class Key>
class KeyMap {
 public:
  struct Slot {
    Key key;
    Posting posting;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return slots_.size(); }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

  void prefetch(const Key& key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(key)]);
  }

  const Posting* find(const Key& key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.posting.count() == 0) return nullptr;
      if (s.key == key) return &s.posting;
    }
  }
  Posting* find(const Key& key) {
    return const_cast<Posting*>(static_cast<const KeyMap*>(this)->find(key));
  }

  // The posting list of `key`; a new, empty one (the caller fills it) when absent. Invalidates
  // pointers into the map when it grows.
  Posting& find_or_insert(const Key& key, bool& created) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.posting.count() == 0) {
        s.key = key;
        ++size_;
        created = true;
        return s.posting;
      }
      if (s.key == key) {
        created = false;
        return s.posting;
      }
    }
  }

  // Removes the key whose posting list is `*posting` (a pointer find() or find_or_insert() gave;
  // the list may already be empty, which is why the key is not searched for again).
  void erase(const Posting* posting) {
    const auto* slot = reinterpret_cast<const Slot*>(reinterpret_cast<const char*>(posting) -
                                                     offsetof(Slot, posting));
    size_t i = static_cast<size_t>(slot - slots_.data());
    // Backward shift: pull later members of the cluster into the hole when their home allows.
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (slots_[j].posting.count() == 0) break;
      const size_t h = home(slots_[j].key);
      // slots_[j] may move to i when i lies cyclically in [h, j).
      if (((j - h) & mask_) >= ((j - i) & mask_)) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
  }

  template <class F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.posting.count() != 0) f(s.key, s.posting);
    }
  }

 private:
  size_t home(const Key& key) const { return absl::HashOf(key) & mask_; }

  void grow() {
    std::vector<Slot, HugePageAllocator<Slot>> old(slots_.empty() ? 16 : 2 * slots_.size());
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.posting.count() == 0) continue;
      size_t i = home(s.key);
      while (slots_[i].posting.count() != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// A set of 32-bit references (records, object slots) whose keys live elsewhere. A slot keeps 32
// bits of the key's hash: probes compare it before looking at the key, and growing never reads
// the keys. The caller hashes keys with hash_of() and supplies the equality test.
class RefSet {
 public:
  static constexpr uint32_t kNone = ~uint32_t{0};

  template <class K>
  static uint32_t hash_of(const K& key) {
    return static_cast<uint32_t>(absl::HashOf(key));
  }

  size_t size() const { return size_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

  void prefetch(uint32_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }

  // The reference with this hash for which eq(ref) holds, or kNone.
  template <class Eq>
  uint32_t find(uint32_t hash, Eq&& eq) const {
    if (slots_.empty()) return kNone;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.ref == kNone) return kNone;
      if (s.hash == hash && eq(s.ref)) return s.ref;
    }
  }

  // Adds `ref` (not present yet).
  void insert(uint32_t hash, uint32_t ref) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    size_t i = hash & mask_;
    while (slots_[i].ref != kNone) i = (i + 1) & mask_;
    slots_[i] = {hash, ref};
    ++size_;
  }

  void erase(uint32_t hash, uint32_t ref) {
    if (slots_.empty()) return;
    size_t i = hash & mask_;
    for (;; i = (i + 1) & mask_) {
      if (slots_[i].ref == kNone) return;
      if (slots_[i].ref == ref) break;
    }
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (slots_[j].ref == kNone) break;
      const size_t h = slots_[j].hash & mask_;
      if (((j - h) & mask_) >= ((j - i) & mask_)) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
  }

  template <class F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.ref != kNone) f(s.ref);
    }
  }

 private:
  struct Slot {
    uint32_t hash = 0;
    uint32_t ref = kNone;
  };

  void grow() {
    std::vector<Slot, HugePageAllocator<Slot>> old(slots_.empty() ? 16 : 2 * slots_.size());
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.ref == kNone) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].ref != kNone) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace sw::index::internal
