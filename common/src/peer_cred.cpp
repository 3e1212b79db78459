// Peer credentials of a UNIX socket: SO_PEERCRED, SO_PEERGROUPS, SO_PEERSEC
// and the race-free process identity through SO_PEERPIDFD.  The pidfd pins
// the peer process: we read its pid from /proc/self/fdinfo/<pidfd>, read
// /proc/<pid>/exe and cmdline, then read the pidfd's pid again; only if the
// process is still alive with the same pid do the /proc facts belong to the
// peer (a pid can be reused only after the process is gone, and the pidfd
// reports its death as "Pid: -1").  filan shows these facts, relay's peer
// authorization decides on them.
#include "fdscope/peer_cred.hpp"

#include <limits.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstring>

#include "fdscope/io.hpp"

namespace fdscope {
namespace {

constexpr int kSoPeerSec = 31;
constexpr int kSoPeerGroups = 59;

std::string readlink_str(const std::string& path) {
  char buf[PATH_MAX + 1];
  ssize_t n = ::readlink(path.c_str(), buf, PATH_MAX);
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

std::vector<std::string> split_nul(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\0', start);
    if (end == std::string::npos) end = s.size();
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<PeerCred> read_peer_cred(int fd) {
  struct {
    int32_t pid;
    uint32_t uid, gid;
  } uc{};
  socklen_t len = sizeof uc;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
    return sys_error(fmt::format("getsockopt(fd {}, SO_PEERCRED)", fd));
  if (len < sizeof uc) return plain_error(fmt::format("getsockopt(fd {}, SO_PEERCRED): short answer", fd));
  return PeerCred{uc.pid, uc.uid, uc.gid};
}

Result<std::vector<gid_t>> read_peer_groups(int fd) {
  std::vector<gid_t> groups(64);
  for (int attempt = 0; attempt < 2; ++attempt) {
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, kSoPeerGroups, groups.data(), &len) == 0) {
      groups.resize(len / sizeof(gid_t));
      return groups;
    }
    if (errno == ERANGE && attempt == 0 && len > groups.size() * sizeof(gid_t)) {
      groups.resize(len / sizeof(gid_t));
      continue;
    }
    break;
  }
  return sys_error(fmt::format("getsockopt(fd {}, SO_PEERGROUPS)", fd));
}

Result<std::string> read_peer_security(int fd) {
  std::string label(256, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    socklen_t len = static_cast<socklen_t>(label.size());
    if (::getsockopt(fd, SOL_SOCKET, kSoPeerSec, label.data(), &len) == 0) {
      label.resize(len);
      while (!label.empty() && label.back() == '\0') label.pop_back();
      return label;
    }
    if (errno == ERANGE && attempt == 0 && len > label.size()) {
      label.resize(len);
      continue;
    }
    break;
  }
  return sys_error(fmt::format("getsockopt(fd {}, SO_PEERSEC)", fd));
}

Result<UniqueFd> open_peer_pidfd(int fd) {
  int pidfd = -1;
  socklen_t len = sizeof pidfd;
  if (::getsockopt(fd, SOL_SOCKET, kSoPeerPidfd, &pidfd, &len) < 0)
    return sys_error(fmt::format("getsockopt(fd {}, SO_PEERPIDFD)", fd));
  return UniqueFd(pidfd);
}

Result<pid_t> pidfd_pid(int pidfd) {
  auto text = read_file(fmt::format("/proc/self/fdinfo/{}", pidfd));
  if (!text) return text.take_error();
  const std::string& s = *text;
  size_t pos = s.find("\nPid:");
  if (pos == std::string::npos) {
    if (s.rfind("Pid:", 0) != 0) return plain_error(fmt::format("fd {} is not a pidfd (no Pid: in fdinfo)", pidfd));
    pos = 0;
  } else {
    pos += 1;
  }
  pos += 4;
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  bool neg = pos < s.size() && s[pos] == '-';
  if (neg) ++pos;
  long v = 0;
  bool digits = false;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    v = v * 10 + (s[pos] - '0');
    digits = true;
    ++pos;
  }
  if (!digits) return plain_error(fmt::format("pidfd {}: unreadable Pid: line", pidfd));
  return static_cast<pid_t>(neg ? -v : v);
}

Result<PidfdProcess> pidfd_process(int pidfd, const std::string& proc_root) {
  auto before = pidfd_pid(pidfd);
  if (!before) return before.take_error();
  PidfdProcess p;
  p.pid = *before;
  if (p.pid <= 0) return p;  // exited (-1) or not visible in our pid namespace (0)
  std::string base = fmt::format("{}/{}", proc_root, p.pid);
  std::string exe = readlink_str(base + "/exe");
  std::vector<std::string> cmdline;
  if (auto c = read_file(base + "/cmdline")) cmdline = split_nul(*c);
  auto after = pidfd_pid(pidfd);
  if (!after) return after.take_error();
  if (*after != p.pid) return p;  // died while we read: the facts may be another process's
  p.alive = true;
  p.exe = std::move(exe);
  p.cmdline = std::move(cmdline);
  return p;
}

PeerInfo read_peer_info(int fd) {
  PeerInfo info;
  if (auto c = read_peer_cred(fd); c.ok() && c->pid > 0) info.cred = *c;
  if (auto g = read_peer_groups(fd)) info.groups = std::move(*g);
  if (auto s = read_peer_security(fd)) info.security = std::move(*s);
  if (auto pidfd = open_peer_pidfd(fd)) {
    if (auto p = pidfd_process(pidfd->get())) info.process = std::move(*p);
  }
  return info;
}

std::string peer_info_text(const PeerInfo& p) {
  std::string out;
  auto add = [&](const std::string& s) {
    if (!out.empty()) out.push_back(' ');
    out += s;
  };
  if (p.cred) add(fmt::format("pid={} uid={} gid={}", p.cred->pid, p.cred->uid, p.cred->gid));
  if (p.groups && !p.groups->empty()) {
    std::string g;
    for (gid_t x : *p.groups) g += (g.empty() ? "" : ",") + std::to_string(x);
    add("groups=" + g);
  }
  if (p.security) add("security=" + *p.security);
  if (p.process) {
    if (!p.process->alive) {
      add("exited");
    } else {
      if (!p.process->exe.empty()) add("exe=" + p.process->exe);
      if (!p.process->cmdline.empty()) {
        std::string c;
        for (const auto& a : p.process->cmdline) c += (c.empty() ? "" : " ") + a;
        add("cmd=\"" + c + "\"");
      }
    }
  }
  return out;
}

void peer_info_json(JsonWriter& w, const PeerInfo& p) {
  w.begin_object();
  if (p.cred) {
    w.field("pid", p.cred->pid).field("uid", p.cred->uid).field("gid", p.cred->gid);
  }
  if (p.groups) {
    w.key("groups").begin_array();
    for (gid_t g : *p.groups) w.value(g);
    w.end_array();
  }
  if (p.security) w.field("security", *p.security);
  if (p.process) {
    w.field("pidfd_pid", p.process->pid);
    w.field("alive", p.process->alive);
    if (p.process->alive) {
      w.field("exe", p.process->exe);
      w.key("cmdline").begin_array();
      for (const auto& a : p.process->cmdline) w.value(a);
      w.end_array();
    }
  }
  w.end_object();
}

}  // namespace fdscope
