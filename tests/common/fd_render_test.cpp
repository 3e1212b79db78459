// Unit tests for the fd renderers (fd_render_text/short/json.cpp) on
// hand-built FdInfo records: socat's -s words and layout, the fixes over
// socat (tcp/udp names, any-address for missing peers, FIFO paths, anon
// kinds), the text columns and the JSON keys.
#include "fdscope/fd_render.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include <cstring>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fdscope {
namespace {

SockAddr inet(const char* ip, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, ip, &a.sin_addr);
  return SockAddr::from(reinterpret_cast<sockaddr*>(&a), sizeof(a));
}

SockAddr unix_path(const std::string& p) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, p.data(), p.size());
  return SockAddr::from(reinterpret_cast<sockaddr*>(&a),
                        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + p.size() + 1));
}

SockAddr unix_unnamed() {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  return SockAddr::from(reinterpret_cast<sockaddr*>(&a), sizeof(sa_family_t));
}

FdInfo file_fd(int fd, FdKind kind, mode_t type, std::string path) {
  FdInfo i;
  i.fd = fd;
  i.kind = kind;
  i.path = std::move(path);
  FdStat s;
  s.mode = type | 0644;
  s.dev = makedev(254, 0);
  s.ino = 77;
  s.nlink = 1;
  s.size = 6;
  i.st = s;
  return i;
}

FdInfo tcp_fd(int fd, bool listening) {
  FdInfo i = file_fd(fd, FdKind::Socket, S_IFSOCK, "socket:[5]");
  SocketInfo s;
  s.family = AF_INET;
  s.type = SOCK_STREAM;
  s.protocol = IPPROTO_TCP;
  s.listening = listening;
  s.local = inet("127.0.0.1", 8080);
  if (!listening) s.peer = inet("127.0.0.1", 40000);
  s.state = listening ? 10 : 1;
  i.sock = s;
  return i;
}

TEST(RenderShort, SocatWordsAndLayout) {
  EXPECT_EQ(render_short(file_fd(3, FdKind::Regular, S_IFREG, "/tmp/f")), "    3 file /tmp/f\n");
  EXPECT_EQ(render_short(file_fd(4, FdKind::Pipe, S_IFIFO, "pipe:[9]")), "    4 pipe \n");
  EXPECT_EQ(render_short(file_fd(5, FdKind::Fifo, S_IFIFO, "/tmp/fifo")), "    5 pipe /tmp/fifo\n");
  EXPECT_EQ(render_short(file_fd(6, FdKind::PtySlave, S_IFCHR, "/dev/pts/3")), "    6 tty /dev/pts/3\n");
  EXPECT_EQ(render_short(file_fd(12345, FdKind::CharDevice, S_IFCHR, "/dev/null")), "12345 chrdev /dev/null\n");
  FdInfo del = file_fd(7, FdKind::Regular, S_IFREG, "/tmp/gone");
  del.deleted = true;
  EXPECT_EQ(render_short(del), "    7 file /tmp/gone (deleted)\n");
}

TEST(RenderShort, TcpNamedAndListenerWithoutGarbagePeer) {
  EXPECT_EQ(render_short(tcp_fd(5, false)), "    5 tcp 127.0.0.1:8080 127.0.0.1:40000\n");
  EXPECT_EQ(render_short(tcp_fd(6, true)), "    6 tcp(listening) 127.0.0.1:8080 0.0.0.0:0\n");
  EXPECT_EQ(render_short_improved(tcp_fd(5, false)), "    5 tcp 127.0.0.1:8080-127.0.0.1:40000 (stream) ESTABLISHED\n");
  EXPECT_EQ(render_short_improved(tcp_fd(6, true)), "    6 tcp 127.0.0.1:8080 (stream) (listening)\n");
}

