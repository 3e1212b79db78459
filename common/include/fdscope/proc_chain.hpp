// The parent chain of a process up to PID 1 (or the top of its pid
// namespace): pid and command name of each ancestor, from /proc/PID/stat.
// When an ancestor cannot be read (hidepid, exited) the chain stops there and
// says why.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "fdscope/result.hpp"

namespace fdscope {

struct ChainEntry {
  pid_t pid = 0;
  pid_t ppid = 0;
  std::string comm;
};

struct ParentChain {
  std::vector<ChainEntry> entries;  // the process itself first, PID 1 last
  std::optional<Error> stopped;     // why the chain ends before ppid 0
};

ParentChain parent_chain(pid_t pid, const std::string& proc_root = "/proc");

}  // namespace fdscope
