// FdNames (trace/fd_names.cpp): fd names tracked from the traced calls.
// Units feed synthetic call records for a process that has already exited
// (the names must come from the calls alone) and for this live process
// whose fd numbers now hold something else (the names must be those the fds
// had when the calls ran, with /proc used only when it shows the same
// object).  The integration test runs the trace binary on a child that
// opens, uses and closes fds and exits at once (root with kernel BTF only).
#include "fd_names.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "fdscope/unique_fd.hpp"
#include "syscall_record_fixture.hpp"
#include "trace_lines.hpp"

using namespace fdscope;
using fdscope::trace::FdNames;

namespace {

constexpr uint64_t kAtFdcwd = static_cast<uint64_t>(-100);
constexpr uint64_t kPtr = 0x7ffd1000;

// The formatter tests' record builder, from process `pid`.
SyscallRecord call(pid_t pid, const char* name, std::initializer_list<uint64_t> args, int64_t ret) {
  SyscallRecord r = fdscope::test::call(name, args, ret);
  r.pid = r.tid = pid;
  return r;
}

// One call through the three steps, as the event renderer runs them.
void feed(FdNames& n, const SyscallRecord& r) {
  n.before_line(r);
  n.after_line(r);
  n.after_call(r);
}

std::string sin4(const char* ip, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, ip, &sa.sin_addr);
  return std::string(reinterpret_cast<const char*>(&sa), sizeof sa);
}

std::string fd_pair(int a, int b) {
  int fds[2] = {a, b};
  return std::string(reinterpret_cast<const char*>(fds), sizeof fds);
}

// A pid that existed and is gone (reaped).
pid_t dead_pid() {
  pid_t p = fork();
  if (p == 0) _exit(0);
  int st;
  waitpid(p, &st, 0);
  return p;
}

}  // namespace

TEST(FdNames, ExitedProcessNamedFromItsCalls) {
  FdNames n;
  const pid_t pid = dead_pid();
  auto op = call(pid, "openat", {kAtFdcwd, kPtr, 0, 0}, 3);
  op.data[1] = CapturedArg{true, false, "/dev/null"};
  feed(n, op);
  EXPECT_EQ(n.name(pid, 3), "/dev/null<char 1:3>");
  feed(n, call(pid, "close", {3}, 0));
  EXPECT_FALSE(n.known(pid, 3));
  EXPECT_EQ(n.name(pid, 3), "");

  // Relative paths against the cwd chdir() set, normalised.
  auto cd = call(pid, "chdir", {kPtr}, 0);
  cd.data[0] = CapturedArg{true, false, "/nonexistent-fdscope/sub"};
  feed(n, cd);
  EXPECT_EQ(n.cwd(pid), "/nonexistent-fdscope/sub");
  auto rel = call(pid, "openat", {kAtFdcwd, kPtr, 0101, 0600}, 3);
  rel.data[1] = CapturedArg{true, false, "../x/./b.txt"};
  feed(n, rel);
  EXPECT_EQ(n.name(pid, 3), "/nonexistent-fdscope/x/b.txt");

  // A listener, a client, the accepted connection: addresses from bind,
  // getsockname, connect and accept; the client's own port from the
  // server's accept.
  feed(n, call(pid, "socket", {AF_INET, SOCK_STREAM, 0}, 4));
  EXPECT_EQ(n.name(pid, 4), "TCP");
  std::string any = sin4("127.0.0.1", 0), srv = sin4("127.0.0.1", 5555), cli = sin4("127.0.0.1", 6666);
  auto b = call(pid, "bind", {4, kPtr, 16}, 0);
  b.data[1] = CapturedArg{true, false, any};
  feed(n, b);
  auto gs = call(pid, "getsockname", {4, kPtr, kPtr + 16}, 0);
  gs.data[1] = CapturedArg{true, false, srv};
  feed(n, gs);
  EXPECT_EQ(n.name(pid, 4), "TCP:[127.0.0.1:5555]");
  feed(n, call(pid, "socket", {AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0}, 5));
  auto cn = call(pid, "connect", {5, kPtr, 16}, -EINPROGRESS);
  cn.data[1] = CapturedArg{true, false, srv};
  n.before_line(cn);
  EXPECT_EQ(n.name(pid, 5), "TCP");  // the connect line shows the socket as it was
  n.after_line(cn);
  n.after_call(cn);
  EXPECT_EQ(n.name(pid, 5), "TCP:[?->127.0.0.1:5555]");
  auto ac = call(pid, "accept", {4, kPtr, kPtr + 16}, 6);
  ac.data[1] = CapturedArg{true, false, cli};
  feed(n, ac);
  EXPECT_EQ(n.name(pid, 6), "TCP:[127.0.0.1:5555->127.0.0.1:6666]");
  EXPECT_EQ(n.name(pid, 5), "TCP:[127.0.0.1:6666->127.0.0.1:5555]");

  auto pp = call(pid, "pipe2", {kPtr, 0}, 0);
  std::string p78 = fd_pair(7, 8);
  pp.data[0] = CapturedArg{true, false, p78};
  feed(n, pp);
  EXPECT_EQ(n.name(pid, 7), "pipe");
  auto sp = call(pid, "socketpair", {AF_UNIX, SOCK_DGRAM, 0, kPtr}, 0);
  std::string s9 = fd_pair(9, 11);
  sp.data[3] = CapturedArg{true, false, s9};
  feed(n, sp);
  EXPECT_EQ(n.name(pid, 11), "UNIX");
  feed(n, call(pid, "eventfd2", {0, 02000000}, 12));
  EXPECT_EQ(n.name(pid, 12), "anon_inode:[eventfd]");

  // dup2 over an open fd: the arguments keep the old name, the result and
  // later calls show the copy.
  auto d = call(pid, "dup2", {6, 7}, 7);
  n.before_line(d);
  EXPECT_EQ(n.name(pid, 7), "pipe");
  EXPECT_EQ(n.ret_name(pid, 7), "TCP:[127.0.0.1:5555->127.0.0.1:6666]");
  n.after_line(d);
  n.after_call(d);
  EXPECT_EQ(n.name(pid, 7), "TCP:[127.0.0.1:5555->127.0.0.1:6666]");

  // exec closes the O_CLOEXEC ones (the client socket, the eventfd).
  feed(n, call(pid, "execve", {kPtr, kPtr, kPtr}, 0));
  EXPECT_FALSE(n.known(pid, 5));
  EXPECT_FALSE(n.known(pid, 12));
  EXPECT_TRUE(n.known(pid, 6));
}

