// socat's -dddd system call log for relay: thin wrappers around the system
// calls relay makes while opening addresses and transferring data.  Each
// wrapper makes the call directly unless the debug level D is on (one load
// and branch of a process-wide flag, so the transfer loop's read/write/
// splice cost nothing extra at the default levels); at D it logs the call
// line before ("socket(2, 1, 6)") and the return line after ("socket(2, 1,
// 6) -> 5", "connect() -> -1", "read -> -1 (errno=11)") through the shared
// formatter (fdscope/syscall_format.hpp), as socat's sycls.c does.  errno is
// the call's own after a wrapper returns, logged or not.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

#include "fdscope/syscall_format.hpp"

namespace relay::sys {

// True while -dddd (level D) is in effect; set by enable_syscall_log().
inline bool g_syscall_log = false;

// Called by main after the logger is configured (and by tests).
void enable_syscall_log(bool on);
inline bool syscall_log_on() { return g_syscall_log; }

// One logged call: construct with the arguments, attach captured strings and
// sockaddrs, enter() logs the call line, done() the return line.
class LoggedCall {
 public:
  LoggedCall(std::string_view name, std::initializer_list<uint64_t> args)
      : rec_(fdscope::make_syscall_record(name, args)) {}
  LoggedCall& capture(int arg, const void* p, size_t len) {
    auto& c = rec_.data[static_cast<size_t>(arg)];
    c.present = p != nullptr;
    c.bytes = std::string_view(static_cast<const char*>(p), p ? len : 0);
    return *this;
  }
  LoggedCall& capture_string(int arg, const char* s) { return capture(arg, s, s ? std::char_traits<char>::length(s) + 1 : 0); }
  void enter();
  // Logs the return (r < 0: -1 and errno), keeps errno, returns r.
  int64_t done(int64_t r);

