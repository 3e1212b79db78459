// The fd model's small helpers (see fd_info.hpp): kind names, the Fact value
// type used for kind-specific facts, and the stat(2) snapshot.  The kind
// names are part of the JSON and -S output contract: never rename one.
#include "fdscope/fd_info.hpp"

#include <fcntl.h>
#include <sys/sysmacros.h>

#include <cstring>

#include <fmt/format.h>

namespace fdscope {

std::string_view kind_name(FdKind k) {
  switch (k) {
    case FdKind::Unknown: return "unknown";
    case FdKind::Regular: return "file";
    case FdKind::Directory: return "dir";
    case FdKind::Symlink: return "symlink";
    case FdKind::CharDevice: return "chrdev";
    case FdKind::BlockDevice: return "blkdev";
    case FdKind::Fifo: return "fifo";
    case FdKind::Pipe: return "pipe";
    case FdKind::Tty: return "tty";
    case FdKind::PtyMaster: return "pty-master";
    case FdKind::PtySlave: return "pty-slave";
    case FdKind::Socket: return "socket";
    case FdKind::EventFd: return "eventfd";
    case FdKind::TimerFd: return "timerfd";
    case FdKind::SignalFd: return "signalfd";
    case FdKind::Epoll: return "epoll";
    case FdKind::Inotify: return "inotify";
    case FdKind::Fanotify: return "fanotify";
    case FdKind::PidFd: return "pidfd";
    case FdKind::IoUring: return "io_uring";
    case FdKind::BpfMap: return "bpf-map";
    case FdKind::BpfProg: return "bpf-prog";
    case FdKind::BpfLink: return "bpf-link";
    case FdKind::PerfEvent: return "perf_event";
    case FdKind::MemFd: return "memfd";
    case FdKind::UserFaultFd: return "userfaultfd";
    case FdKind::AnonInode: return "anon_inode";
  }
  return "unknown";
}

bool is_anon_kind(FdKind k) {
  switch (k) {
    case FdKind::EventFd: case FdKind::TimerFd: case FdKind::SignalFd: case FdKind::Epoll:
    case FdKind::Inotify: case FdKind::Fanotify: case FdKind::PidFd: case FdKind::IoUring:
    case FdKind::BpfMap: case FdKind::BpfProg: case FdKind::BpfLink: case FdKind::PerfEvent:
    case FdKind::UserFaultFd: case FdKind::AnonInode:
      return true;
    default:
      return false;
  }
}

Fact Fact::num(std::string k, int64_t v, std::string unit) {
  Fact f;
  f.key = std::move(k);
  f.type = Type::Int;
  f.i = v;
  f.unit = std::move(unit);
  return f;
}

Fact Fact::unum(std::string k, uint64_t v, std::string unit) {
  Fact f;
  f.key = std::move(k);
  f.type = Type::UInt;
  f.u = v;
  f.unit = std::move(unit);
  return f;
}

Fact Fact::str(std::string k, std::string v) {
  Fact f;
  f.key = std::move(k);
  f.type = Type::Text;
  f.text = std::move(v);
  return f;
}

Fact Fact::list(std::string k, std::vector<std::vector<Fact>> items) {
  Fact f;
  f.key = std::move(k);
  f.type = Type::List;
  f.items = std::move(items);
  return f;
}

std::string Fact::value_text() const {
  switch (type) {
    case Type::Int: return fmt::format("{}{}", i, unit);
    case Type::UInt: return fmt::format("{}{}", u, unit);
    case Type::Text: return text;
    case Type::List: {
      std::string out;
      for (const auto& item : items) {
        if (!out.empty()) out += ';';
        out += '{';
        bool first = true;
        for (const auto& f : item) {
          if (!first) out += ',';
          first = false;
          out += f.key;
          out += '=';
          out += f.value_text();
        }
        out += '}';
      }
      return out;
    }
  }
  return {};
}

FdStat FdStat::from(const struct stat& st) {
  FdStat s;
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  s.mode = st.st_mode;
  s.nlink = st.st_nlink;
  s.uid = st.st_uid;
  s.gid = st.st_gid;
  s.rdev = st.st_rdev;
  s.size = st.st_size;
  s.blksize = st.st_blksize;
  s.blocks = st.st_blocks;
  s.atime = st.st_atim;
  s.mtime = st.st_mtim;
  s.ctime = st.st_ctim;
  return s;
}

bool stat_no_sync(int dirfd, const char* name, struct stat* st) {
  struct statx sx;
  int flags = AT_STATX_DONT_SYNC | (name[0] == '\0' ? AT_EMPTY_PATH : 0);
  if (::statx(dirfd, name, flags, STATX_BASIC_STATS, &sx) < 0) return false;
  std::memset(st, 0, sizeof(*st));
  st->st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  st->st_ino = sx.stx_ino;
  st->st_mode = sx.stx_mode;
  st->st_nlink = sx.stx_nlink;
  st->st_uid = sx.stx_uid;
  st->st_gid = sx.stx_gid;
  st->st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
  st->st_size = static_cast<off_t>(sx.stx_size);
  st->st_blksize = sx.stx_blksize;
  st->st_blocks = static_cast<blkcnt_t>(sx.stx_blocks);
  st->st_atim = {sx.stx_atime.tv_sec, sx.stx_atime.tv_nsec};
  st->st_mtim = {sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec};
  st->st_ctim = {sx.stx_ctime.tv_sec, sx.stx_ctime.tv_nsec};
  return true;
}

const Fact* FdInfo::fact(std::string_view key) const {
  for (const auto& f : facts)
    if (f.key == key) return &f;
  return nullptr;
}

}  // namespace fdscope
