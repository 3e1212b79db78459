// Tests for common/src/sockaddr.cpp: name tables and every address form on
// real sockets (TCP/UDP loopback, UNIX path/abstract/unnamed, netlink) and
// on hand-built addresses where a real one is awkward (packet, vsock, a UNIX
// path without its terminating NUL).
#include "fdscope/sockaddr.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;
using nlohmann::json;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/fdscope-sockaddr-XXXXXX";
  const char* d = mkdtemp(tmpl);
  return d ? d : "/tmp";
}

json to_json(const SockAddr& a) {
  std::string out;
  JsonWriter w(out);
  sockaddr_json(w, a);
  return json::parse(out);
}

SockAddr bound_unix(UniqueFd& fd, const void* path, size_t path_len, int type = SOCK_STREAM) {
  fd.reset(::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, path, path_len);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&un), offsetof(sockaddr_un, sun_path) + path_len), 0)
      << strerror(errno);
  auto a = local_address(fd.get());
  EXPECT_TRUE(a.ok());
  return a.ok() ? *a : SockAddr{};
}

}  // namespace

TEST(SockaddrNames, FamiliesTypesProtocols) {
  EXPECT_EQ(family_name(AF_INET), "AF_INET");
  EXPECT_EQ(family_name(AF_INET6), "AF_INET6");
  EXPECT_EQ(family_name(AF_UNIX), "AF_UNIX");
  EXPECT_EQ(family_name(AF_VSOCK), "AF_VSOCK");
  EXPECT_EQ(family_name(12345), "");
  EXPECT_EQ(socket_type_name(SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC), "SOCK_STREAM");
  EXPECT_EQ(socket_type_name(SOCK_SEQPACKET), "SOCK_SEQPACKET");
  EXPECT_EQ(ip_protocol_name(IPPROTO_TCP), "IPPROTO_TCP");
  EXPECT_EQ(ip_protocol_name(262), "IPPROTO_MPTCP");
  EXPECT_EQ(protocol_name(AF_INET6, IPPROTO_UDP), "IPPROTO_UDP");
  EXPECT_EQ(protocol_name(AF_NETLINK, NETLINK_SOCK_DIAG), "NETLINK_SOCK_DIAG");
  EXPECT_EQ(protocol_name(AF_PACKET, htons(0x0003)), "ETH_P_ALL");
  EXPECT_EQ(eth_protocol_name(0x86DD), "ETH_P_IPV6");
  EXPECT_EQ(protocol_name(AF_UNIX, 0), "");
  int v = -1;
  EXPECT_TRUE(lookup_value(family_names(), "af_inet6", &v));
  EXPECT_EQ(v, AF_INET6);
  EXPECT_FALSE(lookup_value(family_names(), "AF_NOPE", &v));
}

TEST(SockaddrNames, ProtocolWords) {
  EXPECT_EQ(protocol_word(AF_INET, SOCK_STREAM, IPPROTO_TCP), "tcp");
  EXPECT_EQ(protocol_word(AF_INET6, SOCK_DGRAM, IPPROTO_UDP), "udp");
  EXPECT_EQ(protocol_word(AF_INET, SOCK_RAW, IPPROTO_ICMP), "raw");
  EXPECT_EQ(protocol_word(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), "icmp");
  EXPECT_EQ(protocol_word(AF_UNIX, SOCK_DGRAM, 0), "unix");
  EXPECT_EQ(protocol_word(AF_NETLINK, SOCK_RAW, 0), "netlink");
}

TEST(SockaddrNames, TablesHaveNoDuplicateValues) {
  for (auto table : {family_names(), socket_type_names(), ip_protocol_names(), eth_protocol_names(),
                     netlink_protocol_names()}) {
    for (size_t i = 0; i < table.size(); ++i)
      for (size_t j = i + 1; j < table.size(); ++j) EXPECT_NE(table[i].value, table[j].value) << table[i].name;
  }
}

