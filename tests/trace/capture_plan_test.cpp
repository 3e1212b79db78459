// The capture plan derived from the syscall table: what the kernel side is
// told to copy for a few representative calls.
#include "capture_plan.hpp"

#include <gtest/gtest.h>

using namespace fdscope;
using namespace fdscope::trace;

namespace {
const trace_sc_plan& row(const CapturePlan& p, const char* name) {
  const SyscallInfo* i = syscall_by_name(name);
  EXPECT_NE(i, nullptr) << name;
  return p.rows[static_cast<size_t>(i ? i->number : 0)];
}
}  // namespace

TEST(CapturePlan, WriteCapturesItsBufferOutbound) {
  CapturePlan p = build_capture_plan(SyscallSet().set(), false);
  const auto& w = row(p, "write");
  EXPECT_TRUE(w.flags & TRACE_PLAN_TRACED);
  EXPECT_EQ(w.data_kind, TRACE_DATA_BUF);
  EXPECT_EQ(w.data_arg, 1);
  EXPECT_FALSE(w.flags & TRACE_PLAN_DATA_IN);
  const auto& r = row(p, "read");
  EXPECT_TRUE(r.flags & TRACE_PLAN_DATA_IN);
}

TEST(CapturePlan, SockaddrArgumentsAndTheirLengths) {
  CapturePlan p = build_capture_plan(SyscallSet().set(), false);
  const auto& c = row(p, "connect");
  EXPECT_EQ(c.addr_arg, 1);
  EXPECT_EQ(c.addrlen_arg, 2);
  EXPECT_FALSE(c.flags & TRACE_PLAN_ADDR_PTRLEN);
  const auto& a = row(p, "accept4");
  EXPECT_EQ(a.addr_arg, 1);
  EXPECT_TRUE(a.flags & TRACE_PLAN_ADDR_PTRLEN);
}

TEST(CapturePlan, PathsExecAndMessages) {
  CapturePlan p = build_capture_plan(SyscallSet().set(), true);
  const auto& o = row(p, "openat");
  EXPECT_EQ(o.str_arg[0], 1);
  EXPECT_TRUE(o.flags & TRACE_PLAN_STACK);
  EXPECT_TRUE(row(p, "execve").flags & TRACE_PLAN_EXEC);
  EXPECT_EQ(row(p, "sendmsg").data_kind, TRACE_DATA_MSG);
  EXPECT_TRUE(row(p, "pipe2").flags & TRACE_PLAN_FDPAIR);
}

TEST(CapturePlan, UnselectedSyscallsAreNotTraced) {
  SyscallSet only;
  only.set(static_cast<size_t>(syscall_by_name("openat")->number));
  CapturePlan p = build_capture_plan(only, false);
  EXPECT_TRUE(row(p, "openat").flags & TRACE_PLAN_TRACED);
  EXPECT_FALSE(row(p, "write").flags & TRACE_PLAN_TRACED);
  EXPECT_EQ(row(p, "write").data_kind, TRACE_DATA_NONE);
}
