// net/ip4_header_strip.cpp: the IPv4 header length read from a raw packet
// (IHL), and refusing what is not a whole IPv4 header.  The pump through
// the relay binary is tested in ip4_header_strip_integration_test.cpp.
#include <string>

#include <gtest/gtest.h>

#include "net/ip4_header_strip.hpp"

TEST(Ip4HeaderStrip, HeaderLengthComesFromIhl) {
  std::string pkt(28, '\0');
  pkt[0] = 0x45;
  EXPECT_EQ(relay::net::ip4_header_length(pkt.data(), pkt.size()), 20u);
  pkt[0] = 0x46;  // one word of options
  EXPECT_EQ(relay::net::ip4_header_length(pkt.data(), pkt.size()), 24u);
  pkt[0] = 0x4f;  // 60 bytes claimed, 28 present
  EXPECT_EQ(relay::net::ip4_header_length(pkt.data(), pkt.size()), 0u);
  pkt[0] = 0x60;  // not IPv4
  EXPECT_EQ(relay::net::ip4_header_length(pkt.data(), pkt.size()), 0u);
  EXPECT_EQ(relay::net::ip4_header_length(pkt.data(), 12), 0u);
}
