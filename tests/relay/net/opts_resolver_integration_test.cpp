// The resolver options of net/opts_resolver.cpp through the relay binary:
// ai-v4mapped lets TCP6 reach an IPv4 host, ai-passive=0 turns a listener's
// wildcard into the loopback address, ai-addrconfig refuses IPv4 in a
// network namespace that has only loopback, and res-usevc sends the DNS
// query of that address over TCP (a fake name server on 127.0.0.1:53 in a
// namespace of the test's own, with /etc/resolv.conf bind-mounted there).
#include <poll.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "netns_harness.hpp"
#include "relay_harness.hpp"

using namespace relay_test;

#define NEED_RELAY() \
  if (!have_relay()) GTEST_SKIP() << "relay binary not built (" << relay_path() << ")"

namespace {

// Whether a connection arrives on lfd within timeout seconds.
bool accepts(int lfd, double timeout) {
  pollfd p{lfd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout * 1000)) != 1) return false;
  int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
  if (c < 0) return false;
  ::close(c);
  return true;
}

}  // namespace

TEST(RelayResolverOptions, V4MappedLetsTcp6ReachAnIpv4Host) {
  NEED_RELAY();
  int port;
  int lfd = listen_inet(AF_INET, &port);
  std::string target = "TCP6-CONNECT:127.0.0.1:" + std::to_string(port);

  auto plain = start_relay({"-u", "/dev/null", target});
  EXPECT_EQ(plain.wait_exit(), 1) << plain.log;
  EXPECT_NE(plain.log.find("getaddrinfo(\"127.0.0.1\""), std::string::npos) << plain.log;

  auto mapped = start_relay({"-u", "/dev/null", target + ",ai-v4mapped"});
  EXPECT_TRUE(accepts(lfd, 5)) << mapped.log;
  EXPECT_EQ(mapped.wait_exit(), 0) << mapped.log;
  ::close(lfd);
}

TEST(RelayResolverOptions, PassiveOffMakesAnEmptyHostTheLoopbackAddress) {
  NEED_RELAY();
  auto wild = start_relay({"-d", "-d", "TCP4-LISTEN:0", "/dev/null"});
  ASSERT_GT(wild.port(), 0) << wild.log;
  EXPECT_NE(wild.log.find("listening on AF=2 0.0.0.0:"), std::string::npos) << wild.log;

  auto loop = start_relay({"-d", "-d", "TCP4-LISTEN:0,ai-passive=0", "/dev/null"});
  ASSERT_GT(loop.port(), 0) << loop.log;
  EXPECT_NE(loop.log.find("listening on AF=2 127.0.0.1:"), std::string::npos) << loop.log;
}

// In a namespace with only lo there is no configured (non-loopback) IPv4
// address: with AI_ADDRCONFIG getaddrinfo answers nothing for AF_INET.
TEST(RelayResolverOptions, AddrconfigRefusesAFamilyWithOnlyLoopback) {
  NEED_RELAY();
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a network namespace";
  int rc = run_in_netns([] {
    int port;
    int lfd = listen_inet(AF_INET, &port);
    std::string target = "TCP4-CONNECT:127.0.0.1:" + std::to_string(port);
    auto plain = start_relay({"-u", "/dev/null", target});
    bool plain_ok = accepts(lfd, 5) && plain.wait_exit() == 0;
    auto ac = start_relay({"-u", "/dev/null", target + ",ai-addrconfig"});
    int ac_exit = ac.wait_exit();
    if (!plain_ok) return std::fputs(plain.log.c_str(), stderr), 1;
    if (ac_exit != 1 || ac.log.find("getaddrinfo") == std::string::npos)
      return std::fputs(ac.log.c_str(), stderr), 2;
    return 0;
  });
  if (rc == kNoNamespace) GTEST_SKIP() << "cannot create a network namespace";
  EXPECT_EQ(rc, 0) << "1: plain TCP4 did not connect, 2: ai-addrconfig did not fail to resolve";
}

// res-usevc: the name server sees a TCP connection instead of a UDP query.
TEST(RelayResolverOptions, UsevcQueriesTheNameServerOverTcp) {
  NEED_RELAY();
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for network and mount namespaces";
  struct stat st{};
  if (::stat("/etc/resolv.conf", &st) != 0) GTEST_SKIP() << "no /etc/resolv.conf to stand in for";
  auto first_query = [](bool usevc) {
    return run_in_netns(
        [usevc] {
          char conf[] = "/tmp/relay-resolv-XXXXXX";
          int cfd = ::mkstemp(conf);
          if (cfd < 0) return 3;
          std::string text = "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n";
          if (::write(cfd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) return 3;
          ::close(cfd);
          bool mounted = ::mount(conf, "/etc/resolv.conf", nullptr, MS_BIND, nullptr) == 0;
          ::unlink(conf);
          if (!mounted) return 3;
          sockaddr_in ns{};
          ns.sin_family = AF_INET;
          ns.sin_port = htons(53);
          ns.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
          int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
          int tcp = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
          if (::bind(udp, reinterpret_cast<sockaddr*>(&ns), sizeof ns) < 0 ||
              ::bind(tcp, reinterpret_cast<sockaddr*>(&ns), sizeof ns) < 0 || ::listen(tcp, 4) < 0)
            return 3;
          auto r = start_relay({"-u", "/dev/null",
                                std::string("TCP4-CONNECT:relay-test.invalid:80") + (usevc ? ",res-usevc" : "")});
          pollfd p[2] = {{udp, POLLIN, 0}, {tcp, POLLIN, 0}};
          if (::poll(p, 2, 5000) <= 0) return std::fputs(r.log.c_str(), stderr), 4;
          return p[1].revents ? 10 : 11;  // 10: TCP, 11: UDP
        },
        true);
  };
  int plain = first_query(false);
  if (plain == kNoNamespace) GTEST_SKIP() << "cannot create network and mount namespaces";
  EXPECT_EQ(plain, 11) << "without res-usevc the query should come over UDP (3: setup, 4: no query)";
  EXPECT_EQ(first_query(true), 10) << "with res-usevc the query should come over TCP (3: setup, 4: no query)";
}
