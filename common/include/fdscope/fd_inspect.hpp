// inspect(): one FdInfo for one file descriptor, read without side effects.
//
// Own fds are inspected directly; an fd of another process is first
// duplicated with pidfd_getfd(2) (needs PTRACE_MODE_ATTACH rights: root, or
// the same user when Yama allows it), inspected through the duplicate and
// the duplicate closed right after.  The duplicate shares the target's open
// file description, so nothing here changes file status flags, offsets or
// socket options: no read/write/accept, no fcntl(F_SETFL), no lseek other
// than SEEK_CUR, no blocking ioctl, poll() only with a zero timeout.  The
// target's close-on-exec bit is not shared by the duplicate and is taken
// from /proc/PID/fdinfo instead.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdscope/fd_info.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct InspectOptions {
  bool socket_options = true;  // read every applicable socket option (getsockopt table)
  bool tcp_info = true;        // TCP_INFO for TCP sockets
  bool peer = true;            // UNIX peer credentials and the process holding the peer
  bool poll = true;            // poll(0) and FIONREAD
  // Bulk facts from sock_diag dumps, when the caller has them: UNIX peer
  // inodes, queue lengths, congestion control.  Not owned.
  const SocketFacts* diag = nullptr;
  // Holders of UNIX peer sockets (find_socket_holders), keyed by inode.
  const std::unordered_map<uint64_t, std::vector<SocketHolder>>* holders = nullptr;
};

// An fd of this process.  Error (EBADF) when it is not open.
Result<FdInfo> inspect(int fd, const InspectOptions& opts = {});

// An fd of process `pid`, whose pidfd (pidfd_open) is `pidfd`.
Result<FdInfo> inspect(int pidfd, pid_t pid, int fd, const InspectOptions& opts = {});

// A file system entry (filan -f): lstat, or stat when follow_links; the
// entry is opened O_PATH (never O_RDONLY: opening a FIFO or a device could
// block or have side effects) to read what else can be read.
Result<FdInfo> inspect_path(const std::string& path, bool follow_links);

// The open fds of this process in ascending order, from /proc/self/fd (or,
// without /proc, by probing fcntl(F_GETFD) up to RLIMIT_NOFILE).  The
// directory fd used for listing is not in the result.
Result<std::vector<int>> list_own_fds();

// The building blocks, shared with proc_fds.cpp's fast scan.
// Fills kind, path, deleted, o_path and kind-specific facts from stat, link
// target and fdinfo text (no system calls).
void classify_fd(FdInfo& info, std::string_view link, std::string_view fdinfo);
// Socket facts read through `fd` (an own fd or a pidfd_getfd duplicate).
void fill_socket_facts(int fd, FdInfo& info, const InspectOptions& opts);
// Merges what a sock_diag dump knows about the fd's socket inode (state,
// queues, UNIX peer inode, TCP_INFO when none was read) and the peer holders.
// `root` is prefixed to a listening UNIX socket's path to stat its file
// ("/proc/PID/root" for another process, "" for our own view); the file
// counts only if its inode is the one the socket is bound to.  Returns
// whether the dump knew the socket (nothing is changed when it did not).
bool apply_sock_diag(FdInfo& info, const SocketFacts& diag,
                     const std::unordered_map<uint64_t, std::vector<SocketHolder>>* holders,
                     const std::string& root = {});
// Tty facts (termios, window size, pty peer) read through `fd`.
void fill_tty_facts(int fd, FdInfo& info);

}  // namespace fdscope
