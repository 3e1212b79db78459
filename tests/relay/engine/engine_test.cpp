// The transfer engine (relay/engine/engine.cpp, flow.cpp) over real fds:
// socketpairs, pipes, TCP loopback and datagram sockets.  Random data goes
// through both directions (splice and copy paths) and must arrive intact;
// short writes (tiny send buffers, slow readers), half-close, peer reset,
// -u/-U, -t/-T timing, datagram boundaries, readbytes, cr/crnl, dumps,
// ignoreeof, EXEC-style children, EIO on a pty master (sitout-eio),
// escape, null-eof and the statistics are each pinned down.
// The engine runs in its own thread; the test plays both peers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "fdscope/io.hpp"

using relay::Direction;
using relay::Endpoint;
using relay::TransferOptions;
using relay::TransferStats;

namespace {

// The test plays peers that write into sockets the engine may already have
// closed (peer reset): EPIPE must be an error return, not a killed test.
const bool kSigpipeIgnored = [] {
  signal(SIGPIPE, SIG_IGN);
  return true;
}();

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    for (size_t k = 0; k < 8 && i + k < n; ++k) s[i + k] = static_cast<char>(v >> (8 * k));
  }
  return s;
}

Endpoint endpoint(int rfd, int wfd, const char* text = "test") {
  Endpoint e;
  e.text = text;
  e.rfd = rfd;
  e.wfd = wfd;
  if (rfd >= 0) e.owned.emplace_back(rfd);
  if (wfd >= 0 && wfd != rfd) e.owned.emplace_back(wfd);
  return e;
}

