// strace -yy style fd names for trace's output.  Files come from the
// /proc/PID/fd/N link (character and block devices get "<char M:m>" as
// strace 6 prints them), pipes and anonymous inodes keep the kernel's link
// text, and sockets are looked at through a pidfd_getfd duplicate:
// SO_DOMAIN/SO_TYPE pick the protocol word (TCP, TCPv6, UDP, UNIX-STREAM
// ...), getsockname/getpeername give the addresses.  Results are cached so a
// busy fd costs one hash lookup per event.
#include "fd_names.hpp"

#include <fmt/format.h>
#include <limits.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <dirent.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <vector>

#include "fdscope/sockaddr.hpp"

namespace fdscope::trace {

namespace {

std::string read_link(const std::string& path) {
  char buf[PATH_MAX];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

std::string_view proto_word(int family, int type) {
  switch (family) {
    case AF_INET:
      return type == SOCK_STREAM ? "TCP" : type == SOCK_DGRAM ? "UDP" : "RAW";
    case AF_INET6:
      return type == SOCK_STREAM ? "TCPv6" : type == SOCK_DGRAM ? "UDPv6" : "RAWv6";
    case AF_UNIX:
      return type == SOCK_STREAM ? "UNIX-STREAM" : type == SOCK_DGRAM ? "UNIX-DGRAM" : "UNIX-SEQPACKET";
    case AF_NETLINK:
      return "NETLINK";
    default:
      return {};
  }
}

}  // namespace

const FdInfo& FdNames::info(pid_t pid, int fd) {
  uint64_t k = key(pid, fd);
  auto it = names_.find(k);
  if (it != names_.end()) return it->second;
  FdInfo i = lookup(pid, fd);
  // An unknown fd of a live process is looked up again next time; one of a
  // dead process stays empty.
  return names_.emplace(k, std::move(i)).first->second;
}

void FdNames::forget(pid_t pid, int fd) { names_.erase(key(pid, fd)); }

bool FdNames::refresh(pid_t pid, int fd) {
  FdInfo i = lookup(pid, fd);
  uint64_t k = key(pid, fd);
  if (!i.name.empty()) {
    names_[k] = std::move(i);
    return true;
  }
  auto it = names_.find(k);
  return it != names_.end() && !it->second.name.empty();
}

void FdNames::duplicate(pid_t pid, int from, int to) {
  FdInfo copy = info(pid, from);
  names_[key(pid, to)] = std::move(copy);
}

void FdNames::remember(pid_t pid, int fd, std::string name) {
  FdInfo i;
  i.name = std::move(name);
  names_[key(pid, fd)] = std::move(i);
}

void FdNames::forget_process(pid_t pid) {
  for (auto it = names_.begin(); it != names_.end();) {
    if (static_cast<pid_t>(it->first >> 32) == pid)
      it = names_.erase(it);
    else
      ++it;
  }
  cwds_.erase(pid);
  pidfds_.erase(pid);
}

void FdNames::snapshot(pid_t pid) {
  std::string dir = fmt::format("/proc/{}/fd", pid);
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  std::vector<int> fds;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    fds.push_back(atoi(e->d_name));
  }
  closedir(d);
  for (int fd : fds) names_[key(pid, fd)] = lookup(pid, fd);
  cwd(pid);
}

void FdNames::exec_done(pid_t pid) {
  for (auto it = names_.begin(); it != names_.end();) {
    if (static_cast<pid_t>(it->first >> 32) == pid && it->second.cloexec)
      it = names_.erase(it);
    else
      ++it;
  }
}

void FdNames::copy_process(pid_t parent, pid_t child) {
  std::vector<std::pair<uint64_t, FdInfo>> copies;
  for (const auto& [k, v] : names_)
    if (static_cast<pid_t>(k >> 32) == parent)
      copies.emplace_back(key(child, static_cast<int>(k & 0xffffffffu)), v);
  for (auto& [k, v] : copies) names_[k] = std::move(v);
  auto it = cwds_.find(parent);
  if (it != cwds_.end()) cwds_[child] = it->second;
}

const std::string& FdNames::cwd(pid_t pid) {
  auto it = cwds_.find(pid);
  if (it != cwds_.end()) return it->second;
  return cwds_.emplace(pid, read_link(fmt::format("/proc/{}/cwd", pid))).first->second;
}

int FdNames::pidfd(pid_t pid) {
  auto it = pidfds_.find(pid);
  if (it != pidfds_.end()) return it->second.get();
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  return pidfds_.emplace(pid, UniqueFd(fd)).first->second.get();
}

FdInfo FdNames::lookup(pid_t pid, int fd) {
  FdInfo info;
  if (fd < 0) return info;
  std::string link = read_link(fmt::format("/proc/{}/fd/{}", pid, fd));
  if (link.empty()) return info;
  {
    // "flags:\t02100002": O_CLOEXEC is 02000000.
    FILE* f = fopen(fmt::format("/proc/{}/fdinfo/{}", pid, fd).c_str(), "re");
    if (f) {
      char line[128];
      while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "flags:", 6) == 0) {
          info.cloexec = (strtoul(line + 6, nullptr, 8) & 02000000) != 0;
          break;
        }
      }
      fclose(f);
    }
  }
  if (link.rfind("socket:[", 0) == 0 && link.back() == ']') {
    socket_info(pid, fd, std::string_view(link).substr(8, link.size() - 9), info);
    return info;
  }
  if (link[0] == '/') {
    struct stat st;
    if (stat(fmt::format("/proc/{}/fd/{}", pid, fd).c_str(), &st) == 0 &&
        (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
      info.name = fmt::format("{}<{} {}:{}>", link, S_ISCHR(st.st_mode) ? "char" : "block",
                              major(st.st_rdev), minor(st.st_rdev));
      return info;
    }
  }
  info.name = std::move(link);
  return info;
}

