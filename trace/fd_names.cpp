// strace -yy style fd names for trace's output, tracked from the calls.
// Each call that makes an fd names it from what the call itself says: the
// path it opened (made absolute against the directory fd or the cwd, which
// chdir/fchdir keep current), the family and type it created, the address it
// bound, connected or accepted from, the pipe or socketpair it made, the fd
// it duplicated, the anonymous inode kind it returns.  While the process
// lives, /proc/PID/fd/N and a pidfd_getfd duplicate refine that name (the
// kernel's own path, a device's numbers, the socket inode, addresses the
// kernel chose), but only when they still show the same object: the same
// file (st_dev/st_ino of the opened path), the same socket inode, or a socket
// of the family and type the call created.  A process that has exited or
// reused the number keeps the name the call gave.  Results are cached so a
// busy fd costs one hash lookup per event.
#include "fd_names.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fmt/format.h>
#include <limits.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fdscope/sock_diag.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope::trace {

namespace {

constexpr int kAtFdcwd = -100;
constexpr uint64_t kOCloexec = 02000000;

std::string read_link(const std::string& path) {
  char buf[PATH_MAX];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

// "socket:[123]" / "pipe:[123]" -> 123 (0 otherwise).
uint64_t link_inode(std::string_view link, std::string_view prefix) {
  if (link.substr(0, prefix.size()) != prefix || link.back() != ']') return 0;
  return strtoull(std::string(link.substr(prefix.size())).c_str(), nullptr, 10);
}

// "/a/./b/../c" -> "/a/c" without touching the file system.
std::string normalize(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view p = path.substr(i, j - i);
    if (p == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!p.empty() && p != ".") {
      parts.push_back(p);
    }
    i = j + 1;
  }
  std::string out;
  for (auto p : parts) {
    out.push_back('/');
    out.append(p);
  }
  return out.empty() ? "/" : out;
}

// Paths whose meaning depends on the process that opens them: resolving
// them here would describe the tracer.
bool self_relative(std::string_view p) {
  return p.starts_with("/proc/self") || p.starts_with("/proc/thread-self") ||
         p.starts_with("/dev/fd/") || p == "/dev/stdin" || p == "/dev/stdout" ||
         p == "/dev/stderr";
}

// "/dev/null" -> "/dev/null<char 1:3>" as strace 6 prints devices.
std::string with_device(std::string name, const struct stat& st) {
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
    name += fmt::format("<{} {}:{}>", S_ISCHR(st.st_mode) ? "char" : "block", major(st.st_rdev),
                        minor(st.st_rdev));
  return name;
}

bool inet_bound(const SockAddr& a) {
  if (a.len < sizeof(sa_family_t)) return false;
  if (a.family() == AF_INET) return reinterpret_cast<const sockaddr_in*>(a.get())->sin_port != 0;
  if (a.family() == AF_INET6) return reinterpret_cast<const sockaddr_in6*>(a.get())->sin6_port != 0;
  return false;
}

bool inet_wildcard(const SockAddr& a) {
  if (a.family() == AF_INET)
    return reinterpret_cast<const sockaddr_in*>(a.get())->sin_addr.s_addr == htonl(INADDR_ANY);
  if (a.family() == AF_INET6)
    return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6*>(a.get())->sin6_addr);
  return false;
}

SockAddr captured_addr(const CapturedArg& c) {
  if (!c.present || c.bytes.size() < sizeof(sa_family_t) || c.bytes.size() > sizeof(sockaddr_storage))
    return {};
  return SockAddr::from(reinterpret_cast<const sockaddr*>(c.bytes.data()),
                        static_cast<socklen_t>(c.bytes.size()));
}

bool same_addr(const SockAddr& a, const SockAddr& b) {
  return a.len == b.len && std::memcmp(&a.storage, &b.storage, a.len) == 0;
}

// What a call does to the fd table, by syscall number.
enum class Action : uint8_t {
  kNone, kOpen, kOpenat, kCreat, kSocket, kSocketpair, kAccept, kAccept4, kBind, kConnect,
  kRecheck, kPipe, kPipe2, kDup, kDup2, kDup3, kFcntl, kClose, kCloseRange, kExec, kChdir,
  kFchdir, kAnon, kMemfd, kOtherFd, kGetsockname, kGetpeername,
};

// Where an fd-making call takes its close-on-exec request.
constexpr int8_t kNoCloexec = -2, kAlwaysCloexec = -1;