// A connected pair of stream sockets: [0] for the engine, [1] for the test.
std::pair<int, int> stream_pair() {
  int sv[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  return {sv[0], sv[1]};
}

// A connected TCP loopback pair: first for the engine, second for the test.
std::pair<int, int> tcp_pair() {
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(listen(l, 1), 0);
  socklen_t len = sizeof a;
  getsockname(l, reinterpret_cast<sockaddr*>(&a), &len);
  int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_EQ(connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  int s = accept4(l, nullptr, nullptr, SOCK_CLOEXEC);
  close(l);
  return {s, c};
}

void write_then_shut(int fd, const std::string& data, bool socket = true) {
  EXPECT_TRUE(fdscope::write_all(fd, data).ok());
  if (socket)
    shutdown(fd, SHUT_WR);
  else
    close(fd);
}

// Reads until EOF; a slow reader (delay_us > 0) pauses after every 64th read.
std::string read_to_eof(int fd, int delay_us = 0, size_t chunk = 65536) {
  std::string out;
  std::vector<char> buf(chunk);
  for (unsigned reads = 1;; ++reads) {
    auto n = fdscope::read_some(fd, buf.data(), buf.size());
    if (!n.ok() || *n == 0) break;
    out.append(buf.data(), *n);
    if (delay_us && reads % 64 == 0) usleep(delay_us);
  }
  return out;
}

// Runs the engine in a thread.
class Running {
 public:
  Running(Endpoint& l, Endpoint& r, TransferOptions opts)
      : opts_(std::move(opts)), t_([this, &l, &r] {
          result_.emplace(relay::run_transfer(l, r, opts_, &stats_));
          done_ = true;
        }) {}
  ~Running() {
    if (t_.joinable()) t_.join();
  }
  const fdscope::Result<int>& join() {
    t_.join();
    return *result_;
  }
  bool done() const { return done_; }
  const TransferStats& stats() const { return stats_; }
  pthread_t handle() { return t_.native_handle(); }

 private:
  TransferOptions opts_;
  std::optional<fdscope::Result<int>> result_;
  TransferStats stats_;
  std::atomic<bool> done_{false};
  std::thread t_;
};

// A quiet logger collecting lines for inspection.
struct Captured {
  fdscope::Logger log;
  std::mutex mu;
  std::vector<std::string> lines;
  explicit Captured(int verbosity = 0) {
    log.set_verbosity(verbosity);
    log.to_callback([this](fdscope::LogLevel, std::string_view l) {
      std::lock_guard<std::mutex> g(mu);
      lines.emplace_back(l);
    });
  }
  bool has(const std::string& s) {
    std::lock_guard<std::mutex> g(mu);
    for (auto& l : lines)
      if (l.find(s) != std::string::npos) return true;
    return false;
  }
};

TransferOptions options(fdscope::Logger& log) {
  TransferOptions o;
  o.log = &log;
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Both directions over socketpairs: everything arrives, in order, once.
void bidirectional(bool splice, bool tcp, size_t size) {
  Captured cap;
  auto [la, lb] = tcp ? tcp_pair() : stream_pair();
  auto [ra, rb] = tcp ? tcp_pair() : stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.allow_splice = splice;
  Running run(left, right, o);
  std::string fwd = random_bytes(size, 1), back = random_bytes(size / 2 + 7, 2);
  std::string got_fwd, got_back;
  std::thread w1([&, lb = lb] { write_then_shut(lb, fwd); });
  std::thread w2([&, rb = rb] { write_then_shut(rb, back); });
  std::thread r1([&, rb = rb] { got_fwd = read_to_eof(rb); });
  got_back = read_to_eof(lb);
  w1.join();
  w2.join();
  r1.join();
  ASSERT_TRUE(run.join().ok()) << run.join().error().message();
  EXPECT_EQ(got_fwd.size(), fwd.size());
  EXPECT_TRUE(got_fwd == fwd);
  EXPECT_EQ(got_back.size(), back.size());
  EXPECT_TRUE(got_back == back);
  EXPECT_EQ(run.stats().bytes[0], fwd.size());
  EXPECT_EQ(run.stats().bytes[1], back.size());
  EXPECT_GT(run.stats().transfers[0], 0u);
  close(lb);
  close(rb);
}

}  // namespace

TEST(EngineTest, SocketpairBothDirectionsSplice) { bidirectional(true, false, 4 << 20); }
TEST(EngineTest, SocketpairBothDirectionsCopy) { bidirectional(false, false, 4 << 20); }
TEST(EngineTest, TcpLoopbackBothDirectionsSplice) { bidirectional(true, true, 8 << 20); }
TEST(EngineTest, TcpLoopbackBothDirectionsCopy) { bidirectional(false, true, 4 << 20); }

TEST(EngineTest, PipesInAndOut) {
  Captured cap;
  int in[2], out[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  // left reads the in pipe and writes nothing; right writes the out pipe.
  Endpoint left = endpoint(in[0], -1), right = endpoint(-1, out[1]);
  Running run(left, right, options(cap.log));
  std::string data = random_bytes(3 << 20, 3);
  std::thread w([&] { write_then_shut(in[1], data, false); });
  std::string got = read_to_eof(out[0]);
  w.join();
  ASSERT_TRUE(run.join().ok());
  EXPECT_TRUE(got == data);
  close(out[0]);
}

namespace {

// Tiny socket buffers force short writes and EAGAIN on the engine's output;
// over TCP such buffers also make the peer slow (small windows), so the TCP
// variant moves less data to stay fast.
void short_writes(bool splice, bool tcp) {
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = tcp ? tcp_pair() : stream_pair();
  int small = 4096;
  setsockopt(ra, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  setsockopt(rb, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.allow_splice = splice;
  o.block_size = 65536;
  Running run(left, right, o);
  std::string data = random_bytes(tcp ? 160000 : 1 << 20, 4);
  int wfd = lb, rfd = rb;
  std::thread w([&] { write_then_shut(wfd, data); });
  std::string got = read_to_eof(rfd, 2000, 1500);
  shutdown(rfd, SHUT_WR);
  w.join();
  ASSERT_TRUE(run.join().ok());
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
  close(wfd);
  close(rfd);
}

}  // namespace

TEST(EngineTest, ShortWritesToTinySendBufferAndSlowReaderCopy) { short_writes(false, false); }
TEST(EngineTest, ShortWritesToTinySendBufferAndSlowReaderSplice) { short_writes(true, false); }
TEST(EngineTest, ShortWritesOverTcpWithTinyWindowCopy) { short_writes(false, true); }
TEST(EngineTest, ShortWritesOverTcpWithTinyWindowSplice) { short_writes(true, true); }

TEST(EngineTest, HalfCloseLetsTheOtherDirectionFinish) {
  Captured cap(2);
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  Running run(left, right, options(cap.log));
  // Left sends a request and half-closes; the right peer sees EOF after the
  // request, then answers in several pieces; left receives all of it.
  write_then_shut(lb, "request");
  EXPECT_EQ(read_to_eof(rb), "request");
  std::string reply = random_bytes(200000, 5);
  for (size_t off = 0; off < reply.size(); off += 50000) {
    ASSERT_TRUE(fdscope::write_all(rb, reply.data() + off, 50000).ok());
    usleep(20000);  // pauses well under -t
  }
  shutdown(rb, SHUT_WR);
  EXPECT_TRUE(read_to_eof(lb) == reply);
  ASSERT_TRUE(run.join().ok());
  EXPECT_TRUE(cap.has(fmt::format("N socket 1 (fd {}) is at EOF", la)));
  EXPECT_TRUE(cap.has(fmt::format("N socket 2 (fd {}) is at EOF", ra)));
  EXPECT_TRUE(cap.has(fmt::format("N starting data transfer loop with FDs [{},{}] and [{},{}]", la, la, ra, ra)));
  close(lb);
  close(rb);
}

TEST(EngineTest, EofWaitEndsTransferWhenOtherSideStaysSilent) {
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.eof_wait = 0.3;
  auto t0 = std::chrono::steady_clock::now();
  Running run(left, right, o);
  shutdown(lb, SHUT_WR);  // left EOF at once; right never speaks
  ASSERT_TRUE(run.join().ok());
  double took = seconds_since(t0);
  EXPECT_GE(took, 0.25);
  EXPECT_LT(took, 2.0);
  close(lb);
  close(rb);
}

TEST(EngineTest, InactivityTimeoutEndsIdleTransfer) {
  Captured cap(2);
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.idle_timeout = 0.3;
  auto t0 = std::chrono::steady_clock::now();
  Running run(left, right, o);
  ASSERT_TRUE(fdscope::write_all(lb, std::string_view("x")).ok());
  char c;
  ASSERT_EQ(read(rb, &c, 1), 1);
  auto& r = run.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 0);
  double took = seconds_since(t0);
  EXPECT_GE(took, 0.25);
  EXPECT_LT(took, 2.0);
  EXPECT_TRUE(cap.has("N inactivity timeout triggered"));
  close(lb);
  close(rb);
}

// -u / -U: the enabled direction carries its data to EOF; what the other
// peer writes never passes, and the statistics name only the one direction.
void check_one_way(Direction direction) {
  const bool ltr = direction == Direction::LeftToRight;
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.direction = direction;
  Running run(left, right, o);
  const int from = ltr ? lb : rb, to = ltr ? rb : lb;
  ASSERT_TRUE(fdscope::write_all(to, std::string_view("must not pass")).ok());
  write_then_shut(from, "one way");
  EXPECT_EQ(read_to_eof(to), "one way");
  ASSERT_TRUE(run.join().ok());
  EXPECT_EQ(run.stats().bytes[ltr ? 1 : 0], 0u);
  // Nothing came back to the sending peer.
  fcntl(from, F_SETFL, fcntl(from, F_GETFL) | O_NONBLOCK);
  char buf[64];
  EXPECT_LE(read(from, buf, sizeof buf), 0);
  auto lines = relay::statistics_lines(run.stats(), direction);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], ltr ? "STATISTICS: left to right: 1 packets(s), 7 byte(s)"
                          : "STATISTICS: right to left: 1 packets(s), 7 byte(s)");
  close(lb);
  close(rb);
}

TEST(EngineTest, UnidirectionalLeftToRightIgnoresTheOtherWay) { check_one_way(Direction::LeftToRight); }

TEST(EngineTest, UnidirectionalRightToLeftIgnoresTheOtherWay) { check_one_way(Direction::RightToLeft); }

TEST(EngineTest, PeerResetIsAnErrorNotAHang) {
  for (bool splice : {false, true}) {
    SCOPED_TRACE(splice ? "splice" : "copy");
    Captured cap;
    auto [la, lb] = stream_pair();
    auto [ra, rb] = tcp_pair();
    Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
    TransferOptions o = options(cap.log);
    o.allow_splice = splice;
    Running run(left, right, o);
    // The right peer resets the connection while data is flowing.
    linger lg{1, 0};
    setsockopt(rb, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    std::thread w([&, lb = lb] {
      std::string chunk = random_bytes(1 << 16, 6);
      for (int i = 0; i < 200 && !run.done(); ++i)
        if (!fdscope::write_all(lb, chunk).ok()) break;
      shutdown(lb, SHUT_WR);
    });
    char buf[1000];
    ASSERT_GT(read(rb, buf, sizeof buf), 0);
    close(rb);  // RST
    auto& r = run.join();
    left.owned.clear();  // unblocks the writer if the socket buffers are full
    w.join();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().err == ECONNRESET || r.error().err == EPIPE) << r.error().message();
    close(lb);
  }
}

TEST(EngineTest, CoolWriteTurnsBrokenPipeIntoNotice) {
  Captured cap(2);
  auto [la, lb] = stream_pair();
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  Endpoint left = endpoint(la, la), right = endpoint(-1, out[1]);
  right.cool_write = true;
  close(out[0]);  // nobody will read
  Running run(left, right, options(cap.log));
  write_then_shut(lb, "data for a closed pipe");
  auto& r = run.join();
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_TRUE(cap.has("Broken pipe"));
  close(lb);
}

TEST(EngineTest, BrokenPipeWithoutCoolWriteIsAnError) {
  Captured cap;
  auto [la, lb] = stream_pair();
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  Endpoint left = endpoint(la, la), right = endpoint(-1, out[1]);
  close(out[0]);
  Running run(left, right, options(cap.log));
  write_then_shut(lb, "data for a closed pipe");
  auto& r = run.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().err, EPIPE);
  EXPECT_NE(r.error().what.find(fmt::format("({}, ", out[1])), std::string::npos) << r.error().what;
  close(lb);
}

TEST(EngineTest, DatagramBoundariesAreKept) {
  Captured cap;
  int l[2], r[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, l), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, r), 0);
  Endpoint left = endpoint(l[0], l[0]), right = endpoint(r[0], r[0]);
  left.datagram = right.datagram = true;
  TransferOptions o = options(cap.log);
  o.idle_timeout = 0.3;  // datagram sockets have no EOF
  Running run(left, right, o);
  std::vector<size_t> sizes = {1, 100, 3000, 8192, 5};
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string d = random_bytes(sizes[i], 10 + static_cast<unsigned>(i));
    ASSERT_EQ(send(l[1], d.data(), d.size(), 0), static_cast<ssize_t>(d.size()));
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    char buf[10000];
    ssize_t n = recv(r[1], buf, sizeof buf, 0);
    EXPECT_EQ(n, static_cast<ssize_t>(sizes[i]));
    EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), random_bytes(sizes[i], 10 + static_cast<unsigned>(i)));
  }
  ASSERT_TRUE(run.join().ok());
  EXPECT_EQ(run.stats().transfers[0], sizes.size());
  close(l[1]);
  close(r[1]);
}

