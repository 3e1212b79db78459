// relay's global options: socat's spellings (glued and separate values,
// counted -d, -d0..-d4), the refusal of merged letters, the address count
// and -u/-U, with socat's error texts; and the help text the man test reads.
#include "core/command_line.hpp"

#include <gtest/gtest.h>

#include <vector>

using relay::parse_command_line;

namespace {
fdscope::Result<relay::CommandLine> parse(std::vector<const char*> v) { return parse_command_line(v); }
std::string error_of(std::vector<const char*> v) {
  auto r = parse(std::move(v));
  return r.ok() ? "<ok>" : r.error().message();
}
}  // namespace

TEST(CommandLine, TwoAddressesAfterOptions) {
  auto r = parse({"-v", "-x", "-", "TCP:a:1"});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_TRUE(r->dump_text);
  EXPECT_TRUE(r->dump_hex);
  ASSERT_EQ(r->addresses.size(), 2u);
  EXPECT_EQ(r->addresses[0], "-");
  EXPECT_EQ(r->addresses[1], "TCP:a:1");
}

TEST(CommandLine, VerbosityCountsAndLevels) {
  EXPECT_EQ(parse({"-d", "-d", "-", "-"})->verbosity, 2);
  EXPECT_EQ(parse({"-ddd", "-", "-"})->verbosity, 3);
  EXPECT_EQ(parse({"-d", "-dd", "-", "-"})->verbosity, 3);
  EXPECT_EQ(parse({"-d4", "-", "-"})->verbosity, 4);
  EXPECT_EQ(parse({"-d0", "-", "-"})->verbosity, -1);
  EXPECT_NE(error_of({"-d5", "-", "-"}), "<ok>");
}

TEST(CommandLine, ValuesGluedOrSeparate) {
  EXPECT_EQ(parse({"-b8192", "-", "-"})->block_size, 8192u);
  EXPECT_EQ(parse({"-b", "65536", "-", "-"})->block_size, 65536u);
  EXPECT_DOUBLE_EQ(parse({"-t", "1.5", "-", "-"})->eof_wait, 1.5);
  EXPECT_DOUBLE_EQ(parse({"-T3", "-", "-"})->idle_timeout, 3.0);
  EXPECT_EQ(parse({"-lf", "/tmp/log", "-", "-"})->log_file, "/tmp/log");
  EXPECT_EQ(parse({"-lf/tmp/log", "-", "-"})->log_file, "/tmp/log");
  EXPECT_EQ(parse({"-lpmyrelay", "-", "-"})->progname, "myrelay");
  EXPECT_EQ(parse({"-lylocal0", "-", "-"})->facility, "local0");
  EXPECT_EQ(parse({"-ly", "-", "-"})->log_target, relay::LogTarget::Syslog);
  EXPECT_EQ(parse({"-S", "0x4000", "-", "-"})->signal_mask.value(), 0x4000u);
  EXPECT_EQ(parse({"-r", "/tmp/a", "-R", "/tmp/b", "-", "-"})->raw_right_to_left, "/tmp/b");
  EXPECT_EQ(parse({"-6", "-", "-"})->ip, relay::IpPreference::V6);
  EXPECT_TRUE(parse({"--statistics", "--experimental", "-", "-"})->experimental);
}

TEST(CommandLine, BadValuesAreQuoted) {
  EXPECT_EQ(error_of({"-b", "0", "-", "-"}), "option \"-b\": invalid block size \"0\"");
  EXPECT_EQ(error_of({"-bxyz", "-", "-"}), "option \"-b\": invalid block size \"xyz\"");
  EXPECT_EQ(error_of({"-t", "-1", "-", "-"}), "option \"-t\": invalid timeout \"-1\"");
  EXPECT_EQ(error_of({"-lf"}), "option \"-lf\" requires a value");
}

TEST(CommandLine, SocatErrorTexts) {
  EXPECT_EQ(error_of({"-uv", "-", "-"}),
            "Do not merge single character options, i.e. use \"-u -v\" instead of \"-uv\"");
  EXPECT_EQ(error_of({"-Z", "-", "-"}), "unknown option \"-Z\"; use option \"-h\" for help");
  EXPECT_EQ(error_of({"--nope", "-", "-"}), "unknown option \"--nope\"; use option \"-h\" for help");
  EXPECT_EQ(error_of({"-"}), "exactly 2 addresses required (there are 1); use option \"-h\" for help");
  EXPECT_EQ(error_of({"-", "-", "-"}), "exactly 2 addresses required (there are 3); use option \"-h\" for help");
  EXPECT_EQ(error_of({"-u", "-U", "-", "-"}), "-U and -u must not be combined");
}

TEST(CommandLine, HelpAndVersionNeedNoAddresses) {
  EXPECT_EQ(parse({"-hh"})->help, 2);
  EXPECT_EQ(parse({"-?"})->help, 1);
  EXPECT_EQ(parse({"--help"})->help, 1);
  EXPECT_TRUE(parse({"-V"})->version);
  EXPECT_NE(error_of({"-hhhh"}), "<ok>");
}

TEST(CommandLine, HelpListsOptionsAndAddresses) {
  std::string h = relay::help_text(1);
  for (const char* o : {"\n      -V ", "\n      -d[ddd]", "\n      -d0 ", "\n      --statistics",
                        "\n      -lf", "\n      -b", "\n      -L ", "\n      -W ", "\n      -0 "})
    EXPECT_NE(h.find(o), std::string::npos) << o;
  EXPECT_NE(h.find("STDIO"), std::string::npos);
  EXPECT_EQ(h.find("nonblock"), std::string::npos);
  EXPECT_NE(relay::help_text(2).find("nonblock"), std::string::npos);
  EXPECT_NE(relay::help_text(3).find("phase=FD"), std::string::npos);
}
