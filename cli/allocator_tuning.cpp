#include "cli/allocator_tuning.h"

#include <malloc.h>

namespace storyreel {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
    constexpr int kLargestFromHeap = 256 << 20;
    constexpr int kFreedKept = 1 << 30;
    mallopt(M_MMAP_THRESHOLD, kLargestFromHeap);
    mallopt(M_TRIM_THRESHOLD, kFreedKept);
    mallopt(M_ARENA_MAX, 1);
#endif
}

}  // namespace storyreel
