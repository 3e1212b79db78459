// Option values: each OptType parses what socat accepts and refuses the rest
// with an error quoting the value; group and phase names render.
#include "core/option.hpp"

#include <gtest/gtest.h>

using relay::OptionDesc;
using relay::OptType;
using relay::Phase;
using relay::parse_option_value;

namespace {
OptionDesc desc(OptType t) {
  OptionDesc d{};
  d.name = "x";
  d.type = t;
  d.arg1 = 42;
  return d;
}
}  // namespace

TEST(OptionValue, BoolWithoutValueIsTrue) {
  auto v = parse_option_value(desc(OptType::Bool), "", false);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->on);
  auto off = parse_option_value(desc(OptType::Bool), "0", true);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->on);
  EXPECT_TRUE(parse_option_value(desc(OptType::Bool), "Yes", true)->on);
  EXPECT_FALSE(parse_option_value(desc(OptType::Bool), "maybe", true).ok());
}

TEST(OptionValue, IntegersParseDecimalHexOctalAndRejectJunk) {
  EXPECT_EQ(parse_option_value(desc(OptType::Int), "-12", true)->i, -12);
  EXPECT_EQ(parse_option_value(desc(OptType::Int), "0x10", true)->i, 16);
  EXPECT_EQ(parse_option_value(desc(OptType::Uint), "010", true)->u, 8u);
  EXPECT_FALSE(parse_option_value(desc(OptType::Uint), "-1", true).ok());
  EXPECT_FALSE(parse_option_value(desc(OptType::Int), "12abc", true).ok());
  EXPECT_FALSE(parse_option_value(desc(OptType::Int), "99999999999", true).ok());
  EXPECT_FALSE(parse_option_value(desc(OptType::Int), "", false).ok());
}

TEST(OptionValue, BadValueErrorQuotesTextAndOption) {
  auto v = parse_option_value(desc(OptType::Int), "abc", true);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message(), "invalid value \"abc\" for option \"x\" (int)");
}

TEST(OptionValue, SizeTakesSuffixes) {
  EXPECT_EQ(parse_option_value(desc(OptType::Size), "4k", true)->u, 4096u);
  EXPECT_EQ(parse_option_value(desc(OptType::Size), "2M", true)->u, 2u * 1024 * 1024);
  EXPECT_FALSE(parse_option_value(desc(OptType::Size), "k", true).ok());
}

TEST(OptionValue, TimevalSplitsSecondsAndMicroseconds) {
  auto v = parse_option_value(desc(OptType::Timeval), "1.25", true);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->tv.tv_sec, 1);
  EXPECT_EQ(v->tv.tv_usec, 250000);
  EXPECT_FALSE(parse_option_value(desc(OptType::Timeval), "-1", true).ok());
  EXPECT_FALSE(parse_option_value(desc(OptType::Timeval), "nan", true).ok());
}

TEST(OptionValue, ModeIsOctal) {
  EXPECT_EQ(parse_option_value(desc(OptType::Mode), "0640", true)->u, 0640u);
  EXPECT_FALSE(parse_option_value(desc(OptType::Mode), "0689", true).ok());
  EXPECT_FALSE(parse_option_value(desc(OptType::Mode), "17777", true).ok());
}

TEST(OptionValue, UidAcceptsNamesAndNumbers) {
  EXPECT_EQ(parse_option_value(desc(OptType::Uid), "root", true)->u, 0u);
  EXPECT_EQ(parse_option_value(desc(OptType::Uid), "1234", true)->u, 1234u);
  EXPECT_FALSE(parse_option_value(desc(OptType::Uid), "no-such-user-xyz", true).ok());
  EXPECT_EQ(parse_option_value(desc(OptType::Gid), "root", true)->u, 0u);
}

TEST(OptionValue, ConstTakesNoValueAndYieldsArg1) {
  auto v = parse_option_value(desc(OptType::Const), "", false);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->i, 42);
  EXPECT_FALSE(parse_option_value(desc(OptType::Const), "1", true).ok());
}

TEST(OptionValue, ByteIsCharOrNumber) {
  EXPECT_EQ(parse_option_value(desc(OptType::Byte), "A", true)->i, 'A');
  EXPECT_EQ(parse_option_value(desc(OptType::Byte), "0x1d", true)->i, 0x1d);
  EXPECT_FALSE(parse_option_value(desc(OptType::Byte), "256", true).ok());
}

TEST(OptionValue, LingerAcceptsSecondsOrOnoffColonSeconds) {
  auto a = parse_option_value(desc(OptType::Linger), "5", true);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->on);
  EXPECT_EQ(a->i, 5);
  auto b = parse_option_value(desc(OptType::Linger), "0:3", true);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->on);
  EXPECT_FALSE(parse_option_value(desc(OptType::Linger), "x:3", true).ok());
}

TEST(OptionValue, CheckFunctionRefusesWithItsReason) {
  OptionDesc d = desc(OptType::Custom);
  d.check = [](const OptionDesc&, const relay::OptValue& v) -> fdscope::Status {
    if (v.text != "ok") return fdscope::plain_error("must be ok");
    return {};
  };
  EXPECT_TRUE(parse_option_value(d, "ok", true).ok());
  auto bad = parse_option_value(d, "nope", true);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("must be ok"), std::string::npos);
}

TEST(OptionNames, GroupsAndPhasesRender) {
  EXPECT_EQ(relay::grp::names(relay::grp::FD | relay::grp::NAMED | relay::grp::IP_TCP), "FD,NAMED,TCP");
  EXPECT_EQ(relay::phase_name(Phase::PASTSOCKET), "PASTSOCKET");
  EXPECT_EQ(relay::phase_name(Phase::OFFSET), "OFFSET");
}

// socat's STRING-NULL (tcpwrap, tcpwrap=name): a string that may be absent,
// where String and Custom insist on a value.
TEST(OptionValue, OptionalStringMayGoWithoutValue) {
  auto none = parse_option_value(desc(OptType::OptionalString), "", false);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->present);
  EXPECT_EQ(none->text, "");
  auto named = parse_option_value(desc(OptType::OptionalString), "sshd", true);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->text, "sshd");
  EXPECT_FALSE(parse_option_value(desc(OptType::String), "", false).ok());
}
