// The address parser: socat's syntax, the implicit forms, and every check
// that must fail before anything is opened, with socat's error texts.
#include "core/address_parser.hpp"

#include <gtest/gtest.h>

#include "core/registry.hpp"

using relay::parse_address;
using relay::parse_address_arg;

namespace {
std::string error_of(std::string_view text, relay::ParseSettings s = {}) {
  auto r = parse_address_arg(text, s);
  return r.ok() ? std::string("<ok>") : r.error().message();
}
}  // namespace

TEST(AddressParser, KeywordParamsAndOptions) {
  auto r = parse_address("open:/tmp/x,creat,perm=0600,Append");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->type->keyword, "OPEN");
  ASSERT_EQ(r->params.size(), 1u);
  EXPECT_EQ(r->params[0], "/tmp/x");
  ASSERT_EQ(r->options.size(), 3u);
  EXPECT_EQ(r->options[0].desc->name, "creat");
  EXPECT_EQ(r->options[1].value.u, 0600u);
  EXPECT_EQ(r->options[2].desc->name, "append");
  EXPECT_EQ(r->options[2].written, "Append");
}

TEST(AddressParser, ImplicitForms) {
  auto fd = parse_address("7");
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(fd->type->keyword, "FD");
  EXPECT_EQ(fd->params.at(0), "7");
  auto path = parse_address("/dev/null,append");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->type->keyword, "GOPEN");
  EXPECT_EQ(path->params.at(0), "/dev/null");
  EXPECT_EQ(path->options.size(), 1u);
  auto dash = parse_address("-");
  ASSERT_TRUE(dash.ok());
  EXPECT_EQ(dash->type->keyword, "STDIO");
}

TEST(AddressParser, QuotesAndBracketsKeepSeparators) {
  auto r = parse_address("SYSTEM:'echo a:b,c',pty");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->params.at(0), "echo a:b,c");
  EXPECT_EQ(r->options.size(), 1u);
  auto b = parse_address("EXEC:sh -c (x:y,z)");
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->params.at(0), "sh -c (x:y,z)");
}

TEST(AddressParser, DualAddress) {
  auto r = parse_address_arg("STDIN!!STDOUT");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_TRUE(r->dual);
  EXPECT_EQ(r->first.type->keyword, "STDIN");
  EXPECT_EQ(r->second.type->keyword, "STDOUT");
  auto q = parse_address_arg("SYSTEM:'a!!b'");
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->dual);
  EXPECT_EQ(error_of("STDIN!!STDOUT!!STDERR").find("more than one \"!!\""), 0u);
}

TEST(AddressParser, SocatErrorTexts) {
  EXPECT_EQ(error_of("FOO:bar"), "unknown device/address \"FOO\"");
  EXPECT_EQ(error_of("STDIO,nosuchopt"), "unknown option \"nosuchopt\"");
  EXPECT_EQ(error_of("STDIO,creat"), "option \"creat\" not supported with this address type");
  EXPECT_EQ(error_of("OPEN"), "OPEN: wrong number of parameters (0 instead of 1): usage: OPEN:<filename>");
  EXPECT_EQ(error_of("open:a:b"), "open: wrong number of parameters (2 instead of 1): usage: OPEN:<filename>");
  EXPECT_EQ(error_of("PIPE:a:b"),
            "PIPE: wrong number of parameters (2 instead of 0 or 1): usage: PIPE[:<filename>]");
  EXPECT_EQ(error_of("OPEN:/x,perm=999"), "invalid value \"999\" for option \"perm\" (octal mode)");
  EXPECT_EQ(error_of("OPEN:/x,readbytes=abc"), "invalid value \"abc\" for option \"readbytes\" (size)");
  EXPECT_EQ(error_of(""), "empty address");
  EXPECT_NE(error_of("OPEN:'/x").find("unterminated quote"), std::string::npos);
}

TEST(AddressParser, GroupCheckCanBeTurnedOff) {
  relay::ParseSettings s;
  s.check_groups = false;
  EXPECT_EQ(error_of("STDIO,creat", s), "<ok>");
}

TEST(AddressParser, EmptyOptionsAreIgnored) {
  auto r = parse_address("PIPE,,nonblock,");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->options.size(), 1u);
}

TEST(AddressParser, LastSettingOfAnOptionWins) {
  auto r = parse_address("PIPE,nonblock=1,nonblock=0");
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r->find("nonblock"), nullptr);
  EXPECT_FALSE(r->find("nonblock")->value.on);
}