struct ActionRow {
  std::string_view call;
  Action action;
  std::string_view anon = {};       // kAnon: the kernel's link text
  int8_t cloexec_arg = kNoCloexec;  // kAnon: argument holding the flag
  uint32_t cloexec_bit = kOCloexec;
};

constexpr ActionRow kActions[] = {
    {"open", Action::kOpen},           {"openat", Action::kOpenat},
    {"openat2", Action::kOpenat},      {"creat", Action::kCreat},
    {"socket", Action::kSocket},       {"socketpair", Action::kSocketpair},
    {"accept", Action::kAccept},       {"accept4", Action::kAccept4},
    {"bind", Action::kBind},           {"connect", Action::kConnect},
    {"listen", Action::kRecheck},      {"shutdown", Action::kRecheck},
    {"pipe", Action::kPipe},           {"pipe2", Action::kPipe2},
    {"dup", Action::kDup},             {"dup2", Action::kDup2},
    {"dup3", Action::kDup3},           {"fcntl", Action::kFcntl},
    {"close", Action::kClose},         {"close_range", Action::kCloseRange},
    {"execve", Action::kExec},         {"execveat", Action::kExec},
    {"chdir", Action::kChdir},         {"fchdir", Action::kFchdir},
    {"getsockname", Action::kGetsockname}, {"getpeername", Action::kGetpeername},
    {"memfd_create", Action::kMemfd},
    {"eventfd", Action::kAnon, "anon_inode:[eventfd]"},
    {"eventfd2", Action::kAnon, "anon_inode:[eventfd]", 1},
    {"epoll_create", Action::kAnon, "anon_inode:[eventpoll]"},
    {"epoll_create1", Action::kAnon, "anon_inode:[eventpoll]", 0},
    {"timerfd_create", Action::kAnon, "anon_inode:[timerfd]", 1},
    {"signalfd", Action::kAnon, "anon_inode:[signalfd]"},
    {"signalfd4", Action::kAnon, "anon_inode:[signalfd]", 3},
    {"inotify_init", Action::kAnon, "anon_inode:inotify"},
    {"inotify_init1", Action::kAnon, "anon_inode:inotify", 0},
    {"fanotify_init", Action::kAnon, "anon_inode:[fanotify]", 0, 1 /* FAN_CLOEXEC */},
    {"pidfd_open", Action::kAnon, "anon_inode:[pidfd]", kAlwaysCloexec},
    {"userfaultfd", Action::kAnon, "anon_inode:[userfaultfd]", 0},
    {"io_uring_setup", Action::kAnon, "anon_inode:[io_uring]", kAlwaysCloexec},
    {"perf_event_open", Action::kAnon, "anon_inode:[perf_event]", 4, 8 /* PERF_FLAG_FD_CLOEXEC */},
};

struct ActionTable {
  std::array<Action, kSyscallSetSize> action{};
  std::array<const ActionRow*, kSyscallSetSize> row{};
  ActionTable() {
    for (const SyscallInfo& s : all_syscalls())
      if (s.number >= 0 && s.number < kSyscallSetSize && s.ret == RetKind::kFd)
        action[static_cast<size_t>(s.number)] = Action::kOtherFd;
    for (const auto& r : kActions) {
      const SyscallInfo* s = syscall_by_name(r.call);
      if (!s || s->number < 0 || s->number >= kSyscallSetSize) continue;
      action[static_cast<size_t>(s->number)] = r.action;
      row[static_cast<size_t>(s->number)] = &r;
    }
  }
};

const ActionTable& actions() {
  static const ActionTable t;
  return t;
}

Action action_of(int nr) {
  return nr >= 0 && nr < kSyscallSetSize ? actions().action[static_cast<size_t>(nr)] : Action::kNone;
}

bool failed(const SyscallRecord& rec) { return !rec.has_ret || rec.ret < 0; }

}  // namespace

std::string_view socket_proto_name(int family, int type) {
  type &= 0xf;
  if (type == 0) return {};  // not known
  switch (family) {
    case AF_INET:
      return type == SOCK_STREAM ? "TCP" : type == SOCK_DGRAM ? "UDP" : "RAW";
    case AF_INET6:
      return type == SOCK_STREAM ? "TCPv6" : type == SOCK_DGRAM ? "UDPv6" : "RAWv6";
    case AF_UNIX:
      // The kernel's proto names: dgram and seqpacket sockets share "UNIX".
      return type == SOCK_STREAM ? "UNIX-STREAM" : "UNIX";
    case AF_NETLINK:
      return "NETLINK";
    case AF_PACKET:
      return "PACKET";
    default:
      return {};
  }
}

