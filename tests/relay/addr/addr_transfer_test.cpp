// Data through the non-network addresses with the real relay binary: random
// data must come out byte for byte (and with the same sha256), whatever the
// address pair -- STDIO, OPEN/CREATE, FD, PIPE, EXEC/SYSTEM/SHELL over a
// socketpair, pipes or a pty, SOCKETPAIR, TEXT, "!!" -- and the APPL options
// (readbytes, crnl) and the PTY link behave as documented.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "run_relay.hpp"

using relay_test::random_bytes;
using relay_test::read_file;
using relay_test::run_relay;
using relay_test::sha256_hex;
using relay_test::TempDir;

namespace {
constexpr size_t kBig = 1 << 20;  // 1 MiB: several blocks, pipe buffers full

void write_file(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

#define EXPECT_SAME_DATA(got, want)                                      \
  do {                                                                   \
    EXPECT_EQ((got).size(), (want).size());                              \
    EXPECT_TRUE((got) == (want)) << "data differs";                      \
    EXPECT_EQ(sha256_hex(got), sha256_hex(want));                        \
  } while (0)
}  // namespace

TEST(AddrTransfer, StdinToStdoutUnidirectional) {
  std::string data = random_bytes(kBig, 1);
  auto r = run_relay({"-u", "-", "-"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, StdioIntoCreatedFileAndBackOutOfOpen) {
  TempDir dir;
  std::string data = random_bytes(kBig, 2);
  auto w = run_relay({"-u", "-", "CREATE:" + dir.file("out"), }, data);
  ASSERT_EQ(w.status, 0) << w.err;
  EXPECT_SAME_DATA(read_file(dir.file("out")), data);
  auto r = run_relay({"-u", "OPEN:" + dir.file("out"), "STDOUT"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, OpenWithCreatAppendAndPerm) {
  TempDir dir;
  std::string f = dir.file("log");
  ASSERT_EQ(run_relay({"-u", "-", "OPEN:" + f + ",creat,append,perm=0640"}, "one\n").status, 0);
  ASSERT_EQ(run_relay({"-u", "-", "OPEN:" + f + ",creat,append"}, "two\n").status, 0);
  EXPECT_EQ(read_file(f), "one\ntwo\n");
  struct stat st{};
  ASSERT_EQ(stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AddrTransfer, BarePathMeansGopen) {
  TempDir dir;
  write_file(dir.file("in"), "via gopen\n");
  auto r = run_relay({"-u", dir.file("in"), "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "via gopen\n");
}

TEST(AddrTransfer, InheritedFdNumbers) {
  std::string data = random_bytes(100000, 3);
  auto r = run_relay({"-u", "FDIN:0", "1"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, UnnamedPipeEchoes) {
  std::string data = random_bytes(kBig, 4);
  auto r = run_relay({"-", "PIPE"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, NamedPipeIsCreated) {
  TempDir dir;
  std::string fifo = dir.file("fifo");
  auto r = run_relay({"-", "PIPE:" + fifo}, "through a fifo\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "through a fifo\n");
  struct stat st{};
  ASSERT_EQ(stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(AddrTransfer, ExecOverSocketpair) {
  std::string data = random_bytes(kBig, 5);
  auto r = run_relay({"-", "EXEC:cat"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, ExecOverPipes) {
  std::string data = random_bytes(kBig, 6);
  auto r = run_relay({"-", "EXEC:cat,pipes"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, SystemComputesTheSha256OfWhatItReads) {
  std::string data = random_bytes(kBig, 7);
  auto r = run_relay({"-", "SYSTEM:sha256sum | cut -c1-64"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, sha256_hex(data) + "\n");
}

TEST(AddrTransfer, ShellRunsTheCommandWithTheChosenShell) {
  auto r = run_relay({"-u", "SHELL:echo $0 \"$((6*7))\",shell=/bin/sh", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "sh 42\n");
}

TEST(AddrTransfer, ExecArgumentsAreSplitWithQuotes) {
  // Quotes meant for the program's arguments are escaped at the address
  // level, where quotes are removed (as in socat).
  auto r = run_relay({"-u", "EXEC:printf \\\"%s|%s\\\" \\'a b\\' c", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a b|c");
}

TEST(AddrTransfer, ExecStderrOptionJoinsTheChannel) {
  auto r = run_relay({"-u", "SYSTEM:echo out; echo err >&2,stderr", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "out\nerr\n");
  EXPECT_EQ(r.err, "");
}

TEST(AddrTransfer, ExecOverRawPty) {
  // A pty in raw mode passes every byte; cat echoes it back.
  std::string data = random_bytes(256 * 1024, 8);
  auto r = run_relay({"-t", "2", "-", "EXEC:cat,pty,raw,echo=0"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, SocketpairKeepsDatagramsAndEchoes) {
  std::string data = random_bytes(200000, 9);
  auto r = run_relay({"-b", "4096", "-", "SOCKETPAIR"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, TextIsReadThenEof) {
  auto r = run_relay({"-u", "TEXT:'hello, world'", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello, world");
}

TEST(AddrTransfer, DualAddressReadsOneWritesTheOther) {
  std::string data = random_bytes(kBig, 10);
  auto r = run_relay({"STDIN!!STDOUT", "EXEC:cat"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_SAME_DATA(r.out, data);
}

TEST(AddrTransfer, DualAddressWithFiles) {
  TempDir dir;
  write_file(dir.file("in"), "left side\n");
  auto r = run_relay({"OPEN:" + dir.file("in") + "!!CREATE:" + dir.file("out"), "PIPE"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir.file("out")), "left side\n");
}

TEST(AddrTransfer, ReadbytesStopsAfterThatMany) {
  TempDir dir;
  write_file(dir.file("in"), random_bytes(5000, 11));
  auto r = run_relay({"-u", "OPEN:" + dir.file("in") + ",readbytes=1000", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, read_file(dir.file("in")).substr(0, 1000));
}

TEST(AddrTransfer, CrnlConvertsLineEnds) {
  auto r = run_relay({"-u", "-", "STDOUT,crnl"}, "a\nb\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a\r\nb\r\n");
}

TEST(AddrTransfer, PtyLinkExistsWhileRunningAndIsRemovedAfter) {
  TempDir dir;
  std::string link = dir.file("tty");
  std::string seen = dir.file("seen");
  // The right address starts after the PTY is open: it records what the
  // link is; relay -T ends the transfer after a second of silence.
  auto r = run_relay({"-T", "1", "PTY,link=" + link + ",raw,echo=0",
                      "SYSTEM:readlink " + link + " > " + seen + "; exec sleep 3"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(seen).rfind("/dev/pts/", 0), 0u) << read_file(seen);
  struct stat st{};
  EXPECT_NE(lstat(link.c_str(), &st), 0) << "link left behind";
}

TEST(AddrTransfer, LockFileIsCreatedAndRemoved) {
  TempDir dir;
  std::string lock = dir.file("lock");
  auto r = run_relay({"-L", lock, "-u", "SYSTEM:test -e " + lock + " && echo locked", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "locked\n");
  EXPECT_NE(access(lock.c_str(), F_OK), 0);
}

TEST(AddrTransfer, DashDAnalysesTheAddressFdsBeforeTheTransfer) {
  auto r = run_relay({"-D", "-u", "-", "OPEN:/dev/null"}, "x");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.rfind("  FD  type", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("   0: pipe"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/dev/null"), std::string::npos) << r.err;
}

TEST(AddrTransfer, ForkServerChildrenKeepTheLockAndSigtermRemovesIt) {
  TempDir dir;
  std::string lock = dir.file("lock"), sock = dir.file("sock");
  pid_t server = fork();
  if (server == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    std::string bin = relay_test::relay_path();
    std::string listen = "UNIX-LISTEN:" + sock + ",fork";
    execl(bin.c_str(), bin.c_str(), "-L", lock.c_str(), listen.c_str(), "SYSTEM:echo served", nullptr);
    _exit(126);
  }
  ASSERT_GT(server, 0);
  for (int i = 0; i < 200 && access(sock.c_str(), F_OK) != 0; ++i) usleep(10000);
  for (int round = 0; round < 2; ++round) {
    auto r = run_relay({"-u", "UNIX-CONNECT:" + sock, "-"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "served\n");
    usleep(100000);  // let the server's child finish
    EXPECT_EQ(access(lock.c_str(), F_OK), 0) << "a server child removed the parent's lock file";
  }
  kill(server, SIGTERM);
  int st = 0;
  waitpid(server, &st, 0);
  EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
  EXPECT_NE(access(lock.c_str(), F_OK), 0) << "lock file left behind after SIGTERM";
}

TEST(AddrTransfer, ProgramsSeeRelaysPidAndVersionLikeSocats) {
  auto r = run_relay({"-u", "SYSTEM:echo $RELAY_PID $SOCAT_PID $RELAY_VERSION", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  int a = 0, b = 0;
  char version[64] = {0};
  ASSERT_EQ(sscanf(r.out.c_str(), "%d %d %63s", &a, &b, version), 3) << r.out;
  EXPECT_GT(a, 0);
  EXPECT_EQ(a, b);
  EXPECT_STRNE(version, "");
  auto p = run_relay({"-lp", "my-relay", "-u", "SYSTEM:echo $MY_RELAY_PID", "-"});
  EXPECT_GT(atoi(p.out.c_str()), 0) << p.out;
}
