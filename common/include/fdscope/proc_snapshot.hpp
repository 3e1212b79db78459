// ProcessSnapshot: everything procan reports about one process, read in one
// pass through a ProcSource.  Each field is a Result: a value, or the reason
// it could not be read (EACCES on another user's process, a hidepid mount,
// an older kernel).  Renderers print either; nothing is ever defaulted to a
// plausible-looking wrong value.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "fdscope/proc_caps.hpp"
#include "fdscope/proc_cgroup.hpp"
#include "fdscope/proc_chain.hpp"
#include "fdscope/proc_creds.hpp"
#include "fdscope/proc_fds.hpp"
#include "fdscope/proc_ids.hpp"
#include "fdscope/proc_limits.hpp"
#include "fdscope/proc_netif.hpp"
#include "fdscope/proc_ns.hpp"
#include "fdscope/proc_paths.hpp"
#include "fdscope/proc_security.hpp"
#include "fdscope/proc_source.hpp"
#include "fdscope/proc_sysconf.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct SnapshotOptions {
  std::string proc_root = "/proc";
  std::string sys_root = "/sys";
  std::string dev_root = "/dev";
  bool interfaces = true;  // list network interfaces (socat's IP INTERFACES)
};

struct ProcessSnapshot {
  pid_t pid = 0;
  bool self = false;  // procan analysing itself
  std::string proc_root;

  Result<ProcIds> ids = Error{"not read"};
  Result<Creds> creds = Error{"not read"};
  Result<unsigned> umask = Error{"not read"};
  Result<std::vector<LimitValue>> limits = Error{"not read"};
  Result<CapSets> caps = Error{"not read"};
  Result<bool> no_new_privs = Error{"not read"};
  Result<SeccompInfo> seccomp = Error{"not read"};
  Result<LsmInfo> lsm = Error{"not read"};
  std::vector<NamespaceEntry> namespaces;
  Result<std::vector<CgroupEntry>> cgroups = Error{"not read"};
  Result<std::string> cwd = Error{"not read"};
  Result<std::string> root = Error{"not read"};
  Result<ExeInfo> exe = Error{"not read"};
  Result<std::vector<std::string>> cmdline = Error{"not read"};
  Result<EnvSize> environ = Error{"not read"};
  Result<size_t> open_fds = Error{"not read"};
  ParentChain chain;
  Result<std::vector<NetInterface>> interfaces = Error{"not read"};
  Result<uint32_t> vsock_cid = Error{"not read"};
  std::vector<SysconfValue> sysconf;

  // Soft RLIMIT_NOFILE when known (for "open fds N of M").
  std::optional<uint64_t> nofile_soft() const;
  // Dotted keys ("paths.cwd") of fields that could not be read, with the
  // reason, in output order.  Empty for a complete snapshot.
  std::vector<std::pair<std::string, Error>> unavailable() const;
};

// Opens the process (pid 0 = procan itself) and reads every field.  Fails
// only when the process cannot be opened at all or exits while being read.
Result<ProcessSnapshot> take_snapshot(pid_t pid, const SnapshotOptions& opt = {});

}  // namespace fdscope
