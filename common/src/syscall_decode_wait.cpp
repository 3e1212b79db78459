// The wait status of wait4 as strace shows it: the W* macro that matches
// and its value, `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`,
// `[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)}]`, then any
// bits no macro explains (ptrace event numbers in the high half).
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope {

namespace {

constexpr std::string_view kPtraceEvents[] = {
    "",
    "PTRACE_EVENT_FORK",
    "PTRACE_EVENT_VFORK",
    "PTRACE_EVENT_CLONE",
    "PTRACE_EVENT_EXEC",
    "PTRACE_EVENT_VFORK_DONE",
    "PTRACE_EVENT_EXIT",
    "PTRACE_EVENT_SECCOMP",
};

}  // namespace

void format_wait_status(int status, std::string& out) {
  auto o = std::back_inserter(out);
  unsigned rest = static_cast<unsigned>(status);
  const unsigned low = rest & 0x7f;
  if ((rest & 0xff) == 0x7f) {  // WIFSTOPPED
    const unsigned sig = (rest >> 8) & 0xff;
    out.append("[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
    format_signal(static_cast<int>(sig & 0x7f), out);
    if (sig & 0x80) out.append(" | 0x80");
    out.push_back('}');
    rest &= ~((sig << 8) | 0x7fu);
  } else if (low != 0 && low != 0x7f) {  // WIFSIGNALED
    out.append("[{WIFSIGNALED(s) && WTERMSIG(s) == ");
    format_signal(static_cast<int>(low), out);
    if (rest & 0x80) out.append(" && WCOREDUMP(s)");
    out.push_back('}');
    rest &= ~(low | 0x80u);
  } else if (low == 0) {  // WIFEXITED
    fmt::format_to(o, "[{{WIFEXITED(s) && WEXITSTATUS(s) == {}}}", (rest >> 8) & 0xff);
    rest &= ~0xff00u;
  } else if (rest == 0xffff) {  // WIFCONTINUED
    out.append("[{WIFCONTINUED(s)}");
    rest = 0;
  } else {
    fmt::format_to(o, "[{:#x}]", rest);
    return;
  }
  if (const unsigned event = rest >> 16; event) {
    out.append(" | ");
    if (event < std::size(kPtraceEvents))
      out.append(kPtraceEvents[event]);
    else
      fmt::format_to(o, "{:#x}", event);
    out.append(" << 16");
    rest &= 0xffff;
  }
  if (rest) fmt::format_to(o, " | {:#x}", rest);
  out.push_back(']');
}

}  // namespace fdscope
