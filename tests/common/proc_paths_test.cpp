// Unit tests for exe classification, environment size and cmdline splitting
// (common/src/proc_paths.cpp).
#include <gtest/gtest.h>

#include "fdscope/proc_paths.hpp"

using namespace fdscope;
using namespace std::string_literals;

TEST(ProcPaths, DeletedExeIsFlaggedAndSuffixRemoved) {
  auto e = classify_exe_link("/tmp/x (deleted)", 0);
  EXPECT_TRUE(e.deleted);
  EXPECT_FALSE(e.memfd);
  EXPECT_EQ(e.path, "/tmp/x");
}

TEST(ProcPaths, FileReallyNamedDeletedIsNotFlagged) {
  auto e = classify_exe_link("/tmp/x (deleted)", 1);
  EXPECT_FALSE(e.deleted);
  EXPECT_EQ(e.path, "/tmp/x (deleted)");
}

TEST(ProcPaths, MemfdExeIsFlagged) {
  auto e = classify_exe_link("/memfd:payload (deleted)", 0);
  EXPECT_TRUE(e.memfd);
  EXPECT_EQ(e.path, "/memfd:payload");
  EXPECT_FALSE(classify_exe_link("/usr/bin/sleep", 1).memfd);
}

TEST(ProcPaths, EnvironmentCountAndBytes) {
  auto s = environ_size("A=1\0BB=22\0"s);
  EXPECT_EQ(s.count, 2u);
  EXPECT_EQ(s.bytes, 10u);
  EXPECT_EQ(environ_size("").count, 0u);
  EXPECT_EQ(environ_size("X=unterminated"s).count, 1u);
}

TEST(ProcPaths, CmdlineSplitsOnNulKeepingEmptyArgs) {
  EXPECT_EQ(split_cmdline("sleep\0" "30\0"s), (std::vector<std::string>{"sleep", "30"}));
  EXPECT_EQ(split_cmdline("a\0\0b\0"s), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(split_cmdline("").empty());
}
