// inspect(): builds one FdInfo from fstat, fcntl, the /proc link target and
// /proc fdinfo, then adds what the kind needs (socket facts, tty facts, pipe
// size, memfd seals, poll state).  See fd_inspect.hpp for the no-side-effect
// rules; every call here is a read: fstat, fcntl(F_GET*), readlink, reading
// /proc files, getsockopt, non-blocking ioctls (TCGETS, TIOCGWINSZ, FIONREAD,
// TIOCGPTN) and poll() with a zero timeout.
#include "fdscope/fd_inspect.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "fdscope/anon_inode.hpp"
#include "fdscope/io.hpp"
#include "fdscope/unique_fd.hpp"

#ifndef F_GET_SEALS
#define F_GET_SEALS 1034
#endif
#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

namespace fdscope {
namespace {

constexpr unsigned kOCloexec = 02000000;
constexpr unsigned kOPath = 010000000;

std::string read_link_at(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

bool is_tty_major(unsigned maj, unsigned min) {
  if (maj >= 136 && maj <= 143) return true;  // pty slaves
  if (maj == 5) return min <= 2;                 // /dev/tty, console, ptmx
  switch (maj) {
    case 2: case 3: case 4: case 166: case 188: case 204: case 207: case 229:
      return true;
  }
  return false;
}

FdKind kind_from_mode(mode_t mode, std::string_view target) {
  switch (mode & S_IFMT) {
    case S_IFREG: return target.starts_with("/memfd:") ? FdKind::MemFd : FdKind::Regular;
    case S_IFDIR: return FdKind::Directory;
    case S_IFLNK: return FdKind::Symlink;
    case S_IFCHR: return FdKind::CharDevice;
    case S_IFBLK: return FdKind::BlockDevice;
    case S_IFIFO: return target.starts_with("pipe:") ? FdKind::Pipe : FdKind::Fifo;
    case S_IFSOCK: return FdKind::Socket;
  }
  if (target.starts_with("socket:")) return FdKind::Socket;
  if (target.starts_with("pipe:")) return FdKind::Pipe;
  return FdKind::Unknown;
}

std::string seals_text(int seals) {
  static const struct {
    int bit;
    const char* name;
  } rows[] = {{1, "F_SEAL_SEAL"}, {2, "F_SEAL_SHRINK"}, {4, "F_SEAL_GROW"},
              {8, "F_SEAL_WRITE"}, {16, "F_SEAL_FUTURE_WRITE"}, {32, "F_SEAL_EXEC"}};
  std::string out;
  for (const auto& r : rows) {
    if (seals & r.bit) {
      if (!out.empty()) out += '|';
      out += r.name;
    }
  }
  return out.empty() ? "0" : out;
}

// The part shared by own fds and duplicates.  `work` is the fd we can call
// into; `shown` the number reported; `proc_dir` the /proc/<pid> directory
// whose fd/ and fdinfo/ entries describe `shown`.  `own_fd_flags`: read
// FD_CLOEXEC with fcntl (own fds) rather than from fdinfo (duplicates).
Result<FdInfo> inspect_through(int work, int shown, const std::string& proc_dir, bool own_fd_flags,
                               const InspectOptions& opts) {
  FdInfo info;
  info.fd = shown;
  struct stat st;
  if (!stat_no_sync(work, "", &st)) return sys_error(fmt::format("fstat(fd {})", shown));
  info.st = FdStat::from(st);
  if (own_fd_flags) {
    int fdf = ::fcntl(work, F_GETFD);
    if (fdf >= 0) info.fd_flags = fdf;
  }
  int fl = ::fcntl(work, F_GETFL);
  if (fl >= 0) info.flags = static_cast<unsigned>(fl);
  int own = ::fcntl(work, F_GETOWN);
  if (own != -1) info.sigown = own;
  int sig = ::fcntl(work, F_GETSIG);
  if (sig >= 0) info.sigio = sig;

  std::string link = read_link_at(fmt::format("{}/fd/{}", proc_dir, shown));
  std::string fdinfo;
  if (auto r = read_file(fmt::format("{}/fdinfo/{}", proc_dir, shown)); r.ok())
    fdinfo = std::move(*r);
  else
    info.notes.push_back(r.error().message());
  if (link.empty()) info.notes.push_back(fmt::format("readlink {}/fd/{} failed", proc_dir, shown));
  classify_fd(info, link, fdinfo);
  if (info.o_path) return info;  // O_PATH fds allow no ioctl, poll or getsockopt

  switch (info.kind) {
    case FdKind::Fifo:
    case FdKind::Pipe: {
      int sz = ::fcntl(work, F_GETPIPE_SZ);
      if (sz >= 0) info.pipe_size = sz;
      break;
    }
    case FdKind::MemFd: {
      int seals = ::fcntl(work, F_GET_SEALS);
      if (seals >= 0) info.facts.push_back(Fact::str("seals", seals_text(seals)));
      break;
    }
    case FdKind::CharDevice:
    case FdKind::Tty:
    case FdKind::PtyMaster:
    case FdKind::PtySlave:
      fill_tty_facts(work, info);
      break;
    case FdKind::Socket:
      fill_socket_facts(work, info, opts);
      if (opts.diag) apply_sock_diag(info, *opts.diag, opts.holders);
      break;
    default:
      break;
  }

  // Regular files, directories and block devices are always ready, and
  // polling one on FUSE sends FUSE_POLL to the server and waits for its
  // answer: a hung server would hang filan.  FIONREAD on a regular file is
  // answered by the VFS itself (size - offset), never by the file system.
  bool pollable = info.kind != FdKind::Regular && info.kind != FdKind::Directory &&
                  info.kind != FdKind::MemFd && info.kind != FdKind::BlockDevice;
  if (opts.poll && pollable) {
    pollfd p{work, POLLIN | POLLPRI | POLLOUT | POLLRDHUP, 0};
    if (retry_eintr([&] { return ::poll(&p, 1, 0); }) >= 0) info.revents = p.revents;
  }
  if (opts.poll) {
    bool can_fionread = false;
    switch (info.kind) {
      case FdKind::Regular: case FdKind::Fifo: case FdKind::Pipe: case FdKind::Tty:
      case FdKind::PtyMaster: case FdKind::PtySlave:
        can_fionread = true;
        break;
      case FdKind::Socket:
        can_fionread = !(info.sock && info.sock->listening.value_or(false));
        break;
      default:
        break;
    }
    int n = 0;
    if (can_fionread && ::ioctl(work, FIONREAD, &n) == 0) info.nread = n;
  }
  return info;
}

}  // namespace

void classify_fd(FdInfo& info, std::string_view link, std::string_view fdinfo) {
  std::string_view target = link;
  constexpr std::string_view kDeleted = " (deleted)";
  if (target.size() > kDeleted.size() && target.ends_with(kDeleted) &&
      (!info.st || info.st->nlink == 0)) {
    info.deleted = true;
    target.remove_suffix(kDeleted.size());
  }
  info.path.assign(target);  // the one copy: filan -p classifies tens of thousands
  if (!fdinfo.empty()) {
    FdinfoCommon c = parse_fdinfo_common(fdinfo);
    if (c.pos) info.pos = c.pos;
    if (c.mnt_id) info.mnt_id = c.mnt_id;
    if (c.flags) {
      if (!info.flags) info.flags = *c.flags & ~kOCloexec;
      if (!info.fd_flags) info.fd_flags = (*c.flags & kOCloexec) ? FD_CLOEXEC : 0;
    }
  }
  if (info.flags && (*info.flags & kOPath)) info.o_path = true;

  FdKind anon = classify_anon_link(target);
  mode_t mode = info.st ? info.st->mode : 0;
  info.kind = anon != FdKind::Unknown ? anon : kind_from_mode(mode, target);
  if (info.kind == FdKind::CharDevice && info.st) {
    unsigned maj = major(info.st->rdev), min = minor(info.st->rdev);
    if (is_tty_major(maj, min)) {
      if (maj >= 136 && maj <= 143)
        info.kind = FdKind::PtySlave;
      else if (maj == 5 && min == 2)
        info.kind = FdKind::PtyMaster;
      else
        info.kind = FdKind::Tty;
    }
  }
  if (!fdinfo.empty()) {
    std::vector<Fact> facts = decode_fdinfo_facts(info.kind, fdinfo);
    for (auto& f : facts) info.facts.push_back(std::move(f));
  }
  if (info.kind == FdKind::PtyMaster && info.tty_peer.empty()) {
    if (const Fact* f = info.fact("tty_index"); f && f->type == Fact::Type::Int)
      info.tty_peer = fmt::format("/dev/pts/{}", f->i);
  }
}

void fill_tty_facts(int fd, FdInfo& info) {
  auto t = read_tty_info(fd);
  if (!t) return;  // a character device that is not a terminal
  info.tty = std::move(*t);
  if (info.kind == FdKind::CharDevice) info.kind = FdKind::Tty;
  if (info.kind == FdKind::PtyMaster && info.tty_peer.empty()) {
    unsigned n = 0;
    if (::ioctl(fd, TIOCGPTN, &n) == 0) info.tty_peer = fmt::format("/dev/pts/{}", n);
  }
}

Result<FdInfo> inspect(int fd, const InspectOptions& opts) {
  if (fd < 0) return sys_error(fmt::format("fd {}", fd), EBADF);
  if (::fcntl(fd, F_GETFD) < 0) return sys_error(fmt::format("fd {}", fd));
  return inspect_through(fd, fd, "/proc/self", true, opts);
}

Result<FdInfo> inspect(int pidfd, pid_t pid, int fd, const InspectOptions& opts) {
  int dup = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0));
  if (dup < 0) {
    int e = errno;
    return sys_error(fmt::format("pidfd_getfd(pid {}, fd {})", pid, fd), e);
  }
  UniqueFd owner(dup);
  // F_GETFD on the duplicate would describe our copy, not the target's fd.
  return inspect_through(dup, fd, fmt::format("/proc/{}", pid), false, opts);
}

