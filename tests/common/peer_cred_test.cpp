// Tests for common/src/peer_cred.cpp: SO_PEERCRED/SO_PEERGROUPS on a
// socketpair match this process, SO_PEERPIDFD leads to our own exe and
// cmdline, and a peer that exits is reported as exited (its pidfd says
// Pid: -1), never with another process's facts.
#include "fdscope/peer_cred.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;
using nlohmann::json;

namespace {

std::string self_exe() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

TEST(PeerCred, SocketpairIsUs) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  auto c = read_peer_cred(a.get());
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->pid, getpid());
  EXPECT_EQ(c->uid, getuid());
  EXPECT_EQ(c->gid, getgid());

  auto groups = read_peer_groups(a.get());
  ASSERT_TRUE(groups.ok()) << groups.error().message();
  std::vector<gid_t> mine(static_cast<size_t>(std::max(0, ::getgroups(0, nullptr))));
  if (!mine.empty()) mine.resize(static_cast<size_t>(::getgroups(static_cast<int>(mine.size()), mine.data())));
  std::sort(mine.begin(), mine.end());
  std::vector<gid_t> got = *groups;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, mine);
}

TEST(PeerCred, PidfdLeadsToOurExeAndCmdline) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  auto pidfd = open_peer_pidfd(a.get());
  if (!pidfd.ok() && pidfd.error().err == ENOPROTOOPT) GTEST_SKIP() << "kernel without SO_PEERPIDFD";
  ASSERT_TRUE(pidfd.ok()) << pidfd.error().message();
  auto pid = pidfd_pid(pidfd->get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  EXPECT_EQ(*pid, getpid());
  auto proc = pidfd_process(pidfd->get());
  ASSERT_TRUE(proc.ok());
  EXPECT_TRUE(proc->alive);
  EXPECT_EQ(proc->exe, self_exe());
  ASSERT_FALSE(proc->cmdline.empty());
  EXPECT_NE(proc->cmdline[0].find("common_test"), std::string::npos);

  PeerInfo info = read_peer_info(a.get());
  ASSERT_TRUE(info.cred.has_value());
  ASSERT_TRUE(info.process.has_value());
  EXPECT_EQ(info.process->pid, getpid());
  std::string text = peer_info_text(info);
  EXPECT_EQ(text.rfind("pid=" + std::to_string(getpid()) + " uid=", 0), 0u) << text;
  EXPECT_NE(text.find("exe=" + self_exe()), std::string::npos);
  std::string out;
  JsonWriter w(out);
  peer_info_json(w, info);
  json j = json::parse(out);
  EXPECT_EQ(j["pid"], getpid());
  EXPECT_EQ(j["pidfd_pid"], getpid());
  EXPECT_EQ(j["alive"], true);
  EXPECT_EQ(j["exe"], self_exe());
  EXPECT_TRUE(j["cmdline"].is_array());
}

TEST(PeerCred, ExitedPeerIsReportedExited) {
  char dir[] = "/tmp/fdscope-peer-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/s";
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strncpy(un.sun_path, path.c_str(), sizeof un.sun_path - 1);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&un), sizeof un), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  int gate[2];
  ASSERT_EQ(::pipe2(gate, O_CLOEXEC), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(gate[1]);
    int c = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(c, reinterpret_cast<sockaddr*>(&un), sizeof un) != 0) _exit(1);
    char x;
    (void)!::read(gate[0], &x, 1);  // wait until the parent has looked
    _exit(0);
  }
  ::close(gate[0]);
  UniqueFd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(conn.valid());
  auto cred = read_peer_cred(conn.get());
  ASSERT_TRUE(cred.ok());
  EXPECT_EQ(cred->pid, child);
  auto pidfd = open_peer_pidfd(conn.get());
  if (!pidfd.ok()) {
    ::close(gate[1]);
    ::waitpid(child, nullptr, 0);
    GTEST_SKIP() << "no SO_PEERPIDFD";
  }
  auto alive = pidfd_process(pidfd->get());
  ASSERT_TRUE(alive.ok());
  EXPECT_TRUE(alive->alive);
  EXPECT_EQ(alive->pid, child);
  EXPECT_EQ(alive->exe, self_exe());  // forked: same program

  ::close(gate[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  auto gone = pidfd_pid(pidfd->get());
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(*gone, -1);
  auto dead = pidfd_process(pidfd->get());
  ASSERT_TRUE(dead.ok());
  EXPECT_FALSE(dead->alive);
  EXPECT_TRUE(dead->exe.empty());
  PeerInfo info = read_peer_info(conn.get());
  ASSERT_TRUE(info.process.has_value());
  EXPECT_FALSE(info.process->alive);
  EXPECT_NE(peer_info_text(info).find("exited"), std::string::npos);
  ::unlink(path.c_str());
  ::rmdir(dir);
}

TEST(PeerCred, NotAPidfdAndNoPeer) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  UniqueFd r(fds[0]), w(fds[1]);
  EXPECT_FALSE(pidfd_pid(r.get()).ok());
  EXPECT_FALSE(read_peer_cred(r.get()).ok());
  UniqueFd unconnected(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  PeerInfo info = read_peer_info(unconnected.get());
  EXPECT_FALSE(info.process.has_value());
  EXPECT_FALSE(info.cred.has_value());
}