std::string socket_fd_name(const FdInfo& i) {
  std::string word = i.proto.empty() ? std::string(socket_proto_name(i.family, i.type)) : i.proto;
  if (word.empty()) {
    // Type unknown (the socket was made before tracing, or by a call the
    // filter left out, and is gone): the kernel's generic word.
    if (!i.inode && i.local.empty() && i.peer.empty()) return {};
    word = "socket";
  }
  if (i.family == AF_UNIX) {
    std::string path;
    if (i.local.len > sizeof(sa_family_t) &&
        unix_addr_kind(i.local.get(), i.local.len) != UnixAddrKind::Unnamed)
      path = format_sockaddr(i.local, AddrStyle::Plain);
    if (!i.inode && !i.peer_inode && path.empty()) return word;
    std::string out = fmt::format("{}:[{}", word, i.inode ? std::to_string(i.inode) : "?");
    if (i.peer_inode) out += fmt::format("->{}", i.peer_inode);
    if (!path.empty()) out += fmt::format(",\"{}\"", path);
    out += ']';
    return out;
  }
  if (i.family == AF_INET || i.family == AF_INET6) {
    const bool bound = inet_bound(i.local);
    const bool connected = inet_bound(i.peer);
    if (connected)
      return fmt::format("{}:[{}->{}]", word, bound ? format_sockaddr(i.local) : "?",
                         format_sockaddr(i.peer));
    if (bound) return fmt::format("{}:[{}]", word, format_sockaddr(i.local));
  }
  return i.inode ? fmt::format("{}:[{}]", word, i.inode) : word;
}

FdInfo* FdNames::cached(pid_t pid, int fd) {
  auto it = names_.find(key(pid, fd));
  return it == names_.end() ? nullptr : &it->second;
}

const FdInfo& FdNames::info(pid_t pid, int fd) {
  uint64_t k = key(pid, fd);
  auto it = names_.find(k);
  if (it != names_.end()) return it->second;
  // Not created in the trace (open at attach): what /proc says; nothing
  // for a process that is gone.
  return names_.emplace(k, lookup(pid, fd)).first->second;
}

// A closed fd is kept as an empty entry: until a call names the number
// again it prints bare (as strace shows a closed fd), never as whatever /proc
// shows under that number later.
void FdNames::forget(pid_t pid, int fd) { names_[key(pid, fd)] = FdInfo{}; }

void FdNames::copied(pid_t pid, int from, int to, bool cloexec) {
  if (!pending_.name.empty() && pending_pid_ == pid && pending_fd_ == to) {
    pending_.cloexec = cloexec;
    store(pid, to, std::move(pending_));
    pending_ = FdInfo{};
    return;
  }
  duplicate(pid, from, to, cloexec);
}

void FdNames::duplicate(pid_t pid, int from, int to, bool cloexec) {
  FdInfo copy = info(pid, from);
  copy.cloexec = cloexec;
  store(pid, to, std::move(copy));
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
  for (int fd : fds) store(pid, fd, lookup(pid, fd));
  cwd(pid);
}

void FdNames::exec_done(pid_t pid) {
  for (auto it = names_.begin(); it != names_.end();) {
    if (static_cast<pid_t>(it->first >> 32) == pid && it->second.cloexec) it->second = FdInfo{};
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
  const std::string proc = fmt::format("/proc/{}/fd/{}", pid, fd);
  std::string link = read_link(proc);
  if (link.empty()) return info;
  {
    // "flags:\t02100002": O_CLOEXEC is 02000000.
    FILE* f = fopen(fmt::format("/proc/{}/fdinfo/{}", pid, fd).c_str(), "re");
    if (f) {
      char line[128];
      while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "flags:", 6) == 0) {
          info.cloexec = (strtoul(line + 6, nullptr, 8) & kOCloexec) != 0;
          break;
        }
      }
      fclose(f);
    }
  }
  if (uint64_t ino = link_inode(link, "socket:[")) {
    info.inode = ino;
    socket_facts(pid, fd, info);
    info.name = socket_fd_name(info);
    return info;
  }
  info.inode = link_inode(link, "pipe:[");
  if (link[0] == '/') {
    struct stat st;
    if (stat(proc.c_str(), &st) == 0) link = with_device(std::move(link), st);
  }
  info.name = std::move(link);
  return info;
}

