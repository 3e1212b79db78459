// JSON renderer for procan (see proc_render_json.hpp).  Keys are written in a
// fixed order with JsonWriter, so output is byte-for-byte deterministic for a
// given process state.  Limits use null for "unlimited" inside a present row;
// unreadable fields are null at their key and explained under "unavailable".
#include "fdscope/proc_render_json.hpp"

#include <fmt/format.h>

#include "fdscope/json.hpp"
#include "fdscope/proc_build.hpp"
#include "fdscope/proc_text.hpp"
#include "fdscope/version.hpp"

namespace fdscope {

namespace {

template <typename T, typename F>
void field_or_null(JsonWriter& w, std::string_view key, const Result<T>& r, F&& f) {
  w.key(key);
  if (r) f(*r);
  else w.null();
}

void write_error(JsonWriter& w, const Error& e) {
  w.begin_object();
  w.key("errno");
  if (e.err) w.value(errno_name(e.err));
  else w.null();
  w.field("message", e.message());
  w.end_object();
}

void write_build(JsonWriter& w) {
  w.key("build").begin_object();
  w.field("compiler", compiler_description());
  for (const auto& c : build_constants()) {
    w.key(c.name);
    if (c.is_string) w.value(std::string_view(c.text).substr(1, c.text.size() - 2));
    else if (std::string_view(c.name) == "SIZE_MAX") w.value(static_cast<uint64_t>(SIZE_MAX));
    else w.value(c.number);
  }
  w.field("byte_order", std::string_view(byte_order()) == "little endian" ? "little" : "big");
  w.end_object();
  w.key("type_sizes").begin_object();
  for (const auto& t : type_sizes()) w.field(t.type, t.size);
  w.end_object();
}

void write_ids(JsonWriter& w, const ProcessSnapshot& s) {
  field_or_null(w, "ids", s.ids, [&](const ProcIds& ids) {
    w.begin_object();
    w.field("pid", s.pid);
    w.field("ppid", ids.stat.ppid);
    w.field("pgid", ids.stat.pgrp);
    w.field("sid", ids.stat.session);
    w.field("comm", ids.stat.comm);
    w.field("state", std::string(1, ids.stat.state));
    w.field("kernel_thread", is_kernel_thread(ids.stat));
    w.field("has_ctty", ids.has_ctty);
    w.key("tty");
    if (ids.tty_path) w.value(*ids.tty_path);
    else w.null();
    w.key("tty_dev");
    if (ids.has_ctty) w.value(fmt::format("{}:{}", tty_major(ids.stat.tty_nr), tty_minor(ids.stat.tty_nr)));
    else w.null();
    w.field("tpgid", ids.stat.tpgid);
    w.key("fg_pgid").begin_object();
    const char* names[] = {"stdin", "stdout", "stderr"};
    for (int fd = 0; fd < 3; ++fd) field_or_null(w, names[fd], ids.fg_pgid[fd], [&](pid_t p) { w.value(p); });
    w.end_object();
    w.end_object();
  });
}

void write_creds(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("credentials").begin_object();
  field_or_null(w, "uid", s.creds, [&](const Creds& c) {
    w.begin_object().field("real", c.uid.real).field("effective", c.uid.effective).field("saved", c.uid.saved).field("fs", c.uid.fs).end_object();
  });
  field_or_null(w, "gid", s.creds, [&](const Creds& c) {
    w.begin_object().field("real", c.gid.real).field("effective", c.gid.effective).field("saved", c.gid.saved).field("fs", c.gid.fs).end_object();
  });
  field_or_null(w, "groups", s.creds, [&](const Creds& c) {
    w.begin_array();
    for (auto g : c.groups) w.value(g);
    w.end_array();
  });
  field_or_null(w, "umask", s.umask, [&](unsigned m) { w.value(fmt::format("{:04o}", m)); });
  w.end_object();
}

void write_limits(JsonWriter& w, const ProcessSnapshot& s) {
  field_or_null(w, "limits", s.limits, [&](const std::vector<LimitValue>& ls) {
    w.begin_object();
    for (const auto& l : ls) {
      w.key(l.info->key).begin_object();
      w.field("resource", l.info->symbol);
      w.field("unit", l.info->unit);
      w.field("present", l.present);
      w.key("soft");
      if (l.present && l.soft) w.value(*l.soft);
      else w.null();
      w.key("hard");
      if (l.present && l.hard) w.value(*l.hard);
      else w.null();
      w.field("soft_unlimited", l.present && !l.soft);
      w.field("hard_unlimited", l.present && !l.hard);
      w.end_object();
    }
    w.end_object();
  });
}

void write_caps(JsonWriter& w, const ProcessSnapshot& s) {
  field_or_null(w, "capabilities", s.caps, [&](const CapSets& sets) {
    w.begin_object();
    for (const auto& set : sets) {
      w.key(set.key).begin_object();
      w.field("mask", fmt::format("0x{:016x}", set.mask));
      w.key("names").begin_array();
      for (const auto& n : decode_caps(set.mask)) w.value(n);
      w.end_array();
      w.end_object();
    }
    w.end_object();
  });
}

void write_security(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("security").begin_object();
  field_or_null(w, "no_new_privs", s.no_new_privs, [&](bool b) { w.value(b); });
  field_or_null(w, "seccomp", s.seccomp, [&](const SeccompInfo& i) { w.value(seccomp_mode_name(i.mode)); });
  field_or_null(w, "seccomp_filters", s.seccomp, [&](const SeccompInfo& i) {
    if (i.filters) w.value(*i.filters);
    else w.null();
  });
  field_or_null(w, "lsm", s.lsm, [&](const LsmInfo& l) {
    w.begin_object();
    w.field("module", l.module);
    w.key("label");
    if (l.label) w.value(*l.label);
    else w.null();
    w.key("active").begin_array();
    for (const auto& a : l.active) w.value(a);
    w.end_array();
    w.end_object();
  });
  w.end_object();
}

void write_compare(JsonWriter& w, const char* key, const Result<uint64_t>& mine, const Result<uint64_t>& other) {
  w.key(key);
  if (mine && other) w.value(*mine != *other);
  else w.null();
}

void write_namespaces(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("namespaces").begin_object();
  for (const auto& ns : s.namespaces) {
    w.key(ns.type).begin_object();
    field_or_null(w, "inode", ns.inode, [&](uint64_t i) { w.value(i); });
    field_or_null(w, "pid1_inode", ns.pid1_inode, [&](uint64_t i) { w.value(i); });
    write_compare(w, "differs_from_pid1", ns.inode, ns.pid1_inode);
    field_or_null(w, "parent_inode", ns.parent_inode, [&](uint64_t i) { w.value(i); });
    write_compare(w, "differs_from_parent", ns.inode, ns.parent_inode);
    w.key("pid1_error");
    if (ns.pid1_inode) w.null();
    else write_error(w, ns.pid1_inode.error());
    w.end_object();
  }
  w.end_object();
}

void write_cgroups(JsonWriter& w, const ProcessSnapshot& s) {
  field_or_null(w, "cgroups", s.cgroups, [&](const std::vector<CgroupEntry>& cs) {
    w.begin_array();
    for (const auto& c : cs) {
      w.begin_object();
      w.field("version", c.v2() ? 2 : 1);
      w.field("hierarchy", c.hierarchy);
      w.key("controllers").begin_array();
      for (const auto& n : c.controllers) w.value(n);
      w.end_array();
      w.field("path", c.path);
      w.end_object();
    }
    w.end_array();
  });
}

void write_paths(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("paths").begin_object();
  field_or_null(w, "cwd", s.cwd, [&](const std::string& p) { w.value(p); });
  field_or_null(w, "root", s.root, [&](const std::string& p) { w.value(p); });
  field_or_null(w, "exe", s.exe, [&](const ExeInfo& e) { w.value(e.path); });
  field_or_null(w, "exe_deleted", s.exe, [&](const ExeInfo& e) { w.value(e.deleted); });
  field_or_null(w, "exe_memfd", s.exe, [&](const ExeInfo& e) { w.value(e.memfd); });
  field_or_null(w, "cmdline", s.cmdline, [&](const std::vector<std::string>& argv) {
    w.begin_array();
    for (const auto& a : argv) w.value(a);
    w.end_array();
  });
  field_or_null(w, "environ_count", s.environ, [&](const EnvSize& e) { w.value(e.count); });
  field_or_null(w, "environ_bytes", s.environ, [&](const EnvSize& e) { w.value(e.bytes); });
  w.end_object();
}

void write_fds(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("fds").begin_object();
  field_or_null(w, "open", s.open_fds, [&](size_t n) { w.value(n); });
  auto lim = s.nofile_soft();
  w.key("nofile_soft");
  if (lim) w.value(*lim);
  else w.null();
  w.end_object();
}

void write_chain(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("parent_chain").begin_array();
  for (const auto& e : s.chain.entries) {
    w.begin_object().field("pid", e.pid).field("ppid", e.ppid).field("comm", e.comm).end_object();
  }
  w.end_array();
  w.key("parent_chain_stopped");
  if (s.chain.stopped) write_error(w, *s.chain.stopped);
  else w.null();
}

void write_interfaces(JsonWriter& w, const ProcessSnapshot& s) {
  field_or_null(w, "interfaces", s.interfaces, [&](const std::vector<NetInterface>& ifs) {
    w.begin_array();
    for (const auto& i : ifs) w.begin_object().field("index", i.index).field("name", i.name).end_object();
    w.end_array();
  });
  field_or_null(w, "vsock_cid", s.vsock_cid, [&](uint32_t c) { w.value(c); });
}

void write_sysconf(JsonWriter& w, const ProcessSnapshot& s) {
  w.key("sysconf").begin_object();
  for (const auto& v : s.sysconf) {
    w.key(v.name);
    if (v.value) w.value(*v.value);
    else w.null();
  }
  w.end_object();
}

}  // namespace

std::string render_process_json(const ProcessSnapshot& s, bool pretty) {
  std::string out;
  JsonWriter w(out, pretty);
  auto unavailable = s.unavailable();
  w.begin_object();
  w.field("procan_version", kVersion);
  w.field("pid", s.pid);
  w.field("self", s.self);
  w.field("complete", unavailable.empty());
  write_ids(w, s);
  write_creds(w, s);
  write_limits(w, s);
  write_caps(w, s);
  write_security(w, s);
  write_namespaces(w, s);
  write_cgroups(w, s);
  write_paths(w, s);
  write_fds(w, s);
  write_chain(w, s);
  write_interfaces(w, s);
  write_sysconf(w, s);
  write_build(w);
  w.key("unavailable").begin_object();
  for (const auto& [k, e] : unavailable) {
    w.key(k);
    write_error(w, e);
  }
  w.end_object();
  w.end_object();
  return out;
}

std::string render_compile_time_json(bool pretty) {
  std::string out;
  JsonWriter w(out, pretty);
  w.begin_object();
  w.field("procan_version", kVersion);
  write_build(w);
  w.key("defines").begin_object();
  for (const auto& d : c_defines()) w.field(d.name, d.value);
  w.end_object();
  w.end_object();
  return out;
}

}  // namespace fdscope
