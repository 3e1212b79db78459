// Reading a whole process in one pass (see proc_snapshot.hpp).  status is read
// once and interpreted by the creds/caps/security readers; every other field
// is one file or link under the pidfd-verified /proc/PID directory.  The
// liveness check at the end turns "process exited mid-read" into an error
// instead of a mixture of two processes' facts.
#include "fdscope/proc_snapshot.hpp"

#include <unistd.h>

#include <sys/resource.h>

namespace fdscope {

std::optional<uint64_t> ProcessSnapshot::nofile_soft() const {
  if (!limits) return std::nullopt;
  for (const auto& l : *limits)
    if (l.info->resource == RLIMIT_NOFILE && l.present) return l.soft;
  return std::nullopt;
}

std::vector<std::pair<std::string, Error>> ProcessSnapshot::unavailable() const {
  std::vector<std::pair<std::string, Error>> out;
  auto add = [&](const char* key, const auto& r) {
    if (!r) out.emplace_back(key, r.error());
  };
  add("ids", ids);
  if (ids)
    for (int fd = 0; fd < 3; ++fd) {
      static const char* keys[] = {"ids.fg_pgid.stdin", "ids.fg_pgid.stdout", "ids.fg_pgid.stderr"};
      add(keys[fd], ids->fg_pgid[fd]);
    }
  add("credentials", creds);
  add("credentials.umask", umask);
  add("limits", limits);
  add("capabilities", caps);
  add("security.no_new_privs", no_new_privs);
  add("security.seccomp", seccomp);
  add("security.lsm", lsm);
  for (const auto& ns : namespaces) {
    if (!ns.inode) out.emplace_back("namespaces." + ns.type, ns.inode.error());
  }
  add("cgroups", cgroups);
  add("paths.cwd", cwd);
  add("paths.root", root);
  add("paths.exe", exe);
  add("paths.cmdline", cmdline);
  add("paths.environ", environ);
  add("fds.open", open_fds);
  return out;
}

Result<ProcessSnapshot> take_snapshot(pid_t pid, const SnapshotOptions& opt) {
  ProcessSnapshot s;
  s.self = pid == 0;
  if (pid == 0) pid = ::getpid();
  s.pid = pid;
  s.proc_root = opt.proc_root;
  auto srcr = ProcSource::open(pid, opt.proc_root);
  if (!srcr) return srcr.take_error();
  const ProcSource& src = *srcr;

  s.ids = read_ids(src, opt.dev_root);
  if (auto text = src.read("status")) {
    ProcStatus st = ProcStatus::parse(*text);
    s.creds = creds_from_status(st);
    s.umask = umask_from_status(st);
    s.caps = caps_from_status(st);
    s.no_new_privs = no_new_privs_from_status(st);
    s.seccomp = seccomp_from_status(st);
  } else {
    Error e = text.take_error();
    s.creds = e;
    s.umask = e;
    s.caps = e;
    s.no_new_privs = e;
    s.seccomp = e;
  }
  s.limits = read_limits(src);
  s.lsm = read_lsm(src, opt.sys_root);
  pid_t ppid = s.ids ? s.ids->stat.ppid : 0;
  s.namespaces = read_namespaces(src, ppid);
  s.cgroups = read_cgroups(src);
  s.cwd = src.readlink("cwd");
  s.root = src.readlink("root");
  s.exe = read_exe(src);
  if (auto raw = src.read("cmdline")) s.cmdline = split_cmdline(*raw);
  else s.cmdline = raw.take_error();
  if (auto raw = src.read("environ")) s.environ = environ_size(*raw);
  else s.environ = raw.take_error();
  s.open_fds = count_open_fds(src);
  s.chain = parent_chain(pid, opt.proc_root);
  if (opt.interfaces) {
    s.interfaces = read_interfaces(src);
    s.vsock_cid = read_vsock_cid();
  } else {
    s.interfaces = plain_error("not listed: interfaces are read only from a live /proc");
    s.vsock_cid = plain_error("not listed: read only from a live /proc");
  }
  s.sysconf = read_sysconf();

  if (auto alive = src.still_alive(); !alive) return alive.take_error();
  return s;
}

}  // namespace fdscope
