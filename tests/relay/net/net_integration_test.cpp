// Integration tests of the network addresses through the real relay binary:
// random data (sha256-compared) through TCP4, TCP6, UNIX, ABSTRACT and UDP,
// fork servers with concurrent clients and max-children, half-close, peer
// reset, slow readers, no zombies, retry, the hardened UNIX listener and
// peer authorization.  Each test relays to an echo server the test runs, so
// only relay's own network addresses are exercised.
#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "relay_harness.hpp"
#include "sha256.hpp"

using namespace relay_test;

#define NEED_RELAY() \
  if (!have_relay()) GTEST_SKIP() << "relay binary not built (" << relay_path() << ")"

namespace {

std::string tempdir() {
  char tmpl[] = "/tmp/relay-net-XXXXXX";
  return ::mkdtemp(tmpl) ? tmpl : "/tmp";
}

void expect_same(const std::string& sent, const std::string& got) {
  EXPECT_EQ(got.size(), sent.size());
  EXPECT_EQ(sha256(got), sha256(sent));
}

}  // namespace

TEST(RelayNet, Tcp4IntegrityBothDirectionsWithHalfClose) {
  NEED_RELAY();
  int sink_port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1", "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  ASSERT_GE(c, 0);
  std::string data = random_bytes(4 << 20, 1);
  expect_same(data, roundtrip(c, data));
  ::close(c);
  EXPECT_EQ(r.wait_exit(), 0) << r.log;
  EXPECT_NE(r.log.find("accepting connection from AF=2 127.0.0.1:"), std::string::npos) << r.log;
}

TEST(RelayNet, Tcp6LoopbackIntegrity) {
  NEED_RELAY();
  int sink_port;
  EchoServer echo(listen_inet(AF_INET6, &sink_port));
  auto r = start_relay({"-d", "-d", "TCP6-LISTEN:0,bind=[::1]", "TCP6:[::1]:" + std::to_string(sink_port)});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = connect_inet(AF_INET6, "::1", port);
  ASSERT_GE(c, 0);
  std::string data = random_bytes(3 << 20, 2);
  expect_same(data, roundtrip(c, data));
  ::close(c);
  EXPECT_EQ(r.wait_exit(), 0) << r.log;
}

TEST(RelayNet, UnixPathAndAbstractIntegrity) {
  NEED_RELAY();
  std::string dir = tempdir();
  std::string sink = dir + "/sink.sock", front = dir + "/front.sock";
  EchoServer echo(listen_unix(sink));
  auto r = start_relay({"-d", "-d", "UNIX-LISTEN:" + front, "UNIX-CONNECT:" + sink});
  ASSERT_TRUE(r.wait_log("listening on")) << r.log;
  int c = connect_unix(front);
  ASSERT_GE(c, 0);
  std::string data = random_bytes(2 << 20, 3);
  expect_same(data, roundtrip(c, data));
  ::close(c);
  EXPECT_EQ(r.wait_exit(), 0) << r.log;
  struct stat st;
  EXPECT_NE(::lstat(front.c_str(), &st), 0) << "unlink-close left the socket behind";

  std::string name = "relay-test-" + std::to_string(::getpid());
  auto a = start_relay({"-d", "-d", "ABSTRACT-LISTEN:" + name, "UNIX-CONNECT:" + sink});
  ASSERT_TRUE(a.wait_log("listening on")) << a.log;
  int ac = connect_unix(name, true);
  ASSERT_GE(ac, 0);
  expect_same(data, roundtrip(ac, data));
  ::close(ac);
  EXPECT_EQ(a.wait_exit(), 0) << a.log;
  std::system(("rm -rf " + dir).c_str());
}

TEST(RelayNet, SlowReaderGetsEverything) {
  NEED_RELAY();
  int sink_port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1", "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  std::string data = random_bytes(1 << 20, 4);
  expect_same(data, roundtrip(c, data, 1000));  // 4 KiB per ms: relay must wait, not drop
  ::close(c);
  EXPECT_EQ(r.wait_exit(), 0) << r.log;
}

TEST(RelayNet, ForkServerConcurrentClientsNoZombies) {
  NEED_RELAY();
  int sink_port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,fork", "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  std::vector<std::thread> clients;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&, i] {
      int c = connect_inet(AF_INET, "127.0.0.1", port);
      if (c < 0) return;
      std::string data = random_bytes(512 << 10, 100 + i);
      std::string got = roundtrip(c, data);
      ok[i] = sha256(got) == sha256(data);
      ::close(c);
    });
  for (auto& t : clients) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(ok[i]) << "client " << i;
  // Children exit after their transfer; the server reaps them all.
  double end = now_s() + 5;
  while ((children_of(r.pid) > 0) && now_s() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(children_of(r.pid), 0);
  EXPECT_EQ(zombies_of(r.pid), 0);
  EXPECT_EQ(::kill(r.pid, 0), 0) << "fork server must keep listening";
  r.drain();
  EXPECT_NE(r.log.find("forked off child process"), std::string::npos) << r.log;
}

