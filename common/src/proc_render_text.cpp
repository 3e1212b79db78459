// Text renderer for procan (see proc_render_text.hpp).  The first part keeps
// socat's line shapes ("process id = N", the 24-column limits table, "C TYPE
// SIZES", "IP INTERFACES") so eyes and scripts used to socat find the same
// lines; socat's wrong units are fixed in the labels.  Everything after it
// uses the same "name = value" form under /* Section */ titles.
#include "fdscope/proc_render_text.hpp"

#include <fmt/format.h>

#include "fdscope/proc_build.hpp"
#include "fdscope/proc_text.hpp"

namespace fdscope {

std::string unavailable_text(const Error& e) {
  if (e.err == 0) return fmt::format("unavailable ({})", e.what);
  return fmt::format("unavailable ({}: {})", errno_name(e.err), e.message());
}

std::string escape_text(std::string_view s, bool quote_if_needed) {
  std::string out;
  bool quote = quote_if_needed && (s.empty() || s.find_first_of(" \"'") != std::string_view::npos);
  if (quote) out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      case '"':
        if (quote) out += "\\\"";
        else out.push_back('"');
        break;
      default:
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
        else out.push_back(static_cast<char>(c));
    }
  }
  if (quote) out.push_back('"');
  return out;
}

namespace {

template <typename T, typename F>
std::string or_unavail(const Result<T>& r, F&& f) {
  return r ? f(*r) : unavailable_text(r.error());
}

std::string limit_value(const std::optional<uint64_t>& v) { return v ? fmt::format("{}", *v) : "unlimited"; }

void ids_section(std::string& o, const ProcessSnapshot& s) {
  o += fmt::format("process id = {}\n", s.pid);
  if (!s.ids) {
    std::string u = unavailable_text(s.ids.error());
    o += fmt::format("process parent id = {}\ncontrolling terminal: {}\nprocess group id = {}\nprocess session id = {}\n", u, u, u, u);
    for (const char* n : {"stdin", "stdout", "stderr"}) o += fmt::format("process group id if fg process / {} = {}\n", n, u);
    o += fmt::format("controlling terminal {}\n", u);
    return;
  }
  const ProcIds& ids = *s.ids;
  o += fmt::format("process parent id = {}\n", ids.stat.ppid);
  if (!ids.has_ctty) o += "controlling terminal: -\n";
  else if (ids.tty_path) o += fmt::format("controlling terminal: \"{}\"\n", escape_text(*ids.tty_path, false));
  else
    o += fmt::format("controlling terminal: (device {}:{}, no node under /dev)\n", tty_major(ids.stat.tty_nr),
                     tty_minor(ids.stat.tty_nr));
  o += fmt::format("process group id = {}\n", ids.stat.pgrp);
  o += fmt::format("process session id = {}\n", ids.stat.session);
  const char* names[] = {"stdin", "stdout", "stderr"};
  for (int fd = 0; fd < 3; ++fd)
    o += fmt::format("process group id if fg process / {} = {}\n", names[fd],
                     or_unavail(ids.fg_pgid[fd], [](pid_t p) { return fmt::format("{}", p); }));
  o += ids.has_ctty ? "process has a controlling terminal\n" : "process does not have a controlling terminal\n";
}

void user_section(std::string& o, const ProcessSnapshot& s) {
  auto id = [&](auto pick) {
    return or_unavail(s.creds, [&](const Creds& c) { return fmt::format("{}", pick(c)); });
  };
  o += fmt::format("user id  = {}\n", id([](const Creds& c) { return c.uid.real; }));
  o += fmt::format("effective user id  = {}\n", id([](const Creds& c) { return c.uid.effective; }));
  o += fmt::format("saved set-user id  = {}\n", id([](const Creds& c) { return c.uid.saved; }));
  o += fmt::format("group id = {}\n", id([](const Creds& c) { return c.gid.real; }));
  o += fmt::format("effective group id = {}\n", id([](const Creds& c) { return c.gid.effective; }));
  o += fmt::format("saved set-group id = {}\n", id([](const Creds& c) { return c.gid.saved; }));
  o += fmt::format("umask = {}\n", or_unavail(s.umask, [](unsigned m) { return fmt::format("{:03o}", m); }));
}

void limits_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Resource limits */\n";
  o += "resource                                 current                 maximum\n";
  for (size_t i = 0; i < limit_table().size(); ++i) {
    const LimitInfo& li = limit_table()[i];
    std::string_view label = li.label;
    size_t nl = label.rfind('\n');
    if (nl != std::string_view::npos) {
      o.append(label.substr(0, nl + 1));
      label.remove_prefix(nl + 1);
    }
    if (!s.limits) {
      o += fmt::format("{:<24}{}\n", label, unavailable_text(s.limits.error()));
      continue;
    }
    const LimitValue& v = (*s.limits)[i];
    if (!v.present) {
      o += fmt::format("{:<24}unavailable (not listed in {}/{}/limits)\n", label, s.proc_root, s.pid);
      continue;
    }
    o += fmt::format("{:<24}{:>24}{:>24}\n", label, limit_value(v.soft), limit_value(v.hard));
  }
}

