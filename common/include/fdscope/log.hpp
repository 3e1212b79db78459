// Logger: socat's diagnostic line format and targets, as one sink object that
// a program configures from its command line (-d, -lf, -ly, -lm, -lp, -lu,
// -lh).  The library formats lines; it writes only where the program told the
// Logger to (stderr by default).  A line looks like
//   2026/11/23 08:35:07[.074069] [host ]relay[11452] N message
// with the level letter from "DINWEF".  Policy (an E message ends the
// program, "N exiting with status 0") stays with the program.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <fmt/format.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "fdscope/result.hpp"

namespace fdscope {

enum class LogLevel : int { Debug = 0, Info = 1, Notice = 2, Warning = 3, Error = 4, Fatal = 5 };

// 'D', 'I', 'N', 'W', 'E' or 'F'.
char log_level_letter(LogLevel level);

// socat 1.8: no -d shows W,E,F; -d also W; -dd N; -ddd I; -dddd (or more) D.
// Negative counts (-d0 style "errors only") map to Error.
LogLevel log_threshold_for_verbosity(int d_count);

// What goes before the level letter.
struct LogLineStyle {
  std::string progname = "relay";  // -lp (socat: basename of argv[0])
  pid_t pid = 0;                   // 0: getpid() when formatting
  bool micros = false;             // -lu: ".uuuuuu" after the seconds
  std::string hostname;            // -lh: inserted before progname when non-empty
};

// Appends one complete line (ending in '\n') in socat's format; `when` is a
// CLOCK_REALTIME time, rendered in local time.
void format_log_line(std::string& out, const LogLineStyle& style, LogLevel level,
                     std::string_view message, const timespec& when);

class Logger {
 public:
  // Writes to stderr, threshold Warning (socat 1.8's default), progname "relay".
  Logger();
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void set_threshold(LogLevel level) { threshold_ = level; }
  void set_verbosity(int d_count) { threshold_ = log_threshold_for_verbosity(d_count); }
  LogLevel threshold() const { return threshold_; }
  bool enabled(LogLevel level) const { return level >= threshold_; }

  LogLineStyle& style() { return style_; }
  void set_progname(std::string name) { style_.progname = std::move(name); }
  void set_micros(bool on) { style_.micros = on; }
  // -lh: the node name from uname(2), or clears it when off.
  void set_hostname(bool on);

  // Targets (the last call wins).
  void to_stderr();                             // -ls (default)
  Status to_file(const std::string& path);      // -lf: appended, O_CLOEXEC
  Status to_syslog(std::string_view facility);  // -ly[facility], "" = daemon
  Status to_mixed(std::string_view facility);   // -lm: stderr until end_init()
  void end_init();                              // -lm: from here on, syslog
  void to_fd(int fd);                           // any fd, not owned (tests)
  // Every formatted line goes to fn instead (tests, or a program's own sink).
  void to_callback(std::function<void(LogLevel, std::string_view line)> fn);

  // Formats and writes one message if level passes the threshold.
  void log(LogLevel level, std::string_view message);

  template <typename... A>
  void debug(fmt::format_string<A...> f, A&&... a) { emit(LogLevel::Debug, f, std::forward<A>(a)...); }
  template <typename... A>
  void info(fmt::format_string<A...> f, A&&... a) { emit(LogLevel::Info, f, std::forward<A>(a)...); }
  template <typename... A>
  void notice(fmt::format_string<A...> f, A&&... a) { emit(LogLevel::Notice, f, std::forward<A>(a)...); }
  template <typename... A>
  void warn(fmt::format_string<A...> f, A&&... a) { emit(LogLevel::Warning, f, std::forward<A>(a)...); }
  template <typename... A>
  void error(fmt::format_string<A...> f, A&&... a) { emit(LogLevel::Error, f, std::forward<A>(a)...); }
  template <typename... A>
  void fatal(fmt::format_string<A...> f, A&&... a) { emit(LogLevel::Fatal, f, std::forward<A>(a)...); }

 private:
  template <typename... A>
  void emit(LogLevel level, fmt::format_string<A...> f, A&&... a) {
    if (enabled(level)) log(level, fmt::vformat(f, fmt::make_format_args(a...)));
  }
  enum class Target { Stderr, Fd, File, Syslog, Mixed, Callback };
  void close_file();

  LogLevel threshold_ = LogLevel::Warning;
  LogLineStyle style_;
  Target target_ = Target::Stderr;
  int fd_ = 2;
  bool own_fd_ = false;
  bool syslog_open_ = false;
  int facility_ = 0;
  std::string ident_;  // openlog() keeps the pointer
  std::function<void(LogLevel, std::string_view)> callback_;
  std::string line_;  // reused buffer
};

// The process-wide Logger.  Programs configure it from their command line;
// library code that reports progress while it runs (the relay engine, address
// openers) logs here.
Logger& process_logger();

}  // namespace fdscope
