// relay/net/resolve.cpp and sock_addr.cpp: host/port splitting, numeric
// resolution, -4/-6 ordering, socat's address rendering.
#include "net/resolve.hpp"

#include <gtest/gtest.h>

#include "net/sock_addr.hpp"

using namespace relay::net;

TEST(Resolve, SplitsHostPortForms) {
  EXPECT_EQ(split_host_port("127.0.0.1:80").host, "127.0.0.1");
  EXPECT_EQ(split_host_port("127.0.0.1:80").port, "80");
  EXPECT_EQ(split_host_port("[::1]:443").host, "::1");
  EXPECT_EQ(split_host_port("[::1]:443").port, "443");
  EXPECT_EQ(split_host_port(":8000").host, "");
  EXPECT_EQ(split_host_port(":8000").port, "8000");
  EXPECT_EQ(split_host_port("::1").host, "::1");
  EXPECT_EQ(split_host_port("::1").port, "");
  EXPECT_EQ(split_host_port("example").port, "");
  EXPECT_EQ(strip_brackets("[fe80::1]"), "fe80::1");
}

TEST(Resolve, NumericAddressesAndSocatText) {
  auto v4 = resolve_one({"127.0.0.1", "1", AF_INET, SOCK_STREAM, 0, false});
  ASSERT_TRUE(v4) << v4.error().message();
  EXPECT_EQ(to_string(*v4), "AF=2 127.0.0.1:1");
  auto v6 = resolve_one({"[::1]", "80", AF_UNSPEC, SOCK_STREAM, 0, false});
  ASSERT_TRUE(v6) << v6.error().message();
  EXPECT_EQ(to_string(*v6), "AF=10 [0000:0000:0000:0000:0000:0000:0000:0001]:80");
  EXPECT_TRUE(v6->is_loopback());
}

TEST(Resolve, PassiveWildcardFollowsPreference) {
  set_ip_preference(IpPref::Default);
  auto any = resolve_one({"", "8000", AF_UNSPEC, SOCK_STREAM, 0, true});
  ASSERT_TRUE(any);
  EXPECT_EQ(to_string(*any), "AF=2 0.0.0.0:8000");
  set_ip_preference(IpPref::V6);
  auto any6 = resolve_one({"", "8000", AF_UNSPEC, SOCK_STREAM, 0, true});
  set_ip_preference(IpPref::Default);
  ASSERT_TRUE(any6);
  EXPECT_EQ(any6->family(), AF_INET6);
}

TEST(Resolve, BadInputNamesIt) {
  auto r = resolve({"no-such-host.invalid", "80", AF_INET, SOCK_STREAM, 0, false});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("no-such-host.invalid"), std::string::npos);
  auto p = resolve({"127.0.0.1", "70000", AF_INET, SOCK_STREAM, 0, false});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("70000"), std::string::npos);
}

TEST(SockAddr, UnixAndAbstractText) {
  auto path = unix_addr("/tmp/x.sock", false);
  ASSERT_TRUE(path);
  EXPECT_EQ(to_string(*path), "AF=1 \"/tmp/x.sock\"");
  auto abs = unix_addr("name", true);
  ASSERT_TRUE(abs);
  EXPECT_EQ(abs->host(), "@name");
  EXPECT_FALSE(unix_addr(std::string(200, 'a'), false));
}