void FdNames::socket_facts(pid_t pid, int fd, FdInfo& out) {
  int pfd = pidfd(pid);
  if (pfd < 0) return;
  UniqueFd dup(static_cast<int>(syscall(SYS_pidfd_getfd, pfd, fd, 0)));
  if (!dup) return;
  int family = 0, type = 0;
  socklen_t l = sizeof(int);
  if (getsockopt(dup.get(), SOL_SOCKET, SO_DOMAIN, &family, &l) != 0) return;
  l = sizeof(int);
  if (getsockopt(dup.get(), SOL_SOCKET, SO_TYPE, &type, &l) != 0) return;
  out.family = family;
  out.type = type;
  // The kernel's protocol name, as strace prints it ("UNIX" for datagrams,
  // "UDP-Lite", "PING" ...).
  char proto[32];
  ssize_t n = fgetxattr(dup.get(), "system.sockprotoname", proto, sizeof(proto) - 1);
  if (n > 0) out.proto.assign(proto, static_cast<size_t>(n) - (proto[n - 1] == '\0' ? 1 : 0));
  auto local = local_address(dup.get());
  auto peer = peer_address(dup.get());
  if (local.ok()) out.local = *local;
  if (peer.ok()) out.peer = *peer;
  if (family == AF_UNIX && out.inode) {
    auto diag = query_unix_socket(out.inode);
    if (diag.ok() && diag->peer_inode) out.peer_inode = *diag->peer_inode;
  }
}

std::string FdNames::absolute(pid_t pid, int dirfd, std::string_view path) {
  if (!path.empty() && path[0] == '/') return normalize(path);
  std::string base;
  if (dirfd == kAtFdcwd) {
    base = cwd(pid);
  } else if (const FdInfo* d = cached(pid, dirfd); d && !d->name.empty() && d->name[0] == '/') {
    base = d->name;
  } else {
    base = info(pid, dirfd).name;
  }
  if (base.empty() || base[0] != '/') return std::string(path);  // unknown base: as given
  return normalize(base + "/" + std::string(path));
}

void FdNames::opened_path(const SyscallRecord& rec, int dirfd, std::string_view path, bool cloexec) {
  const pid_t pid = rec.pid;
  const int fd = static_cast<int>(rec.ret);
  const std::string abs = absolute(pid, dirfd, path);
  // A path this side can resolve (not relative to an unknown directory, not
  // /proc/self or /dev/stdin, which would describe the tracer).
  const bool resolvable = !abs.empty() && abs[0] == '/' && !self_relative(abs);
  // While the process lives, /proc names the same file when it is the same
  // inode (the fd may already be another file: a later open reused it).
  FdInfo now = lookup(pid, fd);
  if (!now.name.empty()) {
    struct stat theirs {}, mine {};
    const bool same = !resolvable ||
                      (now.name[0] == '/' &&
                       stat(fmt::format("/proc/{}/fd/{}", pid, fd).c_str(), &theirs) == 0 &&
                       stat(abs.c_str(), &mine) == 0 && theirs.st_dev == mine.st_dev &&
                       theirs.st_ino == mine.st_ino);
    if (same) {
      now.cloexec = cloexec;
      store(pid, fd, std::move(now));
      return;
    }
  }
  // From the call alone: the path with its symlinks resolved here, as the
  // kernel's link would show it.
  FdInfo from_call;
  from_call.cloexec = cloexec;
  from_call.name = abs;
  if (resolvable) {
    char real[PATH_MAX];
    if (realpath(abs.c_str(), real)) from_call.name = real;
    struct stat st {};
    if (stat(from_call.name.c_str(), &st) == 0) from_call.name = with_device(from_call.name, st);
  }
  store(pid, fd, std::move(from_call));
}

void FdNames::new_socket(pid_t pid, int fd, int family, int type, bool cloexec) {
  FdInfo now = lookup(pid, fd);
  if (now.inode && now.family == family && (now.type & 0xf) == (type & 0xf)) {
    now.cloexec = cloexec;
    store(pid, fd, std::move(now));
    return;
  }
  FdInfo i;
  i.family = family;
  i.type = type & 0xf;
  i.cloexec = cloexec;
  i.name = socket_fd_name(i);
  store(pid, fd, std::move(i));
}

