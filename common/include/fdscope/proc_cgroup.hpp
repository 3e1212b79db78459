// Control-group membership from /proc/PID/cgroup: one entry per hierarchy,
// cgroup v1 ("4:memory:/path", named hierarchies "name=systemd") and v2
// ("0::/path") alike, so a mixed v1+v2 machine shows both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct CgroupEntry {
  unsigned hierarchy = 0;                // 0 for the v2 unified hierarchy
  std::vector<std::string> controllers;  // empty for v2
  std::string path;
  bool v2() const { return hierarchy == 0 && controllers.empty(); }
};

// Entries in the kernel's order.
Result<std::vector<CgroupEntry>> parse_proc_cgroup(std::string_view text);
Result<std::vector<CgroupEntry>> read_cgroups(const ProcSource& src);

}  // namespace fdscope
