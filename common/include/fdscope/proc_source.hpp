// ProcSource: the process being analysed, as a directory under a proc root
// ("/proc", or a fixture directory in tests) plus, for a live /proc, a pidfd
// opened before anything is read.  Every proc_* reader takes a ProcSource, so
// the same code reads the real kernel and test fixtures.
//
// Race-freedom: open_process() opens the pidfd first, then the /proc/PID
// directory, then checks through the pidfd that the process is still alive:
// at that point the directory fd is bound to the very process the pidfd names
// (a pid cannot be reused while its process exists).  still_alive() repeats the
// check after reading, so a result is never assembled from two processes.
#pragma once

#include <sys/types.h>

#include <string>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope {

class ProcSource {
 public:
  // Opens proc_root/pid.  With proc_root "/proc" a pidfd is taken as well.
  // Errors name the pid and say plainly what is wrong: no such process,
  // a thread id, or a /proc entry hidden by a hidepid mount.
  static Result<ProcSource> open(pid_t pid, const std::string& proc_root = "/proc");

  pid_t pid() const { return pid_; }
  const std::string& proc_root() const { return root_; }
  bool live() const { return pidfd_.valid(); }
  bool self() const;                 // the process is the caller itself
  int pidfd() const { return pidfd_.get(); }
  int dir_fd() const { return dir_.get(); }

  // "/proc/123/status": the path named in messages.
  std::string path(const std::string& name) const;

  // Whole file / link target relative to the process directory.  Errors are
  // "read /proc/123/status" / "readlink /proc/123/cwd" with the errno.
  Result<std::string> read(const std::string& name) const;
  Result<std::string> readlink(const std::string& name) const;

  // For a live process: Error "pid N exited while being read" once it is gone.
  Status still_alive() const;

 private:
  pid_t pid_ = 0;
  std::string root_;
  UniqueFd dir_;
  UniqueFd pidfd_;
};

// Link target of an arbitrary path (used for other processes' ns links).
Result<std::string> read_link(const std::string& path);

}  // namespace fdscope
