// Namespace links (see proc_ns.hpp).  The link text "type:[inode]" is parsed
// strictly; PID 1's and the parent's links are read by path under the same
// proc root (they are reference points, not the process being analysed).
#include "fdscope/proc_ns.hpp"

#include <fmt/format.h>

#include "fdscope/proc_text.hpp"

namespace fdscope {

namespace {
constexpr const char* kTypes[] = {"cgroup", "ipc",  "mnt",  "net",  "pid", "pid_for_children",
                                  "time",   "time_for_children", "user", "uts"};
}

std::span<const char* const> namespace_types() { return kTypes; }

Result<uint64_t> parse_ns_link(std::string_view link, std::string_view type) {
  // pid_for_children links read "pid:[...]", time_for_children "time:[...]".
  std::string_view base = type.substr(0, type.find("_for_children"));
  if (link.size() < base.size() + 3 || link.substr(0, base.size()) != base || link[base.size()] != ':' ||
      link[base.size() + 1] != '[' || link.back() != ']')
    return plain_error(fmt::format("unexpected namespace link \"{}\"", link));
  auto n = parse_u64(link.substr(base.size() + 2, link.size() - base.size() - 3));
  if (!n) return plain_error(fmt::format("unexpected namespace link \"{}\"", link));
  return *n;
}

namespace {
Result<uint64_t> inode_at(const std::string& path, const char* type) {
  auto l = read_link(path);
  if (!l) return l.take_error();
  auto n = parse_ns_link(*l, type);
  if (!n) return n.take_error().context(path);
  return n;
}
}  // namespace

std::vector<NamespaceEntry> read_namespaces(const ProcSource& src, pid_t parent_pid) {
  std::vector<NamespaceEntry> out;
  for (const char* type : kTypes) {
    NamespaceEntry e;
    e.type = type;
    std::string name = std::string("ns/") + type;
    auto l = src.readlink(name);
    if (l) {
      e.inode = parse_ns_link(*l, type);
    } else {
      Error err = l.take_error();
      if (err.err == ENOENT) err.what += " (namespace type not supported by this kernel)";
      e.inode = std::move(err);
    }
    e.pid1_inode = inode_at(fmt::format("{}/1/ns/{}", src.proc_root(), type), type);
    if (!e.pid1_inode && e.pid1_inode.error().err == EACCES) {
      Error err = e.pid1_inode.take_error();
      err.what += " (ptrace-protected: PID 1 holds capabilities or ids this reader lacks)";
      e.pid1_inode = std::move(err);
    }
    if (parent_pid > 0) e.parent_inode = inode_at(fmt::format("{}/{}/ns/{}", src.proc_root(), parent_pid, type), type);
    else e.parent_inode = plain_error("process has no parent in this pid namespace");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace fdscope