 private:
  fdscope::SyscallRecord rec_;
};

template <typename T>
inline uint64_t raw(T v) {
  if constexpr (std::is_pointer_v<T>)
    return reinterpret_cast<uint64_t>(v);
  else
    return static_cast<uint64_t>(static_cast<int64_t>(v));
}

#define RELAY_SYS_LOGGED(name, call, ...)                    \
  do {                                                       \
    if (!g_syscall_log) [[likely]]                           \
      return call;                                           \
    LoggedCall lc(name, {__VA_ARGS__});                      \
    lc.enter();                                              \
    auto r = call;                                           \
    return static_cast<decltype(r)>(lc.done(r));             \
  } while (0)

inline int open(const char* path, int flags, mode_t mode = 0) {
  if (!g_syscall_log) [[likely]]
    return ::open(path, flags, mode);
  LoggedCall lc("open", {raw(path), raw(flags), raw(mode)});
  lc.capture_string(0, path).enter();
  return static_cast<int>(lc.done(::open(path, flags, mode)));
}
inline int socket(int domain, int type, int protocol) {
  RELAY_SYS_LOGGED("socket", ::socket(domain, type, protocol), raw(domain), raw(type), raw(protocol));
}
inline int bind(int fd, const sockaddr* sa, socklen_t len) {
  if (!g_syscall_log) [[likely]]
    return ::bind(fd, sa, len);
  LoggedCall lc("bind", {raw(fd), raw(sa), raw(len)});
  lc.capture(1, sa, len).enter();
  return static_cast<int>(lc.done(::bind(fd, sa, len)));
}
inline int connect(int fd, const sockaddr* sa, socklen_t len) {
  if (!g_syscall_log) [[likely]]
    return ::connect(fd, sa, len);
  LoggedCall lc("connect", {raw(fd), raw(sa), raw(len)});
  lc.capture(1, sa, len).enter();
  return static_cast<int>(lc.done(::connect(fd, sa, len)));
}
inline int listen(int fd, int backlog) { RELAY_SYS_LOGGED("listen", ::listen(fd, backlog), raw(fd), raw(backlog)); }
// The return line names the peer: "accept4(5, {2, AF=2 127.0.0.1:49222}, 16) -> 6".
inline int accept4(int fd, sockaddr* sa, socklen_t* len, int flags) {
  if (!g_syscall_log) [[likely]]
    return ::accept4(fd, sa, len, flags);
  LoggedCall lc("accept4", {raw(fd), raw(sa), raw(len), raw(flags)});
  lc.enter();
  int r = ::accept4(fd, sa, len, flags);
  if (r >= 0 && sa && len) lc.capture(1, sa, *len < sizeof(sockaddr_storage) ? *len : sizeof(sockaddr_storage));
  return static_cast<int>(lc.done(r));
}
inline int setsockopt(int fd, int level, int name, const void* v, socklen_t len) {
  RELAY_SYS_LOGGED("setsockopt", ::setsockopt(fd, level, name, v, len), raw(fd), raw(level), raw(name), raw(v), raw(len));
}
inline int getsockopt(int fd, int level, int name, void* v, socklen_t* len) {
  RELAY_SYS_LOGGED("getsockopt", ::getsockopt(fd, level, name, v, len), raw(fd), raw(level), raw(name), raw(v), raw(len));
}
inline int fcntl(int fd, int cmd) { RELAY_SYS_LOGGED("fcntl", ::fcntl(fd, cmd), raw(fd), raw(cmd)); }
inline int fcntl(int fd, int cmd, long arg) { RELAY_SYS_LOGGED("fcntl", ::fcntl(fd, cmd, arg), raw(fd), raw(cmd), raw(arg)); }
template <typename T>
inline int fcntl(int fd, int cmd, T* p) {
  RELAY_SYS_LOGGED("fcntl", ::fcntl(fd, cmd, p), raw(fd), raw(cmd), raw(p));
}
inline int ioctl(int fd, unsigned long req) { RELAY_SYS_LOGGED("ioctl", ::ioctl(fd, req), raw(fd), req); }
inline int ioctl(int fd, unsigned long req, long arg) {
  RELAY_SYS_LOGGED("ioctl", ::ioctl(fd, req, arg), raw(fd), req, raw(arg));
}
template <typename T>
inline int ioctl(int fd, unsigned long req, T* p) {
  RELAY_SYS_LOGGED("ioctl", ::ioctl(fd, req, p), raw(fd), req, raw(p));
}
inline int close(int fd) { RELAY_SYS_LOGGED("close", ::close(fd), raw(fd)); }
inline int shutdown(int fd, int how) { RELAY_SYS_LOGGED("shutdown", ::shutdown(fd, how), raw(fd), raw(how)); }
inline int dup2(int from, int to) { RELAY_SYS_LOGGED("dup2", ::dup2(from, to), raw(from), raw(to)); }
inline int socketpair(int domain, int type, int protocol, int sv[2]) {
  RELAY_SYS_LOGGED("socketpair", ::socketpair(domain, type, protocol, sv), raw(domain), raw(type), raw(protocol),
                   raw(sv));
}
// Both processes log the return, as socat's Fork() does ("fork() -> 0" in the child).
inline pid_t fork() { RELAY_SYS_LOGGED("fork", ::fork()); }
inline int pipe2(int fds[2], int flags) { RELAY_SYS_LOGGED("pipe2", ::pipe2(fds, flags), raw(fds), raw(flags)); }
inline int poll(pollfd* p, nfds_t n, int timeout) {
  RELAY_SYS_LOGGED("poll", ::poll(p, n, timeout), raw(p), raw(n), raw(timeout));
}
inline pid_t waitpid(pid_t pid, int* st, int options) {
  RELAY_SYS_LOGGED("wait4", ::waitpid(pid, st, options), raw(pid), raw(st), raw(options), 0);
}
// The transfer loop's calls.
inline ssize_t read(int fd, void* buf, size_t n) { RELAY_SYS_LOGGED("read", ::read(fd, buf, n), raw(fd), raw(buf), raw(n)); }
inline ssize_t write(int fd, const void* buf, size_t n) {
  RELAY_SYS_LOGGED("write", ::write(fd, buf, n), raw(fd), raw(buf), raw(n));
}
inline ssize_t recv(int fd, void* buf, size_t n, int flags) {
  RELAY_SYS_LOGGED("recvfrom", ::recv(fd, buf, n, flags), raw(fd), raw(buf), raw(n), raw(flags), 0, 0);
}
inline ssize_t send(int fd, const void* buf, size_t n, int flags) {
  RELAY_SYS_LOGGED("sendto", ::send(fd, buf, n, flags), raw(fd), raw(buf), raw(n), raw(flags), 0, 0);
}
inline ssize_t recvfrom(int fd, void* buf, size_t n, int flags, sockaddr* sa, socklen_t* len) {
  RELAY_SYS_LOGGED("recvfrom", ::recvfrom(fd, buf, n, flags, sa, len), raw(fd), raw(buf), raw(n), raw(flags), raw(sa), raw(len));
}
inline ssize_t sendto(int fd, const void* buf, size_t n, int flags, const sockaddr* sa, socklen_t len) {
  if (!g_syscall_log) [[likely]]
    return ::sendto(fd, buf, n, flags, sa, len);
  LoggedCall lc("sendto", {raw(fd), raw(buf), raw(n), raw(flags), raw(sa), raw(len)});
  lc.capture(4, sa, len).enter();
  return static_cast<ssize_t>(lc.done(::sendto(fd, buf, n, flags, sa, len)));
}
// The calls of a program address's child between fork and exec (and of
// the PROCESS options), as socat logs them there.
inline pid_t setsid() { RELAY_SYS_LOGGED("setsid", ::setsid()); }
inline int setpgid(pid_t pid, pid_t pgid) { RELAY_SYS_LOGGED("setpgid", ::setpgid(pid, pgid), raw(pid), raw(pgid)); }
inline int chdir(const char* path) {
  if (!g_syscall_log) [[likely]]
    return ::chdir(path);
  LoggedCall lc("chdir", {raw(path)});
  lc.capture_string(0, path).enter();
  return static_cast<int>(lc.done(::chdir(path)));
}
inline int chroot(const char* path) {
  if (!g_syscall_log) [[likely]]
    return ::chroot(path);
  LoggedCall lc("chroot", {raw(path)});
  lc.capture_string(0, path).enter();
  return static_cast<int>(lc.done(::chroot(path)));
}
inline mode_t umask(mode_t mask) { RELAY_SYS_LOGGED("umask", ::umask(mask), raw(mask)); }
inline int setuid(uid_t uid) { RELAY_SYS_LOGGED("setuid", ::setuid(uid), raw(uid)); }
inline int setgid(gid_t gid) { RELAY_SYS_LOGGED("setgid", ::setgid(gid), raw(gid)); }
inline int setgroups(size_t n, const gid_t* list) {
  RELAY_SYS_LOGGED("setgroups", ::setgroups(n, list), raw(n), raw(list));
}
// Library calls without a system call record, logged in the form of socat's
// sycls.c: 'setenv("PATH", "/bin", 1)' / 'setenv() -> 0', and
// 'execvp("cat", "cat" "-u")', followed by 'execvp() -> -1' only when it
// fails (a successful execvp does not return).
int setenv(const char* name, const char* value, int overwrite);
int execvp(const char* file, char* const argv[]);

inline ssize_t splice(int in, loff_t* in_off, int out, loff_t* out_off, size_t n, unsigned flags) {
  RELAY_SYS_LOGGED("splice", ::splice(in, in_off, out, out_off, n, flags), raw(in), raw(in_off), raw(out), raw(out_off),
                   raw(n), raw(flags));
}

#undef RELAY_SYS_LOGGED

}  // namespace relay::sys
