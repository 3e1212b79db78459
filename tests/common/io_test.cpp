// io helpers: short writes are completed, EOF and errors carry context.
#include "fdscope/io.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

using namespace fdscope;

TEST(Io, WriteAllCompletesLargeWritesThroughAPipe) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  std::string data(1 << 20, 'x');  // far more than the pipe buffer
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  pid_t child = fork();
  if (child == 0) {
    r.reset();
    _exit(write_all(w.get(), data) ? 0 : 1);
  }
  w.reset();
  std::string got(data.size() + 10, '\0');
  auto n = read_full(r.get(), got.data(), got.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, data.size());
  got.resize(*n);
  EXPECT_EQ(got, data);
  int st = 0;
  waitpid(child, &st, 0);
  EXPECT_EQ(WEXITSTATUS(st), 0);
}

TEST(Io, ReadFileReportsPathAndErrno) {
  auto r = read_file("/nonexistent/fdscope-test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().err, ENOENT);
  EXPECT_EQ(r.error().message(), "open \"/nonexistent/fdscope-test\": No such file or directory");
}

TEST(Io, ReadFileReadsProc) {
  auto r = read_file("/proc/self/stat");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->substr(0, std::to_string(getpid()).size()), std::to_string(getpid()));
}

TEST(Io, WriteAllOnClosedFdNamesTheFd) {
  auto s = write_all(9999, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().err, EBADF);
  EXPECT_NE(s.error().message().find("fd 9999"), std::string::npos);
}
