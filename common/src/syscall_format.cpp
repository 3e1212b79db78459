// The syscall formatter (see syscall_format.hpp).  One SyscallRecord becomes
// a strace line, an unfinished/resumed pair, a JSON object or a socat -dddd
// log text.  Every argument is rendered by walking its ArgSpec from the
// syscall table; the few calls whose argument list depends on another
// argument (open's mode only with O_CREAT/O_TMPFILE, fcntl's third argument
// by command, socket protocols by domain, socket option names by level,
// clone's named arguments by flags) are the only special cases, spelled out
// in arg_slots(), fcntl_arg() and special_arg() below.
#include "fdscope/syscall_format.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <ctime>

#include "fdscope/errno_names.hpp"
#include "fdscope/json.hpp"
#include "fdscope/sockopt.hpp"

namespace fdscope {

namespace {

constexpr int kAtFdcwd = -100;
constexpr uint64_t kOCreat = 0100;
constexpr uint64_t kOTmpfileBit = 020000000;
constexpr int kNrFcntl = 72, kNrFutex = 202;
constexpr uint64_t kFutexWait = 0, kFutexWake = 1;
constexpr int kNrSocket = 41, kNrSetsockopt = 54, kNrGetsockopt = 55, kNrSocketpair = 53,
              kNrClone = 56, kNrGetcwd = 79, kNrGetrandom = 318;

// fcntl commands (the kernel's numbers).
constexpr int kFGetfd = 1, kFSetfd = 2, kFGetfl = 3, kFSetfl = 4, kFGetown = 9, kFGetsig = 11,
              kFGetlease = 1025, kFDupfd = 0, kFDupfdCloexec = 1030, kFGetpipeSz = 1032,
              kFGetSeals = 1034;

bool is_error(int64_t ret) { return ret < 0 && ret >= -4095; }

auto out_it(std::string& out) { return std::back_inserter(out); }

// Integer appends for the per-line hot path (fmt's back_inserter path costs
// several times more per number).
void append_int(std::string& out, int64_t v) {
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, v);
  out.append(b, r.ptr);
}
void append_uint(std::string& out, uint64_t v) {
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, v);
  out.append(b, r.ptr);
}
void append_0x(std::string& out, uint64_t v) {
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, v, 16);
  out.append("0x");
  out.append(b, r.ptr);
}
// v in exactly `width` digits, zero-padded (v < 10^width).
void append_zero_padded(std::string& out, uint64_t v, int width) {
  char b[24];
  for (int i = width - 1; i >= 0; --i) {
    b[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(b, static_cast<size_t>(width));
}
// v right-aligned in `width` columns with spaces.
void append_space_padded(std::string& out, uint64_t v, size_t width) {
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, v);
  size_t n = static_cast<size_t>(r.ptr - b);
  if (n < width) out.append(width - n, ' ');
  out.append(b, n);
}

// The name of the call, or strace's syscall_0x1d2 for numbers the table
// does not know.
void append_name(const SyscallRecord& rec, const SyscallInfo* info, std::string& out) {
  if (info)
    out.append(info->name);
  else
    fmt::format_to(out_it(out), "syscall_{:#x}", static_cast<unsigned>(rec.nr));
}

// How many arguments are printed: open's mode only when the flags create a
// file; fcntl's argument only for commands that take one.
int visible_args(const SyscallRecord& rec, const SyscallInfo* info) {
  if (!info) return 6;
  int n = info->nargs;
  for (int i = 1; i < n; ++i) {
    if (info->args[i].kind == ArgKind::kMode && info->args[i - 1].kind == ArgKind::kFlags &&
        info->args[i - 1].aux == static_cast<uint8_t>(FlagTable::kOpenFlags)) {
      uint64_t flags = rec.args[i - 1];
      if (!(flags & kOCreat) && !(flags & kOTmpfileBit)) return i;
    }
  }
  if (rec.nr == kNrFcntl) {
    int cmd = static_cast<int>(rec.args[1]);
    if (cmd == kFGetfd || cmd == kFGetfl || cmd == kFGetown || cmd == kFGetsig ||
        cmd == kFGetlease || cmd == kFGetpipeSz || cmd == kFGetSeals)
      return 2;
  }
  if (rec.nr == kNrFutex) {
    // strace prints the arguments the operation reads: FUTEX_WAKE(_PRIVATE)
    // takes a count, FUTEX_WAIT a value and a timeout.
    const uint64_t op = rec.args[1] & 0x7f;
    if (op == kFutexWake) return 3;
    if (op == kFutexWait) return 4;
  }
  return n;
}

// One printed argument: which raw argument, and strace's label if the call
// prints named arguments (clone).
struct Slot {
  int arg;
  const char* label;
};

// The printed arguments in order.  x86_64 clone(flags, stack, parent_tid,
// child_tid, tls) prints like strace: child_stack first, then flags, then
// only the pointers the flags make meaningful.
int arg_slots(const SyscallRecord& rec, const SyscallInfo* info, Slot (&slots)[6]) {
  if (rec.nr == kNrClone && info) {
    constexpr uint64_t kParentSettid = 0x100000, kPidfd = 0x1000, kChildSettid = 0x1000000,
                       kChildCleartid = 0x200000, kSettls = 0x80000;
    const uint64_t flags = rec.args[0];
    int n = 0;
    slots[n++] = {1, "child_stack"};
    slots[n++] = {0, "flags"};
    if (flags & (kParentSettid | kPidfd)) slots[n++] = {2, "parent_tid"};
    if (flags & (kChildSettid | kChildCleartid)) slots[n++] = {3, "child_tidptr"};
    if (flags & kSettls) slots[n++] = {4, "tls"};
    return n;
  }
  int n = visible_args(rec, info);
  for (int i = 0; i < n; ++i) slots[i] = {i, nullptr};
  return n;
}

void append_time_prefix(TimestampStyle style, uint64_t ns, uint64_t& last_ns, std::string& out) {
  const uint64_t sec = ns / 1000000000u;
  const uint64_t usec = (ns % 1000000000u) / 1000u;
  switch (style) {
    case TimestampStyle::kNone: return;
    case TimestampStyle::kTime:
    case TimestampStyle::kTimeMicro: {
      // localtime_r per line is costly; the wall-clock text only changes
      // once a second.
      thread_local uint64_t cached_sec = UINT64_MAX;
      thread_local char cached[8];
      if (sec != cached_sec) {
        time_t t = static_cast<time_t>(sec);
        struct tm tm {};
        localtime_r(&t, &tm);
        std::string hms;
        append_zero_padded(hms, static_cast<uint64_t>(tm.tm_hour), 2);
        hms.push_back(':');
        append_zero_padded(hms, static_cast<uint64_t>(tm.tm_min), 2);
        hms.push_back(':');
        append_zero_padded(hms, static_cast<uint64_t>(tm.tm_sec), 2);
        std::memcpy(cached, hms.data(), 8);
        cached_sec = sec;
      }
      out.append(cached, 8);
      if (style == TimestampStyle::kTimeMicro) {
        out.push_back('.');
        append_zero_padded(out, usec, 6);
      }
      out.push_back(' ');
      return;
    }
    case TimestampStyle::kEpochMicro:
      append_uint(out, sec);
      out.push_back('.');
      append_zero_padded(out, usec, 6);
      out.push_back(' ');
      return;
    case TimestampStyle::kRelative: {
      uint64_t d = (last_ns && ns >= last_ns) ? ns - last_ns : 0;
      last_ns = ns;
      append_space_padded(out, d / 1000000000u, 6);
      out.push_back('.');
      append_zero_padded(out, (d % 1000000000u) / 1000u, 6);
      out.push_back(' ');
      return;
    }
  }
}

void append_fd(int fd, int32_t pid, const FdDecorator& decorate, std::string& out) {
  append_int(out, fd);
  if (fd >= 0 && decorate) {
    std::string d = decorate(pid, fd);
    if (!d.empty()) {
      out.push_back('<');
      out.append(d);
      out.push_back('>');
    }
  }
}

void append_ptr(uint64_t v, std::string& out) {
  if (v == 0)
    out.append("NULL");
  else
    append_0x(out, v);
}

void append_hex(uint64_t v, std::string& out) {
  if (v == 0)
    out.push_back('0');
  else
    append_0x(out, v);
}

// A NUL-terminated string capture: up to the first NUL.
std::string_view c_string(std::string_view bytes, bool& truncated) {
  size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos) {
    truncated = false;
    return bytes.substr(0, nul);
  }
  return bytes;
}


