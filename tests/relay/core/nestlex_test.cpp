// nestlex: terminators count only outside quotes and brackets; quotes and
// backslashes are removed, brackets kept; malformed text is an error.
#include "core/nestlex.hpp"

#include <gtest/gtest.h>

using relay::nestlex;

TEST(Nestlex, StopsAtFirstTerminator) {
  auto r = nestlex("TCP:host:80,opt", 0, {":", ","});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "TCP");
  EXPECT_EQ(r->end, 3u);
  EXPECT_EQ(r->stop, ":");
}

TEST(Nestlex, ReachesEndWithoutTerminator) {
  auto r = nestlex("abc", 0, {":"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "abc");
  EXPECT_TRUE(r->at_end());
  EXPECT_EQ(r->end, 3u);
}

TEST(Nestlex, QuotesProtectTerminatorsAndAreRemoved) {
  auto r = nestlex("\"a:b,c\"':d':e", 0, {":", ","});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "a:b,c:d");
  EXPECT_EQ(r->stop, ":");
}

TEST(Nestlex, BackslashEscapesNextCharacter) {
  auto r = nestlex("a\\:b\\\\:c", 0, {":"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "a:b\\");
}

TEST(Nestlex, BracketsNestAndAreKept) {
  auto r = nestlex("sh -c (a:[b,{c}]):x", 0, {":", ","});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "sh -c (a:[b,{c}])");
  EXPECT_EQ(r->stop, ":");
}

TEST(Nestlex, MultiCharacterTerminator) {
  auto r = nestlex("a!b!!c", 0, {"!!"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "a!b");
  EXPECT_EQ(r->end, 3u);
}

TEST(Nestlex, MalformedTextIsAnErrorQuotingIt) {
  EXPECT_FALSE(nestlex("a\"b", 0, {":"}).ok());
  EXPECT_FALSE(nestlex("a'b", 0, {":"}).ok());
  EXPECT_FALSE(nestlex("(ab", 0, {":"}).ok());
  EXPECT_FALSE(nestlex("(a]", 0, {":"}).ok());
  auto r = nestlex("ab\\", 0, {":"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("\"ab\\\""), std::string::npos);
}
