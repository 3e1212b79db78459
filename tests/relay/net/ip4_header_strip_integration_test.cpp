// Raw IPv4 receiving addresses pass on the payload only, as socat does
// (net/ip4_header_strip.cpp): IP4-RECV, IP4-RECVFROM, IP4-DATAGRAM and
// SOCKET-RECV on AF_INET raw sockets, checked with packets of an unassigned
// protocol sent over loopback inside a network namespace of the test's own
// (so no other traffic reaches the raw socket); IP6-RECV is unchanged.
#include <netinet/in.h>
#include <poll.h>

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "netns_harness.hpp"
#include "relay_harness.hpp"

using namespace relay_test;

#define NEED_RELAY() \
  if (!have_relay()) GTEST_SKIP() << "relay binary not built (" << relay_path() << ")"

namespace {

constexpr int kProto = 253;  // RFC 3692 experimentation

bool send_raw(int family, const std::string& payload) {
  int fd = ::socket(family, SOCK_RAW | SOCK_CLOEXEC, kProto);
  if (fd < 0) return false;
  sockaddr_storage ss{};
  socklen_t len = loopback_addr(family, ss);
  bool ok = ::sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&ss), len) ==
            static_cast<ssize_t>(payload.size());
  ::close(fd);
  return ok;
}

// Runs relay -u <address> - with stdout on a pipe, sends one packet once it
// is receiving, and returns what relay wrote (until 2 s pass with nothing,
// or 200 ms of quiet after the first bytes).
// ready: the log line after which relay reads the socket.
std::string relay_output(const std::string& address, int family, const std::string& payload, const char* ready) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) < 0) return "<pipe>";
  auto r = start_relay({"-d", "-d", "-u", address, "-"}, -1, out[1]);
  ::close(out[1]);
  if (!r.wait_log(ready, 5)) {
    std::fputs(r.log.c_str(), stderr);
    ::close(out[0]);
    return "<not receiving>";
  }
  ::usleep(50000);
  if (!send_raw(family, payload)) return "<send>";
  std::string got;
  for (;;) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, got.empty() ? 2000 : 200) <= 0) break;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  return got;
}

}  // namespace

TEST(RelayIp4HeaderStrip, RawIpv4ReceiversPassOnThePayloadOnly) {
  NEED_RELAY();
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (raw sockets, network namespace)";
  int rc = run_in_netns([] {
    const std::string proto = std::to_string(kProto);
    const char* loop = "starting data transfer loop";
    struct Case {
      std::string address;
      int family;
      const char* ready;
    } cases[] = {
        {"IP4-RECV:" + proto, AF_INET, loop},
        {"IP4-RECVFROM:" + proto, AF_INET, "receiving on"},
        {"IP4-DATAGRAM:127.0.0.1:" + proto, AF_INET, loop},
        {"SOCKET-RECV:2:3:" + proto + ":x0000000000000000000000000000", AF_INET, loop},
        {"IP6-RECV:" + proto, AF_INET6, loop},
    };
    int code = 0;
    for (size_t i = 0; i < std::size(cases); ++i) {
      std::string payload = "payload of case " + std::to_string(i);
      std::string got = relay_output(cases[i].address, cases[i].family, payload, cases[i].ready);
      if (got != payload) {
        std::fprintf(stderr, "%s: got %zu bytes \"%s\"\n", cases[i].address.c_str(), got.size(), got.c_str());
        code |= 1 << i;
      }
    }
    return code;
  });
  if (rc == kNoNamespace) GTEST_SKIP() << "cannot create a network namespace";
  EXPECT_EQ(rc, 0) << "bit i set: case i (IP4-RECV, IP4-RECVFROM, IP4-DATAGRAM, SOCKET-RECV, IP6-RECV) "
                      "did not pass exactly the payload";
}