Result<FdInfo> inspect_path(const std::string& path, bool follow_links) {
  FdInfo info;
  struct stat st;
  int r = follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  if (r < 0) return sys_error(fmt::format("{} \"{}\"", follow_links ? "stat" : "lstat", path));
  info.st = FdStat::from(st);
  info.path = path;
  info.kind = kind_from_mode(st.st_mode, path);
  if (S_ISLNK(st.st_mode)) {
    std::string target = read_link_at(path);
    if (!target.empty()) info.facts.push_back(Fact::str("link_target", target));
  }
  if (info.kind == FdKind::CharDevice) {
    unsigned maj = major(st.st_rdev), min = minor(st.st_rdev);
    if (is_tty_major(maj, min)) info.kind = FdKind::Tty;
  }
  return info;
}

Result<std::vector<int>> list_own_fds() {
  std::vector<int> fds;
  int dfd = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    DIR* d = ::fdopendir(dfd);
    if (!d) {
      ::close(dfd);
      return sys_error("fdopendir /proc/self/fd");
    }
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      int fd = std::atoi(e->d_name);
      if (fd != dfd) fds.push_back(fd);
    }
    ::closedir(d);
  } else {
    rlimit rl{};
    ::getrlimit(RLIMIT_NOFILE, &rl);
    rlim_t lim = std::min<rlim_t>(rl.rlim_cur, 1 << 20);
    for (rlim_t fd = 0; fd < lim; ++fd)
      if (::fcntl(static_cast<int>(fd), F_GETFD) >= 0) fds.push_back(static_cast<int>(fd));
  }
  std::sort(fds.begin(), fds.end());
  return fds;
}

}  // namespace fdscope
