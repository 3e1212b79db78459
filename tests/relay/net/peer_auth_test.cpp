// relay/net/peer_auth.cpp: allow-uid/-gid/-exe lists and the check on a
// connected UNIX socket.
#include "net/peer_auth.hpp"

#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "fdscope/unique_fd.hpp"

using namespace relay::net;

struct Pair {
  fdscope::UniqueFd a, b;
  Pair() {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    a.reset(sv[0]);
    b.reset(sv[1]);
  }
};

TEST(PeerAuth, ParsesListsAndRejectsBadEntries) {
  PeerPolicy p;
  EXPECT_TRUE(p.add("uid", "0:root:65534"));
  EXPECT_EQ(p.uids.size(), 3u);
  EXPECT_TRUE(p.add("gid", "0"));
  EXPECT_FALSE(p.add("uid", "no-such-user-xyz"));
  EXPECT_FALSE(p.add("exe", "relative/path"));
  EXPECT_FALSE(check_peer_list("gid", ""));
}

TEST(PeerAuth, EmptyPolicyAllowsAnyone) {
  Pair s;
  EXPECT_TRUE(check_peer(s.a.get(), PeerPolicy{}));
}

TEST(PeerAuth, UidMustMatch) {
  Pair s;
  PeerPolicy mine, other;
  ASSERT_TRUE(mine.add("uid", std::to_string(::getuid())));
  ASSERT_TRUE(other.add("uid", std::to_string(::getuid() + 4242)));
  EXPECT_TRUE(check_peer(s.a.get(), mine));
  auto r = check_peer(s.a.get(), other);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("not in allow-uid"), std::string::npos);
}

TEST(PeerAuth, GidAndExeAreAndedWithUid) {
  Pair s;
  char self[PATH_MAX];
  ASSERT_NE(::realpath("/proc/self/exe", self), nullptr);
  PeerPolicy ok;
  ASSERT_TRUE(ok.add("uid", std::to_string(::getuid())));
  ASSERT_TRUE(ok.add("gid", std::to_string(::getgid())));
  ASSERT_TRUE(ok.add("exe", self));
  EXPECT_TRUE(check_peer(s.a.get(), ok)) << check_peer(s.a.get(), ok).error().message();

  PeerPolicy wrong_exe = ok;
  wrong_exe.exes = {"/bin/false-not-me"};
  auto r = check_peer(s.a.get(), wrong_exe);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("not in allow-exe"), std::string::npos);
}
