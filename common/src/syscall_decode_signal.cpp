// Signal structures behind syscall arguments, decoded the way strace shows
// them: signal sets (rt_sigprocmask, rt_sigsuspend, ppoll, epoll_pwait,
// signalfd4: `[INT TERM]`, `~[RTMIN RT_1]`), rt_sigaction's struct
// kernel_sigaction and waitid's siginfo.  Signal names come from
// format_signal (syscall_decode_flags.cpp), so the one name table serves
// kill()'s argument, these sets and the wait status alike.
#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope {

namespace {

constexpr uint64_t kSigsetBytes = 8;  // the kernel's sigset_t on x86_64
constexpr int kSigRtMin = 32;         // the kernel's first real-time signal
constexpr int kSigChld = 17;

// A signal without its "SIG" prefix, as strace prints it inside a set:
// INT, RTMIN, RT_1 ... RT_32.
void set_member(int sig, std::string& out) {
  if (sig > kSigRtMin && sig <= 64) {
    fmt::format_to(std::back_inserter(out), "RT_{}", sig - kSigRtMin);
    return;
  }
  std::string name;
  format_signal(sig, name);
  std::string_view n = name;
  if (n.starts_with("SIG")) n.remove_prefix(3);
  out.append(n);
}

template <typename T>
T load_at(std::string_view raw, size_t off) {
  T v;
  std::memcpy(&v, raw.data() + off, sizeof v);
  return v;
}

void sigset_bits(uint64_t mask, std::string& out) {
  // strace shows the signals NOT in a set that has 2/3 or more of its bits.
  if (std::popcount(mask) >= 64 * 2 / 3) {
    out.push_back('~');
    mask = ~mask;
  }
  out.push_back('[');
  bool first = true;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(mask & (uint64_t{1} << bit))) continue;
    if (!first) out.push_back(' ');
    first = false;
    set_member(bit + 1, out);
  }
  out.push_back(']');
}

// sa_flags in strace's order (xlat/sigact_flags.in).
constexpr struct {
  uint64_t bit;
  std::string_view name;
} kSaFlags[] = {
    {0x04000000, "SA_RESTORER"},  {0x08000000, "SA_ONSTACK"},  {0x10000000, "SA_RESTART"},
    {0x40000000, "SA_NODEFER"},   {0x80000000, "SA_RESETHAND"}, {0x4, "SA_SIGINFO"},
    {0x1, "SA_NOCLDSTOP"},        {0x2, "SA_NOCLDWAIT"},       {0x400, "SA_UNSUPPORTED"},
    {0x800, "SA_EXPOSE_TAGBITS"},
};

void sa_flags(uint64_t v, std::string& out) {
  bool first = true;
  for (const auto& f : kSaFlags) {
    if (!(v & f.bit)) continue;
    if (!first) out.push_back('|');
    out.append(f.name);
    v &= ~f.bit;
    first = false;
  }
  if (v) {
    if (!first) out.push_back('|');
    fmt::format_to(std::back_inserter(out), "{:#x}", v);
  } else if (first) {
    out.push_back('0');
  }
}

constexpr std::string_view kCldCodes[] = {"",           "CLD_EXITED",  "CLD_KILLED",
                                          "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED",
                                          "CLD_CONTINUED"};

}  // namespace

bool format_sigset(std::string_view raw, uint64_t size, std::string& out) {
  if (size != kSigsetBytes || raw.size() < kSigsetBytes) return false;
  sigset_bits(load_at<uint64_t>(raw, 0), out);
  return true;
}

bool format_sigaction(std::string_view raw, std::string& out) {
  // struct kernel_sigaction (x86_64): handler, flags, restorer, mask.
  if (raw.size() < 32) return false;
  const uint64_t handler = load_at<uint64_t>(raw, 0);
  const uint64_t flags = load_at<uint64_t>(raw, 8);
  const uint64_t restorer = load_at<uint64_t>(raw, 16);
  const uint64_t mask = load_at<uint64_t>(raw, 24);
  auto o = std::back_inserter(out);
  out.append("{sa_handler=");
  if (handler == 0)
    out.append("SIG_DFL");
  else if (handler == 1)
    out.append("SIG_IGN");
  else if (handler == UINT64_MAX)
    out.append("SIG_ERR");
  else
    fmt::format_to(o, "{:#x}", handler);
  out.append(", sa_mask=");
  sigset_bits(mask, out);
  out.append(", sa_flags=");
  sa_flags(flags, out);
  if (flags & 0x04000000) {
    out.append(", sa_restorer=");
    if (restorer)
      fmt::format_to(o, "{:#x}", restorer);
    else
      out.append("NULL");
  }
  out.push_back('}');
  return true;
}

bool format_siginfo(std::string_view raw, std::string& out) {
  // The SIGCHLD layout of siginfo_t (x86_64): signo, errno, code, pad, pid,
  // uid, status, pad, utime, stime.
  if (raw.size() < 48) return false;
  const int32_t signo = load_at<int32_t>(raw, 0);
  const int32_t err = load_at<int32_t>(raw, 4);
  const int32_t code = load_at<int32_t>(raw, 8);
  if (signo == 0) {
    out.append("{}");  // WNOHANG and nothing to report
    return true;
  }
  if (signo != kSigChld) return false;
  auto o = std::back_inserter(out);
  out.append("{si_signo=");
  format_signal(signo, out);
  if (err) fmt::format_to(o, ", si_errno={}", err);
  out.append(", si_code=");
  if (code > 0 && code < static_cast<int>(std::size(kCldCodes)))
    out.append(kCldCodes[code]);
  else
    fmt::format_to(o, "{}", code);
  fmt::format_to(o, ", si_pid={}, si_uid={}, si_status=", load_at<int32_t>(raw, 16),
                 load_at<uint32_t>(raw, 20));
  const int32_t status = load_at<int32_t>(raw, 24);
  if (code == 1 /* CLD_EXITED */)
    fmt::format_to(o, "{}", status);
  else
    format_signal(status, out);
  fmt::format_to(o, ", si_utime={}, si_stime={}}}", load_at<int64_t>(raw, 32),
                 load_at<int64_t>(raw, 40));
  return true;
}

}  // namespace fdscope
