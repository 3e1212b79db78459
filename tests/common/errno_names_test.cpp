// errno names and texts: glibc's names for ordinary errnos, the kernel's
// internal restart codes a tracer sees, and the reverse lookup.
#include "fdscope/errno_names.hpp"

#include <gtest/gtest.h>

#include <cerrno>

using namespace fdscope;

TEST(ErrnoNames, OrdinaryErrnoHasNameAndEnglishText) {
  EXPECT_EQ(errno_name(ENOENT), "ENOENT");
  EXPECT_EQ(errno_text(ENOENT), "No such file or directory");
  EXPECT_EQ(errno_name(ECONNREFUSED), "ECONNREFUSED");
  EXPECT_EQ(errno_text(EAGAIN), "Resource temporarily unavailable");
  EXPECT_EQ(errno_name(EHWPOISON), "EHWPOISON");
}

TEST(ErrnoNames, KernelRestartCodesAreNamed) {
  EXPECT_EQ(errno_name(512), "ERESTARTSYS");
  EXPECT_EQ(errno_text(512), "To be restarted if SA_RESTART is set");
  EXPECT_EQ(errno_name(516), "ERESTART_RESTARTBLOCK");
  EXPECT_EQ(errno_name(524), "ENOTSUPP");
}

TEST(ErrnoNames, UnknownNumbersGiveEmptyText) {
  EXPECT_TRUE(errno_name(0).empty());
  EXPECT_TRUE(errno_name(-1).empty());
  EXPECT_TRUE(errno_name(4000).empty());
  EXPECT_TRUE(errno_text(4000).empty());
  EXPECT_TRUE(errno_name(520).empty());
}

TEST(ErrnoNames, NameToNumberIncludingAliases) {
  EXPECT_EQ(errno_from_name("EACCES"), EACCES);
  EXPECT_EQ(errno_from_name("EPIPE"), EPIPE);
  EXPECT_EQ(errno_from_name("EWOULDBLOCK"), EAGAIN);
  EXPECT_EQ(errno_from_name("ENOTSUP"), EOPNOTSUPP);
  EXPECT_EQ(errno_from_name("ERESTARTSYS"), 512);
  EXPECT_EQ(errno_from_name("ENOSUCH"), 0);
  EXPECT_EQ(errno_from_name(""), 0);
}