void FdNames::socket_info(pid_t pid, int fd, std::string_view inode, FdInfo& out) {
  out.name = socket_name(pid, fd, inode, out);
}


std::string FdNames::socket_name(pid_t pid, int fd, std::string_view inode, FdInfo& out) {
  std::string fallback = fmt::format("socket:[{}]", inode);
  int pfd = pidfd(pid);
  if (pfd < 0) return fallback;
  UniqueFd dup(static_cast<int>(syscall(SYS_pidfd_getfd, pfd, fd, 0)));
  if (!dup) return fallback;
  int family = 0, type = 0;
  socklen_t l = sizeof(int);
  if (getsockopt(dup.get(), SOL_SOCKET, SO_DOMAIN, &family, &l) != 0) return fallback;
  l = sizeof(int);
  if (getsockopt(dup.get(), SOL_SOCKET, SO_TYPE, &type, &l) != 0) return fallback;
  out.family = family;
  out.type = type;
  std::string_view word = proto_word(family, type);
  if (word.empty()) return fallback;
  auto local = local_address(dup.get());
  auto peer = peer_address(dup.get());
  if (local.ok()) out.local = *local;
  if (peer.ok()) out.peer = *peer;
  if (family == AF_UNIX) {
    std::string path;
    if (local.ok() && unix_addr_kind(local->get(), local->len) != UnixAddrKind::Unnamed)
      path = format_sockaddr(*local, AddrStyle::Plain);
    else if (peer.ok() && unix_addr_kind(peer->get(), peer->len) != UnixAddrKind::Unnamed)
      path = format_sockaddr(*peer, AddrStyle::Plain);
    if (!path.empty()) return fmt::format("{}:[{},\"{}\"]", word, inode, path);
    return fmt::format("{}:[{}]", word, inode);
  }
  if (family == AF_INET || family == AF_INET6) {
    bool bound = false;
    if (local.ok()) {
      const auto* sa = local->get();
      uint16_t port = family == AF_INET ? reinterpret_cast<const sockaddr_in*>(sa)->sin_port
                                        : reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port;
      bound = port != 0;
    }
    if (bound && peer.ok())
      return fmt::format("{}:[{}->{}]", word, format_sockaddr(*local), format_sockaddr(*peer));
    if (bound) return fmt::format("{}:[{}]", word, format_sockaddr(*local));
  }
  return fmt::format("{}:[{}]", word, inode);
}

}  // namespace fdscope::trace