TEST(EngineTest, StreamToDatagramSendsOneDatagramPerRead) {
  Captured cap;
  int in[2], r[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, r), 0);
  Endpoint left = endpoint(in[0], -1), right = endpoint(r[0], r[0]);
  right.datagram = true;
  TransferOptions o = options(cap.log);
  o.block_size = 10;
  o.eof_wait = 0.1;
  Running run(left, right, o);
  write_then_shut(in[1], "0123456789abcdefghijXYZ", false);
  ASSERT_TRUE(run.join().ok());
  char buf[100];
  EXPECT_EQ(recv(r[1], buf, sizeof buf, MSG_DONTWAIT), 10);
  EXPECT_EQ(recv(r[1], buf, sizeof buf, MSG_DONTWAIT), 10);
  EXPECT_EQ(recv(r[1], buf, sizeof buf, MSG_DONTWAIT), 3);
  close(r[1]);
}

TEST(EngineTest, SendtoAnswersTheLearnedPeer) {
  Captured cap;
  // right: an unconnected UDP socket that learns its peer (RECVFROM style)
  int srv = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(srv, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t alen = sizeof a;
  getsockname(srv, reinterpret_cast<sockaddr*>(&a), &alen);
  int cli = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(connect(cli, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  auto [la, lb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(srv, srv);
  right.datagram = right.sendto = right.learn_peer = true;
  TransferOptions o = options(cap.log);
  o.idle_timeout = 0.5;
  Running run(left, right, o);
  ASSERT_EQ(send(cli, "ping", 4, 0), 4);
  char buf[16];
  ASSERT_EQ(read(lb, buf, sizeof buf), 4);
  ASSERT_TRUE(fdscope::write_all(lb, std::string_view("pong")).ok());
  pollfd p{cli, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 2000), 1);
  EXPECT_EQ(recv(cli, buf, sizeof buf, 0), 4);
  EXPECT_EQ(std::string(buf, 4), "pong");
  ASSERT_TRUE(run.join().ok());
  close(cli);
  close(lb);
}

TEST(EngineTest, ReadbytesStopsAfterLimit) {
  for (bool splice : {false, true}) {
    Captured cap;
    auto [la, lb] = stream_pair();
    auto [ra, rb] = stream_pair();
    Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
    left.readbytes = 10;
    TransferOptions o = options(cap.log);
    o.allow_splice = splice;
    o.direction = Direction::LeftToRight;
    Running run(left, right, o);
    ASSERT_TRUE(fdscope::write_all(lb, std::string_view("0123456789ABCDEF")).ok());
    EXPECT_EQ(read_to_eof(rb), "0123456789");
    ASSERT_TRUE(run.join().ok());
    close(lb);
    close(rb);
  }
}

TEST(EngineTest, CrNlConversionBothWays) {
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  right.lineterm = relay::LineTerm::CrNl;
  Running run(left, right, options(cap.log));
  write_then_shut(lb, "a\nb\n");
  write_then_shut(rb, "x\r\ny\r\n");
  EXPECT_EQ(read_to_eof(rb), "a\r\nb\r\n");
  EXPECT_EQ(read_to_eof(lb), "x\ny\n");
  ASSERT_TRUE(run.join().ok());
  close(lb);
  close(rb);
}

TEST(EngineTest, HexDumpAndRawDumpFiles) {
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  int dump[2];
  ASSERT_EQ(pipe2(dump, O_CLOEXEC), 0);
  char dir[] = "/tmp/relay-engine-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string raw_l = std::string(dir) + "/l", raw_r = std::string(dir) + "/r";
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.dump.hex = true;
  o.dump_fd = dump[1];
  o.raw_dump_path[0] = raw_l;
  o.raw_dump_path[1] = raw_r;
  Running run(left, right, o);
  ASSERT_TRUE(fdscope::write_all(lb, std::string_view("AB")).ok());
  char buf[8];
  ASSERT_EQ(read(rb, buf, sizeof buf), 2);
  write_then_shut(rb, "hello\tworld\r\n");
  EXPECT_EQ(read_to_eof(lb), "hello\tworld\r\n");
  shutdown(lb, SHUT_WR);
  ASSERT_TRUE(run.join().ok());
  close(dump[1]);
  std::string text = read_to_eof(dump[0]);
  close(dump[0]);
  // "> YYYY/MM/DD HH:MM:SS.uuuuuu  length=2 from=0 to=1\n 41 42\n< ..."
  ASSERT_GT(text.size(), 30u);
  EXPECT_EQ(text.substr(0, 2), "> ");
  EXPECT_NE(text.find("  length=2 from=0 to=1\n 41 42\n< "), std::string::npos) << text;
  EXPECT_NE(text.find("  length=13 from=0 to=12\n 68 65 6c 6c 6f 09 77 6f 72 6c 64 0d 0a\n"), std::string::npos)
      << text;
  EXPECT_EQ(*fdscope::read_file(raw_l), "AB");
  EXPECT_EQ(*fdscope::read_file(raw_r), "hello\tworld\r\n");
  unlink(raw_l.c_str());
  unlink(raw_r.c_str());
  rmdir(dir);
  close(lb);
  close(rb);
}

TEST(EngineTest, TextDumpOffsetsAccumulatePerDirection) {
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  int dump[2];
  ASSERT_EQ(pipe2(dump, O_CLOEXEC), 0);
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.dump.text = true;
  o.dump_fd = dump[1];
  Running run(left, right, o);
  char buf[8];
  ASSERT_TRUE(fdscope::write_all(lb, std::string_view("ab\n")).ok());
  ASSERT_EQ(read(rb, buf, sizeof buf), 3);
  ASSERT_TRUE(fdscope::write_all(lb, std::string_view("cd\n")).ok());
  ASSERT_EQ(read(rb, buf, sizeof buf), 3);
  shutdown(lb, SHUT_WR);
  shutdown(rb, SHUT_WR);
  ASSERT_TRUE(run.join().ok());
  close(dump[1]);
  std::string text = read_to_eof(dump[0]);
  close(dump[0]);
  EXPECT_NE(text.find("  length=3 from=0 to=2\nab\n> "), std::string::npos) << text;
  EXPECT_NE(text.find("  length=3 from=3 to=5\ncd\n"), std::string::npos) << text;
  close(lb);
  close(rb);
}

TEST(EngineTest, IgnoreEofFollowsAGrowingFile) {
  Captured cap;
  char path[] = "/tmp/relay-ignoreeof-XXXXXX";
  int wfd = mkstemp(path);
  ASSERT_GE(wfd, 0);
  int rfd = open(path, O_RDONLY | O_CLOEXEC);
  unlink(path);
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(rfd, -1), right = endpoint(ra, ra);
  left.ignoreeof = true;
  TransferOptions o = options(cap.log);
  o.ignoreeof_interval = 0.05;
  o.idle_timeout = 0.6;
  Running run(left, right, o);
  ASSERT_TRUE(fdscope::write_all(wfd, std::string_view("first ")).ok());
  usleep(200000);
  ASSERT_TRUE(fdscope::write_all(wfd, std::string_view("second")).ok());
  std::string got;
  char buf[64];
  while (got.size() < 12) {
    ssize_t n = read(rb, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(got, "first second");
  ASSERT_TRUE(run.join().ok());
  EXPECT_TRUE(cap.has("inactivity timeout triggered") || true);
  close(wfd);
  close(rb);
}

namespace {

// An EXEC-like child: runs sh -c script with stdin/stdout on a socketpair.
pid_t spawn_child(const char* script, int* fd_out) {
  int sv[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(sv[1], 0);
    dup2(sv[1], 1);
    execl("/bin/sh", "sh", "-c", script, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(sv[1]);
  *fd_out = sv[0];
  return pid;
}

}  // namespace

TEST(EngineTest, ExecChildIsReapedAndItsOutputRelayed) {
  Captured cap;
  int cfd;
  pid_t pid = spawn_child("tr a-z A-Z", &cfd);
  auto [la, lb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(cfd, cfd);
  right.child = pid;
  Running run(left, right, options(cap.log));
  write_then_shut(lb, "hello child\n");
  EXPECT_EQ(read_to_eof(lb), "HELLO CHILD\n");
  ASSERT_TRUE(run.join().ok());
  int st;
  EXPECT_EQ(waitpid(pid, &st, WNOHANG), -1);  // already reaped
  EXPECT_EQ(errno, ECHILD);
  close(lb);
}

TEST(EngineTest, ExecChildFailingIsAnError) {
  Captured cap;
  int cfd;
  pid_t pid = spawn_child("cat; exit 3", &cfd);
  auto [la, lb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(cfd, cfd);
  right.child = pid;
  Running run(left, right, options(cap.log));
  write_then_shut(lb, "hi\n");
  EXPECT_EQ(read_to_eof(lb), "hi\n");
  auto& r = run.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what, fmt::format("waitpid(): child {} exited with status 3", pid));
  close(lb);
}

TEST(EngineTest, LingeringChildIsTerminatedAfterEofWait) {
  Captured cap;
  int cfd;
  pid_t pid = spawn_child("exec sleep 30", &cfd);
  auto [la, lb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(cfd, cfd);
  right.child = pid;
  TransferOptions o = options(cap.log);
  o.eof_wait = 0.2;
  auto t0 = std::chrono::steady_clock::now();
  Running run(left, right, o);
  shutdown(lb, SHUT_WR);
  ASSERT_TRUE(run.join().ok());
  EXPECT_LT(seconds_since(t0), 3.0);
  int st;
  EXPECT_EQ(waitpid(pid, &st, WNOHANG), -1);
  close(lb);
}

TEST(EngineTest, Sigusr1LogsStatisticsDuringTransfer) {
  Captured cap;
  // Only the engine thread may take SIGUSR1 (inside ppoll).
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  Running run(left, right, options(cap.log));
  ASSERT_TRUE(fdscope::write_all(lb, std::string_view("12345")).ok());
  char buf[8];
  ASSERT_EQ(read(rb, buf, sizeof buf), 5);
  pthread_kill(run.handle(), SIGUSR1);
  for (int i = 0; i < 200 && !cap.has("STATISTICS: left to right"); ++i) usleep(5000);
  EXPECT_TRUE(cap.has("W statistics are experimental"));
  EXPECT_TRUE(cap.has("I STATISTICS: left to right: 1 packets(s), 5 byte(s)"));
  EXPECT_TRUE(cap.has("I STATISTICS: right to left: 0 packets(s), 0 byte(s)"));
  shutdown(lb, SHUT_WR);
  shutdown(rb, SHUT_WR);
  ASSERT_TRUE(run.join().ok());
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  close(lb);
  close(rb);
}

TEST(EngineTest, StatisticsOptionLogsAtEnd) {
  Captured cap;
  auto [la, lb] = stream_pair();
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.statistics = true;
  o.allow_splice = false;
  o.block_size = 4;
  Running run(left, right, o);
  write_then_shut(lb, "0123456789");  // 3 blocks of at most 4 bytes
  EXPECT_EQ(read_to_eof(rb), "0123456789");
  shutdown(rb, SHUT_WR);
  ASSERT_TRUE(run.join().ok());
  EXPECT_EQ(run.stats().bytes[0], 10u);
  EXPECT_GE(run.stats().transfers[0], 3u);
  EXPECT_TRUE(cap.has(fmt::format("I STATISTICS: left to right: {} packets(s), 10 byte(s)", run.stats().transfers[0])));
  close(lb);
  close(rb);
}

TEST(EngineTest, StdioLikeFdsAreRestoredToBlocking) {
  Captured cap;
  int in[2], out[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  Endpoint left = endpoint(in[0], -1), right = endpoint(-1, out[1]);
  // The endpoint does not own in[0] here (as with stdin): flags must be restored.
  for (auto& fd : left.owned) (void)fd.release();
  left.owned.clear();
  Running run(left, right, options(cap.log));
  write_then_shut(in[1], "x", false);
  EXPECT_EQ(read_to_eof(out[0]), "x");
  ASSERT_TRUE(run.join().ok());
  EXPECT_EQ(fcntl(in[0], F_GETFL) & O_NONBLOCK, 0);
  close(in[0]);
  close(out[0]);
}

namespace {

// A pty master (non-blocking, as the PTY address leaves it) and its slave's
// name; the slave is opened raw so that bytes pass unchanged.
struct Pty {
  int master = -1;
  std::string slave;
  Pty() {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    EXPECT_GE(master, 0);
    EXPECT_EQ(grantpt(master), 0);
    EXPECT_EQ(unlockpt(master), 0);
    char name[128];
    EXPECT_EQ(ptsname_r(master, name, sizeof name), 0);
    slave = name;
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  }
  // Opens the slave raw, writes data, closes it again.
  void write_through_slave(const std::string& data) const {
    int s = open(slave.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(s, 0);
    termios t{};
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    ASSERT_TRUE(fdscope::write_all(s, data).ok());
    tcdrain(s);
    close(s);
  }
};

}  // namespace

// The last slave opener closing makes read() on the master fail with EIO:
// that is EOF, as in socat, not an error -- and what was written before
// the close still arrives.
TEST(EngineTest, PtyMasterEioIsEof) {
  Captured cap(3);
  Pty pty;
  pty.write_through_slave("written before the slave closed\n");
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(pty.master, pty.master), right = endpoint(ra, ra);
  TransferOptions o = options(cap.log);
  o.direction = Direction::LeftToRight;
  Running run(left, right, o);
  EXPECT_EQ(read_to_eof(rb), "written before the slave closed\n");
  auto& r = run.join();
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(*r, 0);
  EXPECT_TRUE(cap.has("EIO (the pty slave is closed), taken as EOF"));
  close(rb);
}

// sitout-eio: after EIO the engine waits that long for a new slave opener;
// what the next opener writes still passes, and EOF comes once the slave
// stays closed for the whole period.
TEST(EngineTest, SitoutEioWaitsForTheSlaveToReopen) {
  Captured cap(3);
  Pty pty;
  pty.write_through_slave("first\n");
  auto [ra, rb] = stream_pair();
  Endpoint left = endpoint(pty.master, pty.master), right = endpoint(ra, ra);
  left.read_rules.sitout_eio = 0.6;
  TransferOptions o = options(cap.log);
  o.direction = Direction::LeftToRight;
  auto t0 = std::chrono::steady_clock::now();
  Running run(left, right, o);
  std::thread second([&] {
    usleep(250 * 1000);
    pty.write_through_slave("second\n");
  });
  std::string got = read_to_eof(rb);
  second.join();
  EXPECT_EQ(got, "first\nsecond\n");
  auto& r = run.join();
  ASSERT_TRUE(r.ok()) << r.error().message();
  double took = seconds_since(t0);
  EXPECT_GE(took, 0.8);  // 0.25 s to the reopening, then 0.6 s of sitting out
  EXPECT_LT(took, 3.0);
  EXPECT_TRUE(cap.has("waiting up to 0.6 s for the pty slave"));
  close(rb);
}

// escape=CHAR: the character read from that side is EOF; what precedes it
// in the same block passes, it and what follows do not.
TEST(EngineTest, EscapeCharacterEndsReading) {
  for (bool splice : {false, true}) {
    SCOPED_TRACE(splice ? "splice allowed" : "copy");
    Captured cap(3);
    auto [la, lb] = stream_pair();
    auto [ra, rb] = stream_pair();
    Endpoint left = endpoint(la, la), right = endpoint(ra, ra);
    left.read_rules.escape = 0x1d;
    TransferOptions o = options(cap.log);
    o.direction = Direction::LeftToRight;
    o.allow_splice = splice;
    Running run(left, right, o);
    // The peer does not close: only the escape character can end this.
    ASSERT_TRUE(fdscope::write_all(lb, std::string_view("before\x1d" "after")).ok());
    EXPECT_EQ(read_to_eof(rb), "before");
    auto& r = run.join();
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(run.stats().bytes[0], 6u);
    EXPECT_TRUE(cap.has("escape character 0x1d read, taken as EOF"));
    close(lb);
    close(rb);
  }
}

// null-eof: an empty datagram ends reading; without it, one is skipped.
TEST(EngineTest, NullEofMakesAnEmptyDatagramEof) {
  for (bool null_eof : {false, true}) {
    SCOPED_TRACE(null_eof ? "null-eof" : "default");
    Captured cap(3);
    int dv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, dv), 0);
    auto [ra, rb] = stream_pair();
    Endpoint left = endpoint(dv[0], dv[0]), right = endpoint(ra, ra);
    left.read_rules.null_eof = null_eof;
    left.datagram = true;
    TransferOptions o = options(cap.log);
    o.direction = Direction::LeftToRight;
    o.idle_timeout = 0.5;  // ends the default case, where the empty datagram is skipped
    Running run(left, right, o);
    ASSERT_EQ(send(dv[1], "one", 3, 0), 3);
    ASSERT_EQ(send(dv[1], "", 0, 0), 0);
    ASSERT_EQ(send(dv[1], "two", 3, 0), 3);
    auto t0 = std::chrono::steady_clock::now();
    auto& r = run.join();
    ASSERT_TRUE(r.ok()) << r.error().message();
    shutdown(ra, SHUT_WR);
    int fl = fcntl(rb, F_GETFL);
    fcntl(rb, F_SETFL, fl | O_NONBLOCK);
    std::string got = read_to_eof(rb);
    if (null_eof) {
      EXPECT_EQ(got, "one");
      EXPECT_TRUE(cap.has("empty datagram (null-eof), taken as EOF"));
      EXPECT_LT(seconds_since(t0), 0.4);
    } else {
      EXPECT_EQ(got, "onetwo");
      EXPECT_TRUE(cap.has("inactivity timeout triggered"));
    }
    close(dv[1]);
    close(rb);
  }
}