// Arguments whose decoding depends on another argument; false when the
// generic ArgSpec rendering applies.
bool special_arg(const SyscallRecord& rec, int i, std::string& out) {
  const uint64_t v = rec.args[static_cast<size_t>(i)];
  if ((rec.nr == kNrSocket || rec.nr == kNrSocketpair) && i == 2 &&
      (rec.args[0] == 2 /* AF_INET */ || rec.args[0] == 10 /* AF_INET6 */)) {
    format_enum(FlagTable::kIpProtocol, v & 0xffffffffu, out);
    return true;
  }
  if ((rec.nr == kNrSetsockopt || rec.nr == kNrGetsockopt) && i == 2) {
    // Option names by level from the socket option table (sockopt.hpp).
    std::string_view name = sockopt_call_name(static_cast<int>(rec.args[1] & 0xffffffffu),
                                              static_cast<int>(v & 0xffffffffu));
    if (!name.empty())
      out.append(name);
    else
      append_int(out, static_cast<int32_t>(v));
    return true;
  }
  if (rec.nr == kNrSetsockopt && i == 3) {
    const CapturedArg& cap = rec.data[3];
    if (v != 0 && cap.present && cap.bytes.size() == 4 && rec.args[4] == 4) {
      int32_t val;
      std::memcpy(&val, cap.bytes.data(), sizeof val);
      fmt::format_to(out_it(out), "[{}]", val);
      return true;
    }
  }
  return false;
}

