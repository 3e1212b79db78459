// Tests for common/src/sockopt.cpp: options set on real sockets are read
// back by read_sockopts, refused options are absent (not zero), reading
// never changes the socket (a pending SO_ERROR survives), and the text, short
// and JSON renderings have the documented shapes.
#include "fdscope/sockopt.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;
using nlohmann::json;

namespace {

const SockOptValue* find_value(const std::vector<SockOptValue>& v, std::string_view symbol) {
  for (const auto& x : v)
    if (symbol == x.desc->symbol) return &x;
  return nullptr;
}

struct TcpPair {
  UniqueFd listener, client, server;
  uint16_t port = 0;
};

TcpPair tcp_pair() {
  TcpPair p;
  p.listener.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(p.listener.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  EXPECT_EQ(::listen(p.listener.get(), 4), 0);
  socklen_t len = sizeof in;
  ::getsockname(p.listener.get(), reinterpret_cast<sockaddr*>(&in), &len);
  p.port = ntohs(in.sin_port);
  p.client.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_EQ(::connect(p.client.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  p.server.reset(::accept4(p.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  return p;
}

json to_json(const std::vector<SockOptValue>& values) {
  std::string out;
  JsonWriter w(out);
  sockopts_json(w, values);
  return json::parse(out);
}

int get_int(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  EXPECT_EQ(::getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

}  // namespace

TEST(SockoptRead, TcpOptionsSetAreReadBack) {
  TcpPair p = tcp_pair();
  int fd = p.client.get();
  int rcvbuf = 65536, one = 1, ttl = 33;
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
  ASSERT_EQ(::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
  ASSERT_EQ(::setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl), 0);
  linger lg{1, 5};
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
  timeval tv{1, 500000};
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);

  auto values = read_sockopts(fd);
  ASSERT_TRUE(values.ok());
  const SockOptValue* v = find_value(*values, "SO_RCVBUF");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->as_int(), get_int(fd, SOL_SOCKET, SO_RCVBUF));  // the kernel doubles it
  EXPECT_EQ(sockopt_text(*v), "RCVBUF=" + std::to_string(get_int(fd, SOL_SOCKET, SO_RCVBUF)));
  ASSERT_NE(find_value(*values, "TCP_NODELAY"), nullptr);
  EXPECT_EQ(find_value(*values, "TCP_NODELAY")->as_int(), 1);
  EXPECT_EQ(sockopt_text(*find_value(*values, "TCP_NODELAY")), "TCP_NODELAY=1");
  EXPECT_EQ(sockopt_text(*find_value(*values, "IP_TTL")), "IP_TTL=33");
  EXPECT_EQ(sockopt_short(*find_value(*values, "IP_TTL")), "ip-ttl=33");
  EXPECT_EQ(sockopt_text(*find_value(*values, "SO_LINGER")), "LINGER={1,5}");
  EXPECT_EQ(sockopt_short(*find_value(*values, "SO_LINGER")), "so-linger=on:5");
  EXPECT_EQ(sockopt_text(*find_value(*values, "SO_RCVTIMEO")), "RCVTIMEO={1,500000}");
  EXPECT_EQ(sockopt_short(*find_value(*values, "SO_RCVTIMEO")), "so-rcvtimeo=1.500000");
  EXPECT_EQ(sockopt_short(*find_value(*values, "SO_TYPE")), "so-type=SOCK_STREAM");
  EXPECT_EQ(sockopt_short(*find_value(*values, "SO_DOMAIN")), "so-domain=AF_INET");
  ASSERT_NE(find_value(*values, "TCP_CONGESTION"), nullptr);
  EXPECT_FALSE(find_value(*values, "TCP_CONGESTION")->as_string().empty());
  // Connected TCP: IP_MTU readable.
  EXPECT_NE(find_value(*values, "IP_MTU"), nullptr);
  // Never read automatically; not applicable to TCP.
  EXPECT_EQ(find_value(*values, "SO_ERROR"), nullptr);
  EXPECT_EQ(find_value(*values, "SO_PEERCRED"), nullptr);
  EXPECT_EQ(find_value(*values, "UDP_CORK"), nullptr);
  EXPECT_EQ(find_value(*values, "IPV6_V6ONLY"), nullptr);

  json j = to_json(*values);
  EXPECT_EQ(j["SO_RCVBUF"], get_int(fd, SOL_SOCKET, SO_RCVBUF));
  EXPECT_EQ(j["TCP_NODELAY"], true);
  EXPECT_EQ(j["IP_TTL"], 33);
  EXPECT_EQ(j["SO_LINGER"]["onoff"], true);
  EXPECT_EQ(j["SO_LINGER"]["linger"], 5);
  EXPECT_DOUBLE_EQ(j["SO_RCVTIMEO"].get<double>(), 1.5);
  EXPECT_EQ(j["SO_TYPE"], "SOCK_STREAM");
  EXPECT_TRUE(j["SO_COOKIE"].is_number_unsigned());
  EXPECT_FALSE(j.contains("SO_ERROR"));

  std::string text = sockopts_text(*values);
  EXPECT_NE(text.find("DEBUG=0\t"), std::string::npos);
  EXPECT_EQ(text.find("\n"), std::string::npos);
  std::string shrt = sockopts_short(*values);
  EXPECT_NE(shrt.find("tcp-nodelay=1"), std::string::npos);
  EXPECT_EQ(shrt.find('\t'), std::string::npos);
}

TEST(SockoptRead, RefusedOptionsAreAbsentNotZero) {
  // An unconnected UDP socket: IP_MTU is refused with ENOTCONN.
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  int mtu = 0;
  socklen_t len = sizeof mtu;
  ASSERT_NE(::getsockopt(fd.get(), IPPROTO_IP, IP_MTU, &mtu, &len), 0);
  auto values = read_sockopts(fd.get(), AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  EXPECT_EQ(find_value(values, "IP_MTU"), nullptr);
  EXPECT_NE(find_value(values, "UDP_CORK"), nullptr);
  EXPECT_EQ(find_value(values, "TCP_NODELAY"), nullptr);
  auto r = read_sockopt(fd.get(), *find_sockopt("IP_MTU"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().err, ENOTCONN);
  // The bool reading of an option: set UDP_CORK and read 1.
  int one = 1;
  ASSERT_EQ(::setsockopt(fd.get(), IPPROTO_UDP, 1 /* UDP_CORK */, &one, sizeof one), 0);
  auto again = read_sockopts(fd.get(), AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  EXPECT_EQ(find_value(again, "UDP_CORK")->as_int(), 1);
}

TEST(SockoptRead, PendingSoErrorSurvivesReading) {
  // Connected UDP to a closed port: the ICMP port unreachable sets SO_ERROR.
  UniqueFd probe(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(probe.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  socklen_t len = sizeof in;
  ::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&in), &len);
  probe.reset();  // the port is now closed
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  ASSERT_EQ(::send(fd.get(), "x", 1, 0), 1);
  pollfd pfd{fd.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, 2000), 1);
  ASSERT_TRUE(pfd.revents & POLLERR);
  auto values = read_sockopts(fd.get());
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(find_value(*values, "SO_ERROR"), nullptr);
  EXPECT_EQ(get_int(fd.get(), SOL_SOCKET, SO_ERROR), ECONNREFUSED);
}

TEST(SockoptRead, UnixSocketpairHasPeercredAndPasscred) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  int one = 1;
  ASSERT_EQ(::setsockopt(a.get(), SOL_SOCKET, SO_PASSCRED, &one, sizeof one), 0);
  auto values = read_sockopts(a.get());
  ASSERT_TRUE(values.ok());
  const SockOptValue* pc = find_value(*values, "SO_PEERCRED");
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(sockopt_text(*pc), fmt::format("PEERCRED={{{},{},{}}}", getpid(), getuid(), getgid()));
  EXPECT_EQ(find_value(*values, "SO_PASSCRED")->as_int(), 1);
  EXPECT_EQ(sockopt_short(*find_value(*values, "SO_TYPE")), "so-type=SOCK_SEQPACKET");
  EXPECT_EQ(find_value(*values, "SO_PEERPIDFD"), nullptr);  // creates an fd: explicit only
  EXPECT_EQ(find_value(*values, "IP_TTL"), nullptr);
  json j = to_json(*values);
  EXPECT_EQ(j["SO_PEERCRED"]["pid"], getpid());
  EXPECT_EQ(j["SO_PASSCRED"], true);
}

TEST(SockoptRead, Ipv6AndNetlinkLevels) {
  UniqueFd v6(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(v6.valid());
  int one = 1;
  ASSERT_EQ(::setsockopt(v6.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one), 0);
  auto values = read_sockopts(v6.get());
  ASSERT_TRUE(values.ok());
  ASSERT_NE(find_value(*values, "IPV6_V6ONLY"), nullptr);
  EXPECT_EQ(find_value(*values, "IPV6_V6ONLY")->as_int(), 1);
  EXPECT_EQ(find_value(*values, "IP_TTL"), nullptr);
  EXPECT_NE(find_value(*values, "TCP_NODELAY"), nullptr);

  UniqueFd nl(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  ASSERT_TRUE(nl.valid());
  ASSERT_EQ(::setsockopt(nl.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one), 0);
  auto nv = read_sockopts(nl.get());
  ASSERT_TRUE(nv.ok());
  ASSERT_NE(find_value(*nv, "NETLINK_EXT_ACK"), nullptr);
  EXPECT_EQ(find_value(*nv, "NETLINK_EXT_ACK")->as_int(), 1);
  EXPECT_NE(find_value(*nv, "NETLINK_LIST_MEMBERSHIPS"), nullptr);
  EXPECT_EQ(sockopt_short(*find_value(*nv, "SO_DOMAIN")), "so-domain=AF_NETLINK");
  json j = to_json(*nv);
  EXPECT_TRUE(j["NETLINK_LIST_MEMBERSHIPS"].is_array());
}

TEST(SockoptRead, PacketSocketAsRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "packet sockets need CAP_NET_RAW";
  UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!fd.valid()) GTEST_SKIP() << "no packet sockets: " << strerror(errno);
  auto values = read_sockopts(fd.get());
  ASSERT_TRUE(values.ok());
  ASSERT_NE(find_value(*values, "PACKET_VERSION"), nullptr);
  EXPECT_EQ(sockopt_short(*find_value(*values, "PACKET_VERSION")), "packet-version=TPACKET_V1");
  EXPECT_EQ(find_value(*values, "PACKET_STATISTICS"), nullptr);  // reading resets counters
  EXPECT_NE(find_value(*values, "PACKET_AUXDATA"), nullptr);
  EXPECT_EQ(find_value(*values, "TCP_NODELAY"), nullptr);
}

TEST(SockoptRead, VsockLevel) {
  UniqueFd fd(::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) GTEST_SKIP() << "no vsock: " << strerror(errno);
  uint64_t size = 131072;
  ASSERT_EQ(::setsockopt(fd.get(), AF_VSOCK, 0 /* SO_VM_SOCKETS_BUFFER_SIZE */, &size, sizeof size), 0);
  auto values = read_sockopts(fd.get());
  ASSERT_TRUE(values.ok());
  const SockOptValue* v = find_value(*values, "SO_VM_SOCKETS_BUFFER_SIZE");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->as_int(), 131072);
  EXPECT_NE(find_value(*values, "SO_VM_SOCKETS_BUFFER_MAX_SIZE"), nullptr);
  EXPECT_EQ(find_value(*values, "TCP_NODELAY"), nullptr);
  EXPECT_EQ(sockopt_text(*find_value(*values, "SO_VM_SOCKETS_CONNECT_TIMEOUT")).rfind("SO_VM_SOCKETS_CONNECT_TIMEOUT={", 0), 0u);
  json j = to_json(*values);
  EXPECT_EQ(j["SO_VM_SOCKETS_BUFFER_SIZE"], 131072);
}

TEST(SockoptRender, BytesStringsAndArrays) {
  SockOptValue v;
  v.desc = find_sockopt("IP_OPTIONS");
  EXPECT_EQ(sockopt_text(v), "IP_OPTIONS=\"\"");
  v.raw = {0x01, 0xab};
  EXPECT_EQ(sockopt_value_text(v), "\"01ab\"");
  EXPECT_EQ(sockopt_value_short(v), "01ab");
  v.desc = find_sockopt("SO_MEMINFO");
  v.raw.assign(8, 0);
  v.raw[0] = 5;
  v.raw[4] = 7;
  EXPECT_EQ(sockopt_value_text(v), "{5,7}");
  v.desc = find_sockopt("TCP_CONGESTION");
  std::string cubic = "cubic";
  v.raw.assign(cubic.begin(), cubic.end());
  v.raw.resize(16, 0);
  EXPECT_EQ(sockopt_text(v), "TCP_CONGESTION=\"cubic\"");
  EXPECT_EQ(sockopt_short(v), "tcp-congestion=cubic");
  v.desc = find_sockopt("IP_MTU_DISCOVER");
  v.raw = {2, 0, 0, 0};
  EXPECT_EQ(sockopt_value_short(v), "IP_PMTUDISC_DO");
  EXPECT_EQ(sockopt_value_text(v), "2");
  v.raw = {99, 0, 0, 0};
  EXPECT_EQ(sockopt_value_short(v), "99");
}
