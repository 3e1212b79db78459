// commtype= of the program addresses (relay/addr/program.cpp): the child's
// stdin and stdout are what the type says -- one UNIX socket, two UNIX
// sockets, two pipes, a pty, one TCP socket -- as the child itself sees them
// in /proc, and data goes through each intact.  A bad type is refused
// before anything starts.
#include <gtest/gtest.h>

#include <string>

#include "run_relay.hpp"

using relay_test::random_bytes;
using relay_test::run_relay;

namespace {

// Prints "<kind of fd 0> <kind of fd 1> same|two" from inside the child.
const std::string kReport =
    "SYSTEM:'kind() { n=$(echo \"$1\" | tr -dc 0-9); case \"$1\" in pipe:*) echo pipe;; /dev/pts/*) echo pty;; "
    "socket:*) if grep -qsw \"$n\" /proc/net/tcp /proc/net/tcp6; then echo tcp; else echo unix; fi;; *) echo other;; esac; }; "
    "i=$(readlink /proc/$$/fd/0); o=$(readlink /proc/$$/fd/1); "
    "if [ \"$i\" = \"$o\" ]; then s=same; else s=two; fi; echo $(kind $i) $(kind $o) $s'";

std::string report(const std::string& options) {
  auto r = run_relay({"-", kReport + options});
  EXPECT_EQ(r.status, 0) << options << ": " << r.err;
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

TEST(ProgramCommtype, TheChildGetsTheChannelItNames) {
  EXPECT_EQ(report(""), "unix unix same");
  EXPECT_EQ(report(",commtype=socketpair"), "unix unix same");
  EXPECT_EQ(report(",commtype=socketpairs"), "unix unix two");
  EXPECT_EQ(report(",commtype=pipes"), "pipe pipe two");
  EXPECT_EQ(report(",commtype=pty,raw,echo=0"), "pty pty same");
  EXPECT_EQ(report(",commtype=tcp"), "tcp tcp same");
  EXPECT_EQ(report(",commtype=tcp4"), "tcp tcp same");
  EXPECT_EQ(report(",commtype=PIPES"), "pipe pipe two") << "the type is matched ignoring case";
  EXPECT_EQ(report(",pty,commtype=socketpairs"), "unix unix two") << "commtype wins over pty";
}

TEST(ProgramCommtype, DataPassesIntactOverEachType) {
  std::string data = random_bytes(1 << 20, 11);
  for (const char* type : {"socketpairs", "pipes", "tcp", "tcp4"}) {
    auto r = run_relay({"-", std::string("EXEC:cat,commtype=") + type}, data);
    ASSERT_EQ(r.status, 0) << type << ": " << r.err;
    EXPECT_EQ(r.out.size(), data.size()) << type;
    EXPECT_TRUE(r.out == data) << type << ": data differs";
  }
}

TEST(ProgramCommtype, UnknownTypeIsRefusedBeforeAnythingRuns) {
  auto r = run_relay({"-", "SYSTEM:'echo ran',commtype=carrier-pigeon"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("carrier-pigeon"), std::string::npos) << r.err;
}
