// relay's -dddd system call log (relay/core/syscall_log.hpp): the wrappers
// log socat's call and return lines at level D only and keep errno; and the
// real relay binary, run with -d -d -d -d, logs its open/socket/connect/
// bind/listen/accept and transfer calls with fds and AF=2 addresses, while
// -d -d -d logs no D lines at all; an EXEC/SYSTEM child logs its calls up
// to execvp.
#include "core/syscall_log.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "fdscope/io.hpp"
#include "fdscope/log.hpp"
#include "run_relay.hpp"

namespace {

// Collects the process logger's lines while alive; restores the defaults.
class CapturedLog {
 public:
  CapturedLog() {
    auto& log = fdscope::process_logger();
    log.set_threshold(fdscope::LogLevel::Debug);
    log.to_callback([this](fdscope::LogLevel, std::string_view line) { lines.emplace_back(line); });
  }
  ~CapturedLog() {
    auto& log = fdscope::process_logger();
    log.to_stderr();
    log.set_threshold(fdscope::LogLevel::Warning);
    relay::sys::enable_syscall_log(false);
  }
  bool has(const std::string& suffix) const {
    for (const auto& l : lines)
      if (l.size() >= suffix.size() + 1 && l.compare(l.size() - suffix.size() - 1, suffix.size(), suffix) == 0)
        return true;
    return false;
  }
  std::vector<std::string> lines;
};

}  // namespace

TEST(SyscallLog, SilentUnlessEnabled) {
  CapturedLog cap;
  relay::sys::enable_syscall_log(false);
  errno = 0;
  EXPECT_EQ(relay::sys::close(-1), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_TRUE(cap.lines.empty());
}

TEST(SyscallLog, CallAndReturnLinesKeepErrno) {
  CapturedLog cap;
  relay::sys::enable_syscall_log(true);
  errno = 0;
  EXPECT_EQ(relay::sys::close(-1), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_TRUE(cap.has(" D close(-1)"));
  EXPECT_TRUE(cap.has(" D close() -> -1"));

  int p[2];
  ASSERT_EQ(relay::sys::pipe2(p, O_CLOEXEC), 0);
  ASSERT_EQ(relay::sys::write(p[1], "abc", 3), 3);
  char buf[8];
  EXPECT_EQ(relay::sys::read(p[0], buf, sizeof buf), 3);
  EXPECT_TRUE(cap.has(" D read -> 3"));
  EXPECT_TRUE(cap.has(" D write -> 3"));
  EXPECT_TRUE(cap.has(fmt::format(" D read({}, {}, 8)", p[0], static_cast<void*>(buf))));
  EXPECT_TRUE(cap.has(fmt::format(" D pipe2({}, {})", static_cast<void*>(p), O_CLOEXEC)));
  int fl = fcntl(p[0], F_GETFL);
  ASSERT_EQ(relay::sys::fcntl(p[0], F_SETFL, fl | O_NONBLOCK), 0);
  EXPECT_EQ(relay::sys::read(p[0], buf, sizeof buf), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_TRUE(cap.has(" D read -> -1 (errno=11)"));
  relay::sys::close(p[0]);
  relay::sys::close(p[1]);
  EXPECT_TRUE(cap.has(fmt::format(" D close({})", p[1])));
  EXPECT_TRUE(cap.has(" D close() -> 0"));

  int s = relay::sys::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(s, 0);
  EXPECT_TRUE(cap.has(fmt::format(" D socket(2, {}, 0) -> {}", SOCK_STREAM | SOCK_CLOEXEC, s)));
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(relay::sys::bind(s, reinterpret_cast<sockaddr*>(&sin), sizeof sin), 0);
  EXPECT_TRUE(cap.has(fmt::format(" D bind({}, AF=2 127.0.0.1:0, 16)", s)));
  EXPECT_TRUE(cap.has(" D bind() -> 0"));
  ::close(s);
}

namespace {

const std::string kRelay = relay_test::relay_path();

using RelayRun = relay_test::Run;

// relay with stdin at EOF; `while_running` runs beside it.
RelayRun run_relay(const std::vector<std::string>& args, const std::function<void()>& while_running = {}) {
  return relay_test::run_relay(args, {}, 20, [&](pid_t) {
    if (while_running) while_running();
  });
}

// A loopback listener on an ephemeral port.
struct Listener {
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin), 0);
    socklen_t len = sizeof sin;
    getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
    port = ntohs(sin.sin_port);
  }
  ~Listener() { ::close(fd); }
  int fd = -1;
  int port = 0;
};

bool found(const std::string& text, const std::string& re) { return std::regex_search(text, std::regex(re)); }

class RelaySyscallLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kRelay.c_str(), X_OK) != 0) GTEST_SKIP() << "relay binary not built";
  }
};