void FdNames::accepted(const SyscallRecord& rec, bool cloexec) {
  const pid_t pid = rec.pid;
  const int fd = static_cast<int>(rec.ret);
  const FdInfo listener = info(pid, static_cast<int>(rec.args[0]));
  const SockAddr peer = captured_addr(rec.data[1]);
  FdInfo now = lookup(pid, fd);
  const bool same = now.inode && (listener.family == 0 || now.family == listener.family) &&
                    (peer.empty() || now.family == AF_UNIX || same_addr(now.peer, peer));
  if (same) {
    now.cloexec = cloexec;
    resolve_client(now.local, now.peer);
    store(pid, fd, std::move(now));
    return;
  }
  FdInfo i;
  i.family = listener.family ? listener.family : peer.family();
  i.type = listener.type ? listener.type : SOCK_STREAM;
  i.proto = listener.proto;
  i.cloexec = cloexec;
  i.peer = peer;
  // An accepted TCP socket has the listener's address unless the listener
  // took any address; a UNIX one has the listener's path.
  if (!inet_wildcard(listener.local)) i.local = listener.local;
  resolve_client(i.local, i.peer);
  i.name = socket_fd_name(i);
  store(pid, fd, std::move(i));
}

void FdNames::resolve_client(const SockAddr& server, const SockAddr& client) {
  if (unknown_local_.empty() || !inet_bound(server) || !inet_bound(client)) return;
  // The one traced client connected to this server address whose own
  // address is unknown is the accepted peer.
  FdInfo* match = nullptr;
  size_t at = 0, found = 0;
  for (size_t k = 0; k < unknown_local_.size(); ++k) {
    auto it = names_.find(unknown_local_[k]);
    if (it == names_.end() || inet_bound(it->second.local)) continue;
    if (same_addr(it->second.peer, server)) {
      match = &it->second;
      at = k;
      ++found;
    }
  }
  if (found != 1) return;
  match->local = client;
  match->name = socket_fd_name(*match);
  unknown_local_.erase(unknown_local_.begin() + static_cast<std::ptrdiff_t>(at));
}

void FdNames::recheck_socket(pid_t pid, int fd) {
  FdInfo* mine = cached(pid, fd);
  FdInfo now = lookup(pid, fd);
  // Same socket (inode) or one we could not identify but of the same kind.
  if (now.inode && (!mine || mine->name.empty() || mine->inode == now.inode ||
                    (mine->inode == 0 && mine->family == now.family &&
                     (mine->type & 0xf) == (now.type & 0xf)))) {
    if (mine) now.cloexec = mine->cloexec;
    store(pid, fd, std::move(now));
  }
}

void FdNames::readdressed(const SyscallRecord& rec, bool local) {
  const pid_t pid = rec.pid;
  const int fd = static_cast<int>(rec.args[0]);
  recheck_socket(pid, fd);
  FdInfo& i = names_[key(pid, fd)];
  const SockAddr a = captured_addr(rec.data[1]);
  if (a.empty() || (i.family && a.family() != i.family)) return;
  // What the call set, where /proc did not already say better.
  if (local) {
    if (i.family == AF_UNIX || !inet_bound(i.local)) i.local = a;
  } else if (i.peer.empty() || (i.family != AF_UNIX && !inet_bound(i.peer))) {
    i.peer = a;
  }
  i.family = a.family();
  i.name = socket_fd_name(i);
  if (!local && inet_bound(i.peer) && !inet_bound(i.local)) {
    // Remember it (a bounded list: old entries are dropped) for the
    // server's accept() to name.
    if (unknown_local_.size() >= 256) unknown_local_.erase(unknown_local_.begin());
    unknown_local_.push_back(key(rec.pid, fd));
  }
}

void FdNames::new_pipe(pid_t pid, const SyscallRecord& rec, int arg, bool cloexec) {
  const CapturedArg& c = rec.data[static_cast<size_t>(arg)];
  if (!c.present || c.bytes.size() < 8) return;
  int fds[2];
  std::memcpy(fds, c.bytes.data(), sizeof fds);
  FdInfo a = lookup(pid, fds[0]), b = lookup(pid, fds[1]);
  const bool ok = a.inode && a.inode == b.inode;
  for (int k = 0; k < 2; k++) {
    FdInfo i = ok ? (k ? b : a) : FdInfo{};
    if (!ok) i.name = "pipe";
    i.cloexec = cloexec;
    store(pid, fds[k], std::move(i));
  }
}