void fcntl_arg(const SyscallRecord& rec, std::string& out) {
  int cmd = static_cast<int>(rec.args[1]);
  uint64_t v = rec.args[2];
  if (cmd == kFSetfd) {
    if (v == 1)
      out.append("FD_CLOEXEC");
    else
      fmt::format_to(out_it(out), "{}", static_cast<int>(v));
  } else if (cmd == kFSetfl) {
    format_flags(FlagTable::kOpenFlags, v & 0xffffffffu, out);
  } else {
    fmt::format_to(out_it(out), "{}", static_cast<int64_t>(static_cast<int32_t>(v)));
  }
}

}  // namespace

SyscallFormatter::SyscallFormatter(SyscallFormatOptions opts) : opts_(std::move(opts)) {}

bool SyscallFormatter::arg_is_output(const SyscallInfo* info, int i) const {
  if (!info) return false;
  switch (info->args[i].kind) {
    case ArgKind::kBufOut:
    case ArgKind::kBytesOut:
    case ArgKind::kIovOut:
    case ArgKind::kSockaddrOut:
    case ArgKind::kFdPair:
    case ArgKind::kStructOut:
      return true;
    default:
      return false;
  }
}

void SyscallFormatter::arg(const SyscallRecord& rec, const SyscallInfo* info, int i,
                           std::string& out) const {
  const uint64_t v = rec.args[static_cast<size_t>(i)];
  const CapturedArg& cap = rec.data[static_cast<size_t>(i)];
  if (!info) {
    append_hex(v, out);
    return;
  }
  if (rec.nr == kNrFcntl && i == 2) {
    fcntl_arg(rec, out);
    return;
  }
  if (special_arg(rec, i, out)) return;
  // iovec arrays, msghdr and mmsghdr when the record says how its payload
  // splits (syscall_decode_iovec.cpp).
  if ((!rec.iov_lens.empty() || !rec.msgs.empty()) &&
      format_vector_arg(rec, i, opts_.string_limit, out, &opts_.decorate_fd))
    return;
  const ArgSpec& spec = info->args[i];
  const bool failed = rec.has_ret && is_error(rec.ret);
  switch (spec.kind) {
    case ArgKind::kInt:
      append_int(out, static_cast<int32_t>(v));
      return;
    case ArgKind::kUInt:
      append_uint(out, static_cast<uint32_t>(v));
      return;
    case ArgKind::kLong:
      append_int(out, static_cast<int64_t>(v));
      return;
    case ArgKind::kSize:
      append_uint(out, v);
      return;
    case ArgKind::kHex:
      append_hex(v, out);
      return;
    case ArgKind::kPtr:
      // The socklen_t * of accept/getsockname/recvfrom: the length the
      // kernel returned is the size of the captured address ([16]).
      if (v != 0 && rec.has_ret && !failed) {
        for (int j = 0; j < info->nargs; ++j) {
          const CapturedArg& addr = rec.data[static_cast<size_t>(j)];
          if (info->args[j].kind == ArgKind::kSockaddrOut && info->args[j].aux == i &&
              addr.present && rec.args[static_cast<size_t>(j)] != 0) {
            out.push_back('[');
            append_uint(out, addr.bytes.size());
            out.push_back(']');
            return;
          }
        }
      }
      append_ptr(v, out);
      return;
    case ArgKind::kStruct:
    case ArgKind::kStructOut: {
      // Decoded when its bytes were captured (and, for kernel-filled
      // structs, the call succeeded); a pointer otherwise.
      const bool usable = spec.kind == ArgKind::kStruct || (rec.has_ret && !failed);
      if (v != 0 && cap.present && usable && format_struct_arg(rec, i, cap.bytes, out)) return;
      append_ptr(v, out);
      return;
    }
    case ArgKind::kDirFd:
      if (static_cast<int32_t>(v) == kAtFdcwd) {
        // strace -yy shows the working directory: AT_FDCWD</tmp>.
        out.append("AT_FDCWD");
        if (opts_.decorate_fd) {
          std::string d = opts_.decorate_fd(rec.pid, kAtFdcwd);
          if (!d.empty()) {
            out.push_back('<');
            out.append(d);
            out.push_back('>');
          }
        }
        return;
      }
      [[fallthrough]];
    case ArgKind::kFd:
      append_fd(static_cast<int32_t>(v), rec.pid, opts_.decorate_fd, out);
      return;
    case ArgKind::kPath:
    case ArgKind::kString:
      if (v == 0) {
        out.append("NULL");
      } else if (cap.present) {
        bool trunc = cap.truncated;
        std::string_view s = c_string(cap.bytes, trunc);
        size_t limit = spec.kind == ArgKind::kPath ? s.size() : opts_.string_limit;
        format_quoted(s, limit, trunc, out);
      } else {
        append_ptr(v, out);
      }
      return;
    case ArgKind::kStringArray:
      if (v != 0 && cap.present) {
        // NUL-separated strings; `truncated` means more elements followed.
        out.push_back('[');
        std::string_view rest = cap.bytes;
        bool first = true;
        while (!rest.empty()) {
          size_t nul = rest.find('\0');
          std::string_view elem = rest.substr(0, nul);
          if (!first) out.append(", ");
          first = false;
          format_quoted(elem, opts_.string_limit, false, out);
          if (nul == std::string_view::npos) break;
          rest.remove_prefix(nul + 1);
        }
        if (cap.truncated) out.append(first ? "..." : ", ...");
        out.push_back(']');
      } else {
        append_ptr(v, out);
      }
      return;
    case ArgKind::kBufIn:
    case ArgKind::kBytesIn:
    case ArgKind::kIovIn:
      if (cap.present)
        format_quoted(cap.bytes, opts_.string_limit, cap.truncated, out);
      else
        append_ptr(v, out);
      return;
    case ArgKind::kBufOut:
    case ArgKind::kBytesOut:
    case ArgKind::kIovOut:
      if (cap.present && rec.has_ret && !failed) {
        // Only what the call returned is meaningful.
        std::string_view b = cap.bytes;
        bool trunc = cap.truncated;
        if (rec.ret >= 0 && b.size() > static_cast<uint64_t>(rec.ret))
          b = b.substr(0, static_cast<size_t>(rec.ret));
        else if (rec.ret >= 0 && b.size() < static_cast<uint64_t>(rec.ret))
          trunc = true;
        // getcwd returns the length including the terminating NUL.
        if (rec.nr == kNrGetcwd && !b.empty() && b.back() == '\0') b.remove_suffix(1);
        if (rec.nr == kNrGetrandom)
          format_quoted_hex(b, opts_.string_limit, trunc, out);  // strace forces hex here
        else
          format_quoted(b, opts_.string_limit, trunc, out);
      } else if (v != 0 && rec.has_ret && rec.ret == 0 && spec.kind != ArgKind::kIovOut) {
        out.append("\"\"");  // nothing read: strace shows the empty string
      } else {
        append_ptr(v, out);
      }
      return;
    case ArgKind::kFlags: {
      auto t = static_cast<FlagTable>(spec.aux);
      format_flags(t, t == FlagTable::kCloneFlags ? v : (v & 0xffffffffu), out);
      return;
    }
    case ArgKind::kEnum:
      format_enum(static_cast<FlagTable>(spec.aux), v & 0xffffffffu, out);
      return;
    case ArgKind::kMode:
      fmt::format_to(out_it(out), "{:#03o}", static_cast<uint32_t>(v) & 07777u);
      return;
    case ArgKind::kSignal:
      format_signal(static_cast<int32_t>(v), out);
      return;
    case ArgKind::kSockaddr:
      if (cap.present && v != 0)
        format_sockaddr(cap.bytes, out);
      else
        append_ptr(v, out);
      return;
    case ArgKind::kSockaddrOut:
      if (cap.present && v != 0 && rec.has_ret && !failed)
        format_sockaddr(cap.bytes, out);
      else
        append_ptr(v, out);
      return;
    case ArgKind::kFdPair:
      if (cap.present && cap.bytes.size() >= 8 && rec.has_ret && !failed) {
        int32_t fds[2];
        std::memcpy(fds, cap.bytes.data(), sizeof fds);
        out.push_back('[');
        append_fd(fds[0], rec.pid, opts_.decorate_fd, out);
        out.append(", ");
        append_fd(fds[1], rec.pid, opts_.decorate_fd, out);
        out.push_back(']');
      } else {
        append_ptr(v, out);
      }
      return;
  }
}

