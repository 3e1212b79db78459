// Tests for common/src/sockopt_table.cpp: every row is well formed and
// findable by symbol, key and (level, optname); options whose read has side
// effects are never read automatically; rows apply to the right families
// and protocols; and every auto-read row the kernel accepts on a fitting
// socket keeps its declared value size.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <string>

#include "fdscope/sockopt.hpp"
#include "fdscope/unique_fd.hpp"

using namespace fdscope;

TEST(SockoptTable, RowsAreWellFormedAndFindable) {
  auto table = sockopt_table();
  ASSERT_GT(table.size(), 150u);
  for (const auto& d : table) {
    SCOPED_TRACE(d.symbol);
    ASSERT_NE(d.symbol, nullptr);
    ASSERT_NE(d.key, nullptr);
    // The key is the symbol in lower case with '-' for '_'.
    std::string expect;
    for (const char* c = d.symbol; *c; ++c) expect.push_back(*c == '_' ? '-' : static_cast<char>(std::tolower(*c)));
    EXPECT_EQ(expect, d.key);
    EXPECT_NE(d.families, 0u);
    EXPECT_FALSE(sockopt_level_name(d.level).empty());
    EXPECT_EQ(find_sockopt(d.symbol), &d);
    EXPECT_EQ(find_sockopt(d.key), &d);
    EXPECT_EQ(find_sockopt(d.level, d.optname), &d);
    if (d.type == OptType::Enum) EXPECT_FALSE(d.names.empty());
  }
  EXPECT_EQ(find_sockopt("so_rcvbuf"), find_sockopt(SOL_SOCKET, SO_RCVBUF));
  EXPECT_EQ(find_sockopt("no-such-option"), nullptr);
}

TEST(SockoptTable, SideEffectOptionsAreNeverAutoRead) {
  for (const char* sym : {"SO_ERROR", "SO_PEERPIDFD", "PACKET_STATISTICS", "TCP_SAVED_SYN", "TCP_ZEROCOPY_RECEIVE"}) {
    const SockOptDesc* d = find_sockopt(sym);
    ASSERT_NE(d, nullptr) << sym;
    EXPECT_TRUE(d->flags & kNoAutoRead) << sym;
  }
  EXPECT_TRUE(find_sockopt("SO_RCVBUF")->settable());
  EXPECT_FALSE(find_sockopt("SO_ACCEPTCONN")->settable());
}

TEST(SockoptTable, AppliesByFamilyAndProtocol) {
  const SockOptDesc* nodelay = find_sockopt("TCP_NODELAY");
  EXPECT_TRUE(sockopt_applies(*nodelay, AF_INET, SOCK_STREAM, IPPROTO_TCP));
  EXPECT_TRUE(sockopt_applies(*nodelay, AF_INET6, SOCK_STREAM, 0));
  EXPECT_FALSE(sockopt_applies(*nodelay, AF_INET, SOCK_DGRAM, IPPROTO_UDP));
  EXPECT_FALSE(sockopt_applies(*nodelay, AF_UNIX, SOCK_STREAM, 0));
  const SockOptDesc* peercred = find_sockopt("SO_PEERCRED");
  EXPECT_TRUE(sockopt_applies(*peercred, AF_UNIX, SOCK_STREAM, 0));
  EXPECT_FALSE(sockopt_applies(*peercred, AF_INET, SOCK_STREAM, IPPROTO_TCP));
  EXPECT_TRUE(sockopt_applies(*find_sockopt("IP_HDRINCL"), AF_INET, SOCK_RAW, IPPROTO_ICMP));
  EXPECT_FALSE(sockopt_applies(*find_sockopt("IP_HDRINCL"), AF_INET, SOCK_STREAM, IPPROTO_TCP));
}

TEST(SockoptTable, KernelAnswersMatchDeclaredTypes) {
  // For each socket kind, every applicable auto-read row the kernel accepts
  // must come back with a size its type can decode.
  struct Kind {
    int family, type, protocol;
  };
  const Kind kinds[] = {{AF_INET, SOCK_STREAM, IPPROTO_TCP}, {AF_INET6, SOCK_STREAM, IPPROTO_TCP},
                        {AF_INET, SOCK_DGRAM, IPPROTO_UDP},  {AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
                        {AF_UNIX, SOCK_STREAM, 0},           {AF_UNIX, SOCK_DGRAM, 0},
                        {AF_NETLINK, SOCK_RAW, NETLINK_ROUTE}};
  size_t answered = 0;
  for (const Kind& k : kinds) {
    UniqueFd fd(::socket(k.family, k.type | SOCK_CLOEXEC, k.protocol));
    ASSERT_TRUE(fd.valid());
    for (const SockOptValue& v : read_sockopts(fd.get(), k.family, k.type, k.protocol)) {
      SCOPED_TRACE(v.desc->symbol);
      ++answered;
      switch (v.desc->type) {
        case OptType::Int:
        case OptType::UInt:
        case OptType::Bool:
        case OptType::Enum:
          EXPECT_TRUE(v.raw.size() == 4 || v.raw.size() == 1) << v.raw.size();
          break;
        case OptType::U64:
          EXPECT_EQ(v.raw.size(), 8u);
          break;
        case OptType::Timeval:
          EXPECT_EQ(v.raw.size(), 16u);
          break;
        case OptType::Linger:
          EXPECT_EQ(v.raw.size(), 8u);
          break;
        case OptType::U32Array:
        case OptType::Gids:
          EXPECT_EQ(v.raw.size() % 4, 0u);
          break;
        default:
          EXPECT_LE(v.raw.size(), 4096u);
      }
      EXPECT_TRUE(v.as_int().has_value() || v.desc->type == OptType::String || v.desc->type == OptType::Bytes ||
                  v.desc->type == OptType::SockAddr || v.raw.empty() || v.raw.size() >= 4);
    }
  }
  EXPECT_GT(answered, 200u);
}
