// Tests for common/src/sock_diag.cpp: the dumps find real sockets by inode
// (a TCP listener and connection with tcp_info, UDP, a UNIX pair with
// matching peer inodes, a UNIX listener with a queued connection, netlink,
// packet as root), a dump inside another network namespace sees that
// namespace only, and find_socket_holders names this process and fd.
#include "fdscope/sock_diag.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;
using nlohmann::json;

namespace {

uint64_t inode_of(int fd) {
  auto r = socket_inode(fd);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : 0;
}

uint16_t port_of(const SockAddr& a) {
  if (a.family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(a.get())->sin_port);
  return 0;
}

// A TCP listener on 127.0.0.1, ephemeral port.
UniqueFd loopback_listener() {
  UniqueFd l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(l.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  EXPECT_EQ(::listen(l.get(), 8), 0);
  return l;
}

template <typename F>
json render(F&& f) {
  std::string out;
  JsonWriter w(out);
  f(w);
  return json::parse(out);
}

}  // namespace

TEST(SockDiag, TcpListenerAndConnectionByInode) {
  UniqueFd listener = loopback_listener();
  sockaddr_in in{};
  socklen_t len = sizeof in;
  ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&in), &len);
  UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  // Leave the connection queued (not accepted): the listener's rqueue shows it.
  UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in uin{};
  uin.sin_family = AF_INET;
  uin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(udp.get(), reinterpret_cast<sockaddr*>(&uin), sizeof uin), 0);

  auto facts = dump_sockets();
  ASSERT_TRUE(facts.ok()) << facts.error().message();
  for (const auto& e : facts->errors) ADD_FAILURE() << e.message();

  const InetDiagFacts* l = facts->find_inet(inode_of(listener.get()));
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->state, 10u);  // LISTEN
  EXPECT_EQ(l->protocol, IPPROTO_TCP);
  EXPECT_EQ(port_of(l->local), ntohs(in.sin_port));
  EXPECT_TRUE(l->remote.empty());
  EXPECT_EQ(l->rqueue, 1u);  // one queued connection
  EXPECT_EQ(l->wqueue, 8u);  // backlog
  EXPECT_EQ(l->uid, getuid());

  const InetDiagFacts* c = facts->find_inet(inode_of(client.get()));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->state, 1u);  // ESTABLISHED
  EXPECT_EQ(port_of(c->remote), ntohs(in.sin_port));
  ASSERT_TRUE(c->tcp_info.has_value());
  EXPECT_GE(c->tcp_info->length(), 104u);
  EXPECT_EQ(c->tcp_info->get("state"), 1u);
  EXPECT_FALSE(c->congestion.empty());
  EXPECT_NE(c->cookie, 0u);

  const InetDiagFacts* u = facts->find_inet(inode_of(udp.get()));
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->protocol, IPPROTO_UDP);
  EXPECT_FALSE(u->tcp_info.has_value());

  json j = render([&](JsonWriter& w) { inet_diag_json(w, *c); });
  EXPECT_EQ(j["state"], "ESTABLISHED");
  EXPECT_EQ(j["protocol"], "IPPROTO_TCP");
  EXPECT_EQ(j["remote"]["port"], ntohs(in.sin_port));
  EXPECT_EQ(j["tcp_info"]["state"], "ESTABLISHED");
  json jl = render([&](JsonWriter& w) { inet_diag_json(w, *l); });
  EXPECT_FALSE(jl.contains("remote"));
}

