// fd_audit: flags fds that are a risk, one finding per problem, each saying
// why in one line.  Checks (the `check` names are stable, used in JSON):
//   no-cloexec           fd > 2 without FD_CLOEXEC: every program the process
//                        executes inherits it (for filan's own fds: it was
//                        inherited, and would be passed on again)
//   world-connectable    a listening UNIX socket whose file is writable by
//                        everyone, or an abstract one (abstract names have no
//                        permissions at all)
//   wildcard-listener    a TCP listener or bound, unconnected UDP socket on
//                        0.0.0.0 or :: (reachable on every interface)
//   deleted-file         a regular file unlinked while still open (its space
//                        stays allocated; often a leaked log or temp file)
//   foreign-owner        a file, directory or FIFO owned by another non-root
//                        user than the process's effective uid
#pragma once

#include <sys/types.h>

#include <span>
#include <string>
#include <vector>

#include "fdscope/fd_info.hpp"

namespace fdscope {

struct AuditContext {
  uid_t euid = 0;          // the inspected process's effective uid
  bool own_process = true; // filan's own (inherited) fds
};

struct AuditFinding {
  int fd = -1;
  std::string check;    // "no-cloexec", ...
  std::string message;  // one line, no trailing newline
};

std::vector<AuditFinding> audit_fds(std::span<const FdInfo> fds, const AuditContext& ctx);

// "fd 5: <message>" lines, and the JSON array [{"fd":5,"check":"...","message":"..."}].
std::string audit_text(std::span<const AuditFinding> findings);

}  // namespace fdscope