const std::string kD = R"(relay\[\d+\] D )";

}  // namespace

TEST_F(RelaySyscallLogTest, OpenAndTransferCalls) {
  RelayRun r = run_relay({"-d", "-d", "-d", "-d", "-u", "-", "OPEN:/dev/null"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(kD + R"(open\("/dev/null", 0\d+, 0666\) -> (\d+)\n)"))) << r.err;
  EXPECT_TRUE(found(r.err, kD + R"(open\("/dev/null", 0\d+, 0666\)\n)")) << r.err;
  // stdin is /dev/null: the first read of fd 0 returns end of file.
  EXPECT_TRUE(found(r.err, kD + R"(read\(0, 0x[0-9a-f]+, \d+\)\n)") ||
              found(r.err, kD + R"(splice\(0, \(nil\), \d+, \(nil\), \d+, \d+\)\n)"))
      << r.err;
  EXPECT_TRUE(found(r.err, kD + R"((read|splice\(\)) -> 0\n)")) << r.err;
  EXPECT_TRUE(found(r.err, kD + "close\\(" + m[1].str() + "\\)\n")) << r.err;
}

TEST_F(RelaySyscallLogTest, MinusD4IsTheSameLevel) {
  RelayRun r = run_relay({"-d4", "-u", "-", "OPEN:/dev/null"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(found(r.err, kD + R"(open\("/dev/null", )")) << r.err;
}

TEST_F(RelaySyscallLogTest, NoDebugLinesBelowLevelD) {
  for (auto args : {std::vector<std::string>{"-d", "-d", "-d", "-u", "-", "OPEN:/dev/null"},
                    std::vector<std::string>{"-u", "-", "OPEN:/dev/null"}}) {
    RelayRun r = run_relay(args);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(found(r.err, R"(\] D )")) << r.err;
  }
}

TEST_F(RelaySyscallLogTest, TcpConnectCalls) {
  Listener l;
  ASSERT_EQ(listen(l.fd, 4), 0);  // the connection waits in the backlog
  RelayRun r = run_relay({"-d", "-d", "-d", "-d", "-u", "-", fmt::format("TCP4:127.0.0.1:{}", l.port)});
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(kD + R"(socket\(2, (\d+), 6\) -> (\d+)\n)"))) << r.err;
  const std::string fd = m[2].str();
  EXPECT_TRUE(found(r.err, kD + "socket\\(2, " + m[1].str() + ", 6\\)\n")) << r.err;
  EXPECT_TRUE(found(r.err, kD + "connect\\(" + fd + ", AF=2 127\\.0\\.0\\.1:" + std::to_string(l.port) + ", 16\\)\n"))
      << r.err;
  EXPECT_TRUE(found(r.err, kD + R"(connect\(\) -> (0|-1)\n)")) << r.err;
  EXPECT_TRUE(found(r.err, kD + "shutdown\\(" + fd + ", 1\\)\n")) << r.err;
}

