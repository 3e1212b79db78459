// relay/net/unix_listen.cpp: the hardened UNIX bind refuses symlinks and
// non-sockets, refuses live sockets, replaces stale ones, sets the mode by
// umask at bind time and removes only its own socket at close.
#include "net/unix_listen.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "net/socket_ops.hpp"

using namespace relay::net;

class UnixListen : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relay-unix-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/s.sock";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_, path_;
};

TEST_F(UnixListen, BindsAndReportsPath) {
  auto b = bind_unix_path({path_, SOCK_STREAM, false, std::nullopt, std::nullopt, std::nullopt, false});
  ASSERT_TRUE(b) << b.error().message();
  struct stat st;
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(to_string(b->addr), "AF=1 \"" + path_ + "\"");
}

TEST_F(UnixListen, RefusesSymlinkWithoutTouchingIt) {
  std::string target = dir_ + "/victim";
  ASSERT_EQ(::close(::open(target.c_str(), O_CREAT | O_WRONLY, 0600)), 0);
  ASSERT_EQ(::symlink(target.c_str(), path_.c_str()), 0);
  auto b = bind_unix_path({path_, SOCK_STREAM, true, std::nullopt, std::nullopt, std::nullopt, false});
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message().find("symbolic link"), std::string::npos);
  struct stat st;
  EXPECT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(UnixListen, RefusesRegularFileWithSocatText) {
  ASSERT_EQ(::close(::open(path_.c_str(), O_CREAT | O_WRONLY, 0600)), 0);
  for (bool early : {false, true}) {
    auto b = bind_unix_path({path_, SOCK_STREAM, early, std::nullopt, std::nullopt, std::nullopt, false});
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().message(), "\"" + path_ + "\" exists");
  }
  struct stat st;
  EXPECT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(UnixListen, ReplacesStaleSocketRefusesLiveOne) {
  {
    auto first = bind_unix_path({path_, SOCK_STREAM, false, std::nullopt, std::nullopt, std::nullopt, false});
    ASSERT_TRUE(first);
    ASSERT_TRUE(listen_on(first->fd.get(), 5));
    EXPECT_EQ(*probe_unix_path(path_), PathState::LiveSocket);
    auto second = bind_unix_path({path_, SOCK_STREAM, true, std::nullopt, std::nullopt, std::nullopt, false});
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().err, EADDRINUSE);
  }
  // The first listener is closed: its file is stale now.
  EXPECT_EQ(*probe_unix_path(path_), PathState::StaleSocket);
  auto again = bind_unix_path({path_, SOCK_STREAM, false, std::nullopt, std::nullopt, std::nullopt, false});
  ASSERT_TRUE(again) << again.error().message();
}

TEST_F(UnixListen, DatagramSocketCountsAsLive) {
  auto d = bind_unix_path({path_, SOCK_DGRAM, false, std::nullopt, std::nullopt, std::nullopt, false});
  ASSERT_TRUE(d);
  EXPECT_EQ(*probe_unix_path(path_), PathState::LiveSocket);
}

TEST_F(UnixListen, ModeComesFromUmaskAtBind) {
  mode_t before = ::umask(022);
  auto b = bind_unix_path({path_, SOCK_STREAM, false, mode_t{0600}, std::nullopt, std::nullopt, false});
  mode_t after = ::umask(before);
  ASSERT_TRUE(b);
  EXPECT_EQ(after, 022u);  // restored
  struct stat st;
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(UnixListen, UnlinkCloseRemovesOnlyItsOwnSocket) {
  auto b = bind_unix_path({path_, SOCK_STREAM, false, std::nullopt, std::nullopt, std::nullopt, true});
  ASSERT_TRUE(b);
  b->fd.reset();
  // Someone replaced the path with a file: it must survive.
  ASSERT_EQ(::unlink(path_.c_str()), 0);
  ASSERT_EQ(::close(::open(path_.c_str(), O_CREAT | O_WRONLY, 0600)), 0);
  unlink_registered_sockets();
  struct stat st;
  EXPECT_EQ(::lstat(path_.c_str(), &st), 0);

  ASSERT_EQ(::unlink(path_.c_str()), 0);
  auto c = bind_unix_path({path_, SOCK_STREAM, false, std::nullopt, std::nullopt, std::nullopt, true});
  ASSERT_TRUE(c);
  unlink_registered_sockets();
  EXPECT_NE(::lstat(path_.c_str(), &st), 0);
}
