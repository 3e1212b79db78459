// The wait status (common/src/syscall_decode_wait.cpp): statuses made by the
// W* macros' inverse, text as strace prints it for wait4.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <string>

#include "fdscope/syscall_format.hpp"
#include "syscall_record_fixture.hpp"

using namespace fdscope;

using fdscope::test::bytes_of;
using fdscope::test::call;
using fdscope::test::line;

namespace {

std::string status(int s) {
  std::string out;
  format_wait_status(s, out);
  return out;
}

SyscallRecord wait4_call(int64_t ret, int st) {
  static std::string bytes;
  bytes.assign(reinterpret_cast<const char*>(&st), sizeof st);
  SyscallRecord r;
  r.nr = syscall_by_name("wait4")->number;
  r.args = {7844, 0x7ffd1000, 0, 0, 0, 0};
  r.ret = ret;
  r.data[1] = CapturedArg{true, false, bytes};
  return r;
}

}  // namespace

TEST(SyscallDecodeWait, EveryShapeOfStatus) {
  EXPECT_EQ(status(3 << 8), "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]");
  EXPECT_EQ(status(0), "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
  EXPECT_EQ(status(SIGKILL), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");
  EXPECT_EQ(status(SIGSEGV | 0x80), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]");
  EXPECT_EQ(status((SIGSTOP << 8) | 0x7f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
  EXPECT_EQ(status(((SIGTRAP | 0x80) << 8) | 0x7f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}]");
  EXPECT_EQ(status(0xffff), "[{WIFCONTINUED(s)}]");
  EXPECT_EQ(status((3 << 16) | (SIGTRAP << 8) | 0x7f),
            "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_CLONE << 16]");
}

TEST(SyscallDecodeWait, Wait4ShowsTheStatusOnlyWhenAChildWasReaped) {
  EXPECT_EQ(line(wait4_call(7844, 3 << 8)),
            "wait4(7844, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 7844");
  // WNOHANG and nothing changed: the status was not written.
  EXPECT_EQ(line(wait4_call(0, 0)), "wait4(7844, 0x7ffd1000, 0, NULL) = 0");
  EXPECT_EQ(line(wait4_call(-ECHILD, 0)),
            "wait4(7844, 0x7ffd1000, 0, NULL) = -1 ECHILD (No child processes)");
}
