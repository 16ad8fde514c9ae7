// Posting lists of the indicator index: which objects file a key, with the AtomFlag bits of each.
//
// A list of one item (by far the common case: most values appear in one object) lives inline in
// its Posting; longer lists spill into one shared vector, in power-of-two blocks recycled through
// free lists. Not thread-safe: the Index guards it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "index/internal/huge_pages.h"

namespace sw::index::internal {

// An item: an object slot (28 bits) and its AtomFlag bits (4 bits).
inline constexpr uint32_t kSlotBits = 28;
inline constexpr uint32_t kSlotMask = (uint32_t{1} << kSlotBits) - 1;
inline constexpr uint32_t kMaxSlots = kSlotMask;  // slots 0 .. kMaxSlots - 1
inline uint32_t make_item(uint32_t slot, uint8_t flags) {
  return slot | (uint32_t{flags} << kSlotBits);
}
inline uint32_t item_slot(uint32_t item) { return item & kSlotMask; }
inline uint8_t item_flags(uint32_t item) { return static_cast<uint8_t>(item >> kSlotBits); }

struct Posting {
  uint32_t head = 0;  // count() == 1: the item; count() > 1: offset of the items in the spill
  uint32_t meta = 0;  // count (27 bits) | log2 of the spilled block's capacity (5 bits)

  static constexpr uint32_t kCountMask = (uint32_t{1} << 27) - 1;
  uint32_t count() const { return meta & kCountMask; }
  unsigned log_cap() const { return meta >> 27; }
};

class PostingStore {
 public:
  // The items of `p`; valid until the next add/remove on this store.
  std::span<const uint32_t> items(const Posting& p) const {
    if (p.count() <= 1) return {&p.head, p.count()};
    return {spill_.data() + p.head, p.count()};
  }

  void add(Posting& p, uint32_t item);

  // Removes the item of `slot` (swapping the last one in its place). False when absent.
  bool remove(Posting& p, uint32_t slot);

  size_t bytes() const { return spill_.capacity() * sizeof(uint32_t); }

 private:
  uint32_t allocate(unsigned log_cap);
  void release(uint32_t offset, unsigned log_cap) { free_[log_cap].push_back(offset); }

  std::vector<uint32_t, HugePageAllocator<uint32_t>> spill_;
  std::array<std::vector<uint32_t>, 32> free_;  // block offsets by log2 capacity
};

}  // namespace sw::index::internal
