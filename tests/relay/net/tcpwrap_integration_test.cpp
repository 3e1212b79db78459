// The tcpwrap options of net/tcpwrap.cpp through the relay binary, with
// hosts.allow / hosts.deny tables in a temporary directory (never the
// system's): a client the tables deny is refused (closed unread, relay keeps
// listening), one they allow is served; the daemon name defaults to relay's
// program name and tcpwrap=<name> replaces it; allow-table/deny-table win
// over tcpwrap-etc; the datagram servers (UDP-RECVFROM, UDP-LISTEN) check
// each sender the same way.  libwrap is dlopen()ed only when a tcpwrap
// option is given (it is not mapped otherwise), and a libwrap that cannot be
// loaded refuses every client.
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mount.h>

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "netns_harness.hpp"
#include "relay_harness.hpp"

using namespace relay_test;

#define NEED_RELAY() \
  if (!have_relay()) GTEST_SKIP() << "relay binary not built (" << relay_path() << ")"

namespace {

struct Tables {
  Tables() {
    char tmpl[] = "/tmp/relay-tcpwrap-XXXXXX";
    dir = ::mkdtemp(tmpl) ? tmpl : "/tmp";
  }
  ~Tables() { std::system(("rm -rf '" + dir + "'").c_str()); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  }
  std::string dir;
};

// Connects to relay's listener, sends a line and returns what comes back
// before EOF or 3 s ("" when the connection is refused).
std::string echo_through(int port) {
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  if (c < 0) return "<connect>";
  set_timeouts(c, 3);
  (void)!::write(c, "hello\n", 6);
  ::shutdown(c, SHUT_WR);
  std::string got;
  char buf[256];
  for (;;) {
    ssize_t n = ::read(c, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(c);
  return got;
}

}  // namespace

TEST(RelayTcpwrap, DeniedClientIsRefusedAndAllowedOneServed) {
  NEED_RELAY();
  Tables t;
  t.write("hosts.allow", "relay: 127.0.0.2\n");
  t.write("hosts.deny", "ALL: ALL\n");
  auto denied = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,tcpwrap,tcpwrap-etc=" + t.dir, "PIPE"});
  int port = denied.port();
  ASSERT_GT(port, 0) << denied.log;
  EXPECT_EQ(echo_through(port), "");
  EXPECT_TRUE(denied.wait_log("due to tcpwrap option")) << denied.log;
  EXPECT_EQ(::waitpid(denied.pid, nullptr, WNOHANG), 0) << "relay must keep listening after a refusal";

  std::string allow = t.write("allow-local", "relay: 127.0.0.1\n");
  auto allowed = start_relay({"-d", "-d",
                              "TCP4-LISTEN:0,bind=127.0.0.1,tcpwrap,tcpwrap-etc=" + t.dir + ",allow-table=" + allow,
                              "PIPE"});
  port = allowed.port();
  ASSERT_GT(port, 0) << allowed.log;
  EXPECT_EQ(echo_through(port), "hello\n") << allowed.log;
  EXPECT_EQ(allowed.wait_exit(), 0) << allowed.log;
}

TEST(RelayTcpwrap, DaemonNameIsMatched) {
  NEED_RELAY();
  Tables t;
  std::string allow = t.write("allow", "relay: 127.0.0.1\n");
  std::string deny = t.write("deny", "ALL: ALL\n");
  auto other = start_relay(
      {"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,tcpwrap=otherd,hosts-allow=" + allow + ",hosts-deny=" + deny, "PIPE"});
  int port = other.port();
  ASSERT_GT(port, 0) << other.log;
  EXPECT_EQ(echo_through(port), "") << "a rule for \"relay\" must not admit daemon \"otherd\"";
  EXPECT_TRUE(other.wait_log("due to tcpwrap option")) << other.log;

  auto named = start_relay(
      {"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,libwrap=relay,tcpwrap-hosts-allow-table=" + allow +
                       ",tcpwrap-hosts-deny-table=" + deny, "PIPE"});
  port = named.port();
  ASSERT_GT(port, 0) << named.log;
  EXPECT_EQ(echo_through(port), "hello\n") << named.log;
}

namespace {

// Sends one UDP datagram to 127.0.0.1:port and returns the answer ("" when
// none comes within 1.5 s).
std::string udp_ask(int port, const std::string& text) {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_storage ss{};
  socklen_t len = loopback_addr(AF_INET, ss);
  reinterpret_cast<sockaddr_in*>(&ss)->sin_port = htons(static_cast<uint16_t>(port));
  (void)!::sendto(s, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&ss), len);
  std::string got;
  pollfd p{s, POLLIN, 0};
  if (::poll(&p, 1, 1500) == 1) {
    char buf[512];
    ssize_t n = ::recv(s, buf, sizeof buf, 0);
    if (n > 0) got.assign(buf, static_cast<size_t>(n));
  }
  ::close(s);
  return got;
}

}  // namespace

// Datagram servers check each sender the same way.
TEST(RelayTcpwrap, DatagramServersCheckTheSender) {
  NEED_RELAY();
  Tables t;
  std::string allow = t.write("allow", "relay: 127.0.0.1\n");
  std::string deny = t.write("deny", "ALL: ALL\n");
  std::string none = t.write("none", "");
  for (const char* kw : {"UDP4-RECVFROM:0", "UDP4-LISTEN:0"}) {
    auto denied = start_relay(
        {"-d", "-d", std::string(kw) + ",bind=127.0.0.1,tcpwrap,allow-table=" + none + ",deny-table=" + deny, "PIPE"});
    int port = denied.port();
    ASSERT_GT(port, 0) << denied.log;
    EXPECT_EQ(udp_ask(port, "ping\n"), "") << kw;
    EXPECT_TRUE(denied.wait_log("due to tcpwrap option")) << kw << denied.log;

    auto allowed = start_relay(
        {"-d", "-d", std::string(kw) + ",bind=127.0.0.1,tcpwrap,allow-table=" + allow + ",deny-table=" + deny, "PIPE"});
    port = allowed.port();
    ASSERT_GT(port, 0) << allowed.log;
    EXPECT_EQ(udp_ask(port, "ping\n"), "ping\n") << kw << allowed.log;
  }
}

namespace {

// The mappings of a running process (/proc/PID/maps).
std::string maps_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// Without a tcpwrap option libwrap (and the libraries it pulls in) is not
// mapped into relay at all; with one it is loaded before relay listens.
TEST(RelayTcpwrap, LibwrapIsMappedOnlyWhenATcpwrapOptionIsGiven) {
  NEED_RELAY();
  Tables t;
  std::string allow = t.write("allow", "ALL: ALL\n");
  auto plain = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,fork", "PIPE"});
  ASSERT_GT(plain.port(), 0) << plain.log;
  std::string maps = maps_of(plain.pid);
  ASSERT_NE(maps.find("libc.so"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("libwrap.so"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("libnsl.so"), std::string::npos) << maps;

  auto wrapped = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,fork,tcpwrap,allow-table=" + allow, "PIPE"});
  int port = wrapped.port();
  ASSERT_GT(port, 0) << wrapped.log;
  EXPECT_NE(maps_of(wrapped.pid).find("libwrap.so"), std::string::npos);
  EXPECT_EQ(echo_through(port), "hello\n") << wrapped.log;
}

// A libwrap that cannot be loaded (here: an empty file bind-mounted over it
// in a private mount namespace) must not let clients in: relay says once
// why, and refuses each client as tcpwrap would.
TEST(RelayTcpwrap, UnloadableLibwrapRefusesEveryClient) {
  NEED_RELAY();
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a mount namespace";
  char real[PATH_MAX];
  const char* candidates[] = {"/lib/x86_64-linux-gnu/libwrap.so.0", "/usr/lib/x86_64-linux-gnu/libwrap.so.0",
                              "/lib/libwrap.so.0", "/usr/lib/libwrap.so.0", "/usr/lib64/libwrap.so.0"};
  std::string lib;
  for (const char* c : candidates)
    if (::realpath(c, real)) {
      lib = real;
      break;
    }
  if (lib.empty()) GTEST_SKIP() << "libwrap.so.0 not found where this test looks";
  Tables t;
  std::string allow = t.write("allow", "ALL: ALL\n");
  std::string empty = t.write("empty", "");
  int rc = run_in_netns(
      [&] {
        if (::mount(empty.c_str(), lib.c_str(), nullptr, MS_BIND, nullptr) != 0) return 3;
        auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,tcpwrap,allow-table=" + allow, "PIPE"});
        int port = r.port();
        if (port <= 0) return std::fputs(r.log.c_str(), stderr), 4;
        if (echo_through(port) != "") return 5;
        if (!r.wait_log("due to tcpwrap option")) return std::fputs(r.log.c_str(), stderr), 6;
        if (r.log.find("cannot load libwrap.so.0") == std::string::npos) return std::fputs(r.log.c_str(), stderr), 7;
        return 0;
      },
      true);
  if (rc == kNoNamespace) GTEST_SKIP() << "cannot create network and mount namespaces";
  EXPECT_EQ(rc, 0) << "3: bind mount, 4: no listener, 5: client served, 6: no refusal logged, 7: load error not said";
}
