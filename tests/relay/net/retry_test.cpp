// relay/net/retry.cpp: retry=N makes N further attempts with the interval
// between them; forever goes on until success.
#include "net/retry.hpp"

#include <chrono>

#include <gtest/gtest.h>

using namespace relay::net;

TEST(Retry, StopsAfterNFurtherAttempts) {
  int calls = 0;
  std::function<fdscope::Result<int>()> f = [&]() -> fdscope::Result<int> {
    ++calls;
    return fdscope::plain_error("nope");
  };
  auto t0 = std::chrono::steady_clock::now();
  auto r = with_retry<int>(RetryPolicy{2, false, 0.05}, "connect", f);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_FALSE(r);
  EXPECT_EQ(calls, 3);
  EXPECT_GE(took, 0.09);
}

TEST(Retry, NoRetryMeansOneAttempt) {
  int calls = 0;
  std::function<fdscope::Result<int>()> f = [&]() -> fdscope::Result<int> {
    ++calls;
    return fdscope::plain_error("nope");
  };
  EXPECT_FALSE(with_retry<int>(RetryPolicy{}, "connect", f));
  EXPECT_EQ(calls, 1);
}

TEST(Retry, ForeverUntilSuccess) {
  int calls = 0;
  std::function<fdscope::Result<int>()> f = [&]() -> fdscope::Result<int> {
    if (++calls < 5) return fdscope::plain_error("not yet");
    return 42;
  };
  auto r = with_retry<int>(RetryPolicy{0, true, 0.001}, "listen", f);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(calls, 5);
}
