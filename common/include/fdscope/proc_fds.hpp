// Number of open file descriptors of a process (entries of /proc/PID/fd),
// shown against its RLIMIT_NOFILE so fd exhaustion is visible at a glance.
#pragma once

#include <cstddef>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

// Counted with getdents over the directory: one open, no per-fd syscalls.
Result<size_t> count_open_fds(const ProcSource& src);

}  // namespace fdscope