TEST(RenderShort, UnixFormsAsSocat) {
  FdInfo u = file_fd(0, FdKind::Socket, S_IFSOCK, "socket:[1]");
  SocketInfo s;
  s.family = AF_UNIX;
  s.type = SOCK_STREAM;
  s.protocol = 0;
  s.listening = false;
  s.local = unix_unnamed();
  s.peer = unix_path("/tmp/demo/u.sock");
  u.sock = s;
  EXPECT_EQ(render_short(u), "    0 unix <anon>\n");
  EXPECT_EQ(render_short_improved(u), "    0 unix <anon>-/tmp/demo/u.sock stream\n");
  u.sock->type = SOCK_DGRAM;
  u.sock->peer.reset();
  EXPECT_EQ(render_short(u), "    0 unixdatagram <anon>\n");
  u.sock->type = SOCK_STREAM;
  u.sock->listening = true;
  u.sock->local = unix_path("/run/x.sock");
  EXPECT_EQ(render_short(u), "    0 unix(listening) /run/x.sock\n");
  EXPECT_EQ(render_short_improved(u), "    0 unix /run/x.sock stream (listening)\n");
}

TEST(RenderShort, AnonKindsNamedWithSummary) {
  FdInfo e = file_fd(9, FdKind::EventFd, 0, "anon_inode:[eventfd]");
  e.facts.push_back(Fact::unum("count", 3));
  e.facts.push_back(Fact::num("id", 1));
  EXPECT_EQ(render_short(e), "    9 eventfd count=3\n");
  FdInfo p = file_fd(10, FdKind::PidFd, 0, "anon_inode:[pidfd]");
  p.facts.push_back(Fact::num("pid", 42));
  EXPECT_EQ(render_short_improved(p), "   10 pidfd pid=42\n");
  FdInfo ep = file_fd(11, FdKind::Epoll, 0, "anon_inode:[eventpoll]");
  ep.facts.push_back(Fact::list("targets", {{Fact::num("tfd", 3)}, {Fact::num("tfd", 5)}}));
  EXPECT_EQ(render_short(ep), "   11 epoll tfds=3,5\n");
}

TEST(RenderText, SocatColumnsAndUnknownsAsQuestionMarks) {
  FdInfo f = file_fd(3, FdKind::Regular, S_IFREG, "/tmp/f");
  f.fd_flags = 0;
  f.flags = 0100002;
  f.sigown = 0;
  f.sigio = 0;
  f.pos = 2;
  RenderOptions raw;
  raw.raw = true;
  std::string line = render_text(f, raw);
  EXPECT_TRUE(line.starts_with("   3: file\t")) << line;
  EXPECT_NE(line.find("\t77\t0100644\t1\t0\t0\t0,0\t6\t"), std::string::npos) << line;
  EXPECT_NE(line.find("\t0\tx008002\t0\t0"), std::string::npos) << line;
  EXPECT_NE(line.find("\t/tmp/f"), std::string::npos);
  EXPECT_NE(line.find("\tpos=2"), std::string::npos);
  EXPECT_NE(line.find("O_RDWR"), std::string::npos);
  f.fd_flags.reset();
  f.sigown.reset();
  EXPECT_NE(render_text(f, raw).find("\t?\tx008002\t?\t0"), std::string::npos);
  EXPECT_TRUE(render_text_header().starts_with("  FD  type\tdevice\tinode\tmode"));
  EXPECT_NE(render_text_header().find("cloexec\tflags\tsigown\tsigio\n"), std::string::npos);
}