TEST_F(RelaySyscallLogTest, TcpListenAndAcceptCalls) {
  int port;
  {
    Listener probe;  // an ephemeral port that was free a moment ago
    port = probe.port;
  }
  RelayRun r = run_relay(
      {"-d", "-d", "-d", "-d", "-u", fmt::format("TCP4-LISTEN:{},bind=127.0.0.1,reuseaddr", port), "OPEN:/dev/null"},
      [&] {
        for (int i = 0; i < 400; ++i) {
          int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
          sockaddr_in sin{};
          sin.sin_family = AF_INET;
          sin.sin_port = htons(static_cast<uint16_t>(port));
          sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
          if (connect(c, reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0) {
            EXPECT_EQ(write(c, "x", 1), 1);
            ::close(c);
            return;
          }
          ::close(c);
          usleep(10000);
        }
        ADD_FAILURE() << "relay did not listen on port " << port;
      });
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(kD + R"(socket\(2, \d+, 6\) -> (\d+)\n)"))) << r.err;
  const std::string lfd = m[1].str();
  EXPECT_TRUE(found(r.err, kD + "setsockopt\\(" + lfd + ", 1, 2, 0x[0-9a-f]+, 4\\)\n")) << r.err;  // reuseaddr
  EXPECT_TRUE(found(r.err, kD + "bind\\(" + lfd + ", AF=2 127\\.0\\.0\\.1:" + std::to_string(port) + ", 16\\)\n"))
      << r.err;
  EXPECT_TRUE(found(r.err, kD + "listen\\(" + lfd + ", \\d+\\)\n")) << r.err;
  EXPECT_TRUE(found(r.err, kD + "listen\\(\\) -> 0\n")) << r.err;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(kD + "accept4\\(" + lfd + R"(, \{2, AF=2 127\.0\.0\.1:\d+\}, 16\) -> (\d+)\n)"))) << r.err;
  const std::string cfd = m[1].str();
  EXPECT_TRUE(found(r.err, kD + "(read\\(" + cfd + ", 0x[0-9a-f]+, \\d+\\)|splice\\(" + cfd + ", )")) << r.err;
}

// An EXEC/SYSTEM child logs its own calls between fork and exec, under its
// pid, in socat's form (socat's child logs dup2, setsid and execvp too).
TEST_F(RelaySyscallLogTest, ProgramChildLogsItsCallsUpToExec) {
  RelayRun r = run_relay({"-d", "-d", "-d", "-d", "-u", "-", "SYSTEM:true,setsid,pipes,path=/usr/bin:/bin"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(R"(relay\[(\d+)\] D fork\(\) -> 0\n)"))) << r.err;
  const std::string child = R"(relay\[)" + m[1].str() + R"(\] D )";
  EXPECT_TRUE(found(r.err, child + R"(close\(\d+\)\n)")) << r.err;
  EXPECT_TRUE(found(r.err, child + R"(dup2\(\d+, 0\)\n)")) << r.err;
  EXPECT_TRUE(found(r.err, child + R"(dup2\(\d+, 0\) -> 0\n)")) << r.err;
  EXPECT_TRUE(found(r.err, child + R"(setsid\(\)\n)")) << r.err;
  EXPECT_TRUE(found(r.err, child + R"(setsid\(\) -> )" + m[1].str() + "\n")) << r.err;
  EXPECT_TRUE(found(r.err, child + R"re(setenv\("PATH", "/usr/bin:/bin", 1\)\n)re")) << r.err;
  EXPECT_TRUE(found(r.err, child + R"re(execvp\("/bin/sh", "sh" "-c" "true"\)\n)re")) << r.err;
  // -u: only the child's stdin is connected; no dup2 onto its stdout.
  EXPECT_FALSE(found(r.err, child + R"(dup2\(\d+, 1\))")) << r.err;
}

TEST_F(RelaySyscallLogTest, FailedExecvpLogsItsResult) {
  RelayRun r = run_relay({"-d", "-d", "-d", "-d", "-u", "-", "EXEC:/nonexistent/prog"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(found(r.err, kD + R"re(execvp\("/nonexistent/prog", "/nonexistent/prog"\)\n)re")) << r.err;
  EXPECT_TRUE(found(r.err, kD + R"(execvp\(\) -> -1\n)")) << r.err;
}