void SyscallFormatter::slot(const SyscallRecord& rec, const SyscallInfo* info, int arg_index,
                            const char* label, std::string& out) const {
  if (label) {
    out.append(label);
    out.push_back('=');
  }
  arg(rec, info, arg_index, out);
}

void SyscallFormatter::format_args(const SyscallRecord& rec, std::string& out) const {
  const SyscallInfo* info = syscall_by_number(rec.nr);
  Slot slots[6];
  int n = arg_slots(rec, info, slots);
  for (int i = 0; i < n; ++i) {
    if (i) out.append(", ");
    slot(rec, info, slots[i].arg, slots[i].label, out);
  }
}

void SyscallFormatter::format_return(const SyscallRecord& rec, std::string& out) const {
  const SyscallInfo* info = syscall_by_number(rec.nr);
  if (!rec.has_ret || (info && info->ret == RetKind::kNoReturn)) {
    out.push_back('?');
    return;
  }
  if (is_error(rec.ret)) {
    int err = static_cast<int>(-rec.ret);
    std::string_view name = errno_name(err);
    // Kernel-internal restart codes never reach the caller: strace shows "?".
    out.append(err >= 512 ? "? " : "-1 ");
    if (name.empty())
      fmt::format_to(out_it(out), "errno {}", err);
    else
      out.append(name);
    std::string_view text = errno_text(err);
    if (!text.empty()) fmt::format_to(out_it(out), " ({})", text);
    return;
  }
  const FdDecorator& ret_decorator = opts_.decorate_ret_fd ? opts_.decorate_ret_fd : opts_.decorate_fd;
  if (rec.nr == kNrFcntl) {
    int cmd = static_cast<int>(rec.args[1]);
    if (cmd == kFGetfl) {
      fmt::format_to(out_it(out), "{:#x} (flags ", rec.ret);
      format_flags(FlagTable::kOpenFlags, static_cast<uint64_t>(rec.ret), out);
      out.push_back(')');
      return;
    }
    if (cmd == kFGetfd) {
      fmt::format_to(out_it(out), "{:#x}", rec.ret);
      if (rec.ret & 1) out.append(" (flags FD_CLOEXEC)");
      return;
    }
    if (cmd == kFDupfd || cmd == kFDupfdCloexec) {
      append_fd(static_cast<int>(rec.ret), rec.pid, ret_decorator, out);
      return;
    }
  }
  switch (info ? info->ret : RetKind::kInt) {
    case RetKind::kFd:
      append_fd(static_cast<int>(rec.ret), rec.pid, ret_decorator, out);
      return;
    case RetKind::kHex:
      append_hex(static_cast<uint64_t>(rec.ret), out);
      return;
    case RetKind::kUInt:
      fmt::format_to(out_it(out), "{}", static_cast<uint64_t>(rec.ret));
      return;
    case RetKind::kOctal:
      fmt::format_to(out_it(out), "{:#03o}", static_cast<uint64_t>(rec.ret));
      return;
    case RetKind::kInt:
    case RetKind::kNoReturn:
      append_int(out, rec.ret);
      return;
  }
}

