// pcapng writer: a file with a TCP conversation (handshake, data both ways,
// close), an IPv6 UDP datagram and raw pipe bytes is read back by tshark,
// which must see the addresses, ports, payloads, comments, directions and
// good checksums, and reassemble the TCP stream with "follow".  Skipped when
// tshark is not installed.  Frame building is also checked byte by byte.
#include "pcapng.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace fdscope;
using namespace fdscope::trace;

namespace {

IpEndpoint ep4(const char* ip, uint16_t port) {
  in_addr a{};
  inet_pton(AF_INET, ip, &a);
  return IpEndpoint::v4(a.s_addr, port);
}

IpEndpoint ep6(const char* ip, uint16_t port) {
  in6_addr a{};
  inet_pton(AF_INET6, ip, &a);
  return IpEndpoint::v6(a.s6_addr, port);
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

bool have_tshark() { return system("command -v tshark >/dev/null 2>&1") == 0; }

std::string hex(std::string_view s) {
  std::string h;
  char b[3];
  for (unsigned char c : s) {
    snprintf(b, sizeof b, "%02x", c);
    h += b;
  }
  return h;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    v.push_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return v;
}

class PcapngFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fdscope-pcapng-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/t.pcapng";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_, path_;
};

// Writes the reference capture: see the file comment.
void write_capture(const std::string& path) {
  auto w = PcapngWriter::create(path);
  ASSERT_TRUE(w.ok()) << w.error().message();
  IpEndpoint cli = ep4("127.0.0.1", 40000), srv = ep4("127.0.0.2", 8000);
  PacketMeta out{1'700'000'000'000'000'001ull, 100, 101, "client", 5, PacketDirection::kOutbound};
  PacketMeta in = out;
  in.ts_ns += 1000;
  in.direction = PacketDirection::kInbound;
  ASSERT_TRUE(w->tcp_handshake(cli, srv, out).ok());
  ASSERT_TRUE(w->tcp_data(cli, srv, "hello ", out).ok());
  ASSERT_TRUE(w->tcp_data(srv, cli, "world", in).ok());
  ASSERT_TRUE(w->tcp_data(cli, srv, "again", out).ok());
  ASSERT_TRUE(w->tcp_close(cli, srv, out).ok());
  PacketMeta udp{1'700'000'000'000'002'000ull, 200, 200, "resolver", 7, PacketDirection::kOutbound};
  ASSERT_TRUE(w->udp_data(ep6("::1", 5353), ep6("::1", 53), "dns?", udp).ok());
  PacketMeta pipe{1'700'000'000'000'003'000ull, 300, 301, "cat", 1, PacketDirection::kInbound};
  ASSERT_TRUE(w->raw_data("pipe bytes", pipe).ok());
  EXPECT_EQ(w->packets_written(), 3u + 3u + 2u + 1u + 1u);
  ASSERT_TRUE(w->flush().ok());
}

}  // namespace

TEST(PcapngFrames, Ipv4TcpHeaderAndChecksums) {
  std::string f = build_tcp_frame(ep4("10.0.0.1", 1), ep4("10.0.0.2", 2), 7, 9, 0x18, "ab");
  ASSERT_EQ(f.size(), 20u + 20u + 2u);
  EXPECT_EQ(static_cast<uint8_t>(f[0]), 0x45);
  EXPECT_EQ(static_cast<uint8_t>(f[9]), IPPROTO_TCP);
  EXPECT_EQ((static_cast<uint8_t>(f[2]) << 8) | static_cast<uint8_t>(f[3]), 42);
  // A correct IPv4 header checksum sums to 0xffff over the header.
  uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += (static_cast<uint8_t>(f[i]) << 8) | static_cast<uint8_t>(f[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  EXPECT_EQ(sum, 0xffffu);
  EXPECT_EQ(f.substr(40), "ab");
}

TEST(PcapngFrames, EndpointFromSockaddr) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons(99);
  sa.sin6_addr = in6addr_loopback;
  auto e = IpEndpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->family, AF_INET6);
  EXPECT_EQ(e->port, 99);
  EXPECT_EQ(e->addr[15], 1);
  sockaddr un{};
  un.sa_family = AF_UNIX;
  EXPECT_FALSE(IpEndpoint::from_sockaddr(&un, sizeof un).ok());
  EXPECT_FALSE(IpEndpoint::from_sockaddr(&un, 1).ok());
}