TEST(SockDiag, UnixPairPeersAndListenerQueue) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);

  std::string abstract = std::string(1, '\0') + "fdscope-diag-" + std::to_string(getpid());
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, abstract.data(), abstract.size());
  socklen_t alen = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + abstract.size());
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&un), alen), 0);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  UniqueFd client(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&un), alen), 0);

  SockDiagOptions opts;
  opts.tcp = opts.udp = false;
  auto facts = dump_sockets(opts);
  ASSERT_TRUE(facts.ok()) << facts.error().message();
  EXPECT_TRUE(facts->inet.empty());

  const UnixDiagFacts* fa = facts->find_unix(inode_of(a.get()));
  const UnixDiagFacts* fb = facts->find_unix(inode_of(b.get()));
  ASSERT_NE(fa, nullptr);
  ASSERT_NE(fb, nullptr);
  EXPECT_EQ(fa->peer_inode, inode_of(b.get()));
  EXPECT_EQ(fb->peer_inode, inode_of(a.get()));
  EXPECT_EQ(fa->type, SOCK_STREAM);
  EXPECT_EQ(unix_state_name(fa->state), "ESTAB");
  EXPECT_FALSE(fa->name.has_value() && !fa->name->empty());

  const UnixDiagFacts* fl = facts->find_unix(inode_of(listener.get()));
  ASSERT_NE(fl, nullptr);
  EXPECT_EQ(unix_state_name(fl->state), "LISTEN");
  ASSERT_TRUE(fl->name.has_value());
  EXPECT_EQ(*fl->name, abstract);
  // The queued connection is listed by the connecting socket's inode, and
  // the client's peer is the not-yet-accepted server-side socket.
  const UnixDiagFacts* fc = facts->find_unix(inode_of(client.get()));
  ASSERT_NE(fc, nullptr);
  ASSERT_TRUE(fc->peer_inode.has_value());
  EXPECT_NE(*fc->peer_inode, inode_of(listener.get()));
  EXPECT_EQ(fl->pending, std::vector<uint64_t>{inode_of(client.get())});
  EXPECT_EQ(fl->rqueue, 1u);

  json j = render([&](JsonWriter& w) { unix_diag_json(w, *fl); });
  EXPECT_EQ(j["abstract"], abstract.substr(1));
  EXPECT_EQ(j["state"], "LISTEN");
  EXPECT_EQ(j["type"], "SOCK_STREAM");
  json ja = render([&](JsonWriter& w) { unix_diag_json(w, *fa); });
  EXPECT_EQ(ja["peer_inode"], inode_of(b.get()));
}

TEST(SockDiag, QueryOneUnixSocketByInode) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  auto f = query_unix_socket(inode_of(a.get()));
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(f->inode, inode_of(a.get()));
  EXPECT_EQ(f->type, SOCK_DGRAM);
  EXPECT_EQ(f->peer_inode, inode_of(b.get()));
  // A TCP socket's inode is not a UNIX socket.
  UniqueFd tcp(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  auto none = query_unix_socket(inode_of(tcp.get()));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().err, ENOENT);
}

TEST(SockDiag, UnixPathNameAndVfs) {
  char dir[] = "/tmp/fdscope-diag-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/d.sock";
  UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strncpy(un.sun_path, path.c_str(), sizeof un.sun_path - 1);
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&un), sizeof un), 0);
  SockDiagOptions opts;
  opts.tcp = opts.udp = opts.netlink = opts.packet = false;
  auto facts = dump_sockets(opts);
  ASSERT_TRUE(facts.ok());
  const UnixDiagFacts* f = facts->find_unix(inode_of(fd.get()));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name, path);
  EXPECT_EQ(f->type, SOCK_DGRAM);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(f->vfs_inode, static_cast<uint32_t>(st.st_ino));
  ::unlink(path.c_str());
  ::rmdir(dir);
}

TEST(SockDiag, NetlinkAndPacket) {
  UniqueFd nl(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  sockaddr_nl snl{};
  snl.nl_family = AF_NETLINK;
  ASSERT_EQ(::bind(nl.get(), reinterpret_cast<sockaddr*>(&snl), sizeof snl), 0);
  socklen_t len = sizeof snl;
  ::getsockname(nl.get(), reinterpret_cast<sockaddr*>(&snl), &len);
  UniqueFd pk;
  if (geteuid() == 0) pk.reset(::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(0x0806)));

  SockDiagOptions opts;
  opts.tcp = opts.udp = opts.unix_sockets = false;
  auto facts = dump_sockets(opts);
  ASSERT_TRUE(facts.ok());
  const NetlinkDiagFacts* n = facts->find_netlink(inode_of(nl.get()));
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->protocol, NETLINK_ROUTE);
  EXPECT_EQ(n->portid, snl.nl_pid);
  json jn = render([&](JsonWriter& w) { netlink_diag_json(w, *n); });
  EXPECT_EQ(jn["protocol"], "NETLINK_ROUTE");

  if (!pk.valid()) GTEST_SKIP() << "packet socket needs root";
  const PacketDiagFacts* p = facts->find_packet(inode_of(pk.get()));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type, SOCK_DGRAM);
  EXPECT_EQ(p->protocol, 0x0806);
  json jp = render([&](JsonWriter& w) { packet_diag_json(w, *p); });
  EXPECT_EQ(jp["protocol"], "ETH_P_ARP");
  EXPECT_EQ(jp["type"], "SOCK_DGRAM");
}

TEST(SockDiag, RawSocketsWhenAsked) {
  UniqueFd raw(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
  if (!raw.valid()) GTEST_SKIP() << "raw sockets need CAP_NET_RAW";
  SockDiagOptions opts;
  opts.tcp = opts.udp = opts.unix_sockets = opts.netlink = opts.packet = false;
  opts.raw = true;
  auto facts = dump_sockets(opts);
  ASSERT_TRUE(facts.ok());
  if (!facts->errors.empty()) GTEST_SKIP() << "raw_diag unavailable: " << facts->errors[0].message();
  const InetDiagFacts* f = facts->find_inet(inode_of(raw.get()));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->family, AF_INET);
  opts.raw = false;
  auto none = dump_sockets(opts);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->find_inet(inode_of(raw.get())), nullptr);
}

