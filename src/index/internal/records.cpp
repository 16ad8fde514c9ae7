#include "index/internal/records.h"

#include <algorithm>
#include <cassert>

namespace sw::index::internal {

uint32_t RecordArena::allocate(std::string_view key) {
  assert(key.size() <= kMaxKeyBytes);
  const size_t units = units_for(key.size());
  uint32_t ref;
  if (auto it = free_.find(static_cast<uint32_t>(units));
      it != free_.end() && !it->second.empty()) {
    ref = it->second.back();
    it->second.pop_back();
    free_units_ -= units;
  } else {
    constexpr size_t kMaxChunkUnits = size_t{1} << kChunkUnitsBits;
    if (chunks_.empty() || used_units_ + units > chunk_units_.back()) {
      size_t size = chunks_.empty() ? (size_t{64} << 10) >> kUnitBits
                                    : std::min(kMaxChunkUnits, 2 * chunk_units_.back());
      while (size < units) size *= 2;  // units <= kMaxChunkUnits: keys are at most 64 KiB
      if (!chunks_.empty()) free_units_ += chunk_units_.back() - used_units_;
      chunks_.push_back(HugePageAllocator<uint64_t>().allocate(size));
      chunk_units_.push_back(size);
      total_units_ += size;
      used_units_ = 0;
    }
    ref = static_cast<uint32_t>(((chunks_.size() - 1) << kChunkUnitsBits) | used_units_);
    used_units_ += units;
  }
  char* p = at(ref);
  const Posting empty;
  std::memcpy(p, &empty, sizeof empty);
  const auto len = static_cast<uint16_t>(key.size());
  std::memcpy(p + sizeof(Posting), &len, sizeof len);
  std::memcpy(p + kHeaderBytes, key.data(), key.size());
  return ref;
}

RecordArena::~RecordArena() {
  for (size_t i = 0; i < chunks_.size(); ++i) {
    HugePageAllocator<uint64_t>().deallocate(chunks_[i], chunk_units_[i]);
  }
}

void RecordArena::release(uint32_t ref) {
  const size_t units = units_for(key(ref).size());
  free_[static_cast<uint32_t>(units)].push_back(ref);
  free_units_ += units;
}

}  // namespace sw::index::internal
