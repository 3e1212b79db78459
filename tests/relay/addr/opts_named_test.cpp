// The NAMED option group (relay/addr/opts_named.cpp) through the relay
// binary: unlink-late removes a file only after it is open (so relay still
// reads all of it, where unlink-early makes the open fail), and socat's
// aliases new / remove / delete name unlink-early and unlink.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "run_relay.hpp"

using relay_test::random_bytes;
using relay_test::run_relay;
using relay_test::TempDir;

namespace {

void write_file(const std::string& path, const std::string& data) { std::ofstream(path, std::ios::binary) << data; }

bool exists(const std::string& path) {
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

TEST(OptsNamed, UnlinkLateRemovesTheFileAfterOpeningIt) {
  TempDir dir;
  std::string f = dir.file("data");
  std::string data = random_bytes(100000, 7);
  write_file(f, data);
  auto keep = run_relay({"-u", "OPEN:" + f, "-"});
  ASSERT_EQ(keep.status, 0) << keep.err;
  EXPECT_TRUE(exists(f)) << "OPEN without unlink-late removed the file";

  auto late = run_relay({"-u", "OPEN:" + f + ",unlink-late", "-"});
  ASSERT_EQ(late.status, 0) << late.err;
  EXPECT_TRUE(late.out == data) << "unlink-late must not cut the data short";
  EXPECT_FALSE(exists(f)) << "unlink-late left the file";

  write_file(f, data);
  auto early = run_relay({"-u", "OPEN:" + f + ",unlink-early", "-"});
  EXPECT_EQ(early.status, 1) << "unlink-early removes the file before OPEN opens it";
}

TEST(OptsNamed, UnlinkLateOnCreatedFiles) {
  TempDir dir;
  for (const char* kw : {"CREATE:", "GOPEN:"}) {
    std::string f = dir.file(std::string(kw).substr(0, 4));
    auto r = run_relay({"-u", "-", kw + f + ",creat,unlink-late"}, "some bytes\n");
    ASSERT_EQ(r.status, 0) << kw << r.err;
    EXPECT_FALSE(exists(f)) << kw << " with unlink-late left the file";
  }
}

// A hard link keeps the old inode: after an unlink the new file is a new
// inode and the link still holds the old contents; CREATE without unlink
// would truncate the shared inode.
TEST(OptsNamed, SocatAliasesOfUnlink) {
  TempDir dir;
  std::string f = dir.file("file"), link = dir.file("link");
  for (const char* opt : {"new", "remove", "delete"}) {
    write_file(f, "old contents\n");
    ::unlink(link.c_str());
    ASSERT_EQ(::link(f.c_str(), link.c_str()), 0);
    auto r = run_relay({"-u", "-", "CREATE:" + f + "," + opt}, "new\n");
    ASSERT_EQ(r.status, 0) << opt << ": " << r.err;
    EXPECT_EQ(relay_test::read_file(f), "new\n") << opt;
    EXPECT_EQ(relay_test::read_file(link), "old contents\n") << opt << " did not unlink before creating";
  }
}