TEST(SockDiag, DumpInsideAnotherNetworkNamespace) {
  if (geteuid() != 0) GTEST_SKIP() << "needs CAP_SYS_ADMIN for unshare/setns";
  // A thread moves into a new network namespace and makes a UNIX socket
  // there; the main thread keeps its namespace.
  UniqueFd ns, sock;
  int err = 0;
  std::thread t([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      err = errno;
      return;
    }
    ns.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    sock.reset(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  });
  t.join();
  if (err) GTEST_SKIP() << "unshare(CLONE_NEWNET): " << strerror(err);
  ASSERT_TRUE(ns.valid());
  ASSERT_TRUE(sock.valid());
  UniqueFd here(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));

  SockDiagOptions opts;
  opts.tcp = opts.udp = opts.netlink = opts.packet = false;
  auto inside = dump_sockets_in_netns(ns.get(), opts);
  ASSERT_TRUE(inside.ok()) << inside.error().message();
  EXPECT_NE(inside->find_unix(inode_of(sock.get())), nullptr);
  EXPECT_EQ(inside->find_unix(inode_of(here.get())), nullptr);
  auto ours = dump_sockets(opts);
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(ours->find_unix(inode_of(sock.get())), nullptr);
  EXPECT_NE(ours->find_unix(inode_of(here.get())), nullptr);
  // Our own namespace by fd works the same as dump_sockets().
  UniqueFd self_ns(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  auto same = dump_sockets_in_netns(self_ns.get(), opts);
  ASSERT_TRUE(same.ok());
  EXPECT_NE(same->find_unix(inode_of(here.get())), nullptr);
}

TEST(SockDiag, BadNamespaceFdIsAnError) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  UniqueFd r(fds[0]), w(fds[1]);
  auto facts = dump_sockets_in_netns(r.get());
  ASSERT_FALSE(facts.ok());
  EXPECT_NE(facts.error().message().find("setns"), std::string::npos);
}

TEST(SockDiag, FindSocketHoldersNamesThisProcess) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  uint64_t ia = inode_of(a.get()), ib = inode_of(b.get());
  auto holders = find_socket_holders({ia, ib, 0xfffffffeull});
  ASSERT_EQ(holders.count(ia), 1u);
  ASSERT_EQ(holders.count(ib), 1u);
  EXPECT_EQ(holders.count(0xfffffffeull), 0u);
  bool found = false;
  for (const auto& h : holders[ib]) {
    if (h.pid == getpid() && h.fd == b.get()) {
      found = true;
      EXPECT_FALSE(h.comm.empty());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(find_socket_holders({}).empty());
  EXPECT_TRUE(find_socket_holders({ia}, "/nonexistent-proc").empty());
  // Not a socket.
  UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  auto r = socket_inode(null.get());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().err, ENOTSOCK);
}

TEST(SockDiag, WantedSkipsTheDumpsItRefuses) {
  UniqueFd listener = loopback_listener();
  int sp[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp), 0);
  UniqueFd a(sp[0]), b(sp[1]);
  std::vector<std::pair<int, int>> asked;
  SockDiagOptions o;
  o.tcp_info = false;
  o.wanted = [&](int family, int protocol) {
    asked.emplace_back(family, protocol);
    return family == AF_INET && protocol == IPPROTO_TCP;
  };
  auto d = dump_sockets(o);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_NE(d->find_inet(inode_of(listener.get())), nullptr);
  EXPECT_EQ(d->find_unix(inode_of(a.get())), nullptr);
  EXPECT_TRUE(d->unix_sockets.empty());
  EXPECT_TRUE(d->netlink.empty());
  // Every enabled dump was asked about, each once.
  for (auto want : {std::pair{AF_INET, int(IPPROTO_TCP)}, std::pair{AF_INET, int(IPPROTO_UDP)},
                    std::pair{AF_INET6, int(IPPROTO_TCP)}, std::pair{AF_UNIX, 0}, std::pair{AF_NETLINK, 0},
                    std::pair{AF_PACKET, 0}})
    EXPECT_EQ(std::count(asked.begin(), asked.end(), want), 1) << want.first << "/" << want.second;
  // Unset, every dump runs.
  o.wanted = nullptr;
  d = dump_sockets(o);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(d->find_unix(inode_of(a.get())), nullptr);
}