void SyscallFormatter::prefix(const SyscallRecord& rec, std::string& out) {
  if (opts_.show_pid) {
    out.append("[pid ");
    append_int(out, rec.tid ? rec.tid : rec.pid);
    out.append("] ");
  }
  append_time_prefix(opts_.timestamps, rec.enter_ns, last_enter_ns_, out);
}

void SyscallFormatter::suffix(const SyscallRecord& rec, size_t line_start, std::string& out) const {
  size_t col = out.size() - line_start;
  if (opts_.align_column > 0 && col < static_cast<size_t>(opts_.align_column))
    out.append(static_cast<size_t>(opts_.align_column) - col, ' ');
  else
    out.push_back(' ');
  out.append("= ");
  format_return(rec, out);
  if (opts_.show_duration && rec.has_ret && rec.exit_ns >= rec.enter_ns) {
    uint64_t d = rec.exit_ns - rec.enter_ns;
    out.append(" <");
    append_uint(out, d / 1000000000u);
    out.push_back('.');
    append_zero_padded(out, (d % 1000000000u) / 1000u, 6);
    out.push_back('>');
  }
}

void SyscallFormatter::format(const SyscallRecord& rec, std::string& out) {
  if (!rec.has_ret) {
    format_unfinished(rec, out);
    return;
  }
  size_t start = out.size();
  prefix(rec, out);
  const SyscallInfo* info = syscall_by_number(rec.nr);
  append_name(rec, info, out);
  out.push_back('(');
  format_args(rec, out);
  out.push_back(')');
  suffix(rec, start, out);
}

