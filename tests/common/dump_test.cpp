// Pins relay's dump formats (-v, -x, -v -x) against socat's, byte for byte,
// using the captures in shared/reference/socat-inventory.md section (d)
// (the header fraction is 1.8's six digits; 1.7.4 printed nine).
#include "fdscope/dump.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

using fdscope::DumpDirection;
using fdscope::DumpFormat;

namespace {

// 2026/11/23 08:35:06 UTC plus the given microseconds, with TZ forced to UTC.
timespec at(long usec) {
  setenv("TZ", "UTC", 1);
  tzset();
  struct tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 23;
  tm.tm_hour = 8;
  tm.tm_min = 35;
  tm.tm_sec = 6;
  return timespec{timegm(&tm), usec * 1000 + 999};  // sub-µs part is dropped
}

std::string block(DumpFormat f, DumpDirection d, uint64_t from, const std::string& data, long usec = 414) {
  std::string out;
  fdscope::append_dump_block(out, f, d, at(usec), from, data.data(), data.size());
  return out;
}

}  // namespace

TEST(DumpTest, HeaderHasDirectionSixDigitFractionAndTwoSpaces) {
  std::string out;
  fdscope::append_dump_header(out, DumpDirection::LeftToRight, at(414), 19, 0);
  EXPECT_EQ(out, "> 2026/11/23 08:35:06.000414  length=19 from=0 to=18\n");
  out.clear();
  fdscope::append_dump_header(out, DumpDirection::RightToLeft, at(424010), 6, 6);
  EXPECT_EQ(out, "< 2026/11/23 08:35:06.424010  length=6 from=6 to=11\n");
}

TEST(DumpTest, TextEscapesLikeSocat) {
  DumpFormat v{true, false};
  EXPECT_EQ(block(v, DumpDirection::LeftToRight, 0, "hello\tworld\r\n\\x\001end"),
            "> 2026/11/23 08:35:06.000414  length=19 from=0 to=18\n"
            "hello\tworld\\r\n\\\\x.end");
}

TEST(DumpTest, TextMapsEveryControlAndHighByte) {
  std::string in = std::string("\a\b\v\f\r\\", 6) + std::string(1, '\0') + "\x80\xff\x7f\"'~ ";
  std::string out;
  fdscope::append_dump_text(out, in.data(), in.size());
  EXPECT_EQ(out, "\\a\\b\\v\\f\\r\\\\....\"'~ ");
}

TEST(DumpTest, TextBlocksRunTogetherWithoutAddedNewline) {
  DumpFormat v{true, false};
  std::string out = block(v, DumpDirection::LeftToRight, 0, "ab") + block(v, DumpDirection::RightToLeft, 0, "gotab\n");
  EXPECT_EQ(out,
            "> 2026/11/23 08:35:06.000414  length=2 from=0 to=1\nab"
            "< 2026/11/23 08:35:06.000414  length=6 from=0 to=5\ngotab\n");
}

TEST(DumpTest, HexIsOneLineOfBytes) {
  DumpFormat x{false, true};
  EXPECT_EQ(block(x, DumpDirection::LeftToRight, 0, "hello\tworld\r\n"),
            "> 2026/11/23 08:35:06.000414  length=13 from=0 to=12\n"
            " 68 65 6c 6c 6f 09 77 6f 72 6c 64 0d 0a\n");
  EXPECT_EQ(block(x, DumpDirection::RightToLeft, 0, "AB"),
            "< 2026/11/23 08:35:06.000414  length=2 from=0 to=1\n 41 42\n");
}

TEST(DumpTest, HexCoversAllByteValues) {
  std::string in;
  for (int i = 0; i < 256; ++i) in.push_back(static_cast<char>(i));
  std::string out;
  fdscope::append_dump_hex(out, in.data(), in.size());
  ASSERT_EQ(out.size(), 3u * 256 + 1);
  EXPECT_EQ(out.substr(0, 9), " 00 01 02");
  EXPECT_EQ(out.substr(out.size() - 7), " fe ff\n");
  EXPECT_EQ(out.substr(3 * 0xa5, 3), " a5");
}

TEST(DumpTest, TableMatchesSocatCapture) {
  DumpFormat vx{true, true};
  EXPECT_EQ(block(vx, DumpDirection::LeftToRight, 0, "hello\tworld\r\n\\x\001end12345678901234567890"),
            "> 2026/11/23 08:35:06.000414  length=39 from=0 to=38\n"
            " 68 65 6c 6c 6f 09 77 6f 72 6c 64 0d 0a           hello.world..\n"
            " 5c 78 01 65 6e 64 31 32 33 34 35 36 37 38 39 30  \\x.end1234567890\n"
            " 31 32 33 34 35 36 37 38 39 30                    1234567890\n"
            "--\n");
}

TEST(DumpTest, TableEndsLinesAfterLineFeeds) {
  // Captured from socat 1.7.4: printf 'ab\ncd\n\n0123456789abcdef\nX' | socat -v -x -u - OPEN:/dev/null
  std::string out;
  std::string in = "ab\ncd\n\n0123456789abcdef\nX";
  fdscope::append_dump_table(out, in.data(), in.size());
  EXPECT_EQ(out,
            " 61 62 0a                                         ab.\n"
            " 63 64 0a                                         cd.\n"
            " 0a                                               .\n"
            " 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66  0123456789abcdef\n"
            " 0a                                               .\n"
            " 58                                               X\n"
            "--\n");
}

TEST(DumpTest, NothingForEmptyBlockOrNoFormat) {
  EXPECT_EQ(block(DumpFormat{true, true}, DumpDirection::LeftToRight, 0, ""), "");
  EXPECT_EQ(block(DumpFormat{}, DumpDirection::LeftToRight, 0, "abc"), "");
}

TEST(DumpTest, BoundCoversWorstCase) {
  std::string lfs(1000, '\n');
  for (DumpFormat f : {DumpFormat{true, false}, DumpFormat{false, true}, DumpFormat{true, true}}) {
    std::string out = block(f, DumpDirection::LeftToRight, 123456789012ull, lfs);
    EXPECT_LE(out.size(), fdscope::dump_block_bound(f, lfs.size()));
    std::string slashes(1000, '\\');
    out = block(f, DumpDirection::LeftToRight, 123456789012ull, slashes);
    EXPECT_LE(out.size(), fdscope::dump_block_bound(f, slashes.size()));
  }
}

TEST(DumpTest, AppendsToExistingBuffer) {
  std::string out = "prefix";
  fdscope::append_dump_hex(out, "\x01", 1);
  fdscope::append_dump_text(out, "\r", 1);
  EXPECT_EQ(out, "prefix 01\n\\r");
}
