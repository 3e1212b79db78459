// Signal sets, rt_sigaction's struct and waitid's siginfo
// (common/src/syscall_decode_signal.cpp): bytes in, strace 6.1's text out
// (the expected texts are what `strace -yy` printed on this machine for the
// same calls), through the whole formatter line where the argument position
// matters.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstring>
#include <string>

#include "fdscope/syscall_format.hpp"
#include "syscall_record_fixture.hpp"

using namespace fdscope;

using fdscope::test::bytes_of;
using fdscope::test::call;
using fdscope::test::line;

namespace {

constexpr uint64_t kBuf = 0x7ffd1000;

uint64_t bit(int sig) { return uint64_t{1} << (sig - 1); }

std::string sigset(uint64_t mask, uint64_t size = 8) {
  std::string out;
  if (!format_sigset(bytes_of(&mask, sizeof mask), size, out)) return "(false)";
  return out;
}

}  // namespace

TEST(SyscallDecodeSignal, SetsNameTheirMembersOrTheComplement) {
  EXPECT_EQ(sigset(0), "[]");
  EXPECT_EQ(sigset(bit(SIGINT) | bit(SIGTERM)), "[INT TERM]");
  EXPECT_EQ(sigset(bit(SIGCHLD) | bit(32) | bit(33) | bit(64)), "[CHLD RTMIN RT_1 RT_32]");
  // glibc's sigfillset without SIGRTMIN (34); 32 and 33 are glibc's own.
  EXPECT_EQ(sigset(~(bit(32) | bit(33) | bit(34))), "~[RTMIN RT_1 RT_2]");
  EXPECT_EQ(sigset(~uint64_t{0}), "~[]");
  // 42 of 64 bits set is the point where strace turns to the complement.
  EXPECT_EQ(sigset((uint64_t{1} << 42) - 1).substr(0, 2), "~[");
  EXPECT_EQ(sigset((uint64_t{1} << 41) - 1).substr(0, 5), "[HUP ");
  // A size the kernel does not take, or a short capture: not decoded.
  EXPECT_EQ(sigset(bit(SIGINT), 16), "(false)");
  std::string out;
  EXPECT_FALSE(format_sigset("abc", 8, out));
  EXPECT_TRUE(out.empty());
}

TEST(SyscallDecodeSignal, SigprocmaskInputShownEvenOnErrorOutputOnlyOnSuccess) {
  uint64_t set = bit(SIGINT) | bit(SIGTERM), old = 0;
  std::string s = bytes_of(&set, 8), o = bytes_of(&old, 8);
  auto r = call("rt_sigprocmask", {0, kBuf, kBuf + 8, 8}, 0);
  r.data[1] = CapturedArg{true, false, s};
  r.data[2] = CapturedArg{true, false, o};
  EXPECT_EQ(line(r), "rt_sigprocmask(SIG_BLOCK, [INT TERM], [], 8) = 0");
  r.ret = -EINVAL;
  EXPECT_EQ(line(r), "rt_sigprocmask(SIG_BLOCK, [INT TERM], 0x7ffd1008, 8) = -1 EINVAL (Invalid argument)");

  auto su = call("rt_sigsuspend", {kBuf, 8}, -514 /* ERESTARTNOHAND */);
  su.data[0] = CapturedArg{true, false, o};
  EXPECT_EQ(line(su), "rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler)");

  auto sf = call("signalfd4", {static_cast<uint64_t>(-1), kBuf, 8, 02000000}, 3);
  sf.data[1] = CapturedArg{true, false, s};
  EXPECT_EQ(line(sf), "signalfd4(-1, [INT TERM], 8, SFD_CLOEXEC) = 3");

  auto ep = call("epoll_pwait", {8, kBuf, 2, 0, kBuf + 64, 8}, 0);
  ep.data[4] = CapturedArg{true, false, s};
  EXPECT_EQ(line(ep), "epoll_pwait(8, 0x7ffd1000, 2, 0, [INT TERM], 8) = 0");
}

TEST(SyscallDecodeSignal, SigactionLikeStrace) {
  struct {
    uint64_t handler, flags, restorer, mask;
  } act{0x559847b13399, 0x04000000 | 0x10000000, 0x7f5775a80050, bit(SIGUSR1)}, old{};
  std::string a = bytes_of(&act, sizeof act), o = bytes_of(&old, sizeof old);
  auto r = call("rt_sigaction", {SIGUSR2, kBuf, kBuf + 32, 8}, 0);
  r.data[1] = CapturedArg{true, false, a};
  r.data[2] = CapturedArg{true, false, o};
  EXPECT_EQ(line(r),
            "rt_sigaction(SIGUSR2, {sa_handler=0x559847b13399, sa_mask=[USR1], "
            "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f5775a80050}, "
            "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");
  act = {1, 0x04000000 | 0x08000000 | 0x4 | 0x40000000, 0x1000, 0};
  a = bytes_of(&act, sizeof act);
  r.data[1] = CapturedArg{true, false, a};
  r.args[2] = 0;
  EXPECT_EQ(line(r),
            "rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], "
            "sa_flags=SA_RESTORER|SA_ONSTACK|SA_NODEFER|SA_SIGINFO, sa_restorer=0x1000}, NULL, 8) = 0");
  std::string out;
  EXPECT_FALSE(format_sigaction(a.substr(0, 31), out));
}

TEST(SyscallDecodeSignal, WaitidSiginfo) {
  siginfo_t si{};
  si.si_signo = SIGCHLD;
  si.si_code = CLD_EXITED;
  si.si_pid = 7846;
  si.si_status = 0;
  std::string b = bytes_of(&si, sizeof si);
  auto r = call("waitid", {1, 7846, kBuf, 4 /* WEXITED */, 0}, 0);
  r.data[2] = CapturedArg{true, false, std::string_view(b).substr(0, 48)};
  EXPECT_EQ(line(r),
            "waitid(P_PID, 7846, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7846, si_uid=0, "
            "si_status=0, si_utime=0, si_stime=0}, WEXITED, NULL) = 0");
  si.si_code = CLD_KILLED;
  si.si_status = SIGKILL;
  std::string out;
  ASSERT_TRUE(format_siginfo(bytes_of(&si, 48), out));
  EXPECT_EQ(out,
            "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=7846, si_uid=0, si_status=SIGKILL, "
            "si_utime=0, si_stime=0}");
  siginfo_t none{};  // WNOHANG with nothing to report
  out.clear();
  ASSERT_TRUE(format_siginfo(bytes_of(&none, 48), out));
  EXPECT_EQ(out, "{}");
  r.ret = -ECHILD;
  EXPECT_EQ(line(r), "waitid(P_PID, 7846, 0x7ffd1000, WEXITED, NULL) = -1 ECHILD (No child processes)");
}
