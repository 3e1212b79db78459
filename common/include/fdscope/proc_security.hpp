// Confinement of a process: no_new_privs, seccomp mode and filter count (from
// /proc/PID/status) and the Linux Security Module label (AppArmor, SELinux,
// Smack ... from /proc/PID/attr).  When no LSM that labels processes is
// loaded, that is stated plainly rather than shown as an empty label.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fdscope/proc_source.hpp"
#include "fdscope/proc_status.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct SeccompInfo {
  unsigned mode = 0;                 // 0 disabled, 1 strict, 2 filter
  std::optional<unsigned> filters;   // Seccomp_filters: (kernel 5.9+)
};
// "disabled", "strict", "filter" (or "mode N" for an unknown mode).
std::string seccomp_mode_name(unsigned mode);

Result<bool> no_new_privs_from_status(const ProcStatus& st);
Result<SeccompInfo> seccomp_from_status(const ProcStatus& st);

struct LsmInfo {
  // Which LSM labelled the process: "apparmor", "selinux", "smack", or
  // "unknown" when a label exists but its module cannot be told; "none" when
  // no labelling LSM is loaded (the kernel answers EINVAL).
  std::string module;
  std::optional<std::string> label;   // absent when module == "none"
  // Contents of securityfs's lsm list (e.g. capability,yama,apparmor) when
  // securityfs is mounted; empty otherwise.
  std::vector<std::string> active;
};

// sys_root is "/sys" (fixture directories in tests).
Result<LsmInfo> read_lsm(const ProcSource& src, const std::string& sys_root = "/sys");

}  // namespace fdscope
