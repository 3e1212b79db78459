// socat's RETRY group: retry=N, forever, interval=seconds.  An address that
// fails to connect or to listen tries again after interval (default 1 s), up
// to N more times or forever; every failed attempt is logged with the time
// left, and the last failure is the address's error.
#pragma once

#include <functional>

#include "fdscope/result.hpp"

namespace relay::net {

struct RetryPolicy {
  unsigned retry = 0;     // further attempts after the first
  bool forever = false;
  double interval = 1.0;  // seconds between attempts

  bool active() const { return forever || retry > 0; }
};

// Runs attempt() until it succeeds or the policy is used up.  `what` names
// the action in log lines ("connect", "listen").
template <typename T>
fdscope::Result<T> with_retry(const RetryPolicy& p, const char* what,
                              const std::function<fdscope::Result<T>()>& attempt);

// The non-template core: logs a failed attempt and sleeps if another is due.
// Returns false when no attempt is left.
bool retry_after_failure(const RetryPolicy& p, unsigned failures, const char* what,
                         const fdscope::Error& e);

// Sleeps for seconds (restarting after signals).
void sleep_seconds(double seconds);

template <typename T>
fdscope::Result<T> with_retry(const RetryPolicy& p, const char* what,
                              const std::function<fdscope::Result<T>()>& attempt) {
  for (unsigned failures = 1;; ++failures) {
    fdscope::Result<T> r = attempt();
    if (r.ok()) return r;
    if (!retry_after_failure(p, failures, what, r.error())) return r;
  }
}

}  // namespace relay::net
