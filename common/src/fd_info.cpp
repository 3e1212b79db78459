// The fd model's small helpers (see fd_info.hpp): kind names, the Fact value
// type used for kind-specific facts, and the stat(2) snapshot.  The kind
// names are part of the JSON and -S output contract: never rename one.
#include "fdscope/fd_info.hpp"

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

const Fact* FdInfo::fact(std::string_view key) const {
  for (const auto& f : facts)
    if (f.key == key) return &f;
  return nullptr;
}

}  // namespace fdscope
