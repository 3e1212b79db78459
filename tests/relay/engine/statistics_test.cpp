// --statistics lines (relay/engine/statistics.cpp) in socat 1.8's wording,
// with numbers padded to a common width, and the forced I-level logging.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.hpp"

TEST(StatisticsTest, BothDirectionsPaddedToWidestNumber) {
  relay::TransferStats s;
  s.transfers[0] = 3;
  s.bytes[0] = 100;
  s.transfers[1] = 12;
  s.bytes[1] = 5;
  auto lines = relay::statistics_lines(s, relay::Direction::Both);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "STATISTICS: left to right:  3 packets(s), 100 byte(s)");
  EXPECT_EQ(lines[1], "STATISTICS: right to left: 12 packets(s),   5 byte(s)");
}

TEST(StatisticsTest, OneWayPrintsOneLine) {
  relay::TransferStats s;
  s.transfers[0] = 1;
  s.bytes[0] = 7;
  auto lines = relay::statistics_lines(s, relay::Direction::LeftToRight);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "STATISTICS: left to right: 1 packets(s), 7 byte(s)");
  lines = relay::statistics_lines(s, relay::Direction::RightToLeft);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "STATISTICS: right to left: 0 packets(s), 0 byte(s)");
}

TEST(StatisticsTest, LoggedAtInfoEvenWhenThresholdIsWarning) {
  fdscope::Logger log;
  std::vector<std::string> lines;
  log.to_callback([&](fdscope::LogLevel, std::string_view l) { lines.emplace_back(l); });
  relay::TransferStats s;
  relay::log_statistics(log, s, relay::Direction::Both);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find(" W statistics are experimental\n"), std::string::npos);
  EXPECT_NE(lines[1].find(" I STATISTICS: left to right: 0 packets(s), 0 byte(s)\n"), std::string::npos);
  EXPECT_NE(lines[2].find(" I STATISTICS: right to left: 0 packets(s), 0 byte(s)\n"), std::string::npos);
  EXPECT_EQ(log.threshold(), fdscope::LogLevel::Warning);
}