TEST(RenderText, AppendedLinesEqualTheReturnedOnesAndKeepWhatWasThere) {
  // Lines rendered one after another into one buffer (filan's way) are the
  // lines render_text returns, byte for byte, whatever the flags word of the
  // previous line was (the flag names are remembered per flags value).
  FdInfo f = file_fd(3, FdKind::Regular, S_IFREG, "/tmp/f");
  f.fd_flags = 1;
  f.flags = 0100002;
  f.pos = 9;
  f.deleted = true;
  FdInfo g = f;
  g.fd = 4;
  g.flags = 0101;
  g.sigown = 12;
  FdInfo t = tcp_fd(5, false);
  t.flags = 02;
  t.sock->rqueue = 1;
  t.sock->wqueue = 2;
  t.sock->congestion = "cubic";
  FdInfo l = tcp_fd(6, true);
  FdInfo u = file_fd(7, FdKind::Socket, S_IFSOCK, "socket:[8]");
  SocketInfo us;
  us.family = AF_UNIX;
  us.type = SOCK_STREAM;
  us.state = 1;
  us.unix_peer_ino = 99;
  us.peer_holders.push_back(SocketHolder{42, "peer", 3});
  us.path_mode = 0755;
  u.sock = us;
  FdInfo e = file_fd(-1, FdKind::EventFd, 0, "anon_inode:[eventfd]");
  e.st.reset();
  e.facts.push_back(Fact::unum("count", 3));
  e.nread = 4;
  for (bool raw : {false, true}) {
    RenderOptions o;
    o.raw = raw;
    std::string all = "before\n", want = "before\n";
    for (const FdInfo* i : {&f, &g, &f, &t, &l, &u, &e}) {
      render_text_to(all, *i, o);
      want += render_text(*i, o);
    }
    EXPECT_EQ(all, want);
  }
  std::string line = render_text(g);
  EXPECT_NE(line.find("\t1\tx000041\t12\t?\t/tmp/f (deleted)\tO_WRONLY|O_CREAT\tpos=9\n"), std::string::npos) << line;
  EXPECT_NE(render_text(f).find("\tO_RDWR|O_LARGEFILE\tpos=9\n"), std::string::npos) << render_text(f);
  std::string tl = render_text(t);
  EXPECT_NE(tl.find("\tAF_INET SOCK_STREAM IPPROTO_TCP\tAF=2 127.0.0.1:8080 <-> AF=2 127.0.0.1:40000\tstate=ESTABLISHED"
                    "\trecvq=1\tsendq=2\tcongestion=cubic\n"),
            std::string::npos)
      << tl;
  EXPECT_NE(render_text(l).find(" (listening)\tstate=LISTEN\n"), std::string::npos) << render_text(l);
  std::string ul = render_text(u);
  EXPECT_NE(ul.find("\tAF_UNIX SOCK_STREAM\t"), std::string::npos) << ul;
  EXPECT_NE(ul.find("\tstate=ESTAB\tpeer_inode=99\tpeer_process=42/peer/fd3\tpath_mode=0755\n"), std::string::npos) << ul;
  EXPECT_EQ(render_text(e), "    : eventfd\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\teventfd\tcount=3\tFIONREAD=4\n");
}

TEST(RenderText, PollSummary) {
  EXPECT_EQ(poll_text(POLLIN | POLLOUT, 6), "IN(FIONREAD=6),OUT");
  EXPECT_EQ(poll_text(POLLOUT | POLLHUP, std::nullopt), "OUT,HUP");
  EXPECT_EQ(poll_text(0, 1), "");
}

TEST(RenderJson, KeysAndAbsentFacts) {
  FdInfo t = tcp_fd(5, false);
  t.fd_flags = 1;
  t.flags = 02;
  std::string out;
  JsonWriter w(out);
  render_json(w, t);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j.at("fd"), 5);
  EXPECT_EQ(j.at("kind"), "socket");
  EXPECT_EQ(j.at("cloexec"), true);
  EXPECT_EQ(j.at("flags").at(0), "O_RDWR");
  EXPECT_EQ(j.at("stat").at("dev"), "254:0");
  EXPECT_EQ(j.at("socket").at("family"), "AF_INET");
  EXPECT_EQ(j.at("socket").at("proto"), "tcp");
  EXPECT_EQ(j.at("socket").at("state"), "ESTABLISHED");
  EXPECT_EQ(j.at("socket").at("peer").at("port"), 40000);
  EXPECT_FALSE(j.contains("pos"));
  EXPECT_FALSE(j.at("socket").contains("tcp_info"));
  FdInfo ep = file_fd(11, FdKind::Epoll, 0, "anon_inode:[eventpoll]");
  ep.facts.push_back(Fact::list("targets", {{Fact::num("tfd", 3), Fact::str("events", "EPOLLIN")}}));
  out.clear();
  JsonWriter w2(out);
  render_json(w2, ep);
  j = nlohmann::json::parse(out);
  EXPECT_EQ(j.at("facts").at("targets").at(0).at("tfd"), 3);
  EXPECT_EQ(j.at("facts").at("targets").at(0).at("events"), "EPOLLIN");
  EXPECT_EQ(j.at("type"), "epoll");
}

}  // namespace
}  // namespace fdscope
