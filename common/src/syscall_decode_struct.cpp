// Structures behind syscall pointer arguments, decoded the way strace shows
// them when the tracer captured their bytes: timespec ({tv_sec=1,
// tv_nsec=0}), pollfd arrays, epoll_event, rlimit, and through their own
// files the stat buffers (syscall_decode_stat.cpp), signal sets, sigaction
// and siginfo (syscall_decode_signal.cpp) and the wait status
// (syscall_decode_wait.cpp), pselect6's {sigmask, sigsetsize} pair;
// getdents64 and execve's envp get strace's count comments.  Which argument of which call holds which structure, and
// what a tracer must copy for it (struct_capture()), is listed once in
// kStructArgs below; every other struct argument stays a pointer.  Captures
// are the raw struct bytes (an array for poll: nfds entries); a short
// capture is never read past, it falls back to the pointer.
#include <fmt/format.h>

#include <cstring>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope {

namespace {

enum class StructKind {
  kNone, kTimespec, kPollfds, kEpollEvent, kRlimit, kStat, kStatx, kSigset, kSigaction,
  kSiginfo, kWaitStatus, kDirents, kEnvCount, kPselectSigmask,
};

// (syscall name, argument index) -> structure, and what the tracer copies
// for it (struct_capture()).  sigset arguments name their sigsetsize
// argument as the length bound.
struct StructRow {
  std::string_view call;
  int arg;
  StructKind kind;
  StructCaptureSpec capture;
};

constexpr StructCaptureSpec cap_in(uint16_t size, int8_t len_arg = -1) {
  return {StructCapture::kIn, size, len_arg};
}
constexpr StructCaptureSpec cap_out(uint16_t size, int8_t len_arg = -1) {
  return {StructCapture::kOut, size, len_arg};
}
constexpr StructCaptureSpec kNoCapture{};
constexpr uint16_t kTimespecSize = 16, kRlimitSize = 16, kSigsetSize = 8, kSigactionSize = 32,
                   kStatSize = 56, kStatxSize = 48, kSiginfoSize = 48;

// ppoll and pselect6 write the time left back into their timeout, so a copy
// at exit would not show what was passed: those stay pointers.
constexpr StructRow kStructArgs[] = {
    {"nanosleep", 0, StructKind::kTimespec, cap_in(kTimespecSize)},
    {"nanosleep", 1, StructKind::kTimespec, kNoCapture},
    {"clock_nanosleep", 2, StructKind::kTimespec, cap_in(kTimespecSize)},
    {"clock_nanosleep", 3, StructKind::kTimespec, kNoCapture},
    {"clock_gettime", 1, StructKind::kTimespec, cap_out(kTimespecSize)},
    {"clock_getres", 1, StructKind::kTimespec, cap_out(kTimespecSize)},
    {"clock_settime", 1, StructKind::kTimespec, cap_in(kTimespecSize)},
    {"ppoll", 2, StructKind::kTimespec, kNoCapture},
    {"pselect6", 4, StructKind::kTimespec, kNoCapture},
    {"rt_sigtimedwait", 2, StructKind::kTimespec, cap_in(kTimespecSize)},
    {"epoll_pwait2", 3, StructKind::kTimespec, cap_in(kTimespecSize)},
    {"futex", 3, StructKind::kTimespec, kNoCapture},
    {"poll", 0, StructKind::kPollfds, kNoCapture},
    {"ppoll", 0, StructKind::kPollfds, kNoCapture},
    {"epoll_ctl", 3, StructKind::kEpollEvent, cap_in(12)},
    {"getrlimit", 1, StructKind::kRlimit, cap_out(kRlimitSize)},
    {"setrlimit", 1, StructKind::kRlimit, cap_in(kRlimitSize)},
    {"prlimit64", 2, StructKind::kRlimit, cap_in(kRlimitSize)},
    {"prlimit64", 3, StructKind::kRlimit, cap_out(kRlimitSize)},
    {"stat", 1, StructKind::kStat, cap_out(kStatSize)},
    {"fstat", 1, StructKind::kStat, cap_out(kStatSize)},
    {"lstat", 1, StructKind::kStat, cap_out(kStatSize)},
    {"newfstatat", 2, StructKind::kStat, cap_out(kStatSize)},
    {"statx", 4, StructKind::kStatx, cap_out(kStatxSize)},
    {"rt_sigprocmask", 1, StructKind::kSigset, cap_in(kSigsetSize, 3)},
    {"rt_sigprocmask", 2, StructKind::kSigset, cap_out(kSigsetSize, 3)},
    {"rt_sigpending", 0, StructKind::kSigset, cap_out(kSigsetSize, 1)},
    {"rt_sigsuspend", 0, StructKind::kSigset, cap_in(kSigsetSize, 1)},
    {"rt_sigtimedwait", 0, StructKind::kSigset, cap_in(kSigsetSize, 3)},
    {"ppoll", 3, StructKind::kSigset, cap_in(kSigsetSize, 4)},
    {"epoll_pwait", 4, StructKind::kSigset, cap_in(kSigsetSize, 5)},
    {"epoll_pwait2", 4, StructKind::kSigset, cap_in(kSigsetSize, 5)},
    {"signalfd", 1, StructKind::kSigset, cap_in(kSigsetSize, 2)},
    {"signalfd4", 1, StructKind::kSigset, cap_in(kSigsetSize, 2)},
    {"pselect6", 5, StructKind::kPselectSigmask, {StructCapture::kSigmaskArg, 24, -1}},
    {"rt_sigaction", 1, StructKind::kSigaction, cap_in(kSigactionSize)},
    {"rt_sigaction", 2, StructKind::kSigaction, cap_out(kSigactionSize)},
    {"waitid", 2, StructKind::kSiginfo, cap_out(kSiginfoSize)},
    {"wait4", 1, StructKind::kWaitStatus, cap_out(4)},
    {"getdents64", 1, StructKind::kDirents, {StructCapture::kCountDirents, 4, -1}},
    {"getdents", 1, StructKind::kDirents, {StructCapture::kCountDirents, 4, -1}},
    {"execve", 2, StructKind::kEnvCount, {StructCapture::kCountPointers, 4, -1}},
    {"execveat", 3, StructKind::kEnvCount, {StructCapture::kCountPointers, 4, -1}},
};

const StructRow* row_of(int nr, int arg) {
  std::string_view name = syscall_name(nr);
  for (const auto& r : kStructArgs)
    if (r.arg == arg && r.call == name) return &r;
  return nullptr;
}

StructKind struct_of(int nr, int arg) {
  const StructRow* r = row_of(nr, arg);
  return r ? r->kind : StructKind::kNone;
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
  else if (v > 1024 && v % 1024 == 0)
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

}  // namespace

StructCaptureSpec struct_capture(int nr, int arg) {
  const StructRow* r = row_of(nr, arg);
  return r ? r->capture : StructCaptureSpec{};
}

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
    case StructKind::kStat:
      return format_stat(raw, out);
    case StructKind::kStatx:
      return format_statx(raw, out);
    case StructKind::kSigset:
      // The sigsetsize argument is the one the capture row names.
      return format_sigset(raw, rec.args[static_cast<size_t>(row_of(rec.nr, arg)->capture.len_arg)],
                           out);
    case StructKind::kSigaction:
      return format_sigaction(raw, out);
    case StructKind::kPselectSigmask: {
      // {sigmask=[INT TERM], sigsetsize=8}: the pair, then the set it named.
      uint64_t set_ptr, size;
      if (!load(raw, 0, set_ptr) || !load(raw, 1, size)) return false;
      out.append("{sigmask=");
      if (set_ptr == 0)
        out.append("NULL");
      else if (!format_sigset(raw.substr(16), size, out))
        fmt::format_to(o, "{:#x}", set_ptr);
      fmt::format_to(o, ", sigsetsize={}}}", size);
      return true;
    }
    case StructKind::kSiginfo:
      return format_siginfo(raw, out);
    case StructKind::kWaitStatus: {
      // Written only when a child was reaped (wait4 returned its pid).
      int32_t status;
      if (!rec.has_ret || rec.ret <= 0 || !load(raw, 0, status)) return false;
      format_wait_status(status, out);
      return true;
    }
    case StructKind::kDirents:
    case StructKind::kEnvCount: {
      // The pointer, then strace's count comment.
      uint32_t n;
      if (!load(raw, 0, n)) return false;
      fmt::format_to(o, "{:#x} /* {} {} */", rec.args[static_cast<size_t>(arg)], n,
                     struct_of(rec.nr, arg) == StructKind::kDirents ? "entries" : "vars");
      return true;
    }
  }
  return false;
}

}  // namespace fdscope
