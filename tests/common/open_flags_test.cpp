// Tests for common/src/open_flags.cpp: names for fcntl(F_GETFL) values and
// /proc/self/fdinfo's octal flags of real fds, special combinations
// (O_TMPFILE, O_SYNC, O_PATH) and unknown bits.
#include "fdscope/open_flags.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;

namespace {

unsigned fdinfo_flags(int fd) {
  std::ifstream in("/proc/self/fdinfo/" + std::to_string(fd));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags:", 0) == 0) {
      auto r = parse_fdinfo_flags(line.substr(6));
      EXPECT_TRUE(r.ok());
      return r.ok() ? *r : 0;
    }
  ADD_FAILURE() << "no flags: line";
  return 0;
}

bool has(const std::vector<std::string>& v, const char* name) {
  return std::find(v.begin(), v.end(), name) != v.end();
}

}  // namespace

TEST(OpenFlags, KernelValuesMatchGlibc) {
  // Where glibc exposes the flag, it must agree with our kernel table.
  unsigned v = 0;
  ASSERT_TRUE(open_flag_value("O_NONBLOCK", &v));
  EXPECT_EQ(v, static_cast<unsigned>(O_NONBLOCK));
  ASSERT_TRUE(open_flag_value("O_CLOEXEC", &v));
  EXPECT_EQ(v, static_cast<unsigned>(O_CLOEXEC));
  ASSERT_TRUE(open_flag_value("O_PATH", &v));
  EXPECT_EQ(v, static_cast<unsigned>(O_PATH));
  ASSERT_TRUE(open_flag_value("tmpfile", &v));
  EXPECT_EQ(v, static_cast<unsigned>(O_TMPFILE));
  ASSERT_TRUE(open_flag_value("sync", &v));
  EXPECT_EQ(v, static_cast<unsigned>(O_SYNC));
  ASSERT_TRUE(open_flag_value("append", &v));
  EXPECT_EQ(v, static_cast<unsigned>(O_APPEND));
  EXPECT_FALSE(open_flag_value("O_BOGUS", &v));
}

TEST(OpenFlags, DecodeCombinations) {
  EXPECT_EQ(open_flags_text(O_RDWR | O_NONBLOCK | O_CLOEXEC), "O_RDWR|O_NONBLOCK|O_CLOEXEC");
  EXPECT_EQ(open_flags_text(0), "O_RDONLY");
  EXPECT_EQ(open_flags_text(O_WRONLY | O_APPEND, ','), "O_WRONLY,O_APPEND");
  EXPECT_EQ(open_flags_text(O_RDWR | O_TMPFILE), "O_RDWR|O_TMPFILE");
  EXPECT_EQ(open_flags_text(O_WRONLY | O_SYNC), "O_WRONLY|O_SYNC");
  EXPECT_EQ(open_flags_text(O_WRONLY | O_DSYNC), "O_WRONLY|O_DSYNC");
  EXPECT_EQ(open_flags_text(O_PATH | O_CLOEXEC), "O_PATH|O_CLOEXEC");
  EXPECT_EQ(open_flags_text(02 | 0x80000000u), "O_RDWR|0x80000000");
  EXPECT_EQ(open_access_mode_name(O_WRONLY), "O_WRONLY");
  EXPECT_EQ(fd_flags_text(FD_CLOEXEC), "FD_CLOEXEC");
  EXPECT_EQ(fd_flags_text(0), "");
}

TEST(OpenFlags, ParseFdinfo) {
  auto r = parse_fdinfo_flags("\t02100002\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 02100002u);
  EXPECT_EQ(open_flags_text(*r), "O_RDWR|O_LARGEFILE|O_CLOEXEC");
  EXPECT_FALSE(parse_fdinfo_flags("").ok());
  EXPECT_FALSE(parse_fdinfo_flags("0x12").ok());
  EXPECT_FALSE(parse_fdinfo_flags("089").ok());
}

TEST(OpenFlags, RealFdsThroughFcntlAndFdinfo) {
  UniqueFd fd(::open("/dev/null", O_WRONLY | O_APPEND | O_CLOEXEC | O_NONBLOCK));
  ASSERT_TRUE(fd.valid());
  auto names = open_flag_names(static_cast<unsigned>(::fcntl(fd.get(), F_GETFL)));
  EXPECT_EQ(names.front(), "O_WRONLY");
  EXPECT_TRUE(has(names, "O_APPEND"));
  EXPECT_TRUE(has(names, "O_NONBLOCK"));
  auto info = open_flag_names(fdinfo_flags(fd.get()));
  EXPECT_TRUE(has(info, "O_CLOEXEC"));  // fdinfo includes the fd flag
  EXPECT_TRUE(has(info, "O_APPEND"));
  EXPECT_EQ(fd_flags_text(::fcntl(fd.get(), F_GETFD)), "FD_CLOEXEC");

  UniqueFd path(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(path.valid());
  auto pnames = open_flag_names(fdinfo_flags(path.get()));
  EXPECT_EQ(pnames.front(), "O_PATH");
  EXPECT_TRUE(has(pnames, "O_DIRECTORY"));
  EXPECT_FALSE(has(pnames, "O_RDONLY"));
}

TEST(OpenFlags, JsonArray) {
  std::string out;
  JsonWriter w(out);
  open_flags_json(w, O_RDWR | O_NONBLOCK);
  auto j = nlohmann::json::parse(out);
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j, nlohmann::json({"O_RDWR", "O_NONBLOCK"}));
}
