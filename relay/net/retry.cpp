// Retry bookkeeping for the RETRY group (see retry.hpp): log each failed
// attempt at notice level (socat logs them below error while attempts are
// left) and sleep for the interval before the next.
#include "net/retry.hpp"

#include <time.h>

#include <cerrno>
#include <cmath>

#include "fdscope/log.hpp"

namespace relay::net {

bool retry_after_failure(const RetryPolicy& p, unsigned failures, const char* what,
                         const fdscope::Error& e) {
  if (!p.forever && failures > p.retry) return false;
  auto& log = fdscope::process_logger();
  if (p.forever)
    log.notice("{} failed: {}; retrying in {} s", what, e.message(), p.interval);
  else
    log.notice("{} failed: {}; retrying in {} s ({} attempt(s) left)", what, e.message(), p.interval,
               p.retry - failures + 1);
  sleep_seconds(p.interval);
  return true;
}

void sleep_seconds(double seconds) {
  double iv = seconds < 0 ? 0 : seconds;
  timespec ts{static_cast<time_t>(iv), static_cast<long>((iv - std::floor(iv)) * 1e9)};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
  }
}

}  // namespace relay::net
