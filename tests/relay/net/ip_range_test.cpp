// relay/net/ip_range.cpp: parsing and matching of range=, and the socket
// filter that drops datagrams from outside the range in the kernel.
#include "net/ip_range.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "net/resolve.hpp"
#include "net/socket_ops.hpp"

using namespace relay::net;

static SockAddr addr(const char* host, const char* port = "1") {
  return *resolve_one({host, port, AF_UNSPEC, SOCK_DGRAM, 0, false});
}

TEST(IpRange, ParsesPrefixAndMaskForms) {
  auto a = parse_ip_range("10.1.2.3/8");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->contains(addr("10.200.0.1")));
  EXPECT_FALSE(a->contains(addr("11.0.0.1")));
  auto b = parse_ip_range("192.168.1.0:255.255.255.0");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->contains(addr("192.168.1.77")));
  EXPECT_FALSE(b->contains(addr("192.168.2.1")));
  auto c = parse_ip_range("[::1]/128");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->contains(addr("::1")));
  EXPECT_FALSE(c->contains(addr("127.0.0.1")));
  auto host = parse_ip_range("127.0.0.1");
  ASSERT_TRUE(host);
  EXPECT_FALSE(host->contains(addr("127.0.0.2")));
}

TEST(IpRange, MappedIpv4PeersMatchIpv4Ranges) {
  auto r = parse_ip_range("127.0.0.0/8");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(addr("::ffff:127.0.0.5")));
}

TEST(IpRange, RejectsMalformedValuesQuotingThem) {
  for (const char* bad : {"10.0.0.0/33", "abc/8", "[::1/64", "10.0.0.0/x", "[::1]:ffff::"}) {
    auto r = parse_ip_range(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find(bad), std::string::npos);
  }
}

static bool receives(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 200) <= 0) return false;
  char buf[16];
  return ::recv(fd, buf, sizeof buf, 0) >= 0;
}

TEST(IpRange, SocketFilterDropsPacketsFromOutsideTheRange) {
  auto rx = open_socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_TRUE(rx);
  ASSERT_TRUE(bind_to(rx->get(), addr("127.0.0.1", "0")));
  auto range = parse_ip_range("127.0.0.2/32");
  ASSERT_TRUE(range);
  ASSERT_TRUE(attach_range_filter(rx->get(), *range, AF_INET));
  SockAddr dst = *local_addr(rx->get());

  for (const char* src : {"127.0.0.1", "127.0.0.2"}) {
    auto tx = open_socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(bind_to(tx->get(), addr(src, "0")));
    ASSERT_EQ(::sendto(tx->get(), "x", 1, 0, dst.sa(), dst.len), 1);
    EXPECT_EQ(receives(rx->get()), std::string(src) == "127.0.0.2") << src;
  }
}

TEST(IpRange, Ipv6FilterMatchesWholeAddress) {
  auto rx = open_socket(AF_INET6, SOCK_DGRAM, 0);
  ASSERT_TRUE(rx);
  ASSERT_TRUE(bind_to(rx->get(), addr("::1", "0")));
  SockAddr dst = *local_addr(rx->get());
  auto other = parse_ip_range("[::2]/128");
  ASSERT_TRUE(attach_range_filter(rx->get(), *other, AF_INET6));
  auto tx = open_socket(AF_INET6, SOCK_DGRAM, 0);
  ASSERT_EQ(::sendto(tx->get(), "x", 1, 0, dst.sa(), dst.len), 1);
  EXPECT_FALSE(receives(rx->get()));
  auto mine = parse_ip_range("[::1]/128");
  ASSERT_TRUE(attach_range_filter(rx->get(), *mine, AF_INET6));
  ASSERT_EQ(::sendto(tx->get(), "y", 1, 0, dst.sa(), dst.len), 1);
  EXPECT_TRUE(receives(rx->get()));
}