void FdNames::new_socketpair(const SyscallRecord& rec) {
  const pid_t pid = rec.pid;
  const CapturedArg& c = rec.data[3];
  if (!c.present || c.bytes.size() < 8) return;
  int fds[2];
  std::memcpy(fds, c.bytes.data(), sizeof fds);
  const int family = static_cast<int>(rec.args[0]);
  const int type = static_cast<int>(rec.args[1]);
  FdInfo pair[2];
  for (int k = 0; k < 2; k++) {
    FdInfo now = lookup(pid, fds[k]);
    if (now.inode && now.family == family && (now.type & 0xf) == (type & 0xf)) {
      pair[k] = std::move(now);
    } else {
      pair[k].family = family;
      pair[k].type = type & 0xf;
    }
    pair[k].cloexec = (type & kOCloexec) != 0;
  }
  // Each end's peer is the other (when both were seen).
  if (pair[0].inode && pair[1].inode) {
    pair[0].peer_inode = pair[1].inode;
    pair[1].peer_inode = pair[0].inode;
  }
  for (int k = 0; k < 2; k++) {
    pair[k].name = socket_fd_name(pair[k]);
    store(pid, fds[k], std::move(pair[k]));
  }
}

void FdNames::new_anon(pid_t pid, int fd, std::string name, bool cloexec) {
  FdInfo i;
  i.name = std::move(name);
  i.cloexec = cloexec;
  store(pid, fd, std::move(i));
}

void FdNames::before_line(const SyscallRecord& rec) {
  pending_.name.clear();
  const Action a = action_of(rec.nr);
  if (a == Action::kNone || !rec.has_ret) return;
  const bool dup = a == Action::kDup || a == Action::kDup2 || a == Action::kDup3 ||
                   (a == Action::kFcntl && (rec.args[1] == 0 || rec.args[1] == 1030));
  if (dup && rec.ret >= 0) {
    pending_ = info(rec.pid, static_cast<int>(rec.args[0]));
    pending_pid_ = rec.pid;
    pending_fd_ = static_cast<int>(rec.ret);
    return;
  }
  const pid_t pid = rec.pid;
  const int ret = static_cast<int>(rec.ret);
  auto path = [&](int arg) -> std::string_view {
    const CapturedArg& c = rec.data[static_cast<size_t>(arg)];
    if (!c.present) return {};
    std::string_view s = c.bytes;
    if (size_t nul = s.find('\0'); nul != std::string_view::npos) s = s.substr(0, nul);
    return s;
  };
  auto from_proc = [&](int fd) { store(pid, fd, lookup(pid, fd)); };
  if (rec.ret < 0) return;
  switch (a) {
    case Action::kOpen:
      if (rec.data[0].present) opened_path(rec, kAtFdcwd, path(0), rec.args[1] & kOCloexec);
      else from_proc(ret);
      return;
    case Action::kCreat:
      if (rec.data[0].present) opened_path(rec, kAtFdcwd, path(0), false);
      else from_proc(ret);
      return;
    case Action::kOpenat:
      // openat2's flags sit in its struct open_how (not captured): /proc
      // tells whether O_CLOEXEC was set.
      if (rec.data[1].present)
        opened_path(rec, static_cast<int>(rec.args[0]), path(1),
                    syscall_name(rec.nr) == "openat" ? (rec.args[2] & kOCloexec) != 0 : false);
      else
        from_proc(ret);
      return;
    case Action::kSocket:
      new_socket(pid, ret, static_cast<int>(rec.args[0]), static_cast<int>(rec.args[1]),
                 (rec.args[1] & kOCloexec) != 0);
      return;
    case Action::kSocketpair:
      new_socketpair(rec);
      return;
    case Action::kAccept:
      accepted(rec, false);
      return;
    case Action::kAccept4:
      accepted(rec, (rec.args[3] & kOCloexec) != 0);
      return;
    case Action::kPipe:
      new_pipe(pid, rec, 0, false);
      return;
    case Action::kPipe2:
      new_pipe(pid, rec, 0, (rec.args[1] & kOCloexec) != 0);
      return;
    case Action::kChdir: {
      std::string p = absolute(pid, kAtFdcwd, path(0));
      if (!p.empty() && p[0] == '/') {
        char real[PATH_MAX];
        cwds_[pid] = realpath(p.c_str(), real) ? std::string(real) : p;
      }
      return;
    }
    case Action::kFchdir: {
      const std::string& n = info(pid, static_cast<int>(rec.args[0])).name;
      if (!n.empty() && n[0] == '/') cwds_[pid] = n;
      return;
    }
    case Action::kMemfd: {
      std::string_view n = path(0);
      FdInfo now = lookup(pid, ret);
      if (!now.name.empty() && now.name.starts_with("/memfd:"))
        store(pid, ret, std::move(now));
      else
        new_anon(pid, ret, fmt::format("/memfd:{} (deleted)", n), (rec.args[1] & 1) != 0);
      return;
    }
    case Action::kAnon: {
      const ActionRow& r = *actions().row[static_cast<size_t>(rec.nr)];
      const bool cloexec = r.cloexec_arg == kAlwaysCloexec ||
                           (r.cloexec_arg >= 0 && (rec.args[static_cast<size_t>(r.cloexec_arg)] & r.cloexec_bit));
      new_anon(pid, ret, std::string(r.anon), cloexec);
      return;
    }
    case Action::kOtherFd:
      from_proc(ret);
      return;
    default:
      return;
  }
}