TEST_F(PcapngFile, CreateFailsWithClearError) {
  auto w = PcapngWriter::create(dir_ + "/no/such/dir/x.pcapng");
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message().find("No such file or directory"), std::string::npos);
}

TEST_F(PcapngFile, TsharkReadsAddressesPayloadsCommentsAndDirections) {
  if (!have_tshark()) GTEST_SKIP() << "tshark not installed";
  write_capture(path_);
  std::string out = run("tshark -r " + path_ +
                        " -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -T fields -E separator=,"
                        " -e frame.interface_id -e ip.src -e ipv6.src -e tcp.srcport -e udp.dstport"
                        " -e tcp.payload -e udp.payload -e data.data -e frame.comment"
                        " -e frame.packet_flags_direction -e tcp.checksum.status -e udp.checksum.status"
                        " -e frame.time_epoch");
  auto l = lines(out);
  ASSERT_EQ(l.size(), 10u) << out;
  // Fields: interface, ip.src, ipv6.src, tcp.srcport, udp.dstport, tcp.payload,
  // udp.payload, data, comment, direction (1 in, 2 out), tcp/udp checksum
  // status (1 = good), time.
  // SYN from the client: its comment, outbound, good checksum, nanoseconds.
  EXPECT_EQ(l[0], "0,127.0.0.1,,40000,,,,,pid=100 tid=101 comm=client fd=5,0x00000002,1,,"
                  "1700000000.000000001");
  // SYN-ACK synthesized from the server side, inbound.
  EXPECT_EQ(l[1], "0,127.0.0.2,,8000,,,,,pid=100 tid=101 comm=client fd=5,0x00000001,1,,"
                  "1700000000.000000001");
  EXPECT_EQ(l[3], "0,127.0.0.1,,40000,," + hex("hello ") + ",," + hex("hello ") +
                      ",pid=100 tid=101 comm=client fd=5,0x00000002,1,,1700000000.000000001");
  EXPECT_EQ(l[4], "0,127.0.0.2,,8000,," + hex("world") + ",," + hex("world") +
                      ",pid=100 tid=101 comm=client fd=5,0x00000001,1,,1700000000.000001001");
  EXPECT_NE(l[5].find("," + hex("again") + ","), std::string::npos) << l[5];
  // UDP over IPv6, good checksum.
  EXPECT_EQ(l[8], "0,,::1,,53,," + hex("dns?") +
                      ",,pid=200 tid=200 comm=resolver fd=7,0x00000002,,1,1700000000.000002000");
  // Raw pipe bytes on the USER0 interface.
  EXPECT_EQ(l[9], "1,,,,,,," + hex("pipe bytes") +
                      ",pid=300 tid=301 comm=cat fd=1,0x00000001,,,1700000000.000003000");
}

TEST_F(PcapngFile, TsharkFollowsTheTcpStream) {
  if (!have_tshark()) GTEST_SKIP() << "tshark not installed";
  write_capture(path_);
  std::string out = run("tshark -r " + path_ + " -q -z follow,tcp,raw,0");
  // Client data unindented, server data indented by a tab, in order.
  auto l = lines(out);
  std::vector<std::string> data;
  for (const auto& s : l)
    if (!s.empty() && s.find_first_not_of("\t0123456789abcdef") == std::string::npos) data.push_back(s);
  ASSERT_EQ(data.size(), 3u) << out;
  EXPECT_EQ(data[0], hex("hello "));
  EXPECT_EQ(data[1], "\t" + hex("world"));
  EXPECT_EQ(data[2], hex("again"));
  // No analysis complaints (lost segments, bad acks) about our sequence numbers.
  std::string expert = run("tshark -r " + path_ + " -Y tcp.analysis.flags -T fields -e frame.number");
  EXPECT_EQ(expert, "");
}