void SyscallFormatter::format_unfinished(const SyscallRecord& rec, std::string& out) {
  prefix(rec, out);
  const SyscallInfo* info = syscall_by_number(rec.nr);
  append_name(rec, info, out);
  out.push_back('(');
  Slot slots[6];
  int n = arg_slots(rec, info, slots);
  int i = 0;
  for (; i < n && !arg_is_output(info, slots[i].arg); ++i) {
    if (i) out.append(", ");
    slot(rec, info, slots[i].arg, slots[i].label, out);
  }
  if (i < n) out.append(", ");  // the rest follows in the resumed line
  out.append(" <unfinished ...>");
}

void SyscallFormatter::format_resumed(const SyscallRecord& rec, std::string& out) {
  size_t start = out.size();
  if (opts_.show_pid) fmt::format_to(out_it(out), "[pid {}] ", rec.tid ? rec.tid : rec.pid);
  if (opts_.timestamps != TimestampStyle::kNone) {
    uint64_t last = last_enter_ns_;
    append_time_prefix(opts_.timestamps, rec.exit_ns, last, out);
  }
  const SyscallInfo* info = syscall_by_number(rec.nr);
  out.append("<... ");
  append_name(rec, info, out);
  out.append(" resumed>");
  Slot slots[6];
  int n = arg_slots(rec, info, slots);
  int first = 0;
  while (first < n && !arg_is_output(info, slots[first].arg)) ++first;
  for (int i = first; i < n; ++i) {
    if (i > first) out.append(", ");
    slot(rec, info, slots[i].arg, slots[i].label, out);
  }
  out.push_back(')');
  suffix(rec, start, out);
}

