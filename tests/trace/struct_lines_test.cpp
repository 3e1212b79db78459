// The text lines of calls whose arguments strace -yy decodes as structs,
// through the trace binary: signal masks, sigaction, stat/statx buffers,
// getrandom's bytes, rlimits, getdents64's and execve's counts, the wait4
// status and SCM_RIGHTS in msg_control.  Each line needs the kernel side's
// struct captures (bpf/trace.bpf.c cap_structs) and common's decoders;
// without them these arguments print as bare pointers.  Runs
// tests/trace/trace_child's "structs" mode (root with kernel BTF only).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "trace_lines.hpp"

TEST(TraceLines, StructArgumentsDecodedLikeStrace) {
  if (geteuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    GTEST_SKIP() << "needs root and kernel BTF to load the BPF programs";
  const std::string child = std::string(FDSCOPE_TEST_BIN_DIR) + "/trace_child";
  TraceLines run = trace_lines("struct-lines", [&](const std::string& dir) {
    return "-s 256 -e trace=openat,socketpair,rt_sigprocmask,rt_sigaction,pselect6,newfstatat,statx,getrandom,"
           "prlimit64,getdents64,wait4,sendmsg,recvmsg,execve -- " +
           child + " structs " + dir;
  });
  ASSERT_EQ(run.status, 0) << run.cmd;
  const std::string& t = run.text;
  const std::string& dir = run.dir;
  auto has = [&](const std::string& s) { return t.find(s) != std::string::npos; };
  auto matches = [&](const std::string& re) { return std::regex_search(t, std::regex(re)); };
  const std::string file = dir + "/d/st.txt";

  EXPECT_TRUE(has("rt_sigprocmask(SIG_SETMASK, [INT TERM], NULL, 8) = 0\n")) << t;
  EXPECT_TRUE(has("rt_sigprocmask(SIG_BLOCK, [], [INT TERM], 8) = 0\n")) << t;
  EXPECT_TRUE(has("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[USR1], sa_flags=SA_RESTART}, "
                  "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0\n"))
      << t;
  EXPECT_TRUE(matches("pselect6\\(0, NULL, NULL, NULL, 0x[0-9a-f]+, \\{sigmask=\\[INT TERM\\], sigsetsize=8\\}\\) += 0\n"))
      << t;
  EXPECT_TRUE(has(", \"" + file + "\", {st_mode=S_IFREG|0644, st_size=5, ...}, 0) = 0\n"))
      << t;
  // A failed call filled nothing: the buffer stays a pointer.
  EXPECT_TRUE(matches("\"/nonexistent/trace-test\", 0x[0-9a-f]+, 0\\) = -1 ENOENT")) << t;
  EXPECT_TRUE(matches("statx\\(AT_FDCWD<[^>]*>, \"" + file +
                      "\", AT_STATX_SYNC_AS_STAT, STATX_MODE\\|STATX_SIZE, \\{stx_mask=[A-Z_|]+, "
                      "stx_attributes=[0-9A-Z_|x]+, stx_mode=S_IFREG\\|0644, stx_size=5, \\.\\.\\.\\}\\) = 0\n"))
      << t;
  EXPECT_TRUE(matches("getrandom\\(\"(\\\\x[0-9a-f]{2}){4}\", 4, 0\\) += 4\n")) << t;
  EXPECT_TRUE(has("prlimit64(0, RLIMIT_CORE, {rlim_cur=1024, rlim_max=2048*1024}, NULL) = 0\n")) << t;
  EXPECT_TRUE(has("prlimit64(0, RLIMIT_CORE, NULL, {rlim_cur=1024, rlim_max=2048*1024}) = 0\n")) << t;
  EXPECT_TRUE(matches("getdents64\\(4<" + dir + "/d>, 0x[0-9a-f]+ /\\* 3 entries \\*/, 4096\\) = [0-9]+\n")) << t;
  EXPECT_TRUE(matches("getdents64\\(4<" + dir + "/d>, 0x[0-9a-f]+ /\\* 0 entries \\*/, 4096\\) = 0\n")) << t;
  EXPECT_TRUE(matches("wait4\\(([0-9]+), \\[\\{WIFEXITED\\(s\\) && WEXITSTATUS\\(s\\) == 7\\}\\], 0, NULL\\) = \\1\n")) << t;
  EXPECT_TRUE(matches("wait4\\(-1, 0x[0-9a-f]+, WNOHANG, NULL\\) = -1 ECHILD")) << t;
  EXPECT_TRUE(has("msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3<" +
                  file + ">]}], msg_controllen=24, msg_flags=0}, 0) = 1\n"))
      << t;
  EXPECT_TRUE(matches("recvmsg\\(6<[^\n]*msg_control=\\[\\{cmsg_len=20, cmsg_level=SOL_SOCKET, "
                      "cmsg_type=SCM_RIGHTS, cmsg_data=\\[7[^\n]*\\]\\}\\], msg_controllen=24, msg_flags=0\\}, 0\\) = 1\n"))
      << t;
  EXPECT_TRUE(matches("execve\\(\"/proc/self/exe\", \\[\"" + child +
                      "\", \"done\", \"-\"\\], 0x[0-9a-f]+ /\\* 2 vars \\*/\\) = 0\n"))
      << t;
}