TEST(RelayNet, MaxChildrenServesOneAtATime) {
  NEED_RELAY();
  int sink_port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,fork,max-children=1",
                        "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int first = connect_inet(AF_INET, "127.0.0.1", port);
  ASSERT_EQ(::send(first, "a", 1, 0), 1);
  char ch;
  ASSERT_EQ(::recv(first, &ch, 1, 0), 1);
  int second = connect_inet(AF_INET, "127.0.0.1", port);  // queued in the backlog
  ASSERT_EQ(::send(second, "b", 1, 0), 1);
  pollfd p{second, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 400), 0) << "second client served while max-children=1 was busy";
  ::close(first);
  EXPECT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(::recv(second, &ch, 1, 0), 1);
  EXPECT_EQ(ch, 'b');
  ::close(second);
}

TEST(RelayNet, PeerResetEndsTheRelay) {
  NEED_RELAY();
  int sink_port;
  int sink = listen_inet(AF_INET, &sink_port);
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1", "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  ASSERT_GE(c, 0);
  int s = ::accept(sink, nullptr, nullptr);
  ASSERT_GE(s, 0);
  linger lg{1, 0};
  ::setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  ::close(s);  // RST
  int status = r.wait_exit(10);
  EXPECT_GE(status, 0) << "relay hung after the peer reset\n" << r.log;
  char buf[16];
  EXPECT_LE(::recv(c, buf, sizeof buf, 0), 0);
  ::close(c);
  ::close(sink);
}

// A UDP echo server on 127.0.0.1 (ephemeral port): every datagram goes back
// to its sender, until stop() or the end of the scope.
class UdpEchoSink {
 public:
  UdpEchoSink() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    socklen_t sl = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &sl);
    port_ = ntohs(sa.sin_port);
    echo_ = std::thread([this] {
      std::vector<char> buf(70000);
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &fl);
        if (n >= 0) ::sendto(fd_, buf.data(), static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), fl);
      }
    });
  }
  ~UdpEchoSink() { stop(); }
  UdpEchoSink(const UdpEchoSink&) = delete;
  UdpEchoSink& operator=(const UdpEchoSink&) = delete;
  int port() const { return port_; }
  void stop() {
    stop_ = true;
    if (echo_.joinable()) echo_.join();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread echo_;
};

TEST(RelayNet, UdpListenKeepsDatagramBoundaries) {
  NEED_RELAY();
  UdpEchoSink sink;
  auto r = start_relay({"-d", "-d", "-T", "3", "UDP4-LISTEN:0,bind=127.0.0.1",
                        "UDP4-CONNECT:127.0.0.1:" + std::to_string(sink.port())});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  set_timeouts(c, 5);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  Sha256 sent, got;
  for (int i = 0; i < 40; ++i) {
    std::string pkt = random_bytes(1 + (i * 997) % 8000, 500 + i);
    sent.update(pkt);
    ASSERT_EQ(::send(c, pkt.data(), pkt.size(), 0), static_cast<ssize_t>(pkt.size()));
    char buf[70000];
    ssize_t n = ::recv(c, buf, sizeof buf, 0);
    ASSERT_EQ(n, static_cast<ssize_t>(pkt.size())) << "packet " << i << "\n" << r.log;
    got.update(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(sent.hex(), got.hex());
  ::close(c);
}

TEST(RelayNet, UdpRecvfromForkAnswersEachSender) {
  NEED_RELAY();
  UdpEchoSink sink;
  auto r = start_relay({"-d", "-d", "UDP4-RECVFROM:0,bind=127.0.0.1,fork",
                        "UDP4-SENDTO:127.0.0.1:" + std::to_string(sink.port())});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 3; ++i) {
    int c = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    set_timeouts(c, 5);
    std::string msg = "packet-" + std::to_string(i);
    ASSERT_EQ(::sendto(c, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(msg.size()));
    char buf[64];
    ssize_t n = ::recv(c, buf, sizeof buf, 0);
    ASSERT_EQ(n, static_cast<ssize_t>(msg.size())) << r.log;
    EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), msg);
    ::close(c);
  }
  sink.stop();
  double end = now_s() + 5;
  while (children_of(r.pid) > 0 && now_s() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(zombies_of(r.pid), 0);
}

TEST(RelayNet, ConnectRefusedIsOneErrorLineExit1) {
  NEED_RELAY();
  auto r = start_relay({"-d", "-d", "-", "TCP4:127.0.0.1:1"});
  EXPECT_EQ(r.wait_exit(), 1);
  EXPECT_NE(r.log.find("N opening connection to AF=2 127.0.0.1:1"), std::string::npos) << r.log;
  EXPECT_NE(r.log.find("E connect("), std::string::npos) << r.log;
  EXPECT_NE(r.log.find("AF=2 127.0.0.1:1, 16): Connection refused"), std::string::npos) << r.log;
}

TEST(RelayNet, RetryWaitsForTheServer) {
  NEED_RELAY();
  int port;
  int probe = listen_inet(AF_INET, &port);
  ::close(probe);  // the port is free now; nobody listens yet
  auto r = start_relay({"-d", "-d", "-u", "-", "TCP4:127.0.0.1:" + std::to_string(port) + ",retry=20,interval=0.1"});
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) GTEST_SKIP() << "port taken meanwhile";
  ASSERT_EQ(::listen(l, 4), 0);
  set_timeouts(l, 5);
  int c = ::accept(l, nullptr, nullptr);
  EXPECT_GE(c, 0) << r.log;
  EXPECT_EQ(r.wait_exit(), 0) << r.log;
  EXPECT_NE(r.log.find("retrying"), std::string::npos) << r.log;
  if (c >= 0) ::close(c);
  ::close(l);
}

