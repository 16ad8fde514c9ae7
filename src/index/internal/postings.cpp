#include "index/internal/postings.h"

#include <algorithm>
#include <cassert>

namespace sw::index::internal {

uint32_t PostingStore::allocate(unsigned log_cap) {
  auto& list = free_[log_cap];
  if (!list.empty()) {
    const uint32_t off = list.back();
    list.pop_back();
    return off;
  }
  const auto off = static_cast<uint32_t>(spill_.size());
  spill_.resize(spill_.size() + (size_t{1} << log_cap));
  return off;
}

void PostingStore::add(Posting& p, uint32_t item) {
  const uint32_t n = p.count();
  if (n == 0) {
    p.head = item;
    p.meta = 1;
    return;
  }
  if (n == 1) {
    const uint32_t off = allocate(1);
    spill_[off] = p.head;
    spill_[off + 1] = item;
    p.head = off;
    p.meta = 2 | (1u << 27);
    return;
  }
  unsigned log_cap = p.log_cap();
  uint32_t off = p.head;
  if (n == (uint32_t{1} << log_cap)) {
    const uint32_t grown = allocate(log_cap + 1);  // may move spill_: copy after
    std::copy_n(spill_.begin() + off, n, spill_.begin() + grown);
    release(off, log_cap);
    off = grown;
    ++log_cap;
  }
  spill_[off + n] = item;
  p.head = off;
  p.meta = (n + 1) | (static_cast<uint32_t>(log_cap) << 27);
}

bool PostingStore::remove(Posting& p, uint32_t slot) {
  const uint32_t n = p.count();
  if (n == 0) return false;
  if (n == 1) {
    if (item_slot(p.head) != slot) return false;
    p = Posting{};
    return true;
  }
  uint32_t* items = spill_.data() + p.head;
  uint32_t* it = std::find_if(items, items + n, [&](uint32_t x) { return item_slot(x) == slot; });
  if (it == items + n) return false;
  *it = items[n - 1];
  const uint32_t m = n - 1;
  unsigned log_cap = p.log_cap();
  if (m == 1) {
    const uint32_t only = items[0];
    release(p.head, log_cap);
    p.head = only;
    p.meta = 1;
    return true;
  }
  // Shrink a block that is three-quarters empty (hysteresis: no reallocation ping-pong).
  if (log_cap > 2 && m <= (uint32_t{1} << (log_cap - 2))) {
    const uint32_t off = allocate(log_cap - 1);
    std::copy_n(spill_.begin() + p.head, m, spill_.begin() + off);
    release(p.head, log_cap);
    p.head = off;
    --log_cap;
  }
  p.meta = m | (static_cast<uint32_t>(log_cap) << 27);
  return true;
}

}  // namespace sw::index::internal
