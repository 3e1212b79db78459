// Launcher: starts `trace -- CMD ARGS` held at the door.  The child is forked
// and blocks reading a pipe before execvp, so the tracer can add its pid to
// the kernel's target set and attach first; release() lets it exec, and the
// first traced call is its execve, as with strace.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope::trace {

class Launcher {
 public:
  Launcher() = default;
  Launcher(Launcher&&) = default;
  Launcher& operator=(Launcher&&) = default;
  ~Launcher();

  // Forks the held child; it runs argv once release() is called.
  static Result<Launcher> start(const std::vector<std::string>& argv);

  pid_t pid() const { return pid_; }

  // Lets the child exec.  An exec failure is reported by the child on stderr
  // with exit status 127 (as shells do).
  Status release();

  // Reaps the child without blocking; true (with *status) once it ended.
  bool reap(int* status);

 private:
  pid_t pid_ = -1;
  UniqueFd go_;  // write end; closing or writing releases the child
  bool reaped_ = false;
};

}  // namespace fdscope::trace