TEST(RelayNet, SctpWorksOrSaysTheKernelLacksIt) {
  NEED_RELAY();
  int fd = ::socket(AF_INET, SOCK_STREAM, 132);
  if (fd >= 0) {
    ::close(fd);
    GTEST_SKIP() << "kernel has SCTP; the error path is not reachable here";
  }
  auto r = start_relay({"-", "SCTP4-LISTEN:0"});
  EXPECT_EQ(r.wait_exit(), 1);
  EXPECT_NE(r.log.find("SCTP is not available"), std::string::npos) << r.log;
}

class HardenedUnix : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_relay()) GTEST_SKIP() << "relay binary not built";
    dir_ = tempdir();
    path_ = dir_ + "/l.sock";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_, path_;
};

TEST_F(HardenedUnix, SymlinkAtPathIsRefusedAndKept) {
  std::string target = dir_ + "/target";
  ASSERT_EQ(::close(::open(target.c_str(), O_CREAT | O_WRONLY, 0600)), 0);
  ASSERT_EQ(::symlink(target.c_str(), path_.c_str()), 0);
  auto r = start_relay({"UNIX-LISTEN:" + path_ + ",unlink-early", "-"});
  EXPECT_EQ(r.wait_exit(), 1);
  EXPECT_NE(r.log.find("symbolic link"), std::string::npos) << r.log;
  struct stat st;
  EXPECT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(HardenedUnix, RegularFileIsRefusedWithSocatText) {
  ASSERT_EQ(::close(::open(path_.c_str(), O_CREAT | O_WRONLY, 0600)), 0);
  auto r = start_relay({"UNIX-LISTEN:" + path_, "-"});
  EXPECT_EQ(r.wait_exit(), 1);
  EXPECT_NE(r.log.find("\"" + path_ + "\" exists"), std::string::npos) << r.log;
}

TEST_F(HardenedUnix, StaleSocketIsReplacedLiveOneRefused) {
  {
    int stale = listen_unix(path_);
    ::close(stale);  // file stays, nobody listens: stale
  }
  int sink_port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  auto r = start_relay({"-d", "-d", "UNIX-LISTEN:" + path_ + ",fork", "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  ASSERT_TRUE(r.wait_log("listening on")) << r.log;
  int c = connect_unix(path_);
  ASSERT_GE(c, 0);
  std::string data = random_bytes(100000, 9);
  expect_same(data, roundtrip(c, data));
  ::close(c);

  auto second = start_relay({"UNIX-LISTEN:" + path_, "-"});
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_NE(second.log.find("in use"), std::string::npos) << second.log;
}

TEST_F(HardenedUnix, ModeComesFromPermAtBind) {
  auto r = start_relay({"-d", "-d", "UNIX-LISTEN:" + path_ + ",perm=0600", "-"});
  ASSERT_TRUE(r.wait_log("listening on")) << r.log;
  struct stat st;
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(HardenedUnix, PeerAuthorizationRefusesOtherUidAllowsRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as another uid";
  ::chmod(dir_.c_str(), 0755);
  int sink_port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  auto r = start_relay({"-d", "-d", "UNIX-LISTEN:" + path_ + ",fork,perm=0666,allow-uid=0",
                        "TCP4:127.0.0.1:" + std::to_string(sink_port)});
  ASSERT_TRUE(r.wait_log("listening on")) << r.log;

  // A client running as nobody: connects, sends, must get no data and EOF.
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(pipefd[0]);
    if (::setgid(65534) < 0 || ::setuid(65534) < 0) ::_exit(3);
    int c = connect_unix(path_);
    if (c < 0) ::_exit(4);
    ::send(c, "secret", 6, MSG_NOSIGNAL);
    char buf[16];
    ssize_t n = ::recv(c, buf, sizeof buf, 0);
    char verdict = n <= 0 ? 'R' : 'D';  // refused (EOF/reset) or got data
    ::write(pipefd[1], &verdict, 1);
    ::_exit(0);
  }
  ::close(pipefd[1]);
  char verdict = 0;
  ASSERT_EQ(::read(pipefd[0], &verdict, 1), 1);
  ::close(pipefd[0]);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(verdict, 'R');
  ASSERT_TRUE(r.wait_log("refusing connection")) << r.log;
  EXPECT_NE(r.log.find("not in allow-uid"), std::string::npos) << r.log;
  EXPECT_EQ(echo.accepted, 0) << "refused peer reached the other address";

  int c = connect_unix(path_);
  ASSERT_GE(c, 0);
  std::string data = random_bytes(50000, 11);
  expect_same(data, roundtrip(c, data));
  ::close(c);
}

TEST(RelayNet, ForkChildProgramSeesPeerAddressVariables) {
  NEED_RELAY();
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1,fork",
                        "SYSTEM:\"echo $RELAY_PEERADDR $RELAY_PEERPORT $SOCAT_SOCKPORT\""});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  ASSERT_GE(c, 0);
  sockaddr_in me{};
  socklen_t ml = sizeof me;
  ::getsockname(c, reinterpret_cast<sockaddr*>(&me), &ml);
  std::string got = roundtrip(c, "");
  ::close(c);
  EXPECT_EQ(got, "127.0.0.1 " + std::to_string(ntohs(me.sin_port)) + " " + std::to_string(port) + "\n") << r.log;
  double end = now_s() + 5;
  while (children_of(r.pid) > 0 && now_s() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(zombies_of(r.pid), 0);
}

TEST(RelayNet, AcceptFdServesAnInheritedListeningSocket) {
  NEED_RELAY();
  int sink_port, port;
  EchoServer echo(listen_inet(AF_INET, &sink_port));
  int l = listen_inet(AF_INET, &port);
  auto r = start_relay({"-d", "-d", "ACCEPT-FD:0", "TCP4:127.0.0.1:" + std::to_string(sink_port)}, l);
  ::close(l);
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  ASSERT_GE(c, 0);
  std::string data = random_bytes(1 << 20, 21);
  expect_same(data, roundtrip(c, data));
  ::close(c);
  EXPECT_EQ(r.wait_exit(), 0) << r.log;

  // A socket that is not listening is refused with a clear error.
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  auto bad = start_relay({"ACCEPT-FD:0", "-"}, sv[0]);
  EXPECT_EQ(bad.wait_exit(), 1);
  EXPECT_NE(bad.log.find("not listening"), std::string::npos) << bad.log;
  ::close(sv[0]);
  ::close(sv[1]);
}

TEST(RelayNet, UnixSendtoGetsAnswersFromADatagramServer) {
  NEED_RELAY();
  std::string dir = tempdir();
  std::string path = dir + "/dgram.sock";
  int srv = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  ASSERT_EQ(::bind(srv, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  std::thread echo([&] {
    pollfd p{srv, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return;
    char buf[256];
    sockaddr_un from{};
    socklen_t fl = sizeof from;
    ssize_t n = ::recvfrom(srv, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
    if (n > 0) ::sendto(srv, buf, static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), fl);
  });
  auto r = start_relay({"-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1", "UNIX-SENDTO:" + path});
  int port = r.port();
  ASSERT_GT(port, 0) << r.log;
  int c = connect_inet(AF_INET, "127.0.0.1", port);
  ASSERT_GE(c, 0);
  ASSERT_EQ(::send(c, "ping", 4, 0), 4);
  char buf[16];
  ssize_t n = ::recv(c, buf, sizeof buf, 0);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "ping") << r.log;
  ::close(c);
  echo.join();
  ::close(srv);
  std::system(("rm -rf " + dir).c_str());
}