void SyscallFormatter::format_json(const SyscallRecord& rec, std::string& out) const {
  const SyscallInfo* info = syscall_by_number(rec.nr);
  JsonWriter w(out);
  w.begin_object();
  std::string num;
  append_uint(num, rec.enter_ns / 1000000000u);
  num.push_back('.');
  append_zero_padded(num, (rec.enter_ns % 1000000000u) / 1000u, 6);
  w.key("ts").raw(num);
  w.field("pid", rec.pid);
  w.field("tid", rec.tid ? rec.tid : rec.pid);
  std::string name;
  append_name(rec, info, name);
  w.field("syscall", name);
  w.key("args").begin_array();
  Slot slots[6];
  int n = arg_slots(rec, info, slots);
  std::string a;
  for (int i = 0; i < n; ++i) {
    a.clear();
    slot(rec, info, slots[i].arg, slots[i].label, a);
    w.value(a);
  }
  w.end_array();
  const bool returns = rec.has_ret && !(info && info->ret == RetKind::kNoReturn);
  const bool failed = returns && is_error(rec.ret);
  w.key("ret");
  if (!returns)
    w.null();
  else
    w.value(failed ? int64_t{-1} : rec.ret);
  w.key("errno");
  std::string_view en = failed ? errno_name(static_cast<int>(-rec.ret)) : std::string_view();
  if (failed && !en.empty())
    w.value(en);
  else if (failed)
    w.value(static_cast<int64_t>(-rec.ret));
  else
    w.null();
  w.key("duration_us");
  if (rec.has_ret && rec.exit_ns >= rec.enter_ns && rec.enter_ns != 0)
  {
    num.clear();
    append_uint(num, (rec.exit_ns - rec.enter_ns) / 1000u);
    num.push_back('.');
    append_zero_padded(num, (rec.exit_ns - rec.enter_ns) % 1000u, 3);
    w.raw(num);
  }
  else
    w.null();
  w.end_object();
}

namespace {

// socat's rendering of one argument: numbers in decimal (open flags and
// modes in octal), strings quoted in full, memory as pointers.
void socat_arg(const SyscallRecord& rec, const SyscallInfo* info, int i, std::string& out) {
  const uint64_t v = rec.args[static_cast<size_t>(i)];
  const CapturedArg& cap = rec.data[static_cast<size_t>(i)];
  auto ptr = [&] {
    if (v == 0)
      out.append("(nil)");
    else
      fmt::format_to(out_it(out), "{:#x}", v);
  };
  if (!info) {
    ptr();
    return;
  }
  const ArgSpec& spec = info->args[i];
  switch (spec.kind) {
    case ArgKind::kFd:
    case ArgKind::kDirFd:
    case ArgKind::kInt:
    case ArgKind::kSignal:
    case ArgKind::kEnum:
      fmt::format_to(out_it(out), "{}", static_cast<int32_t>(v));
      return;
    case ArgKind::kFlags:
      if (spec.aux == static_cast<uint8_t>(FlagTable::kOpenFlags))
        fmt::format_to(out_it(out), "0{:o}", static_cast<uint32_t>(v));
      else
        fmt::format_to(out_it(out), "{}", static_cast<int32_t>(v));
      return;
    case ArgKind::kMode:
      fmt::format_to(out_it(out), "0{:03o}", static_cast<uint32_t>(v));
      return;
    case ArgKind::kUInt:
      fmt::format_to(out_it(out), "{}", static_cast<uint32_t>(v));
      return;
    case ArgKind::kLong:
      fmt::format_to(out_it(out), "{}", static_cast<int64_t>(v));
      return;
    case ArgKind::kSize:
      fmt::format_to(out_it(out), "{}", v);
      return;
    case ArgKind::kHex:
      fmt::format_to(out_it(out), "{:#x}", v);
      return;
    case ArgKind::kPath:
    case ArgKind::kString:
      if (cap.present && v != 0) {
        bool trunc = cap.truncated;
        std::string_view s = c_string(cap.bytes, trunc);
        format_quoted(s, s.size(), trunc, out);
      } else {
        ptr();
      }
      return;
    case ArgKind::kSockaddr:
      if (cap.present && v != 0)
        format_sockaddr_socat(cap.bytes, out);
      else
        ptr();
      return;
    default:
      ptr();
      return;
  }
}

}  // namespace