TEST(FdNames, LiveProcessKeepsTheNameTheFdHadAtTheCall) {
  // This process's fd F now holds a temporary file; records say F was
  // /dev/null, then a TCP socket, when those calls ran.
  char path[] = "/tmp/fdnames-XXXXXX";
  UniqueFd file(mkstemp(path));
  ASSERT_TRUE(file);
  const int f = file.get();
  const pid_t me = getpid();
  FdNames n;
  auto op = call(me, "openat", {kAtFdcwd, kPtr, 0, 0}, f);
  op.data[1] = CapturedArg{true, false, "/dev/null"};
  feed(n, op);
  EXPECT_EQ(n.name(me, f), "/dev/null<char 1:3>");
  feed(n, call(me, "close", {static_cast<uint64_t>(f)}, 0));
  // Closed: bare, not the file /proc shows under the number now.
  EXPECT_EQ(n.name(me, f), "");
  feed(n, call(me, "socket", {AF_INET, SOCK_STREAM, 0}, f));
  EXPECT_EQ(n.name(me, f), "TCP");
  feed(n, call(me, "close", {static_cast<uint64_t>(f)}, 0));
  // The same file: /proc's name (symlinks resolved) is taken.
  std::string link = std::string("/tmp/fdnames-link-") + std::to_string(me);
  ASSERT_EQ(symlink(path, link.c_str()), 0);
  auto same = call(me, "openat", {kAtFdcwd, kPtr, 02000000, 0}, f);
  same.data[1] = CapturedArg{true, false, link};
  feed(n, same);
  EXPECT_EQ(n.name(me, f), path);
  unlink(link.c_str());
  unlink(path);

  // A live socket the call created: /proc and sock_diag give its inode
  // and, for a socketpair, each end's peer.
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  auto sp = call(me, "socketpair", {AF_UNIX, SOCK_STREAM, 0, kPtr}, 0);
  std::string pair = fd_pair(sv[0], sv[1]);
  sp.data[3] = CapturedArg{true, false, pair};
  feed(n, sp);
  struct stat sa, sb;
  ASSERT_EQ(fstat(sv[0], &sa), 0);
  ASSERT_EQ(fstat(sv[1], &sb), 0);
  EXPECT_EQ(n.name(me, sv[0]), "UNIX-STREAM:[" + std::to_string(sa.st_ino) + "->" +
                                   std::to_string(sb.st_ino) + "]");
  // connect() on a socket the trace never saw made, of a process that is
  // gone: what connect said, under the generic word.
  {
    const pid_t gone = dead_pid();
    auto c = call(gone, "connect", {3, kPtr, 16}, 0);
    std::string to = sin4("127.0.0.1", 8000);
    c.data[1] = CapturedArg{true, false, to};
    feed(n, c);
    EXPECT_EQ(n.name(gone, 3), "socket:[?->127.0.0.1:8000]");
  }
  // A closed number later used by a live socket: connect's recheck takes
  // /proc's facts.
  feed(n, call(me, "close", {static_cast<uint64_t>(sv[1])}, 0));
  feed(n, call(me, "shutdown", {static_cast<uint64_t>(sv[1]), 1}, 0));
  EXPECT_EQ(n.name(me, sv[1]), "UNIX-STREAM:[" + std::to_string(sb.st_ino) + "->" +
                                   std::to_string(sa.st_ino) + "]");
  // A socket() record for a number that now holds a UDP socket: not taken.
  UniqueFd udp(socket(AF_INET, SOCK_DGRAM, 0));
  feed(n, call(me, "socket", {AF_INET, SOCK_STREAM, 0}, static_cast<uint64_t>(udp.get())));
  EXPECT_EQ(n.name(me, udp.get()), "TCP");
}

TEST(FdNames, TraceNamesFdsOfAChildThatExitedAtOnce) {
  if (geteuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    GTEST_SKIP() << "needs root and kernel BTF to load the BPF programs";
  TraceLines run = trace_lines("fdnames-trace", [](const std::string& dir) {
    return std::string("-- ") + FDSCOPE_TEST_BIN_DIR + "/fd_names_child " + dir;
  });
  ASSERT_EQ(run.status, 0) << run.cmd;
  const std::string& t = run.text;
  const std::string& dir = run.dir;
  auto has = [&](const std::string& s) { return t.find(s) != std::string::npos; };
  EXPECT_TRUE(has("\"/dev/null\", O_RDONLY) = 3</dev/null<char 1:3>>")) << t;
  EXPECT_TRUE(has("read(3</dev/null<char 1:3>>, \"\", 1)")) << t;
  EXPECT_TRUE(has("write(3<" + dir + "/a.txt>, \"a\", 1)")) << t;
  EXPECT_TRUE(has("openat(AT_FDCWD<" + dir + ">, \"b.txt\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600) = 3<" + dir +
                  "/b.txt>")) << t;
  EXPECT_TRUE(has("write(3<" + dir + "/b.txt>, \"b\", 1)")) << t;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      t, m, std::regex(R"(= 5<TCP:\[127\.0\.0\.1:(\d+)->127\.0\.0\.1:(\d+)\]>)")))
      << t;
  const std::string srv = m[1], cli = m[2];
  EXPECT_TRUE(has("write(4<TCP:[127.0.0.1:" + cli + "->127.0.0.1:" + srv + "]>, \"ping\", 4)")) << t;
  EXPECT_TRUE(has("close(3<TCP:[127.0.0.1:" + srv + "]>)")) << t;
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(write\(4<pipe(:\[\d+\])?>, "x", 1\))"))) << t;
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(read\(4<UNIX-STREAM(:\[\d+->\d+\])?>, "y", 1\))")))
      << t;
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(dup2\(3<)" + dir + R"(/a.txt>, 10(<.*>)?\) += 10<)" +
                                              dir + R"(/a.txt>)")))
      << t;
  EXPECT_TRUE(has("read(10<" + dir + "/a.txt>, \"a\", 1) = 1")) << t;
  EXPECT_TRUE(has("= 3<anon_inode:[eventfd]>")) << t;
}
