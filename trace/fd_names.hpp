// FdNames: what a traced process's fd refers to, in strace -yy's words
// ("/etc/passwd", "/dev/null<char 1:3>", "pipe:[1234]",
// "TCP:[127.0.0.1:40000->127.0.0.1:8000]"), cached per (pid, fd) and kept
// current from the syscall stream: a call that creates, rebinds or closes an
// fd drops the cached name so the next use looks again.  Lookups read
// /proc/PID/fd and, for sockets, duplicate the fd with pidfd_getfd to ask
// for its addresses; the target's fd is never changed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fdscope/sockaddr.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope::trace {

// What one fd is: its strace -yy name and, for sockets, the facts pcapng
// output needs (family, type, addresses).
struct FdInfo {
  std::string name;
  int family = 0;  // AF_* for sockets, 0 otherwise
  int type = 0;    // SOCK_STREAM / SOCK_DGRAM
  bool cloexec = false;
  SockAddr local, peer;
};

class FdNames {
 public:
  // The text inside fd<...>, or "" when unknown (the process is gone).
  const std::string& name(pid_t pid, int fd) { return info(pid, fd).name; }
  const FdInfo& info(pid_t pid, int fd);

  // The call on (pid, fd) may have changed what the fd is: look again, but
  // keep what we knew if the process is gone.  Returns false when nothing
  // is known afterwards.
  bool refresh(pid_t pid, int fd);
  // (pid, to) is now a duplicate of (pid, from).
  void duplicate(pid_t pid, int from, int to);
  void forget(pid_t pid, int fd);
  // Record a name learned from the call itself (openat of an absolute path).
  void remember(pid_t pid, int fd, std::string name);
  // The process exec'ed (CLOEXEC fds gone) or exited.
  void forget_process(pid_t pid);
  // Look at every fd of pid now (at attach, or while a launched child is
  // held), so names survive a process that exits before its events are read.
  void snapshot(pid_t pid);
  // A successful execve closed the O_CLOEXEC fds.
  void exec_done(pid_t pid);
  // A forked child starts with its parent's fds.
  void copy_process(pid_t parent, pid_t child);
  // True when (pid, fd) has a cached name (no lookup).
  bool known(pid_t pid, int fd) const { return names_.count(key(pid, fd)) != 0; }

  // "/tmp" for the process's cwd (AT_FDCWD decoration).
  const std::string& cwd(pid_t pid);

 private:
  FdInfo lookup(pid_t pid, int fd);
  void socket_info(pid_t pid, int fd, std::string_view inode, FdInfo& out);
  std::string socket_name(pid_t pid, int fd, std::string_view inode, FdInfo& out);
  int pidfd(pid_t pid);

  static uint64_t key(pid_t pid, int fd) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(pid)) << 32) | static_cast<uint32_t>(fd);
  }
  std::unordered_map<uint64_t, FdInfo> names_;
  std::unordered_map<pid_t, std::string> cwds_;
  std::unordered_map<pid_t, UniqueFd> pidfds_;
};

}  // namespace fdscope::trace
