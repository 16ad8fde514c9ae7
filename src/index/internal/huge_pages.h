// An allocator that asks for transparent huge pages for large blocks.
//
// The index's tables are probed at random: at millions of entries nearly every look-up misses the
// TLB, and under virtualisation a page walk costs several memory accesses. Blocks of 2 MiB and
// more are allocated 2 MiB-aligned and marked MADV_HUGEPAGE (a hint; systems with THP disabled
// ignore it); smaller ones come from operator new.
//
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

namespace sw::index::internal {

inline constexpr size_t kHugePage = size_t{2} << 20;

void* allocate_large(size_t bytes);
void free_large(void* p, size_t bytes);

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT(google-explicit-constructor)

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugePage) return static_cast<T*>(allocate_large(bytes));
    return static_cast<T*>(
        ::operator new (bytes, std::align_val_t{alignof(T) > 16 ? alignof(T) : 16}));
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugePage) {
      free_large(p, bytes);
    } else {
      ::operator delete (p, std::align_val_t{alignof(T) > 16 ? alignof(T) : 16});
    }
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace sw::index::internal
