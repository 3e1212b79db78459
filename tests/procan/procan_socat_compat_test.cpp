// Compatibility with socat's procan (Debian's socat 1.7.4 is the installed
// reference): under the same conditions the lines both programs print with
// the same meaning must be byte-identical, so scripts that grep socat's
// output keep working; the lines where socat is wrong (units, /dev/tty) must
// differ in exactly the documented way.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "procan_harness.hpp"

using namespace procan_test;

namespace {

std::string socat_procan() {
  for (const char* p : {"/usr/bin/procan", "/usr/local/bin/procan"})
    if (access(p, X_OK) == 0) return p;
  return {};
}

// Output of `socat_procan` run in a child after setup (same harness, other binary).
ProcanRun run_socat(const ChildSetup& setup) {
  std::string path = socat_procan();
  int fd = memfd_copy_of(path);
  ProcanRun r = run_procan({}, setup, fd);
  close(fd);
  return r;
}

std::string line_starting(const std::string& out, const std::string& prefix) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return line;
  return "<no line starting with \"" + prefix + "\">";
}

}  // namespace

TEST(ProcanSocatCompat, SharedLinesAreIdenticalToSocatsProcan) {
  if (socat_procan().empty()) GTEST_SKIP() << "socat's procan is not installed";
  auto setup = [] {
    struct rlimit nofile{100, 200}, nproc{500, 600};
    umask(027);
    return setrlimit(RLIMIT_NOFILE, &nofile) == 0 && setrlimit(RLIMIT_NPROC, &nproc) == 0;
  };
  auto theirs = run_socat(setup);
  auto ours = run_procan({}, setup);
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  for (const char* prefix : {"open files ", "max user processes ", "user id  = ", "effective user id  = ",
                             "group id = ", "effective group id = ", "controlling terminal: ",
                             "process group id if fg process / stdin = ", "process session id = ",
                             "process does not have a controlling terminal", "resource   ", "sizeof(int) ",
                             "sizeof(long long) ", "sizeof(size_t) "})
    EXPECT_EQ(line_starting(ours.out, prefix), line_starting(theirs.out, prefix)) << prefix;
  // socat's unit bugs, fixed here: the same byte value under an honest label.
  EXPECT_NE(theirs.out.find("\nstack size (blocks) "), std::string::npos);
  EXPECT_NE(ours.out.find("\nstack size (bytes) "), std::string::npos);
  EXPECT_NE(theirs.out.find("\nvirtual memory (kbytes) "), std::string::npos);
  EXPECT_NE(ours.out.find("\nvirtual memory (bytes) "), std::string::npos);
  // Six limits socat does not show at all.
  for (const char* extra : {"file locks", "pending signals", "msgqueue size (bytes)", "nice ceiling (20-nice)",
                            "realtime priority", "realtime timeout (us)"}) {
    EXPECT_EQ(theirs.out.find(extra), std::string::npos) << extra;
    EXPECT_NE(ours.out.find(extra), std::string::npos) << extra;
  }
}

TEST(ProcanSocatCompat, CompileTimeDefinesMatchSocatsList) {
  if (socat_procan().empty()) GTEST_SKIP() << "socat's procan is not installed";
  int fd = memfd_copy_of(socat_procan());
  auto their_c = run_procan({"-c"}, {}, fd);
  close(fd);
  auto ours = run_procan({"-c"});
  ASSERT_EQ(their_c.exit_code, 0);
  ASSERT_EQ(ours.exit_code, 0);
  // Every #define line socat prints, we print identically.
  std::istringstream in(their_c.out);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    if (line.rfind("#define ", 0) != 0) continue;
    ++n;
    EXPECT_TRUE(ours.has_line(line)) << line;
  }
  EXPECT_GE(n, 40u);
}

TEST(ProcanSocatCompat, ControllingTerminalIsTheDeviceWhereSocatSaysDevTty) {
  if (socat_procan().empty()) GTEST_SKIP() << "socat's procan is not installed";
  int master = -1, slave = -1;
  char name[256];
  ASSERT_EQ(openpty(&master, &slave, name, nullptr, nullptr), 0);
  std::string tty = name;
  auto setup = [tty] {
    if (setsid() < 0) return false;
    int fd = open(tty.c_str(), O_RDWR);
    return fd >= 0 && ioctl(fd, TIOCSCTTY, 0) == 0 && dup2(fd, 0) == 0;
  };
  auto theirs = run_socat(setup);
  auto ours = run_procan({}, setup);
  close(slave);
  close(master);
  EXPECT_TRUE(theirs.has_line("controlling terminal: \"/dev/tty\"")) << theirs.out;
  EXPECT_TRUE(ours.has_line("controlling terminal: \"" + tty + "\"")) << ours.out;
  // Both see fd 0 as the terminal with themselves as its foreground group.
  const std::string fg = "process group id if fg process / stdin = ";
  EXPECT_TRUE(theirs.has_line(fg + std::to_string(theirs.pid))) << theirs.out;
  EXPECT_TRUE(ours.has_line(fg + std::to_string(ours.pid))) << ours.out;
}