void build_lines(std::string& o) {
  o += fmt::format("// CC: {}\n", compiler_description());
  for (const auto& c : build_constants()) o += fmt::format("{:<26}= {}\n", c.name, c.text);
}

void type_sizes_section(std::string& o) {
  o += "\nC TYPE SIZES\n";
  for (const auto& t : type_sizes()) o += fmt::format("{:<17} = {}\n", fmt::format("sizeof({})", t.type), t.size);
  o += fmt::format("{:<17} = {}\n", "byte order", byte_order());
}

void net_section(std::string& o, const ProcessSnapshot& s) {
  for (const auto& ns : s.namespaces)
    if (ns.type == "net") {
      o += fmt::format("Network namespace: {}\n",
                       or_unavail(ns.inode, [](uint64_t i) { return fmt::format("net:[{}]", i); }));
    }
}

void interfaces_section(std::string& o, const ProcessSnapshot& s) {
  o += "\nIP INTERFACES\n";
  if (!s.interfaces) {
    o += unavailable_text(s.interfaces.error()) + "\n";
  } else {
    for (const auto& i : *s.interfaces) o += fmt::format("{:2}: {}\n", i.index, escape_text(i.name, false));
  }
  if (s.vsock_cid) o += fmt::format("{:<26}= {}\n", "VSOCK_CID", *s.vsock_cid);
}

void process_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Process */\n";
  if (!s.ids) {
    o += fmt::format("state = {}\n", unavailable_text(s.ids.error()));
    return;
  }
  o += fmt::format("command name = {}\n", escape_text(s.ids->stat.comm, false));
  o += fmt::format("state = {} ({})\n", s.ids->stat.state, state_name(s.ids->stat.state));
  o += fmt::format("kernel thread = {}\n", is_kernel_thread(s.ids->stat) ? "yes" : "no");
}

void creds_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Credentials */\n";
  o += fmt::format("fs user id = {}\n", or_unavail(s.creds, [](const Creds& c) { return fmt::format("{}", c.uid.fs); }));
  o += fmt::format("fs group id = {}\n", or_unavail(s.creds, [](const Creds& c) { return fmt::format("{}", c.gid.fs); }));
  o += fmt::format("supplementary groups = {}\n", or_unavail(s.creds, [](const Creds& c) {
                     return c.groups.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(c.groups, " "));
                   }));
}

