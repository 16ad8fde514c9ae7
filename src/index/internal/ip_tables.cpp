// The length filters of the IP block tables (state.h: V4Table, V6Table).
#include "index/internal/state.h"

namespace sw::index::internal {

void V4Table::added(uint32_t key, unsigned len) {
  if (len == 0) return;
  if (by16_.empty()) by16_.assign(size_t{1} << 16, 0);
  const uint32_t bit = uint32_t{1} << (len - 1);
  const size_t first = key >> 16;
  if (len <= 16) {
    // The key is new at this length, so it is the only one of its length over these /16s.
    for (size_t i = first, end = first + (size_t{1} << (16 - len)); i < end; ++i) by16_[i] |= bit;
    return;
  }
  if (long_counts_.empty()) long_counts_.assign((size_t{1} << 16) * 16, 0);
  ++long_counts_[first * 16 + len - 17];
  by16_[first] |= bit;
}

void V4Table::removed(uint32_t key, unsigned len) {
  if (len == 0 || by16_.empty()) return;
  const uint32_t bit = uint32_t{1} << (len - 1);
  const size_t first = key >> 16;
  if (len <= 16) {
    for (size_t i = first, end = first + (size_t{1} << (16 - len)); i < end; ++i) by16_[i] &= ~bit;
    return;
  }
  if (--long_counts_[first * 16 + len - 17] == 0) by16_[first] &= ~bit;
}

std::array<uint64_t, 3> V6Table::candidates(const U128& addr, unsigned prefix) const {
  std::array<uint64_t, 3> m{lengths[0] & ((uint64_t{1} << 17) - 1), 0, 0};
  if (!mid_.empty()) m[0] |= uint64_t{mid_[addr.hi >> 48]};
  if (!wide_.empty()) {
    const auto& w = wide_[bucket(addr.hi)];
    m[0] |= w[0];
    m[1] = w[1];
    m[2] = w[2];
  }
  // Clear the bits above `prefix`.
  const unsigned word = prefix / 64, bit = prefix % 64;
  if (bit != 63) m[word] &= (uint64_t{2} << bit) - 1;
  for (unsigned i = word + 1; i < 3; ++i) m[i] = 0;
  return m;
}

void V6Table::added(const U128& key, unsigned len) {
  if (len <= 16) return;  // `lengths` says it
  if (len < 32) {
    if (mid_.empty()) mid_.assign(size_t{1} << 16, 0);
    const size_t top = key.hi >> 48;
    ++counts_[(uint64_t{top} << 8) | len];
    mid_[top] |= uint32_t{1} << len;
    return;
  }
  if (wide_.empty()) wide_.assign(kBuckets, {});
  const size_t b = bucket(key.hi);
  ++counts_[(uint64_t{1} << 40) | (uint64_t{b} << 8) | len];
  wide_[b][len / 64] |= uint64_t{1} << (len % 64);
}

void V6Table::removed(const U128& key, unsigned len) {
  if (len <= 16) return;
  if (len < 32) {
    const size_t top = key.hi >> 48;
    auto it = counts_.find((uint64_t{top} << 8) | len);
    if (it == counts_.end() || --it->second != 0) return;
    counts_.erase(it);
    mid_[top] &= ~(uint32_t{1} << len);
    return;
  }
  const size_t b = bucket(key.hi);
  auto it = counts_.find((uint64_t{1} << 40) | (uint64_t{b} << 8) | len);
  if (it == counts_.end() || --it->second != 0) return;
  counts_.erase(it);
  wide_[b][len / 64] &= ~(uint64_t{1} << (len % 64));
}

}  // namespace sw::index::internal
