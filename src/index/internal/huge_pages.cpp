#include "index/internal/huge_pages.h"

#include <sys/mman.h>

namespace sw::index::internal {

void* allocate_large(size_t bytes) {
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure only means small pages
#endif
  return p;
}

void free_large(void* p, size_t) { std::free(p); }

}  // namespace sw::index::internal
