// Unit tests for the text renderer's helpers and the compile-time section
// (common/src/proc_render_text.cpp, common/src/proc_build.cpp).
#include <gtest/gtest.h>

#include <sys/select.h>

#include <fmt/format.h>

#include "fdscope/proc_build.hpp"
#include "fdscope/proc_render_text.hpp"

using namespace fdscope;

TEST(ProcRenderText, EscapesControlBytesAndQuotesSpaces) {
  EXPECT_EQ(escape_text("plain", true), "plain");
  EXPECT_EQ(escape_text("two words", true), "\"two words\"");
  EXPECT_EQ(escape_text("", true), "\"\"");
  EXPECT_EQ(escape_text("a\nb\tc\\d\x01", false), "a\\nb\\tc\\\\d\\x01");
  EXPECT_EQ(escape_text("say \"hi\"", true), "\"say \\\"hi\\\"\"");
}

TEST(ProcRenderText, UnavailableNamesErrnoAndReason) {
  EXPECT_EQ(unavailable_text(Error{"read /proc/1/environ", EACCES}),
            "unavailable (EACCES: read /proc/1/environ: Permission denied)");
  EXPECT_EQ(unavailable_text(Error{"not in this kernel", 0}), "unavailable (not in this kernel)");
}

TEST(ProcRenderText, CompileTimeSectionHasSocatDefinesInSocatFormat) {
  std::string t = render_compile_time_text();
  EXPECT_NE(t.find(fmt::format("#define FD_SETSIZE {}\n", FD_SETSIZE)), std::string::npos);
  EXPECT_NE(t.find("#define CRDLY 000000003000\n"), std::string::npos) << t;
  EXPECT_NE(t.find("#define SOL_SOCKET 0x1\n"), std::string::npos);
  EXPECT_NE(t.find("#define TIOCEXCL 0x540c\n"), std::string::npos);
  EXPECT_NE(t.find("\nC TYPE SIZES\nsizeof(char)      = 1\n"), std::string::npos);
  EXPECT_NE(t.find(fmt::format("sizeof(long)      = {}\n", sizeof(long))), std::string::npos);
  EXPECT_EQ(t.find("process id"), std::string::npos);
}

TEST(ProcRenderText, DefineFormatsMatchSocat) {
  EXPECT_EQ(format_define(CDefine{"X", 8, DefineFormat::octal}), "#define X 000000000010");
  EXPECT_EQ(format_define(CDefine{"Y", 263, DefineFormat::hex}), "#define Y 0x107");
  EXPECT_EQ(format_define(CDefine{"Z", 17, DefineFormat::decimal}), "#define Z 17");
}
