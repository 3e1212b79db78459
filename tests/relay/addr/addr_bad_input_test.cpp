// Bad input to the real relay binary: one clear error line quoting the
// offending text, exit status 1, and nothing opened or created -- both
// addresses are validated before either is opened.
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "run_relay.hpp"

using relay_test::run_relay;
using relay_test::TempDir;

namespace {
// The error must be an "E" log line containing text.
void expect_error(const relay_test::Run& r, const std::string& text) {
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find(" E " + text), std::string::npos) << "stderr was: " << r.err;
  EXPECT_FALSE(r.timed_out);
}
}  // namespace

TEST(AddrBadInput, UnknownAddressOpensNothing) {
  TempDir dir;
  std::string f = dir.file("new");
  auto r = run_relay({"OPEN:" + f + ",creat", "FOO:bar"});
  expect_error(r, "unknown device/address \"FOO\"");
  EXPECT_NE(access(f.c_str(), F_OK), 0) << "left address was opened";
}

TEST(AddrBadInput, UnknownOptionOpensNothing) {
  TempDir dir;
  std::string f = dir.file("new");
  auto r = run_relay({"CREATE:" + f, "-,nosuchopt=1"});
  expect_error(r, "unknown option \"nosuchopt\"");
  EXPECT_NE(access(f.c_str(), F_OK), 0);
}

TEST(AddrBadInput, OptionOutsideTheAddressGroups) {
  expect_error(run_relay({"-", "PIPE,raw"}), "option \"raw\" not supported with this address type");
  // -g turns the check off
  auto g = run_relay({"-g", "-u", "TEXT:x", "PIPE,wait-slave"});
  EXPECT_EQ(g.status, 0) << g.err;
}

TEST(AddrBadInput, WrongParameterCountShowsUsage) {
  expect_error(run_relay({"-", "OPEN:a:b"}),
               "OPEN: wrong number of parameters (2 instead of 1): usage: OPEN:<filename>");
  expect_error(run_relay({"-", "EXEC"}), "EXEC: wrong number of parameters (0 instead of 1)");
}

TEST(AddrBadInput, BadOptionValueIsQuoted) {
  expect_error(run_relay({"-", "OPEN:/dev/null,perm=0999"}), "invalid value \"0999\" for option \"perm\"");
  expect_error(run_relay({"-", "OPEN:/dev/null,readbytes=lots"}), "invalid value \"lots\" for option \"readbytes\"");
  expect_error(run_relay({"-", "OPEN:/dev/null,user=no-such-user-here"}),
               "invalid value \"no-such-user-here\" for option \"user\"");
}

TEST(AddrBadInput, MalformedQuoting) {
  auto r = run_relay({"-", "SYSTEM:'echo"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unterminated quote"), std::string::npos) << r.err;
}

TEST(AddrBadInput, GlobalOptionErrors) {
  expect_error(run_relay({"-uv", "-", "-"}),
               "Do not merge single character options, i.e. use \"-u -v\" instead of \"-uv\"");
  expect_error(run_relay({"-Z", "-", "-"}), "unknown option \"-Z\"; use option \"-h\" for help");
  expect_error(run_relay({"-"}), "exactly 2 addresses required (there are 1); use option \"-h\" for help");
  expect_error(run_relay({"-u", "-U", "-", "-"}), "-U and -u must not be combined");
  expect_error(run_relay({"-b", "none", "-", "-"}), "option \"-b\": invalid block size \"none\"");
}

TEST(AddrBadInput, WrongDirection) {
  expect_error(run_relay({"-", "STDIN"}), "address \"STDIN\" is read-only and cannot be written to");
  expect_error(run_relay({"-u", "STDOUT", "-"}), "address \"STDOUT\" is write-only and cannot be read from");
}

TEST(AddrBadInput, OpenFailureNamesFileAndErrno) {
  TempDir dir;
  expect_error(run_relay({"-", "OPEN:" + dir.file("missing")}),
               "open(\"" + dir.file("missing") + "\", O_RDWR, 0666): No such file or directory");
}

TEST(AddrBadInput, ProgramThatCannotRunOrFails) {
  expect_error(run_relay({"-", "EXEC:/nonexistent/prog"}),
               "execvp(\"/nonexistent/prog\"): No such file or directory");
  expect_error(run_relay({"-u", "SYSTEM:exit 3", "-"}), "waitpid(): child ");
  EXPECT_NE(run_relay({"-u", "SYSTEM:exit 3", "-"}).err.find("exited with status 3"), std::string::npos);
}

TEST(AddrBadInput, LockHeldElsewhere) {
  TempDir dir;
  std::string lock = dir.file("lock");
  std::ofstream(lock) << "1\n";
  expect_error(run_relay({"-L", lock, "-", "-"}), "could not obtain lock \"" + lock + "\"");
}

TEST(AddrBadInput, HelpAndVersionExitZero) {
  auto h = run_relay({"-h"});
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("EXEC:<command-line>"), std::string::npos);
  auto v = run_relay({"-V"});
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("relay (fdscope) version"), std::string::npos);
}

TEST(AddrBadInput, FailingOptionIsAnErrorUnlessSloppy) {
  // FS_IOC_SETFLAGS is not supported on a character device.
  auto strict = run_relay({"-u", "-", "OPEN:/dev/null,fs-nodump"}, "x");
  EXPECT_EQ(strict.status, 1);
  EXPECT_NE(strict.err.find(" E ioctl("), std::string::npos) << strict.err;
  auto sloppy = run_relay({"-s", "-u", "-", "OPEN:/dev/null,fs-nodump"}, "x");
  EXPECT_EQ(sloppy.status, 0) << sloppy.err;
  EXPECT_NE(sloppy.err.find(" W ioctl("), std::string::npos) << sloppy.err;
}
