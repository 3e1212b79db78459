// The fast scan of another process's fds (see fd_scan.hpp for the cost
// model).  Per fd the privileged path costs pidfd_getfd + fstat + fcntl +
// close (+ readlinkat for non-sockets); the unprivileged one readlinkat
// (+ fstatat for non-sockets).  Sockets get their facts afterwards from one
// sock_diag dump per family, matched by inode; only sockets no dump knows
// (vsock, or every socket when the dump failed) are asked with getsockopt.
// The BPF path (fd_scan_bpf.cpp) replaces the per-fd pass with one iterator
// read; finish_bpf_one() adds what the iterator cannot see, the socket pass
// is shared.
#include "fdscope/fd_scan.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "fdscope/anon_inode.hpp"
#include "fdscope/fd_inspect.hpp"
#ifdef FDSCOPE_HAVE_BPF_SCAN
#include "fdscope/fd_scan_bpf.hpp"
#endif
#include "fdscope/io.hpp"
#include "fdscope/unique_fd.hpp"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif

namespace fdscope {
namespace {

struct linux_dirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

Result<std::vector<int>> list_fd_dir(int dirfd, int max_fd, int only_fd) {
  std::vector<int> fds;
  alignas(linux_dirent64) char buf[65536];
  for (;;) {
    long n = ::syscall(SYS_getdents64, dirfd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("getdents");
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<linux_dirent64*>(buf + off);
      off += d->d_reclen;
      int fd = 0;
      const char* name = d->d_name;
      auto [p, ec] = std::from_chars(name, name + std::strlen(name), fd);
      if (ec != std::errc() || *p != '\0') continue;
      if (max_fd >= 0 && fd >= max_fd) continue;
      if (only_fd >= 0 && fd != only_fd) continue;
      fds.push_back(fd);
    }
  }
  std::sort(fds.begin(), fds.end());
  return fds;
}

std::string readlink_at(int dirfd, const char* name) {
  char buf[4096];
  ssize_t n = ::readlinkat(dirfd, name, buf, sizeof(buf));
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

std::string read_fdinfo(int fdinfo_dir, const char* name) {
  int f = ::openat(fdinfo_dir, name, O_RDONLY | O_CLOEXEC);
  if (f < 0) return {};
  UniqueFd owner(f);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = retry_eintr([&] { return ::read(f, buf, sizeof(buf)); });
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// The socket inode of a "socket:[123]" link target.
std::optional<uint64_t> socket_link_inode(std::string_view link) {
  if (!link.starts_with("socket:[") || !link.ends_with("]")) return std::nullopt;
  uint64_t ino = 0;
  auto [p, ec] = std::from_chars(link.data() + 8, link.data() + link.size() - 1, ino);
  if (ec != std::errc()) return std::nullopt;
  return ino;
}

bool needs_fdinfo(FdKind k) {
  return is_anon_kind(k) || k == FdKind::PtyMaster;
}

struct Ctx {
  pid_t pid;
  int pidfd;
  int fd_dir;
  int fdinfo_dir;
  bool privileged;
  const ScanOptions* opts;
};

// One fd, filled as far as the cheap calls go; sockets are finished later.
void scan_one(const Ctx& c, int fd, FdInfo& info) {
  info.fd = fd;
  char name[16];
  *fmt::format_to(name, "{}", fd) = '\0';
  std::string link;
  struct stat st;
  bool have_stat = false;
  UniqueFd dup;
  if (c.privileged) {
    int g = static_cast<int>(::syscall(SYS_pidfd_getfd, c.pidfd, fd, 0));
    if (g < 0) {
      info.kind = FdKind::Unknown;
      info.notes.push_back(sys_error(fmt::format("pidfd_getfd(pid {}, fd {})", c.pid, fd)).message());
      return;
    }
    dup.reset(g);
    if (stat_no_sync(g, "", &st)) have_stat = true;
    if (c.opts->flags_and_offsets) {
      int fl = ::fcntl(g, F_GETFL);
      if (fl >= 0) info.flags = static_cast<unsigned>(fl);
    }
    if (have_stat && S_ISSOCK(st.st_mode))
      link = fmt::format("socket:[{}]", st.st_ino);
    else
      link = readlink_at(c.fd_dir, name);
  } else {
    link = readlink_at(c.fd_dir, name);
    if (auto ino = socket_link_inode(link)) {
      std::memset(&st, 0, sizeof(st));
      st.st_mode = S_IFSOCK | 0777;
      st.st_ino = *ino;
      have_stat = true;
    } else if (stat_no_sync(c.fd_dir, name, &st)) {
      have_stat = true;
    }
  }
  if (link.empty() && !have_stat) {
    info.kind = FdKind::Unknown;
    info.notes.push_back(fmt::format("fd {} closed while being read", fd));
    return;
  }
  if (have_stat) info.st = FdStat::from(st);

  // Kind first (no fdinfo), then fdinfo when it adds facts.
  std::string fdinfo;
  {
    FdInfo probe;
    probe.st = info.st;
    classify_fd(probe, link, {});
    if (c.opts->all_fdinfo || !c.privileged || needs_fdinfo(probe.kind)) fdinfo = read_fdinfo(c.fdinfo_dir, name);
  }
  classify_fd(info, link, fdinfo);
  if (info.o_path || !dup.valid()) return;
  int g = dup.get();
  switch (info.kind) {
    case FdKind::Regular:
    case FdKind::Directory:
    case FdKind::BlockDevice:
    case FdKind::MemFd:
      if (!info.pos && c.opts->flags_and_offsets) {
        off_t pos = ::lseek(g, 0, SEEK_CUR);  // SEEK_CUR with 0 reads, never moves
        if (pos >= 0) info.pos = pos;
      }
      break;
    case FdKind::Fifo:
    case FdKind::Pipe: {
      int sz = ::fcntl(g, F_GETPIPE_SZ);
      if (sz >= 0) info.pipe_size = sz;
      break;
    }
    case FdKind::CharDevice:
    case FdKind::Tty:
    case FdKind::PtyMaster:
    case FdKind::PtySlave:
      fill_tty_facts(g, info);
      break;
    default:
      break;
  }
}

// Runs work(from, to) over [0, n), split between this thread and one more
// when the table is large and there is a second CPU.
template <typename F>
void split_work(size_t n, F&& work) {
  if (n >= 1024 && std::thread::hardware_concurrency() > 1) {
    size_t half = n / 2;
    try {
      std::thread t([&] { work(half, n); });
      work(0, half);
      t.join();
      return;
    } catch (const std::system_error&) {
      // no thread available (nothing ran yet): one pass does it all
    }
  }
  work(0, n);
}

#ifdef FDSCOPE_HAVE_BPF_SCAN
// One iterator record made into what scan_one() would have produced with
// all_fdinfo: stat through /proc where the inode alone is not what stat
// says, the link where d_path failed, fdinfo where it adds facts (anon
// inodes, pty masters, files with locks), terminal settings through a
// duplicate.
void finish_bpf_one(const Ctx& c, BpfFd& b, FdInfo& info) {
  info.fd = b.fd;
  info.flags = b.flags;
  info.fd_flags = b.cloexec ? FD_CLOEXEC : 0;
  info.pos = b.pos;
  info.mnt_id = b.mnt_id;
  info.pipe_size = b.pipe_size;
  char name[16];
  *fmt::format_to(name, "{}", info.fd) = '\0';
  if (b.st) {
    info.st = *b.st;
  } else {
    struct stat st;
    if (stat_no_sync(c.fd_dir, name, &st)) info.st = FdStat::from(st);
  }
  // The link: d_path's text, "socket:[INO]" made here, or readlink's.
  char made[48];
  std::string read;
  std::string_view link = b.link;
  if (link.empty() && b.ino_name)
    link = std::string_view(made, static_cast<size_t>(fmt::format_to(made, "{}:[{}]", b.ino_name, b.ino) - made));
  else if (link.empty())
    link = read = readlink_at(c.fd_dir, name);
  classify_fd(info, link, {});
  if (needs_fdinfo(info.kind) || b.has_locks) {
    std::string fdinfo = read_fdinfo(c.fdinfo_dir, name);
    if (!fdinfo.empty()) classify_fd(info, link, fdinfo);
  } else if (b.scm_fds) {
    // The one line a UNIX socket's fdinfo adds, decoded as fdinfo's would be.
    for (Fact& f : decode_fdinfo_facts(info.kind, fmt::format("scm_fds:\t{}\n", *b.scm_fds)))
      info.facts.push_back(std::move(f));
  }
  if (info.o_path || !c.privileged) return;
  switch (info.kind) {
    case FdKind::CharDevice:
    case FdKind::Tty:
    case FdKind::PtyMaster:
    case FdKind::PtySlave: {
      int g = static_cast<int>(::syscall(SYS_pidfd_getfd, c.pidfd, info.fd, 0));
      if (g < 0) break;
      UniqueFd owner(g);
      fill_tty_facts(g, info);
      break;
    }
    default:
      break;
  }
}
#endif

// Whether pidfd_getfd works on this process: tried on the first fd that is
// open.  A refusal other than EBADF is noted once.
bool probe_rights(int pidfd, pid_t pid, const std::vector<int>& fds, std::vector<std::string>& notes,
                  const char* without) {
  for (int fd : fds) {
    int g = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    if (g >= 0) {
      ::close(g);
      return true;
    }
    if (errno != EBADF) {
      notes.push_back(fmt::format("no ptrace rights on pid {} ({}): {}", pid, std::strerror(errno), without));
      return false;
    }
  }
  return false;
}

// Which sock_diag dumps the scan needs, published by the fd pass while the
// dump thread runs: the TCP/IPv4 dump (the common case) starts at once, the
// others wait until the BPF scan has said which socket families the process
// holds.  The /proc path cannot tell, and opens the gate for every dump.
class DumpGate {
 public:
  bool wanted(int family, int protocol) {
    if (family == AF_INET && protocol == IPPROTO_TCP) return true;
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return known_; });
    return all_ || needed_.count(key(family, protocol)) != 0;
  }
  void open_all() { publish(true, {}); }
#ifdef FDSCOPE_HAVE_BPF_SCAN
  void need(const std::vector<BpfSocketKind>& kinds) {
    std::unordered_set<uint32_t> n;
    for (const BpfSocketKind& k : kinds) {
      if (k.family == AF_INET || k.family == AF_INET6)
        n.insert(key(k.family, k.type == SOCK_RAW ? IPPROTO_RAW : k.protocol));
      else
        n.insert(key(k.family, 0));
    }
    publish(false, std::move(n));
  }
#endif

 private:
  static uint32_t key(int family, int protocol) { return (uint32_t(family) << 16) | uint32_t(protocol & 0xffff); }
  void publish(bool all, std::unordered_set<uint32_t> needed) {
    {
      std::lock_guard lock(m_);
      if (known_) return;
      known_ = true;
      all_ = all;
      needed_ = std::move(needed);
    }
    cv_.notify_all();
  }
  std::mutex m_;
  std::condition_variable cv_;
  bool known_ = false, all_ = false;
  std::unordered_set<uint32_t> needed_;
};

}  // namespace

bool bpf_scan_built() {
#ifdef FDSCOPE_HAVE_BPF_SCAN
  return true;
#else
  return false;
#endif
}

Result<UniqueFd> open_pidfd(pid_t pid) {
  if (pid <= 0) return sys_error(fmt::format("pid {}", pid), ESRCH);
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) {
    int e = errno;
    if (e == ESRCH) return plain_error(fmt::format("pid {}: no such process", pid));
    if (e == EINVAL) return plain_error(fmt::format("pid {}: not a process (a thread id?)", pid));
    return sys_error(fmt::format("pidfd_open(pid {})", pid), e);
  }
  return UniqueFd(fd);
}

