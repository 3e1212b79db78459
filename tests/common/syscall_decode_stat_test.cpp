// struct stat and struct statx in strace's abbreviated form
// (common/src/syscall_decode_stat.cpp): the texts strace -yy printed on
// this machine for the same files, from the leading bytes the tracer copies
// (56 of struct stat, 48 of struct statx), and pointers when the call failed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "fdscope/syscall_format.hpp"
#include "syscall_record_fixture.hpp"

using namespace fdscope;

using fdscope::test::bytes_of;
using fdscope::test::call;
using fdscope::test::line;

namespace {

std::string stat_text(mode_t mode, off_t size, dev_t rdev = 0) {
  struct stat st {};
  st.st_mode = mode;
  st.st_size = size;
  st.st_rdev = rdev;
  std::string out;
  if (!format_stat(bytes_of(&st, 56), out)) return "(false)";
  return out;
}

}  // namespace

TEST(SyscallDecodeStat, ModesAndSizes) {
  EXPECT_EQ(stat_text(S_IFREG | 0644, 1221), "{st_mode=S_IFREG|0644, st_size=1221, ...}");
  EXPECT_EQ(stat_text(S_IFDIR | S_ISVTX | 0777, 12288),
            "{st_mode=S_IFDIR|S_ISVTX|0777, st_size=12288, ...}");
  EXPECT_EQ(stat_text(0600, 0), "{st_mode=0600, st_size=0, ...}");  // anon inode: no type
  EXPECT_EQ(stat_text(S_IFCHR | 0666, 0, makedev(1, 3)),
            "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}");
  EXPECT_EQ(stat_text(S_IFBLK | 0660, 0, makedev(259, 65536)),
            "{st_mode=S_IFBLK|0660, st_rdev=makedev(0x103, 0x10000), ...}");
  EXPECT_EQ(stat_text(S_IFREG | S_ISUID | S_ISGID | 0755, 5),
            "{st_mode=S_IFREG|S_ISUID|S_ISGID|0755, st_size=5, ...}");
  std::string mode;
  format_file_mode(S_IFSOCK, mode);
  EXPECT_EQ(mode, "S_IFSOCK|000");
  std::string out;
  EXPECT_FALSE(format_stat(std::string(55, '\0'), out));  // short capture
}

TEST(SyscallDecodeStat, StatxAbbreviated) {
  struct statx sx {};
  sx.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
  sx.stx_mode = S_IFREG | 0644;
  sx.stx_size = 1221;
  std::string out;
  ASSERT_TRUE(format_statx(bytes_of(&sx, 48), out));
  EXPECT_EQ(out,
            "{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, "
            "stx_size=1221, ...}");
  sx.stx_attributes = STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND;
  sx.stx_mask = STATX_TYPE | STATX_SIZE;
  out.clear();
  ASSERT_TRUE(format_statx(bytes_of(&sx, 48), out));
  EXPECT_EQ(out,
            "{stx_mask=STATX_TYPE|STATX_SIZE, stx_attributes=STATX_ATTR_IMMUTABLE|STATX_ATTR_APPEND, "
            "stx_mode=S_IFREG|0644, stx_size=1221, ...}");
  out.clear();
  EXPECT_FALSE(format_statx(bytes_of(&sx, 47), out));
}

TEST(SyscallDecodeStat, FormatterLinesOnSuccessAndFailure) {
  struct stat st {};
  st.st_mode = S_IFREG | 0644;
  st.st_size = 1221;
  std::string b = bytes_of(&st, 56);
  SyscallRecord r;
  r.nr = syscall_by_name("newfstatat")->number;
  r.args = {static_cast<uint64_t>(AT_FDCWD), 0x1000, 0x7ffd1000, 0, 0, 0};
  r.data[1] = CapturedArg{true, false, "/etc/passwd"};
  r.data[2] = CapturedArg{true, false, b};
  r.ret = 0;
  EXPECT_EQ(line(r), R"(newfstatat(AT_FDCWD, "/etc/passwd", {st_mode=S_IFREG|0644, st_size=1221, ...}, 0) = 0)");
  r.ret = -ENOENT;
  EXPECT_EQ(line(r),
            R"(newfstatat(AT_FDCWD, "/etc/passwd", 0x7ffd1000, 0) = -1 ENOENT (No such file or directory))");
}
