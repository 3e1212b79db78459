// Namespaces of a process: every entry of /proc/PID/ns with its inode, and
// whether it is the same as PID 1's and as the parent's.  When PID 1's links
// cannot be read (another user, or a capability set larger than ours) the
// comparison is reported unavailable with the reason, never guessed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

// The namespace types in output order.
std::span<const char* const> namespace_types();

// "net:[4026531840]" -> 4026531840 (the type prefix must match).
Result<uint64_t> parse_ns_link(std::string_view link, std::string_view type);

struct NamespaceEntry {
  std::string type;
  Result<uint64_t> inode = Error{"not read"};
  Result<uint64_t> pid1_inode = Error{"not read"};
  Result<uint64_t> parent_inode = Error{"not read"};
};

// parent_pid <= 0: no parent comparison (reported unavailable).
std::vector<NamespaceEntry> read_namespaces(const ProcSource& src, pid_t parent_pid);

}  // namespace fdscope
