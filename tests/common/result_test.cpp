// Result/Error: values and errors round-trip, context stacks outermost first.
#include "fdscope/result.hpp"

#include <gtest/gtest.h>

using namespace fdscope;

static Result<int> half(int x) {
  if (x % 2) return plain_error("odd value " + std::to_string(x));
  return x / 2;
}

TEST(Result, CarriesValueOrError) {
  auto a = half(4);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, 2);
  auto b = half(3);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message(), "odd value 3");
}

TEST(Result, ContextIsPrefixedAndErrnoTextAppended) {
  Error e = sys_error("open \"/x\"", ENOENT).context("filan -f");
  EXPECT_EQ(e.message(), "filan -f: open \"/x\": No such file or directory");
  Status s = e;
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error().err, ENOENT);
}