TEST(SockaddrFormat, Inet4ListenerAllStyles) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  auto a = local_address(fd.get());
  ASSERT_TRUE(a.ok());
  unsigned port = ntohs(reinterpret_cast<const sockaddr_in*>(a->get())->sin_port);
  EXPECT_EQ(format_sockaddr(*a, AddrStyle::Socat), "AF=2 127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(format_sockaddr(*a, AddrStyle::SocatShort), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(format_sockaddr(*a), "127.0.0.1:" + std::to_string(port));
  json j = to_json(*a);
  EXPECT_EQ(j["family"], "AF_INET");
  EXPECT_EQ(j["address"], "127.0.0.1");
  EXPECT_EQ(j["port"], port);
  // Unconnected: no peer, and the error says so.
  auto p = peer_address(fd.get());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().err, ENOTCONN);
}

TEST(SockaddrFormat, Inet6Loopback) {
  UniqueFd fd(::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_addr = in6addr_loopback;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&in6), sizeof in6) != 0) GTEST_SKIP() << "no ::1 here";
  auto a = local_address(fd.get());
  ASSERT_TRUE(a.ok());
  std::string port = std::to_string(ntohs(reinterpret_cast<const sockaddr_in6*>(a->get())->sin6_port));
  EXPECT_EQ(format_sockaddr(*a, AddrStyle::Socat), "AF=10 [::1]:" + port);
  EXPECT_EQ(format_sockaddr(*a), "[::1]:" + port);
  json j = to_json(*a);
  EXPECT_EQ(j["family"], "AF_INET6");
  EXPECT_EQ(j["address"], "::1");
  EXPECT_FALSE(j.contains("scope_id"));
}

TEST(SockaddrFormat, UnixPath) {
  std::string dir = temp_dir();
  std::string path = dir + "/s.sock";
  UniqueFd fd;
  SockAddr a = bound_unix(fd, path.data(), path.size() + 1, SOCK_DGRAM);
  EXPECT_EQ(unix_addr_kind(a.get(), a.len), UnixAddrKind::Path);
  EXPECT_EQ(format_sockaddr(a, AddrStyle::Socat), "AF=1 \"" + path + "\"");
  EXPECT_EQ(format_sockaddr(a, AddrStyle::SocatShort), path);
  EXPECT_EQ(format_sockaddr(a), path);
  json j = to_json(a);
  EXPECT_EQ(j["family"], "AF_UNIX");
  EXPECT_EQ(j["path"], path);
  ::unlink(path.c_str());
  ::rmdir(dir.c_str());
}

TEST(SockaddrFormat, UnixPathWithoutNulStopsAtLength) {
  // A path that fills the returned length with no NUL, followed by junk the
  // kernel did not return: the junk must never be printed (socat prints it).
  sockaddr_storage ss;
  std::memset(&ss, 'Z', sizeof ss);
  auto* un = reinterpret_cast<sockaddr_un*>(&ss);
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, "/tmp/abc", 8);
  socklen_t len = offsetof(sockaddr_un, sun_path) + 8;
  EXPECT_EQ(format_sockaddr(reinterpret_cast<sockaddr*>(&ss), len, AddrStyle::Socat), "AF=1 \"/tmp/abc\"");
  EXPECT_EQ(format_sockaddr(reinterpret_cast<sockaddr*>(&ss), len), "/tmp/abc");
  SockAddr copy = SockAddr::from(reinterpret_cast<sockaddr*>(&ss), len);
  EXPECT_EQ(unix_addr_name(copy.get(), copy.len), "/tmp/abc");
}

TEST(SockaddrFormat, UnixAbstractWithNulsAndControlBytes) {
  const char name[] = "\0fdscope-h1\0x\x01\\";
  size_t name_len = sizeof name - 1;  // the whole name including inner NUL, no terminator
  UniqueFd fd;
  std::string unique(name, name_len);
  unique += std::to_string(getpid());
  SockAddr a = bound_unix(fd, unique.data(), unique.size());
  EXPECT_EQ(unix_addr_kind(a.get(), a.len), UnixAddrKind::Abstract);
  std::string pid = std::to_string(getpid());
  EXPECT_EQ(unix_addr_name(a.get(), a.len), std::string("fdscope-h1\0x\x01\\", 14) + pid);
  EXPECT_EQ(format_sockaddr(a, AddrStyle::Socat), "AF=1 \"\\0fdscope-h1\\0x\\x01\\\\" + pid + "\"");
  EXPECT_EQ(format_sockaddr(a, AddrStyle::SocatShort), "\\0fdscope-h1\\0x\\x01\\\\" + pid);
  EXPECT_EQ(format_sockaddr(a), std::string("@fdscope-h1@x\x01\\") + pid);
  json j = to_json(a);
  EXPECT_EQ(j["abstract"].get<std::string>(), std::string("fdscope-h1\0x\x01\\", 14) + pid);
  EXPECT_FALSE(j.contains("path"));
}

