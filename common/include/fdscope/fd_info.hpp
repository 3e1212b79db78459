// The fd model: one FdInfo record per file descriptor, whatever it refers to.
//
// An FdInfo is filled by fd_inspect (one fd, of this process or of another
// one through pidfd_getfd) or by proc_fds (every fd of another process, the
// fast way), and rendered by fd_render (socat text, -s/-S short lines, JSON)
// and judged by fd_audit.  Everything that could not be read is absent
// (std::nullopt / empty), never a made-up zero; `notes` says why when it
// matters ("getsockopt: Permission denied").
//
// Kind-specific facts that are simple name/value pairs (anon-inode fdinfo
// lines, memfd seals, pty index) are kept as a list of Facts so that every
// renderer walks the same list; the larger structures (socket, tty) have
// their own members, built on the tables of sockopt.hpp, tcp_info.hpp and
// termios_info.hpp.
#pragma once

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/peer_cred.hpp"
#include "fdscope/shared_optional.hpp"
#include "fdscope/sock_diag.hpp"
#include "fdscope/sockaddr.hpp"
#include "fdscope/sockopt.hpp"
#include "fdscope/tcp_info.hpp"
#include "fdscope/termios_info.hpp"

namespace fdscope {

// What an fd refers to.  The names (kind_name) are the JSON "kind" values
// and the first word of filan -S lines for kinds socat does not know.
enum class FdKind : uint8_t {
  Unknown,
  Regular,      // "file"
  Directory,    // "dir"
  Symlink,      // "symlink" (only O_PATH|O_NOFOLLOW fds and -f of a link)
  CharDevice,   // "chrdev"
  BlockDevice,  // "blkdev"
  Fifo,         // "fifo": a named pipe (has a path)
  Pipe,         // "pipe": an anonymous pipe (pipe:[inode])
  Tty,          // "tty": a terminal that is not a pty (console, serial, vt)
  PtyMaster,    // "pty-master"
  PtySlave,     // "pty-slave"
  Socket,       // "socket"
  EventFd,      // "eventfd"
  TimerFd,      // "timerfd"
  SignalFd,     // "signalfd"
  Epoll,        // "epoll"
  Inotify,      // "inotify"
  Fanotify,     // "fanotify"
  PidFd,        // "pidfd"
  IoUring,      // "io_uring"
  BpfMap,       // "bpf-map"
  BpfProg,      // "bpf-prog"
  BpfLink,      // "bpf-link"
  PerfEvent,    // "perf_event"
  MemFd,        // "memfd"
  UserFaultFd,  // "userfaultfd"
  AnonInode,    // "anon_inode": another anon inode ([io_uring-sq], [kvm-vm], ...)
};

std::string_view kind_name(FdKind k);
// True for the kinds that live on the anon-inode (or pidfs) file system and
// whose facts come from /proc/PID/fdinfo.
bool is_anon_kind(FdKind k);

// One decoded fact: a number or a text, or a list of records (epoll
// targets, inotify watches, fanotify marks).  `unit` is appended in text
// ("ns", "s", "bytes") and named in JSON documentation, never in values.
struct Fact {
  std::string key;
  enum class Type : uint8_t { Int, UInt, Text, List } type = Type::Text;
  int64_t i = 0;
  uint64_t u = 0;
  std::string text;
  std::string unit;
  std::vector<std::vector<Fact>> items;  // Type::List: one vector per record

  static Fact num(std::string k, int64_t v, std::string unit = {});
  static Fact unum(std::string k, uint64_t v, std::string unit = {});
  static Fact str(std::string k, std::string v);
  static Fact list(std::string k, std::vector<std::vector<Fact>> items);
  // The value as text ("42", "0x1f" is never produced: numbers are decimal).
  std::string value_text() const;
};

// stat(2) fields, as socat's filan prints them.
struct FdStat {
  dev_t dev = 0;
  ino_t ino = 0;
  mode_t mode = 0;
  nlink_t nlink = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  dev_t rdev = 0;
  off_t size = 0;
  blksize_t blksize = 0;
  blkcnt_t blocks = 0;
  timespec atime{}, mtime{}, ctime{};