// Names of a capability mask; a mask holding most known capabilities is
// written as "all except ..." so the line stays readable (JSON lists all).
std::string caps_text(uint64_t mask) {
  size_t known = capability_names().size();
  uint64_t all = known >= 64 ? ~uint64_t{0} : (uint64_t{1} << known) - 1;
  if (mask == 0) return "(none)";
  size_t held = static_cast<size_t>(__builtin_popcountll(mask & all));
  if (held * 2 <= known) return fmt::format("{}", fmt::join(decode_caps(mask), ","));
  std::string t = fmt::format("all of cap_0..cap_{}", known - 1);
  auto missing = decode_caps(~mask & all);
  if (!missing.empty()) t += fmt::format(" except {}", fmt::join(missing, ","));
  auto extra = decode_caps(mask & ~all);
  if (!extra.empty()) t += fmt::format(", plus {}", fmt::join(extra, ","));
  return t;
}

void caps_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Capabilities */\n";
  if (!s.caps) {
    o += fmt::format("capabilities = {}\n", unavailable_text(s.caps.error()));
    return;
  }
  for (const auto& set : *s.caps)
    o += fmt::format("{:<11} ({}) = 0x{:016x} {}\n", set.key, set.status_key, set.mask, caps_text(set.mask));
}

void security_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Security */\n";
  o += fmt::format("no_new_privs = {}\n", or_unavail(s.no_new_privs, [](bool b) { return b ? "1" : "0"; }));
  o += fmt::format("seccomp = {}\n", or_unavail(s.seccomp, [](const SeccompInfo& i) { return seccomp_mode_name(i.mode); }));
  o += fmt::format("seccomp filters = {}\n", or_unavail(s.seccomp, [](const SeccompInfo& i) {
                     return i.filters ? fmt::format("{}", *i.filters) : std::string("unavailable (kernel has no Seccomp_filters field)");
                   }));
  if (!s.lsm) {
    o += fmt::format("LSM = {}\n", unavailable_text(s.lsm.error()));
    return;
  }
  if (s.lsm->module == "none") o += "LSM = none loaded (no security module labels processes)\n";
  else o += fmt::format("LSM = {}\nLSM label = {}\n", s.lsm->module, escape_text(s.lsm->label.value_or(""), true));
  if (!s.lsm->active.empty()) o += fmt::format("active LSMs = {}\n", fmt::join(s.lsm->active, ","));
}

std::string ns_compare(const Result<uint64_t>& mine, const Result<uint64_t>& other) {
  if (!other) return "?" + (other.error().err ? errno_name(other.error().err) : std::string("unknown"));
  if (!mine) return "?";
  return *mine == *other ? "same" : "differs";
}

void ns_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Namespaces */\n";
  o += fmt::format("{:<18}{:>12}  {:<9}{}\n", "type", "inode", "pid 1", "parent");
  const Error* pid1_err = nullptr;
  const Error* parent_err = nullptr;
  for (const auto& ns : s.namespaces) {
    std::string ino = ns.inode ? fmt::format("{}", *ns.inode) : "?" + errno_name(ns.inode.error().err);
    o += fmt::format("{:<18}{:>12}  {:<9}{}\n", ns.type, ino, ns_compare(ns.inode, ns.pid1_inode),
                     ns_compare(ns.inode, ns.parent_inode));
    if (!ns.pid1_inode && !pid1_err) pid1_err = &ns.pid1_inode.error();
    if (!ns.parent_inode && !parent_err) parent_err = &ns.parent_inode.error();
  }
  // One line for the first unreadable namespace: they normally fail together.
  size_t bad = 0;
  const Error* first_bad = nullptr;
  for (const auto& ns : s.namespaces)
    if (!ns.inode && bad++ == 0) first_bad = &ns.inode.error();
  if (first_bad)
    o += fmt::format("namespaces: {} of {} {}\n", bad, s.namespaces.size(), unavailable_text(*first_bad));
  if (pid1_err) o += fmt::format("pid 1 comparison: {}\n", unavailable_text(*pid1_err));
  if (parent_err) o += fmt::format("parent comparison: {}\n", unavailable_text(*parent_err));
}

