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

// Struct captures come from common's struct table (struct_capture): only the
// calls whose structs are shown get any, the sizes are what the decoders
// read, execve's envp count sits in slot 0 (the entry hook looks there).
TEST(CapturePlan, StructCapturesOnlyWhereShown) {
  CapturePlan p = build_capture_plan(SyscallSet().set(), false);
  for (const char* name : {"getppid", "write", "read", "openat", "close"})
    EXPECT_EQ(row(p, name).st_kind[0], TRACE_ST_NONE) << name;
  const auto& st = row(p, "newfstatat");
  EXPECT_EQ(st.st_kind[0], TRACE_ST_OUT);
  EXPECT_EQ(st.st_arg[0], 2);
  EXPECT_EQ(st.st_size[0], 56);
  const auto& mask = row(p, "rt_sigprocmask");
  EXPECT_EQ(mask.st_kind[0], TRACE_ST_IN);
  EXPECT_EQ(mask.st_kind[1], TRACE_ST_OUT);
  EXPECT_EQ(mask.st_lenarg[0], 3);
  EXPECT_EQ(mask.st_size[1], 8);
  const auto& ex = row(p, "execve");
  EXPECT_EQ(ex.st_kind[0], TRACE_ST_ENVC);
  EXPECT_EQ(ex.st_arg[0], 2);
  const auto& rnd = row(p, "getrandom");
  EXPECT_EQ(rnd.st_kind[0], TRACE_ST_RET);
  EXPECT_EQ(rnd.st_lenarg[0], 1);
  EXPECT_EQ(rnd.st_size[0], TRACE_ST_MAX);
  EXPECT_EQ(row(p, "recvmsg").st_kind[0], TRACE_ST_CMSG);
  EXPECT_EQ(row(p, "getdents64").st_kind[0], TRACE_ST_DIRENTS);
  EXPECT_EQ(row(p, "pselect6").st_kind[0], TRACE_ST_SIGMASK_ARG);
  EXPECT_EQ(row(p, "pselect6").st_size[0], 24);
}
