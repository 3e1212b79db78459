// bpf_read_fd_table(): the fd table of another process through a BPF
// task_file iterator (bpf/fd_iter.bpf.c) -- one read() of binary records
// instead of pidfd_getfd + statx + fcntl + readlink + lseek per fd.
//
// Only built with the BPF toolchain (FDSCOPE_HAVE_BPF_SCAN); needs root
// (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN) at run time.  scan_process()
// (fd_scan.cpp) calls it and falls back to the /proc path on any error; the
// error text says why ("BPF iterator load: Operation not permitted").
//
// Cost model: the fixed part is loading the program, made cheap by two
// things: the CO-RE relocations use the kernel BTF reduced at build time to
// the few types the iterator reads (embedded; used when the running kernel
// is the build kernel, else libbpf reads /sys/kernel/btf/vmlinux), and the
// attach point's BTF id is found by a plain walk over the vmlinux BTF
// instead of a full libbpf parse.  The per-fd part is one record of ~130
// bytes plus the path, written by the kernel.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/fd_info.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

// One fd as the iterator saw it: what scan_one() would have put in the
// FdInfo with all_fdinfo (flags as F_GETFL gives them, the close-on-exec
// bit, offset, mount id, pipe size of pipes and FIFOs), and the inode's stat
// fields when `st` is set: only where they are exactly what fstat would say
// (unset for file systems whose getattr adds to the inode: the caller stats
// those through /proc/PID/fd/N).  Kept small: a table has tens of thousands.
struct BpfFd {
  int fd = -1;
  unsigned flags = 0;
  bool cloexec = false;
  bool has_locks = false;  // the inode has a lock context: fdinfo may list locks
  int64_t pos = 0;
  std::optional<int> mnt_id;
  std::optional<int> pipe_size;
  std::optional<uint32_t> scm_fds;  // UNIX sockets: fdinfo's scm_fds (fds in flight)
  int sock_family = -1;              // sockets: AF_*, SOCK_* type and protocol
  int sock_type = 0;
  int sock_protocol = 0;
  std::optional<FdStat> st;
  // d_path text, in the table's buffer; empty for sockets and pipes (named
  // from ino_name and the inode: "socket:[INO]") and when d_path failed
  // (the caller readlinks).
  std::string_view link;
  const char* ino_name = nullptr;  // "socket" or "pipe" when the name is the inode's
  uint64_t ino = 0;
};

// A socket family, type and protocol seen in the table.
struct BpfSocketKind {
  int family, type, protocol;
};

// The records as the iterator wrote them, kept in its buffer and decoded
// into a BpfFd when asked: filan -p decodes each once, in the pass that
// finishes the fds on two threads, instead of holding a second table.
class BpfFdTable {
 public:
  size_t size() const { return records_.size(); }
  int fd(size_t i) const { return fds_[i]; }
  const std::vector<int>& fds() const { return fds_; }  // ascending
  // The link points into the table's buffer, or into `scratch` for a file
  // the iterator sent by its name alone (its directory is an earlier
  // record's): keep scratch while the BpfFd is used.
  BpfFd at(size_t i, std::string& scratch) const;
  // Each socket family/type/protocol the table holds, once.
  const std::vector<BpfSocketKind>& socket_kinds() const { return socket_kinds_; }

 private:
  friend Result<BpfFdTable> bpf_read_fd_table(pid_t, int, int);
  std::unique_ptr<char, void (*)(void*)> text_{nullptr, &std::free};
  std::vector<const char*> records_;
  std::vector<const char*> dir_base_;  // per record: the record whose directory a name-only path is in, or null
  std::vector<int> fds_;
  std::vector<BpfSocketKind> socket_kinds_;
  long page_size_ = 4096;
};

// Every open fd of `pid` (ascending), or only those below max_fd (>= 0), or
// only only_fd (>= 0).  Errors: BPF not available or not allowed, the
// process is gone.
Result<BpfFdTable> bpf_read_fd_table(pid_t pid, int max_fd = -1, int only_fd = -1);

// Why the BPF scan cannot run here, before trying: "" when it may (root);
// used to skip the attempt quietly when unprivileged.
std::string bpf_scan_unavailable_reason();

}  // namespace fdscope