  static FdStat from(const struct stat& st);
};

// Socket facts, from getsockopt/getsockname through the fd (own fds and
// pidfd_getfd duplicates) or from a sock_diag dump matched by inode (the fast
// scan of another process).  Named SocketInfo because sock_diag.hpp's
// SocketFacts is the dump result these are filled from.
struct SocketInfo {
  std::optional<int> family, type, protocol;
  std::optional<SockAddr> local, peer;
  std::optional<bool> listening;
  std::optional<unsigned> state;          // TCP_* state number (inet and unix alike)
  std::optional<uint32_t> rqueue, wqueue; // bytes; for listeners accept queue / backlog
  std::optional<uint64_t> unix_peer_ino;  // inode of the peer socket (unix_diag)
  std::vector<SocketHolder> peer_holders; // processes holding that peer socket
  std::optional<PeerInfo> peer_info;      // SO_PEERCRED, SO_PEERPIDFD, SO_PEERSEC
  SharedOptional<TcpInfo> tcp_info;  // shared with the sock_diag facts it came from
  std::string congestion;                 // TCP congestion control (sock_diag)
  std::vector<SockOptValue> options;      // every readable option (detailed mode)
  std::optional<mode_t> path_mode;        // mode of a UNIX socket's file
  std::optional<uid_t> path_uid;
  std::string source;                     // "getsockopt" or "sock_diag"
};

// An optional value kept on the heap, with std::optional's interface (the
// part FdInfo's users need).  FdInfo::sock holds ~700 bytes of socket facts
// that most fds lack; inline, they made every record of a 10,000-fd table
// 1.1 KB, sockets or not, and filan -p paid for that memory (first-touch page
// faults and zeroing) on every fd.  Copies are deep.
template <typename T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}
  HeapOptional(const T& v) : p_(std::make_unique<T>(v)) {}
  HeapOptional(T&& v) : p_(std::make_unique<T>(std::move(v))) {}
  HeapOptional(const HeapOptional& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  HeapOptional(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const HeapOptional& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  HeapOptional& operator=(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  HeapOptional& operator=(const T& v) {
    if (p_)
      *p_ = v;
    else
      p_ = std::make_unique<T>(v);
    return *this;
  }
  HeapOptional& operator=(T&& v) {
    if (p_)
      *p_ = std::move(v);
    else
      p_ = std::make_unique<T>(std::move(v));
    return *this;
  }
  template <typename... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }
  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  const T& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }

 private:
  std::unique_ptr<T> p_;
};

// fstatat(2) through statx(2) with AT_STATX_DONT_SYNC: a network or FUSE
// file system answers from its cached attributes instead of asking a server
// that may hang.  `name` "" means dirfd itself (AT_EMPTY_PATH is added).
// Returns false with errno set on failure.
bool stat_no_sync(int dirfd, const char* name, struct stat* st);

struct FdInfo {
  int fd = -1;
  FdKind kind = FdKind::Unknown;
  bool o_path = false;          // opened with O_PATH
  std::string path;             // readlink target without " (deleted)"
  bool deleted = false;         // the file was unlinked while open
  std::optional<FdStat> st;
  std::optional<int> fd_flags;  // FD_CLOEXEC bit
  std::optional<unsigned> flags;  // file status flags, kernel values (O_*)
  std::optional<int64_t> pos;
  std::optional<int> mnt_id;
  std::optional<int> sigown, sigio;
  std::optional<short> revents;   // poll(0 timeout) result
  std::optional<int> nread;       // FIONREAD / SIOCINQ
  std::optional<int> pipe_size;   // F_GETPIPE_SZ
  std::vector<Fact> facts;        // kind-specific decoded facts
  HeapOptional<SocketInfo> sock;  // on the heap: only sockets pay for it
  HeapOptional<TtyInfo> tty;       // on the heap: only terminals pay for it
  std::string tty_peer;           // pty master: its slave path; slave: ""
  std::vector<std::string> notes; // what could not be read, and why

  bool cloexec() const { return fd_flags && (*fd_flags & 1); }
  const Fact* fact(std::string_view key) const;
};

}  // namespace fdscope