void cgroup_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Cgroups */\n";
  if (!s.cgroups) {
    o += fmt::format("cgroups = {}\n", unavailable_text(s.cgroups.error()));
    return;
  }
  for (const auto& c : *s.cgroups) {
    if (c.v2()) o += fmt::format("cgroup v2 = {}\n", escape_text(c.path, false));
    else
      o += fmt::format("cgroup v1 {} ({}) = {}\n", fmt::join(c.controllers, ","), c.hierarchy, escape_text(c.path, false));
  }
}

void paths_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Paths */\n";
  auto path = [](const std::string& p) { return escape_text(p, false); };
  o += fmt::format("cwd = {}\n", or_unavail(s.cwd, path));
  o += fmt::format("root = {}\n", or_unavail(s.root, path));
  o += fmt::format("exe = {}\n", or_unavail(s.exe, [](const ExeInfo& e) {
                     std::string t = escape_text(e.path, false);
                     if (e.memfd) t += " [memfd: executable has no file on disk]";
                     else if (e.deleted) t += " [deleted: executable was unlinked after exec]";
                     return t;
                   }));
  o += fmt::format("cmdline = {}\n", or_unavail(s.cmdline, [](const std::vector<std::string>& argv) {
                     if (argv.empty()) return std::string("(empty: kernel thread or zombie)");
                     std::string t;
                     for (const auto& a : argv) {
                       if (!t.empty()) t.push_back(' ');
                       t += escape_text(a, true);
                     }
                     return t;
                   }));
  o += fmt::format("environment = {}\n", or_unavail(s.environ, [](const EnvSize& e) {
                     return fmt::format("{} variables, {} bytes", e.count, e.bytes);
                   }));
}

void fds_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* File descriptors */\n";
  auto lim = s.nofile_soft();
  o += fmt::format("open fds = {}\n", or_unavail(s.open_fds, [&](size_t n) {
                     if (!s.limits) return fmt::format("{} (RLIMIT_NOFILE unavailable)", n);
                     if (!lim) return fmt::format("{} of unlimited (RLIMIT_NOFILE soft)", n);
                     return fmt::format("{} of {} (RLIMIT_NOFILE soft, {:.1f}% used)", n, *lim,
                                        *lim ? 100.0 * static_cast<double>(n) / static_cast<double>(*lim) : 100.0);
                   }));
}

void chain_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* Parent chain */\n";
  for (const auto& e : s.chain.entries) o += fmt::format("{:>7} {}\n", e.pid, escape_text(e.comm, false));
  if (s.chain.stopped) o += fmt::format("chain ends: {}\n", unavailable_text(*s.chain.stopped));
}

void sysconf_section(std::string& o, const ProcessSnapshot& s) {
  o += "\n/* sysconf (system values; OPEN_MAX and CHILD_MAX are procan's own) */\n";
  for (const auto& v : s.sysconf)
    o += fmt::format("{:<26}= {}\n", "_SC_" + std::string(v.name), v.value ? fmt::format("{}", *v.value) : "indeterminate");
}

}  // namespace

std::string render_process_text(const ProcessSnapshot& s) {
  std::string o;
  ids_section(o, s);
  user_section(o, s);
  limits_section(o, s);
  build_lines(o);
  net_section(o, s);
  type_sizes_section(o);
  interfaces_section(o, s);
  process_section(o, s);
  creds_section(o, s);
  caps_section(o, s);
  security_section(o, s);
  ns_section(o, s);
  cgroup_section(o, s);
  paths_section(o, s);
  fds_section(o, s);
  chain_section(o, s);
  sysconf_section(o, s);
  return o;
}

std::string render_compile_time_text() {
  std::string o;
  build_lines(o);
  type_sizes_section(o);
  o += "\n";
  for (const auto& d : c_defines()) o += format_define(d) + "\n";
  return o;
}

}  // namespace fdscope
