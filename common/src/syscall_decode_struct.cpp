// Structures behind syscall pointer arguments, decoded the way strace shows
// them when the tracer captured their bytes: timespec ({tv_sec=1,
// tv_nsec=0}), pollfd arrays, epoll_event, rlimit and struct stat.  Which
// argument of which call holds which structure is listed once in
// struct_of() below; every other struct argument stays a pointer.  Captures
// are the raw struct bytes (an array for poll: nfds entries); a short
// capture is never read past, it falls back to the pointer.
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstring>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope {

namespace {

enum class StructKind { kNone, kTimespec, kPollfds, kEpollEvent, kRlimit, kStat };

// (syscall name, argument index) -> structure.
struct StructRow {
  std::string_view call;
  int arg;
  StructKind kind;
};

constexpr StructRow kStructArgs[] = {
    {"nanosleep", 0, StructKind::kTimespec},       {"nanosleep", 1, StructKind::kTimespec},
    {"clock_nanosleep", 2, StructKind::kTimespec}, {"clock_nanosleep", 3, StructKind::kTimespec},
    {"clock_gettime", 1, StructKind::kTimespec},   {"clock_getres", 1, StructKind::kTimespec},
    {"clock_settime", 1, StructKind::kTimespec},   {"ppoll", 2, StructKind::kTimespec},
    {"pselect6", 4, StructKind::kTimespec},        {"rt_sigtimedwait", 2, StructKind::kTimespec},
    {"epoll_pwait2", 3, StructKind::kTimespec},    {"futex", 3, StructKind::kTimespec},
    {"poll", 0, StructKind::kPollfds},             {"ppoll", 0, StructKind::kPollfds},
    {"epoll_ctl", 3, StructKind::kEpollEvent},     {"getrlimit", 1, StructKind::kRlimit},
    {"setrlimit", 1, StructKind::kRlimit},         {"prlimit64", 2, StructKind::kRlimit},
    {"prlimit64", 3, StructKind::kRlimit},         {"stat", 1, StructKind::kStat},
    {"fstat", 1, StructKind::kStat},               {"lstat", 1, StructKind::kStat},
    {"newfstatat", 2, StructKind::kStat},
};

StructKind struct_of(int nr, int arg) {
  std::string_view name = syscall_name(nr);
  for (const auto& r : kStructArgs)
    if (r.arg == arg && r.call == name) return r.kind;
  return StructKind::kNone;
}

template <typename T>
bool load(std::string_view raw, size_t index, T& v) {
  if (raw.size() < (index + 1) * sizeof(T)) return false;
  std::memcpy(&v, raw.data() + index * sizeof(T), sizeof(T));
  return true;
}

void rlim_value(uint64_t v, std::string& out) {
  auto o = std::back_inserter(out);
  if (v == UINT64_MAX)
    out.append("RLIM64_INFINITY");
  else if (v > 0 && v % 1024 == 0)
    fmt::format_to(o, "{}*1024", v / 1024);
  else
    fmt::format_to(o, "{}", v);
}

constexpr struct {
  uint32_t bit;
  std::string_view name;
} kEpollEvents[] = {
    {0x1, "EPOLLIN"},       {0x2, "EPOLLPRI"},        {0x4, "EPOLLOUT"},
    {0x8, "EPOLLERR"},      {0x10, "EPOLLHUP"},       {0x20, "EPOLLNVAL"},
    {0x40, "EPOLLRDNORM"},  {0x80, "EPOLLRDBAND"},    {0x100, "EPOLLWRNORM"},
    {0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"},      {0x2000, "EPOLLRDHUP"},
    {1u << 28, "EPOLLEXCLUSIVE"}, {1u << 29, "EPOLLWAKEUP"}, {1u << 30, "EPOLLONESHOT"},
    {1u << 31, "EPOLLET"},
};

void epoll_events(uint32_t v, std::string& out) {
  bool first = true;
  for (const auto& e : kEpollEvents) {
    if (v & e.bit) {
      if (!first) out.push_back('|');
      out.append(e.name);
      v &= ~e.bit;
      first = false;
    }
  }
  if (v || first) {
    if (!first) out.push_back('|');
    fmt::format_to(std::back_inserter(out), "{:#x}", v);
  }
}

void file_type(uint32_t mode, std::string& out) {
  switch (mode & S_IFMT) {
    case S_IFREG: out.append("S_IFREG"); break;
    case S_IFDIR: out.append("S_IFDIR"); break;
    case S_IFCHR: out.append("S_IFCHR"); break;
    case S_IFBLK: out.append("S_IFBLK"); break;
    case S_IFIFO: out.append("S_IFIFO"); break;
    case S_IFLNK: out.append("S_IFLNK"); break;
    case S_IFSOCK: out.append("S_IFSOCK"); break;
    default: fmt::format_to(std::back_inserter(out), "{:#o}", mode & S_IFMT); break;
  }
}

}  // namespace

bool format_struct_arg(const SyscallRecord& rec, int arg, std::string_view raw, std::string& out) {
  auto o = std::back_inserter(out);
  switch (struct_of(rec.nr, arg)) {
    case StructKind::kNone:
      return false;
    case StructKind::kTimespec: {
      int64_t t[2];
      if (!load(raw, 0, t[0]) || !load(raw, 1, t[1])) return false;
      fmt::format_to(o, "{{tv_sec={}, tv_nsec={}}}", t[0], t[1]);
      return true;
    }
    case StructKind::kPollfds: {
      struct {
        int32_t fd;
        int16_t events;
        int16_t revents;
      } p;
      const uint64_t n = rec.args[1] & 0xffffffffu;
      if (raw.size() < n * sizeof p) return false;
      out.push_back('[');
      for (uint64_t i = 0; i < n; ++i) {
        load(raw, i, p);
        if (i) out.append(", ");
        fmt::format_to(o, "{{fd={}, events=", p.fd);
        format_flags(FlagTable::kPollEvents, static_cast<uint16_t>(p.events), out);
        out.push_back('}');
      }
      out.push_back(']');
      return true;
    }
    case StructKind::kEpollEvent: {
      // struct epoll_event is packed on x86_64: u32 events, u64 data.
      if (raw.size() < 12) return false;
      uint32_t events;
      uint64_t data;
      std::memcpy(&events, raw.data(), 4);
      std::memcpy(&data, raw.data() + 4, 8);
      out.append("{events=");
      epoll_events(events, out);
      fmt::format_to(o, ", data={{u32={}, u64={}}}}}", static_cast<uint32_t>(data), data);
      return true;
    }
    case StructKind::kRlimit: {
      uint64_t cur, max;
      if (!load(raw, 0, cur) || !load(raw, 1, max)) return false;
      out.append("{rlim_cur=");
      rlim_value(cur, out);
      out.append(", rlim_max=");
      rlim_value(max, out);
      out.push_back('}');
      return true;
    }
    case StructKind::kStat: {
      struct stat st;
      if (raw.size() < sizeof st) return false;
      std::memcpy(&st, raw.data(), sizeof st);
      out.append("{st_mode=");
      file_type(st.st_mode, out);
      fmt::format_to(o, "|{:#04o}", st.st_mode & 07777);
      if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        fmt::format_to(o, ", st_rdev=makedev({:#x}, {:#x})", major(st.st_rdev), minor(st.st_rdev));
      else
        fmt::format_to(o, ", st_size={}", static_cast<int64_t>(st.st_size));
      out.append(", ...}");
      return true;
    }
  }
  return false;
}

}  // namespace fdscope
