// FdNames: what a traced process's fd refers to, in strace -yy's words
// ("/etc/passwd", "/dev/null<char 1:3>", "pipe:[1234]",
// "TCP:[127.0.0.1:40000->127.0.0.1:8000]"), kept per (pid, fd) from the
// traced calls themselves.  Events are rendered after the fact, when the
// process may have closed the fd, reused its number or exited, so a call
// that creates an fd (open, socket, accept, pipe, dup ...) names it from its
// own arguments and result (the path it opened, the address it connected
// to, the fd it copied); /proc/PID/fd and a pidfd_getfd duplicate only
// refine that name while the process lives, and only when they still show
// the same object (same file, same socket inode, same family and type).
// Fds the trace never saw created (those open at attach) are looked up in
// /proc on first use.  The target's fds are never changed.
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdscope/sockaddr.hpp"
#include "fdscope/syscall_format.hpp"
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
  // Identity and naming facts (sockets, pipes).
  uint64_t inode = 0;       // socket / pipe inode, 0 when unknown
  uint64_t peer_inode = 0;  // UNIX peer socket, 0 when unknown
  std::string proto;        // "TCP", "UNIX-STREAM" ... (sockets)
};

class FdNames {
 public:
  // The text inside fd<...>, or "" when unknown (the process is gone).
  // AT_FDCWD names the working directory, as strace -yy prints it
  // (AT_FDCWD</tmp>), tracked through chdir/fchdir.
  const std::string& name(pid_t pid, int fd) {
    static const std::string none;
    if (fd == AT_FDCWD) return cwd(pid);
    return fd < 0 ? none : info(pid, fd).name;
  }
  // The name of a returned fd: for dup2/dup3 over an open fd, the copy's
  // (the arguments still show what the number named before the call).
  const std::string& ret_name(pid_t pid, int fd) {
    return pending_.name.empty() || pending_pid_ != pid || pending_fd_ != fd ? name(pid, fd)
                                                                             : pending_.name;
  }
  const FdInfo& info(pid_t pid, int fd);

  // Around one traced call: before its line is written, name the fds it
  // created as they were when it ran; right after the line, note what
  // bind/connect/listen changed (strace shows the fd as it was at entry);
  // once everything about the call is rendered, forget the fds it closed,
  // name the copies it made, drop O_CLOEXEC fds at exec.
  void before_line(const SyscallRecord& rec);
  void after_line(const SyscallRecord& rec);
  void after_call(const SyscallRecord& rec);

  // (pid, to) is now a duplicate of (pid, from).
  void duplicate(pid_t pid, int from, int to, bool cloexec);
  // (pid, fd) was closed: it prints bare until a call names it again.
  void forget(pid_t pid, int fd);
  // The process exited.
  void forget_process(pid_t pid);
  // Look at every fd of pid now (at attach, or while a launched child is
  // held), so names survive a process that exits before its events are read.
  void snapshot(pid_t pid);
  // A successful execve closed the O_CLOEXEC fds.
  void exec_done(pid_t pid);
  // A forked child starts with its parent's fds.
  void copy_process(pid_t parent, pid_t child);
  // True when (pid, fd) has a name (no lookup).
  bool known(pid_t pid, int fd) const {
    auto it = names_.find(key(pid, fd));
    return it != names_.end() && !it->second.name.empty();
  }

  // "/tmp" for the process's cwd (AT_FDCWD decoration).
  const std::string& cwd(pid_t pid);

 private:
  // What /proc says (pid, fd) is now; an empty name when it cannot be read.
  FdInfo lookup(pid_t pid, int fd);
  void socket_facts(pid_t pid, int fd, FdInfo& out);
  int pidfd(pid_t pid);
  void store(pid_t pid, int fd, FdInfo info) { names_[key(pid, fd)] = std::move(info); }
  FdInfo* cached(pid_t pid, int fd);

  // Per-call steps (see before_line).
  void opened_path(const SyscallRecord& rec, int dirfd, std::string_view path, bool cloexec);
  void new_socket(pid_t pid, int fd, int family, int type, bool cloexec);
  void accepted(const SyscallRecord& rec, bool cloexec);
  void readdressed(const SyscallRecord& rec, bool local);
  void recheck_socket(pid_t pid, int fd);
  void new_pipe(pid_t pid, const SyscallRecord& rec, int arg, bool cloexec);
  void new_socketpair(const SyscallRecord& rec);
  void new_anon(pid_t pid, int fd, std::string name, bool cloexec);
  void copied(pid_t pid, int from, int to, bool cloexec);
  void resolve_client(const SockAddr& server, const SockAddr& client);
  std::string absolute(pid_t pid, int dirfd, std::string_view path);

  static uint64_t key(pid_t pid, int fd) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(pid)) << 32) | static_cast<uint32_t>(fd);
  }
  std::unordered_map<uint64_t, FdInfo> names_;
  // The copy a dup2/dup3/F_DUPFD makes, named between before_line and
  // after_call.
  FdInfo pending_;
  pid_t pending_pid_ = 0;
  int pending_fd_ = -1;
  // Connected sockets whose own address only the peer's accept() can tell
  // (the process was gone before /proc could): (pid, fd) keys.
  std::vector<uint64_t> unknown_local_;
  std::unordered_map<pid_t, std::string> cwds_;
  std::unordered_map<pid_t, UniqueFd> pidfds_;
};

// strace -yy's text for a socket from its facts: "TCP:[1.2.3.4:5->6.7.8.9:10]",
// "TCP:[1.2.3.4:5]", "TCP:[12345]", "UNIX-STREAM:[12345->12346,\"/path\"]";
// unknown parts as "?" ("TCP:[?->127.0.0.1:80]"), and the protocol word alone
// when nothing else is known.
std::string socket_fd_name(const FdInfo& info);
// The kernel's protocol name (what strace prints) for a family and type.
std::string_view socket_proto_name(int family, int type);

}  // namespace fdscope::trace