std::string socat_call_text(const SyscallRecord& rec) {
  std::string out;
  const SyscallInfo* info = syscall_by_number(rec.nr);
  append_name(rec, info, out);
  out.push_back('(');
  int n = info ? info->nargs : 6;
  // socat's Fcntl() and Fcntl_l(): the argument only for commands that take
  // one, and then as a decimal long ("fcntl(5, 3)", "fcntl(5, 4, 2050)").
  const bool fcntl = rec.nr == kNrFcntl;
  if (fcntl) n = visible_args(rec, info);
  for (int i = 0; i < n; ++i) {
    if (i) out.append(", ");
    if (fcntl && i == 2)
      append_int(out, static_cast<int64_t>(rec.args[2]));
    else
      socat_arg(rec, info, i, out);
  }
  out.push_back(')');
  return out;
}

SyscallRecord make_syscall_record(std::string_view name, std::initializer_list<uint64_t> args) {
  SyscallRecord r;
  const SyscallInfo* info = syscall_by_name(name);
  r.nr = info ? info->number : -1;
  size_t i = 0;
  for (uint64_t a : args) {
    if (i == r.args.size()) break;
    r.args[i++] = a;
  }
  r.pid = static_cast<int32_t>(getpid());
  r.tid = static_cast<int32_t>(gettid());
  return r;
}

std::string socat_return_text(const SyscallRecord& rec) {
  // socat's sycls.c has three shapes for the line after a call: calls that
  // create fds repeat their arguments ("socket(2, 1, 6) -> 5"), read/write
  // say "read -> 12", everything else "listen() -> 0" (empty parentheses,
  // except calls without arguments, which read like their entry line).
  const SyscallInfo* info = syscall_by_number(rec.nr);
  std::string_view name = info ? info->name : std::string_view();
  std::string out;
  const bool fd_maker = name == "open" || name == "creat" || name == "dup" || name == "dup2" ||
                        name == "socket" || name == "socketpair";
  const bool rw = name == "read" || name == "write";
  // A successful accept names the peer, as socat's Accept() does:
  // "accept4(5, {2, AF=2 127.0.0.1:49222}, 16) -> 6".
  const CapturedArg& peer = rec.data[1];
  const bool accepted = (name == "accept" || name == "accept4") && rec.has_ret && !is_error(rec.ret) &&
                        peer.present && peer.bytes.size() >= sizeof(uint16_t);
  if (accepted) {
    uint16_t family = 0;
    std::memcpy(&family, peer.bytes.data(), sizeof family);
    append_name(rec, info, out);
    out.push_back('(');
    append_int(out, static_cast<int32_t>(rec.args[0]));
    out.append(", {");
    append_int(out, family);
    out.append(", ");
    format_sockaddr_socat(peer.bytes, out);
    out.append("}, ");
    append_int(out, static_cast<int64_t>(peer.bytes.size()));
    out.push_back(')');
  } else if (fd_maker) {
    out = socat_call_text(rec);
  } else if (rw) {
    out.append(name);
  } else {
    append_name(rec, info, out);
    out.append("()");
  }
  out.append(" -> ");
  if (!rec.has_ret) {
    out.push_back('?');
  } else if (is_error(rec.ret)) {
    out.append("-1");
    if (name == "read") fmt::format_to(out_it(out), " (errno={})", -rec.ret);
  } else if (info && info->ret == RetKind::kHex) {
    append_0x(out, static_cast<uint64_t>(rec.ret));
  } else if (name == "fcntl") {
    append_0x(out, static_cast<uint64_t>(rec.ret));
  } else {
    append_int(out, rec.ret);
  }
  return out;
}

}  // namespace fdscope
