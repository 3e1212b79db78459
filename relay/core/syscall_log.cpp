// The slow half of relay's -dddd system call log (core/syscall_log.hpp):
// rendering the call and return lines with the shared socat formatter and
// handing them to the process logger at level D.  Only reached when the
// level is on; the wrappers' fast path never calls in here.
#include "core/syscall_log.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "fdscope/log.hpp"

namespace relay::sys {

void enable_syscall_log(bool on) { g_syscall_log = on; }

void LoggedCall::enter() {
  int saved = errno;
  fdscope::process_logger().log(fdscope::LogLevel::Debug, fdscope::socat_call_text(rec_));
  errno = saved;
}

int64_t LoggedCall::done(int64_t r) {
  int saved = errno;
  rec_.ret = r < 0 ? -static_cast<int64_t>(saved) : r;
  fdscope::process_logger().log(fdscope::LogLevel::Debug, fdscope::socat_return_text(rec_));
  errno = saved;
  return r;
}

namespace {

void debug_line(const std::string& line) {
  int saved = errno;
  fdscope::process_logger().log(fdscope::LogLevel::Debug, line);
  errno = saved;
}

}  // namespace

int setenv(const char* name, const char* value, int overwrite) {
  if (!g_syscall_log) [[likely]]
    return ::setenv(name, value, overwrite);
  debug_line(fmt::format("setenv(\"{}\", \"{}\", {})", name, value, overwrite));
  int r = ::setenv(name, value, overwrite);
  debug_line(fmt::format("setenv() -> {}", r));
  return r;
}

int execvp(const char* file, char* const argv[]) {
  if (!g_syscall_log) [[likely]]
    return ::execvp(file, argv);
  std::string line = fmt::format("execvp(\"{}\", ", file);
  for (int i = 0; argv[i] != nullptr; ++i) fmt::format_to(std::back_inserter(line), "{}\"{}\"", i ? " " : "", argv[i]);
  line += ')';
  debug_line(line);
  int r = ::execvp(file, argv);
  debug_line(fmt::format("execvp() -> {}", r));
  return r;
}

}  // namespace relay::sys
