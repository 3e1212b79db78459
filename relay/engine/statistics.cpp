// --statistics and SIGUSR1 reports (see engine.hpp), in socat 1.8's words:
// a warning that statistics are experimental, then one info line per
// direction with packets and bytes, numbers padded to a common width.
#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.hpp"

namespace relay {

namespace {

size_t digits(uint64_t v) {
  size_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

}  // namespace

std::vector<std::string> statistics_lines(const TransferStats& stats, Direction direction) {
  size_t wb = digits(std::max(stats.transfers[0], stats.transfers[1]));
  size_t wn = digits(std::max(stats.bytes[0], stats.bytes[1]));
  std::vector<std::string> lines;
  if (direction != Direction::RightToLeft)
    lines.push_back(fmt::format("STATISTICS: left to right: {:>{}} packets(s), {:>{}} byte(s)", stats.transfers[0],
                                wb, stats.bytes[0], wn));
  if (direction != Direction::LeftToRight)
    lines.push_back(fmt::format("STATISTICS: right to left: {:>{}} packets(s), {:>{}} byte(s)", stats.transfers[1],
                                wb, stats.bytes[1], wn));
  return lines;
}

void log_statistics(fdscope::Logger& log, const TransferStats& stats, Direction direction) {
  fdscope::LogLevel saved = log.threshold();
  log.set_threshold(fdscope::LogLevel::Info);
  log.warn("statistics are experimental");
  for (const std::string& line : statistics_lines(stats, direction)) log.log(fdscope::LogLevel::Info, line);
  log.set_threshold(saved);
}

}  // namespace relay
