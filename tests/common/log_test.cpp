// Pins the Logger to socat's diagnostic line format (inventory section (d)):
// timestamp, optional microseconds and hostname, progname[pid], level letter,
// message; and the -d thresholds and targets.
#include "fdscope/log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "fdscope/io.hpp"

using fdscope::LogLevel;

namespace {

timespec at_utc(long usec) {
  setenv("TZ", "UTC", 1);
  tzset();
  struct tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 23;
  tm.tm_hour = 8;
  tm.tm_min = 35;
  tm.tm_sec = 7;
  return timespec{timegm(&tm), usec * 1000};
}

}  // namespace

TEST(LogTest, LineFormatMatchesSocat) {
  fdscope::LogLineStyle style;
  style.progname = "socat";
  style.pid = 11452;
  std::string out;
  fdscope::format_log_line(out, style, LogLevel::Notice, "reading from and writing to stdio", at_utc(74069));
  EXPECT_EQ(out, "2026/11/23 08:35:07 socat[11452] N reading from and writing to stdio\n");
}

TEST(LogTest, MicrosecondsAndHostname) {
  fdscope::LogLineStyle style;
  style.progname = "myrelay";
  style.pid = 11455;
  style.micros = true;
  style.hostname = "vm";
  std::string out;
  fdscope::format_log_line(out, style, LogLevel::Notice, "reading from and writing to stdio", at_utc(74069));
  EXPECT_EQ(out, "2026/11/23 08:35:07.074069 vm myrelay[11455] N reading from and writing to stdio\n");
}

TEST(LogTest, LevelLetters) {
  EXPECT_EQ(fdscope::log_level_letter(LogLevel::Debug), 'D');
  EXPECT_EQ(fdscope::log_level_letter(LogLevel::Info), 'I');
  EXPECT_EQ(fdscope::log_level_letter(LogLevel::Notice), 'N');
  EXPECT_EQ(fdscope::log_level_letter(LogLevel::Warning), 'W');
  EXPECT_EQ(fdscope::log_level_letter(LogLevel::Error), 'E');
  EXPECT_EQ(fdscope::log_level_letter(LogLevel::Fatal), 'F');
}

TEST(LogTest, VerbosityThresholdsFollowSocat18) {
  EXPECT_EQ(fdscope::log_threshold_for_verbosity(0), LogLevel::Warning);
  EXPECT_EQ(fdscope::log_threshold_for_verbosity(1), LogLevel::Warning);
  EXPECT_EQ(fdscope::log_threshold_for_verbosity(2), LogLevel::Notice);
  EXPECT_EQ(fdscope::log_threshold_for_verbosity(3), LogLevel::Info);
  EXPECT_EQ(fdscope::log_threshold_for_verbosity(4), LogLevel::Debug);
  EXPECT_EQ(fdscope::log_threshold_for_verbosity(7), LogLevel::Debug);
}

TEST(LogTest, DefaultLoggerDropsBelowWarning) {
  fdscope::Logger log;
  std::vector<std::string> lines;
  log.to_callback([&](LogLevel, std::string_view l) { lines.emplace_back(l); });
  log.notice("hidden {}", 1);
  log.info("hidden");
  log.warn("shown {}", 2);
  log.error("also {}", "shown");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(" W shown 2\n"), std::string::npos);
  EXPECT_NE(lines[1].find(" E also shown\n"), std::string::npos);
  EXPECT_NE(lines[0].find("relay[" + std::to_string(getpid()) + "] W"), std::string::npos);
}

TEST(LogTest, VerbosityFourShowsDebug) {
  fdscope::Logger log;
  log.set_verbosity(4);
  int n = 0;
  log.to_callback([&](LogLevel l, std::string_view) {
    EXPECT_EQ(l, LogLevel::Debug);
    ++n;
  });
  log.debug("x");
  EXPECT_EQ(n, 1);
}

TEST(LogTest, FileTargetAppendsWholeLines) {
  char path[] = "/tmp/fdscope-log-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(fdscope::write_all(fd, std::string_view("old\n")).ok());
  close(fd);
  {
    fdscope::Logger log;
    log.set_progname("p");
    ASSERT_TRUE(log.to_file(path).ok());
    log.warn("one");
    log.error("two");
  }
  auto text = fdscope::read_file(path);
  unlink(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, 4), "old\n");
  EXPECT_NE(text->find(" W one\n"), std::string::npos);
  EXPECT_NE(text->find(" E two\n"), std::string::npos);
}

TEST(LogTest, FdTargetWritesOneLine) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  fdscope::Logger log;
  log.set_progname("relay");
  log.to_fd(p[1]);
  log.warn("to {}", "pipe");
  close(p[1]);
  char buf[256];
  auto n = fdscope::read_full(p[0], buf, sizeof buf);
  close(p[0]);
  ASSERT_TRUE(n.ok());
  std::string line(buf, *n);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_NE(line.find("] W to pipe"), std::string::npos);
  EXPECT_EQ(line[4], '/');
  EXPECT_EQ(line[19], ' ');
}

TEST(LogTest, UnknownSyslogFacilityIsAnError) {
  fdscope::Logger log;
  auto st = log.to_syslog("nosuchfacility");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().what.find("nosuchfacility"), std::string::npos);
  EXPECT_TRUE(log.to_mixed("local3").ok());
}

TEST(LogTest, MissingLogFileDirectoryIsAnError) {
  fdscope::Logger log;
  EXPECT_FALSE(log.to_file("/nonexistent-dir-fdscope/x.log").ok());
}
