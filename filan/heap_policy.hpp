// How filan's heap grows when it is about to describe a large fd table
// (heap_policy.cpp says why).
#pragma once

#include <cstddef>

namespace filan {

// Before inspecting about `fds` descriptors: for large tables, one malloc
// arena for every thread, grown in one large step backed by transparent huge
// pages where the kernel offers them (madvise mode).  Does nothing for small
// tables, and never fails (a refused madvise leaves ordinary pages).
void prepare_heap_for(size_t fds);

}  // namespace filan