TEST(SockaddrFormat, UnixUnnamedSocketpair) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a0(sv[0]), a1(sv[1]);
  auto a = local_address(a0.get());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->len, sizeof(sa_family_t));
  EXPECT_EQ(format_sockaddr(*a, AddrStyle::Socat), "AF=1 \"<anon>\"");
  EXPECT_EQ(format_sockaddr(*a, AddrStyle::SocatShort), "<anon>");
  EXPECT_EQ(format_sockaddr(*a), "");
  auto p = peer_address(a0.get());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(format_sockaddr(*p, AddrStyle::Socat), "AF=1 \"<anon>\"");
  json j = to_json(*a);
  EXPECT_EQ(j["unnamed"], true);
}

TEST(SockaddrFormat, Netlink) {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  ASSERT_TRUE(fd.valid());
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&nl), sizeof nl), 0);
  auto a = local_address(fd.get());
  ASSERT_TRUE(a.ok());
  uint32_t portid = reinterpret_cast<const sockaddr_nl*>(a->get())->nl_pid;
  EXPECT_NE(portid, 0u);
  EXPECT_EQ(format_sockaddr(*a), std::to_string(portid) + ":0");
  EXPECT_EQ(format_sockaddr(*a, AddrStyle::Socat), "AF=16 " + std::to_string(portid) + ":0");
  json j = to_json(*a);
  EXPECT_EQ(j["pid"], portid);
  EXPECT_EQ(j["groups"], 0);
}

TEST(SockaddrFormat, PacketAndVsockHandBuilt) {
  // sockaddr_ll: family, protocol (be16), ifindex, hatype, pkttype, halen, addr
  unsigned char ll[20] = {};
  uint16_t fam = AF_PACKET, proto = htons(0x0800), hatype = 1;
  int32_t ifindex = 1;
  std::memcpy(ll, &fam, 2);
  std::memcpy(ll + 2, &proto, 2);
  std::memcpy(ll + 4, &ifindex, 4);
  std::memcpy(ll + 8, &hatype, 2);
  ll[11] = 6;
  const unsigned char mac[6] = {0x02, 0, 0, 0, 0, 0x01};
  std::memcpy(ll + 12, mac, 6);
  auto* sa = reinterpret_cast<sockaddr*>(ll);
  EXPECT_EQ(format_sockaddr(sa, sizeof ll), "1/ETH_P_IP");
  EXPECT_EQ(format_sockaddr(sa, sizeof ll, AddrStyle::Socat), "AF=17 1/ETH_P_IP");
  std::string out;
  JsonWriter w(out);
  sockaddr_json(w, sa, sizeof ll);
  json j = json::parse(out);
  EXPECT_EQ(j["protocol"], "ETH_P_IP");
  EXPECT_EQ(j["hwaddr"], "02:00:00:00:00:01");

  // sockaddr_vm: family, reserved, port, cid
  unsigned char vm[16] = {};
  uint16_t vfam = AF_VSOCK;
  uint32_t port = 1234, cid = 2;
  std::memcpy(vm, &vfam, 2);
  std::memcpy(vm + 4, &port, 4);
  std::memcpy(vm + 8, &cid, 4);
  EXPECT_EQ(format_sockaddr(reinterpret_cast<sockaddr*>(vm), sizeof vm), "2:1234");
}

TEST(SockaddrFormat, EmptyAndTruncatedNeverOverread) {
  EXPECT_EQ(format_sockaddr(nullptr, 0), "");
  EXPECT_EQ(format_sockaddr(nullptr, 0, AddrStyle::Socat), "AF=0 ");
  sockaddr_in in{};
  in.sin_family = AF_INET;
  // Shorter than a sockaddr_in: no address text rather than garbage.
  EXPECT_EQ(format_sockaddr(reinterpret_cast<sockaddr*>(&in), 4), "");
}

TEST(SockaddrFormat, SocatEscape) {
  EXPECT_EQ(socat_escape(std::string("a\0b\n\t\r\\\x7f\xc3", 9)), "a\\0b\\n\\t\\r\\\\\\x7F\\xC3");
}
