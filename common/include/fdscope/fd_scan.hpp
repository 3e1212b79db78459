// scan_process(): every open fd of another process, fast.
//
// filan -p PID must handle processes with tens of thousands of fds in a few
// milliseconds per thousand, so the scan avoids everything that costs a
// system call per fd beyond the minimum:
//   * fd numbers: one getdents pass over /proc/PID/fd;
//   * with ptrace rights (root, or same user and Yama allowing it): each fd
//     is duplicated with pidfd_getfd, fstat'ed and fcntl(F_GETFL)'ed through
//     the duplicate (cheaper than stat through /proc), closed again; the
//     link target (path) is read only for fds that are not sockets;
//   * without rights: readlinkat and fstatat through /proc/PID/fd, which
//     only needs the weaker PTRACE_MODE_READ (the result says so, once);
//   * sockets: one sock_diag dump per family in the target's network
//     namespace, matched by inode, gives addresses, state, queues, TCP_INFO
//     and UNIX peer inodes; getsockopt is not called per socket;
//   * /proc/PID/fdinfo is read only where it adds facts: anon inodes, pty
//     masters, every fd without rights (flags and offsets come only from
//     there then), and every fd when `all_fdinfo` is set (the target's
//     close-on-exec bits are nowhere else; --audit needs them).
// Large fd tables are split between two threads.
//
// As root, a BPF task_file iterator (fd_scan_bpf.hpp) replaces the per-fd
// system calls above: one read gives every fd's flags, offset, close-on-exec
// bit, inode fields, pipe size and path; what it cannot give (fdinfo of anon
// inodes and pty masters, terminal settings, stat of file systems whose
// getattr adds to the inode) is read per fd as above.  The facts are those of
// the /proc path with `all_fdinfo`: close-on-exec bits, offsets and mount ids
// of every fd, at no extra cost.  ScanMethod::Auto uses it when it loads and
// falls back to /proc quietly (ProcessScan::bpf_error says why); the
// sock_diag dump runs in parallel with the iterator's load.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include <string>
#include <vector>

#include "fdscope/fd_info.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

enum class ScanMethod : uint8_t {
  Auto,  // BPF when it can run here (root, kernel BTF, loads), else /proc
  Bpf,   // BPF or an error
  Proc,  // /proc and pidfd_getfd only
};

struct ScanOptions {
  ScanMethod method = ScanMethod::Auto;
  bool all_fdinfo = false;     // read /proc/PID/fdinfo/N for every fd
  bool sock_diag = true;       // match sockets against sock_diag dumps
  bool peer_holders = true;    // name the processes holding UNIX peer sockets
  int max_fd = -1;             // only fds below this (filan -n); -1: all
  bool tcp_info = true;        // TCP_INFO in the inet dump (-s/-S do not show it)
  bool flags_and_offsets = true;  // fcntl(F_GETFL) and lseek(SEEK_CUR) per fd (-s/-S skip them)
  int only_fd = -1;            // only this fd (filan -p -i without rights); -1: all
};

struct ProcessScan {
  pid_t pid = 0;
  std::vector<FdInfo> fds;     // ascending fd numbers
  bool privileged = false;     // pidfd_getfd worked
  std::vector<std::string> notes;  // said once per scan (missing rights, failed dumps)
  std::string method;          // "bpf" or "proc": how the fd table was read
  std::string bpf_error;       // Auto fell back to /proc: why BPF did not run
};

// Whether this build has the BPF scanner (bpf/fd_iter.bpf.c).
bool bpf_scan_built();

// Errors: no such process, no permission to read /proc/PID/fd.
Result<ProcessScan> scan_process(pid_t pid, const ScanOptions& opts = {});

// pidfd_open(2) with a clear error ("pid 123: no such process").
Result<UniqueFd> open_pidfd(pid_t pid);

}  // namespace fdscope
