// The engine through the real relay binary: dumps, statistics and logs as
// the user sees them on stderr, and data integrity through stdio and a
// program address.  Skipped when the binary has not been built.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "fdscope/io.hpp"
#include "run_relay.hpp"

namespace {

using relay_test::run_relay;
using relay_test::TempDir;
using RelayRun = relay_test::Run;

class RelayBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(relay_test::relay_path().c_str(), X_OK) != 0) GTEST_SKIP() << "relay binary not built";
  }
};

const std::string kStamp = R"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6})";

}  // namespace

TEST_F(RelayBinaryTest, TextDumpOnStderr) {
  RelayRun r = run_relay({"-v", "-u", "-", "OPEN:/dev/null"}, "hello\tworld\r\n\\x\001end");
  ASSERT_EQ(r.status, 0) << r.err;
  std::regex re("^> " + kStamp + "  length=19 from=0 to=18\nhello\tworld\\\\r\n\\\\\\\\x\\.end$");
  EXPECT_TRUE(std::regex_search(r.err, re)) << r.err;
}

TEST_F(RelayBinaryTest, HexTableDumpOnStderr) {
  RelayRun r = run_relay({"-v", "-x", "-u", "-", "OPEN:/dev/null"}, "hello\tworld\r\n\\x\001end12345678901234567890");
  ASSERT_EQ(r.status, 0) << r.err;
  std::string body =
      " 68 65 6c 6c 6f 09 77 6f 72 6c 64 0d 0a           hello.world..\n"
      " 5c 78 01 65 6e 64 31 32 33 34 35 36 37 38 39 30  \\x.end1234567890\n"
      " 31 32 33 34 35 36 37 38 39 30                    1234567890\n"
      "--\n";
  EXPECT_NE(r.err.find("  length=39 from=0 to=38\n" + body), std::string::npos) << r.err;
}

TEST_F(RelayBinaryTest, EchoThroughStdioWithDump) {
  RelayRun r = run_relay({"-v", "-", "-"}, "hi\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_TRUE(std::regex_search(r.err, std::regex("^> " + kStamp + "  length=3 from=0 to=2\nhi\n"))) << r.err;
}

TEST_F(RelayBinaryTest, StatisticsAtExit) {
  RelayRun r = run_relay({"--statistics", "-u", "-", "OPEN:/dev/null"}, std::string(1000, 'x'));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find(" W statistics are experimental\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" I STATISTICS: left to right: 1 packets(s), 1000 byte(s)\n"), std::string::npos) << r.err;
}

TEST_F(RelayBinaryTest, NoticeLogsOfTheTransferLoop) {
  RelayRun r = run_relay({"-d", "-d", "-u", "-", "OPEN:/dev/null"}, "");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(relay\[\d+\] N starting data transfer loop with FDs \[0,-?\d+\] and \[-?\d+,\d+\])")))
      << r.err;
  EXPECT_NE(r.err.find("N socket 1 (fd 0) is at EOF\n"), std::string::npos) << r.err;
}

TEST_F(RelayBinaryTest, LargeRandomDataThroughStdioArrivesIntact) {
  std::mt19937 rng(7);
  std::string data(6 << 20, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  RelayRun r = run_relay({"-u", "STDIN", "STDOUT"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.size(), data.size());
  EXPECT_TRUE(r.out == data);
}

TEST_F(RelayBinaryTest, ProgramAddressRoundTrip) {
  std::string data;
  for (int i = 0; i < 20000; ++i) data += "line " + std::to_string(i) + "\n";
  RelayRun r = run_relay({"-", "SYSTEM:tr a-z A-Z"}, data);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string want = data;
  for (auto& c : want) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(r.out == want) << r.out.size() << " vs " << want.size();
}

// The read rules (escape, null-eof, sitout-eio) belong to the reading side
// of an address; in "READ!!WRITE" that is the first part, so its escape
// character still ends the transfer.
TEST_F(RelayBinaryTest, EscapeOnTheReadingPartOfASplitAddress) {
  RelayRun r = run_relay({"-u", "STDIN,escape=0x23!!STDERR", "STDOUT"}, "before#after");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "before");
}

// SIGUSR1 is caught from the start (socat 1.8): one that arrives while an
// address is still being opened (here: waiting for a lock file) does not
// kill relay; the statistics are logged when the transfer starts.
TEST_F(RelayBinaryTest, EarlySigusr1LogsStatisticsInsteadOfKilling) {
  TempDir dir;
  const std::string lock = dir.file("lock");
  ASSERT_TRUE(fdscope::open_fd(lock, O_WRONLY | O_CREAT, AT_FDCWD, 0600).ok());
  RelayRun r = run_relay({"-u", "OPEN:/dev/null,waitlock=" + lock, "STDOUT"}, "", 20, [&](pid_t pid) {
    usleep(300 * 1000);  // relay waits for the lock by now
    kill(pid, SIGUSR1);
    usleep(100 * 1000);
    unlink(lock.c_str());
  });
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find(" I STATISTICS: left to right: 0 packets(s), 0 byte(s)\n"), std::string::npos) << r.err;
}

// children-shutup: a fork server's children log less than the server.
TEST_F(RelayBinaryTest, ChildrenShutupQuietsTheChildren) {
  for (bool shutup : {false, true}) {
    SCOPED_TRACE(shutup ? "children-shutup=1" : "default");
    TempDir dir;
    const std::string path = dir.file("sock");
    std::string listen = "UNIX-LISTEN:" + path + ",fork" + (shutup ? ",children-shutup=1" : "");
    RelayRun r = run_relay({"-d", "-d", "-u", listen, "OPEN:/dev/null"}, "", 20, [&](pid_t pid) {
      int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
      for (int i = 0; i < 200 && connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0; ++i) usleep(10 * 1000);
      EXPECT_EQ(write(c, "x", 1), 1);
      close(c);
      usleep(300 * 1000);  // the child transfers and exits
      kill(pid, SIGTERM);
    });
    EXPECT_NE(r.err.find(" N forked off child process "), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(" N starting data transfer loop") == std::string::npos, shutup) << r.err;
  }
}
