// The slow half of relay's -dddd system call log (core/syscall_log.hpp):
// rendering the call and return lines with the shared socat formatter and
// handing them to the process logger at level D.  Only reached when the
// level is on; the wrappers' fast path never calls in here.
#include "core/syscall_log.hpp"

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

}  // namespace relay::sys
