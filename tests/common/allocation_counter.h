// Counts heap allocations of a whole test binary, for the tests that check a hot path allocates
// nothing once warm (ARCHITECTURE.md §7). Include it in exactly one source file of the binary: it
// replaces the global operator new and delete.
//
// Sanitizers own operator new, so under them nothing is replaced and allocations_counted() is
// false (tests then skip). GCC says so with __SANITIZE_*__, clang with __has_feature.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SW_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SW_UNDER_SANITIZER 1
#endif

namespace sw::testing {
inline std::atomic<uint64_t> g_allocations{0};
// Heap allocations so far (0 forever when not counted).
inline uint64_t allocations() { return g_allocations.load(std::memory_order_relaxed); }
#if defined(SW_UNDER_SANITIZER)
inline constexpr bool kAllocationsCounted = false;
#else
inline constexpr bool kAllocationsCounted = true;
#endif
}  // namespace sw::testing

#if !defined(SW_UNDER_SANITIZER)
// GCC cannot see that the replaced operator new is malloc-based.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  sw::testing::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif
