// filan's heap policy for large fd tables.  `filan -p PID` on a process with
// 10,000 fds builds about 30 MB of records, socket facts and text in a few
// tens of milliseconds, and with glibc's defaults a third of its CPU time
// went to the memory system rather than to the work:
//   * each helper thread (the sock_diag dump, the second halves of the scan
//     and of the rendering) got its own malloc arena, which glibc grows one
//     page at a time with mprotect (1,256 calls in one run, each taking the
//     address-space lock the other thread's page faults need);
//   * every 4 KB page of the heap was a page fault (8,400 per run).
// So for a large table, before any thread starts: one arena for all threads
// (M_ARENA_MAX), large allocations from the heap too (M_MMAP_THRESHOLD; no
// mmap/munmap per buffer), no trimming on free, and the heap grown once by a
// step sized for the table and marked MADV_HUGEPAGE, which is what glibc's
// own `glibc.malloc.hugetlb=1` tunable does (but that can only be set in the
// environment before the program starts).  Together: about 30% less CPU and
// a third of the page faults on that benchmark (bench/filan_vs_lsof.sh).
// Small tables keep glibc's defaults: zeroing a 2 MB page they would barely
// use costs more than it saves.
#include "heap_policy.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace filan {

void prepare_heap_for(size_t fds) {
  if (fds < 2048) return;
  constexpr size_t kHugePage = size_t{2} << 20;
  // ~3 KB per fd covers records, socket facts and their text (10,000 fds:
  // about 30 MB), capped so a huge table grows the usual way past it.
  const size_t step = std::min<size_t>(fds * 3072, size_t{256} << 20);
  ::mallopt(M_ARENA_MAX, 1);
  ::mallopt(M_MMAP_THRESHOLD, 64 << 20);
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(2 * step, INT32_MAX)));
  ::mallopt(M_TOP_PAD, static_cast<int>(step));
  auto before = reinterpret_cast<uintptr_t>(::sbrk(0));
  // One allocation larger than what is left at the top makes malloc extend
  // the heap by it plus the pad; freed, it goes back to the top untouched.
  static void* volatile grow;  // volatile: the pair must not be optimised away
  grow = std::malloc(kHugePage);
  std::free(grow);
  auto after = reinterpret_cast<uintptr_t>(::sbrk(0));
  if (before == static_cast<uintptr_t>(-1) || after <= before) return;
  uintptr_t from = (before + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t to = after & ~(kHugePage - 1);
  if (to > from) (void)::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
}

}  // namespace filan