Result<ProcessScan> scan_process(pid_t pid, const ScanOptions& opts) {
  ProcessScan scan;
  scan.pid = pid;
  auto pidfd = open_pidfd(pid);
  if (!pidfd) return pidfd.take_error();
  std::string dir = fmt::format("/proc/{}/fd", pid);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    int e = errno;
    if (e == ENOENT) return plain_error(fmt::format("pid {}: no such process", pid));
    return sys_error(fmt::format("pid {}: cannot list open fds: open {}", pid, dir), e);
  }
  UniqueFd fd_dir(dfd);
  UniqueFd fdinfo_dir(::open(fmt::format("/proc/{}/fdinfo", pid).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // Linux 6.2+ gives the number of open fds as the directory's size.
  struct stat dst;
  size_t expected = ::fstat(fd_dir.get(), &dst) == 0 && dst.st_size > 0 ? static_cast<size_t>(dst.st_size) : 0;

  bool try_bpf = false;
  if (opts.method != ScanMethod::Proc) {
#ifdef FDSCOPE_HAVE_BPF_SCAN
    std::string why = bpf_scan_unavailable_reason();
    if (why.empty() || opts.method == ScanMethod::Bpf)
      try_bpf = true;
    else
      scan.bpf_error = why;
#else
    if (opts.method == ScanMethod::Bpf) return plain_error("BPF scan: this filan was built without it");
    scan.bpf_error = "built without the BPF scanner";
#endif
  }

  DumpGate gate;
  // The sock_diag dump does not depend on the fd pass: for a large fd table
  // (or while the BPF iterator loads) it runs meanwhile in its own thread (a
  // small process only pays for it when it turns out to hold sockets).
  auto dump = [&]() -> Result<SocketFacts> {
    struct stat ours, theirs;
    bool same_ns = ::stat("/proc/self/ns/net", &ours) == 0 &&
                   ::stat(fmt::format("/proc/{}/ns/net", pid).c_str(), &theirs) == 0 &&
                   ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev;
    SockDiagOptions dopts;
    dopts.tcp_info = opts.tcp_info;
    dopts.wanted = [&gate](int family, int protocol) { return gate.wanted(family, protocol); };
    if (same_ns) return dump_sockets(dopts);
    UniqueFd ns(::open(fmt::format("/proc/{}/ns/net", pid).c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns.valid()) return sys_error("open net namespace");
    return dump_sockets_in_netns(ns.get(), dopts);
  };
  std::optional<Result<SocketFacts>> early;
  std::thread dumper;
  auto start_dump = [&] {
    if (!opts.sock_diag || dumper.joinable() || early) return;
    try {
      dumper = std::thread([&] { early.emplace(dump()); });
    } catch (const std::system_error&) {
      // dumped below, after the pass
    }
  };

  bool done = false;
#ifdef FDSCOPE_HAVE_BPF_SCAN
  if (try_bpf) {
    if (expected >= 256) start_dump();
    auto table = bpf_read_fd_table(pid, opts.max_fd, opts.only_fd);
    if (table) {
      gate.need(table->socket_kinds());  // the dump thread may go on with the families needed
      scan.privileged = probe_rights(pidfd->get(), pid, table->fds(), scan.notes,
                                     "no terminal settings or socket options through the fd");
      if (expected < 256 && !table->socket_kinds().empty()) start_dump();
      Ctx c{pid, pidfd->get(), fd_dir.get(), fdinfo_dir.get(), scan.privileged, &opts};
      scan.fds.resize(table->size());
      split_work(table->size(), [&](size_t from, size_t to) {
        std::string scratch;
        for (size_t i = from; i < to; ++i) {
          BpfFd b = table->at(i, scratch);
          finish_bpf_one(c, b, scan.fds[i]);
        }
      });
      scan.method = "bpf";
      done = true;
    } else if (opts.method == ScanMethod::Bpf) {
      gate.open_all();
      if (dumper.joinable()) dumper.join();
      return table.take_error().context("BPF scan");
    } else {
      scan.bpf_error = table.error().message();
    }
  }
#endif

  if (!done) {
    gate.open_all();
    scan.method = "proc";
    auto list = list_fd_dir(fd_dir.get(), opts.max_fd, opts.only_fd);
    if (!list) {
      if (dumper.joinable()) dumper.join();
      return list.take_error().context(fmt::format("pid {}: {}", pid, dir));
    }
    const std::vector<int>& fds = *list;
    if (fds.size() >= 1024) start_dump();
    // Rights: one pidfd_getfd decides for the whole scan.
    scan.privileged = probe_rights(pidfd->get(), pid, fds, scan.notes,
                                   "showing what /proc shows (no flags, offsets or terminal settings unless "
                                   "fdinfo is readable)");
    Ctx c{pid, pidfd->get(), fd_dir.get(), fdinfo_dir.get(), scan.privileged, &opts};
    scan.fds.resize(fds.size());
    split_work(fds.size(), [&](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i) {
        scan.fds[i] = FdInfo{};
        scan_one(c, fds[i], scan.fds[i]);
      }
    });
  }
  const bool privileged = scan.privileged;

  // Sockets: one dump per family in the target's network namespace.
  bool any_socket = std::any_of(scan.fds.begin(), scan.fds.end(),
                                [](const FdInfo& i) { return i.kind == FdKind::Socket; });
  if (dumper.joinable()) dumper.join();
  std::optional<SocketFacts> diag;
  if (any_socket && opts.sock_diag) {
    Result<SocketFacts> d = early ? std::move(*early) : dump();
    if (d.ok()) {
      diag = std::move(*d);
      for (const Error& e : diag->errors) scan.notes.push_back("sock_diag: " + e.message());
    } else {
      scan.notes.push_back("sock_diag: " + d.error().message());
    }
  }
  std::unordered_map<uint64_t, std::vector<SocketHolder>> holders;
  if (diag && opts.peer_holders) {
    // Peers inside the target itself are found from the scan; only the
    // others need the /proc-wide search.  Only connected UNIX sockets have
    // peers to look for.
    std::vector<uint64_t> peers;  // peer inodes, one per connected UNIX socket fd
    if (!diag->unix_sockets.empty())
      for (const FdInfo& i : scan.fds) {
        if (i.kind != FdKind::Socket || !i.st) continue;
        const UnixDiagFacts* u = diag->find_unix(i.st->ino);
        if (u && u->peer_inode && *u->peer_inode) peers.push_back(*u->peer_inode);
      }
    std::unordered_map<uint64_t, int> own;
    if (!peers.empty())
      for (const FdInfo& i : scan.fds)
        if (i.kind == FdKind::Socket && i.st) own.emplace(i.st->ino, i.fd);
    std::unordered_set<uint64_t> wanted;
    std::string comm;
    if (!peers.empty())
      if (auto r = read_file(fmt::format("/proc/{}/comm", pid)); r.ok()) {
        comm = *r;
        while (!comm.empty() && comm.back() == '\n') comm.pop_back();
      }
    for (uint64_t peer : peers) {
      auto it = own.find(peer);
      if (it != own.end())
        holders[peer].push_back(SocketHolder{pid, comm, it->second});
      else
        wanted.insert(peer);
    }
    if (!wanted.empty()) {
      auto found = find_socket_holders(wanted);
      for (auto& [ino, v] : found)
        for (auto& h : v) holders[ino].push_back(std::move(h));
    }
  }
  const std::string root = fmt::format("/proc/{}/root", pid);
  InspectOptions sock_opts;
  sock_opts.socket_options = false;
  sock_opts.poll = false;
  sock_opts.peer = false;
  // Each socket's facts are its own; the dump and the holders are only read.
  split_work(scan.fds.size(), [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      FdInfo& i = scan.fds[k];
      if (i.kind != FdKind::Socket || !i.st) continue;
      if (diag && apply_sock_diag(i, *diag, &holders, root)) continue;
      if (privileged) {
        int g = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd->get(), i.fd, 0));
        if (g >= 0) {
          UniqueFd owner(g);
          fill_socket_facts(g, i, sock_opts);
        }
      }
    }
  });
  return scan;
}

}  // namespace fdscope
