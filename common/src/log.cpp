// The Logger (see log.hpp): formats socat's diagnostic line and sends it to
// the configured target.  The line is built in one buffer and written with a
// single write(2), so lines from forked children sharing stderr or a log
// file never interleave mid-line.  Syslog receives the part from the level
// letter on, as socat sends it (openlog adds ident and pid).
#include "fdscope/log.hpp"

#include <fcntl.h>
#include <sys/utsname.h>
#include <syslog.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "fdscope/io.hpp"

namespace fdscope {

namespace {

int syslog_priority(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return LOG_DEBUG;
    case LogLevel::Info: return LOG_INFO;
    case LogLevel::Notice: return LOG_NOTICE;
    case LogLevel::Warning: return LOG_WARNING;
    case LogLevel::Error: return LOG_ERR;
    case LogLevel::Fatal: return LOG_CRIT;
  }
  return LOG_ERR;
}

struct FacilityName {
  const char* name;
  int value;
};

constexpr std::array<FacilityName, 20> kFacilities{{
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},     {"daemon", LOG_DAEMON},
    {"ftp", LOG_FTP},       {"kern", LOG_KERN},         {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
    {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},     {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},     {"lpr", LOG_LPR},       {"mail", LOG_MAIL},
    {"news", LOG_NEWS},     {"syslog", LOG_SYSLOG},     {"user", LOG_USER},     {"uucp", LOG_UUCP},
}};

Result<int> parse_facility(std::string_view name) {
  if (name.empty()) return LOG_DAEMON;
  for (const auto& f : kFacilities)
    if (name == f.name) return f.value;
  return plain_error("unknown syslog facility \"" + std::string(name) + "\"");
}

}  // namespace

char log_level_letter(LogLevel level) {
  int i = static_cast<int>(level);
  if (i < 0 || i > 5) return '?';
  return "DINWEF"[i];
}

LogLevel log_threshold_for_verbosity(int d) {
  if (d < 0) return LogLevel::Error;
  if (d <= 1) return LogLevel::Warning;
  if (d == 2) return LogLevel::Notice;
  if (d == 3) return LogLevel::Info;
  return LogLevel::Debug;
}

void format_log_line(std::string& out, const LogLineStyle& style, LogLevel level, std::string_view message,
                     const timespec& when) {
  struct tm tm;
  time_t secs = when.tv_sec;
  localtime_r(&secs, &tm);
  char stamp[64];
  size_t n = strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
  out.append(stamp, n);
  if (style.micros) fmt::format_to(std::back_inserter(out), ".{:06}", when.tv_nsec / 1000);
  out.push_back(' ');
  if (!style.hostname.empty()) {
    out += style.hostname;
    out.push_back(' ');
  }
  fmt::format_to(std::back_inserter(out), "{}[{}] {} ", style.progname, style.pid ? style.pid : getpid(),
                 log_level_letter(level));
  out.append(message);
  out.push_back('\n');
}

Logger::Logger() = default;

Logger::~Logger() {
  close_file();
  if (syslog_open_) closelog();
}

void Logger::close_file() {
  if (own_fd_ && fd_ >= 0) ::close(fd_);
  own_fd_ = false;
  fd_ = 2;
}

void Logger::set_hostname(bool on) {
  if (!on) {
    style_.hostname.clear();
    return;
  }
  struct utsname u;
  if (uname(&u) == 0) style_.hostname = u.nodename;
}

void Logger::to_stderr() {
  close_file();
  target_ = Target::Stderr;
}

void Logger::to_fd(int fd) {
  close_file();
  fd_ = fd;
  target_ = Target::Fd;
}

Status Logger::to_file(const std::string& path) {
  auto fd = open_fd(path, O_WRONLY | O_CREAT | O_APPEND, AT_FDCWD, 0644);
  if (!fd) return fd.take_error();
  close_file();
  fd_ = fd->release();
  own_fd_ = true;
  target_ = Target::File;
  return {};
}

Status Logger::to_syslog(std::string_view facility) {
  auto f = parse_facility(facility);
  if (!f) return f.take_error();
  close_file();
  facility_ = *f;
  ident_ = style_.progname;
  openlog(ident_.c_str(), LOG_PID, facility_);
  syslog_open_ = true;
  target_ = Target::Syslog;
  return {};
}

Status Logger::to_mixed(std::string_view facility) {
  auto f = parse_facility(facility);
  if (!f) return f.take_error();
  close_file();
  facility_ = *f;
  target_ = Target::Mixed;
  return {};
}

void Logger::end_init() {
  if (target_ != Target::Mixed) return;
  ident_ = style_.progname;
  openlog(ident_.c_str(), LOG_PID, facility_);
  syslog_open_ = true;
  target_ = Target::Syslog;
}

void Logger::to_callback(std::function<void(LogLevel, std::string_view)> fn) {
  close_file();
  callback_ = std::move(fn);
  target_ = Target::Callback;
}

void Logger::log(LogLevel level, std::string_view message) {
  if (!enabled(level)) return;
  if (target_ == Target::Syslog) {
    line_.clear();
    line_.push_back(log_level_letter(level));
    line_.push_back(' ');
    line_.append(message);
    syslog(syslog_priority(level), "%s", line_.c_str());
    return;
  }
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  line_.clear();
  format_log_line(line_, style_, level, message, now);
  if (target_ == Target::Callback) {
    callback_(level, line_);
    return;
  }
  // stderr may share its file description with an fd the relay made
  // non-blocking: wait for room rather than drop the line.  Any other
  // failing log write has nowhere to be reported; the line is dropped.
  (void)write_all_waiting(fd_, line_);
}

Logger& process_logger() {
  static Logger logger;
  return logger;
}

}  // namespace fdscope