void FdNames::after_line(const SyscallRecord& rec) {
  const Action a = action_of(rec.nr);
  if (a == Action::kNone || !rec.has_ret) return;
  // bind/connect/listen change the socket after strace would have printed
  // its name (at entry): the line shows the old name, later ones the new.
  // A non-blocking connect() names its peer even while in progress.
  if (a == Action::kConnect && (rec.ret == 0 || rec.ret == -EINPROGRESS)) {
    readdressed(rec, false);
    return;
  }
  if (failed(rec)) return;
  if (a == Action::kGetsockname || a == Action::kGetpeername) {
    // What the kernel answered fills what the calls could not say (the
    // port bind(0) chose, the local end of a connect).
    const SockAddr got = captured_addr(rec.data[1]);
    FdInfo* i = cached(rec.pid, static_cast<int>(rec.args[0]));
    if (!i || got.empty() || (i->family && got.family() != i->family)) return;
    SockAddr& slot = a == Action::kGetsockname ? i->local : i->peer;
    if (!same_addr(slot, got)) {
      slot = got;
      i->name = socket_fd_name(*i);
    }
    return;
  }
  if (a == Action::kBind) readdressed(rec, true);
  if (a == Action::kRecheck) recheck_socket(rec.pid, static_cast<int>(rec.args[0]));
}

void FdNames::after_call(const SyscallRecord& rec) {
  const Action a = action_of(rec.nr);
  if (a == Action::kNone || failed(rec)) return;
  const pid_t pid = rec.pid;
  const int fd0 = static_cast<int>(rec.args[0]);
  const int ret = static_cast<int>(rec.ret);
  switch (a) {
    case Action::kClose:
      forget(pid, fd0);
      return;
    case Action::kCloseRange: {
      const uint64_t first = rec.args[0], last = rec.args[1];
      const bool cloexec_only = rec.args[2] & 4;  // CLOSE_RANGE_CLOEXEC
      for (auto it = names_.begin(); it != names_.end();) {
        const uint64_t f = it->first & 0xffffffffu;
        if (static_cast<pid_t>(it->first >> 32) == pid && f >= first && f <= last) {
          if (cloexec_only)
            it->second.cloexec = true;
          else
            it->second = FdInfo{};
        }
        ++it;
      }
      return;
    }
    case Action::kDup:
    case Action::kDup2:
      if (ret != fd0) copied(pid, fd0, ret, false);
      return;
    case Action::kDup3:
      copied(pid, fd0, ret, (rec.args[2] & kOCloexec) != 0);
      return;
    case Action::kFcntl: {
      const uint64_t cmd = rec.args[1];
      if (cmd == 0 /* F_DUPFD */ || cmd == 1030 /* F_DUPFD_CLOEXEC */)
        copied(pid, fd0, ret, cmd == 1030);
      else if (cmd == 2 /* F_SETFD */)
        if (FdInfo* i = cached(pid, fd0)) i->cloexec = (rec.args[2] & 1) != 0;
      return;
    }
    case Action::kExec:
      exec_done(pid);
      return;
    default:
      return;
  }
}

}  // namespace fdscope::trace
