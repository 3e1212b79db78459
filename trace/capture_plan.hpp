// CapturePlan: what the kernel side captures for each syscall number, derived
// from the shared syscall table (fdscope/syscall_table.hpp): which arguments
// are strings, which is a sockaddr and where its length is, which buffer or
// iovec carries payload.  The plan is written into the BPF program's
// read-only data (sc_plan[]) before load, so the kernel never needs to know
// syscall semantics.
#pragma once

#include <array>

#include "fdscope/syscall_table.hpp"
#include "trace.h"

namespace fdscope::trace {

struct CapturePlan {
  std::array<trace_sc_plan, TRACE_MAX_SYSCALLS> rows{};
};

// traced: syscalls to report; stacks: -k (capture user stacks for traced calls).
CapturePlan build_capture_plan(const SyscallSet& traced, bool stacks);

// True when the syscall moves payload we capture (read/write/send/recv families).
bool plan_has_payload(const trace_sc_plan& row);

}  // namespace fdscope::trace
