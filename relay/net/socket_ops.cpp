// Socket system calls with socat's error texts.  The address files call
// these instead of the raw syscalls so every failure reads the same way:
// "<call>(<fd>, AF=2 127.0.0.1:1, 16): Connection refused".  Waiting (for a
// connect to finish, for a client to arrive) is done with poll() so the
// connect-timeout and accept-timeout options need no signals.
#include "net/socket_ops.hpp"

#include "core/syscall_log.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include <fmt/format.h>

#include "fdscope/io.hpp"

namespace relay::net {

using fdscope::Result;
using fdscope::Status;
using fdscope::sys_error;
using fdscope::UniqueFd;

Result<UniqueFd> open_socket(int family, int type, int protocol) {
  int fd = sys::socket(family, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) return sys_error(fmt::format("socket({}, {}, {})", family, type, protocol));
  return UniqueFd(fd);
}

Status bind_to(int fd, const SockAddr& a) {
  if (sys::bind(fd, a.sa(), a.len) < 0) return sys_error(fmt::format("bind({}, {}, {})", fd, to_string(a), a.len));
  return {};
}

Status set_nonblock(int fd, bool on) {
  int fl = sys::fcntl(fd, F_GETFL);
  if (fl < 0) return sys_error(fmt::format("fcntl({}, F_GETFL)", fd));
  int nfl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (nfl != fl && sys::fcntl(fd, F_SETFL, nfl) < 0) return sys_error(fmt::format("fcntl({}, F_SETFL, {:#x})", fd, nfl));
  return {};
}

// Milliseconds left until deadline, for poll(); -1 without a deadline.
static int ms_left(std::chrono::steady_clock::time_point deadline, bool bounded) {
  if (!bounded) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

Status connect_to(int fd, const SockAddr& a, double timeout_s) {
  auto what = [&] { return fmt::format("connect({}, {}, {})", fd, to_string(a), a.len); };
  int fl = sys::fcntl(fd, F_GETFL);
  bool bounded = timeout_s > 0;
  if (bounded && !(fl & O_NONBLOCK)) sys::fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  int rc = sys::connect(fd, a.sa(), a.len);
  int err = rc < 0 ? errno : 0;
  if (rc < 0 && err == EINTR) err = EINPROGRESS;  // the connect goes on in the kernel
  if (rc < 0 && err == EINPROGRESS && (bounded || !(fl & O_NONBLOCK))) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::microseconds(static_cast<long long>(timeout_s * 1e6));
    pollfd p{fd, POLLOUT, 0};
    for (;;) {
      int n = sys::poll(&p, 1, ms_left(deadline, bounded));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        err = errno;
        break;
      }
      if (n == 0) {
        err = ETIMEDOUT;
        break;
      }
      socklen_t len = sizeof err;
      if (sys::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
      break;
    }
  }
  if (bounded && !(fl & O_NONBLOCK)) sys::fcntl(fd, F_SETFL, fl);
  if (err) return sys_error(what(), err);
  return {};
}

Status listen_on(int fd, int backlog) {
  if (sys::listen(fd, backlog) < 0) return sys_error(fmt::format("listen({}, {})", fd, backlog));
  return {};
}

Result<Accepted> accept_on(int lfd, double timeout_s, int extra_fd, bool want_local) {
  bool bounded = timeout_s > 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<long long>(timeout_s * 1e6));
  bool nonblocking = (sys::fcntl(lfd, F_GETFL) & O_NONBLOCK) != 0;
  for (bool polled = !nonblocking;; polled = true) {
    if (!polled) {
      // Try first: under load a connection is usually waiting already.
      Accepted acc;
      acc.peer.len = sizeof acc.peer.ss;
      int fd = sys::accept4(lfd, acc.peer.sa(), &acc.peer.len, SOCK_CLOEXEC);
      if (fd >= 0) {
        acc.fd.reset(fd);
        if (want_local)
          if (auto local = local_addr(fd)) acc.local = *local;
        return acc;
      }
      if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
        return sys_error(fmt::format("accept({}, {}, {})", lfd, "...", acc.peer.len));
      continue;
    }
    pollfd p[2] = {{lfd, POLLIN, 0}, {extra_fd, POLLIN, 0}};
    int n = sys::poll(p, extra_fd >= 0 ? 2 : 1, ms_left(deadline, bounded));
    if (n < 0 && errno == EINTR) return sys_error(fmt::format("poll({})", lfd), EINTR);
    if (n < 0) return sys_error(fmt::format("poll({})", lfd));
    if (n == 0) return sys_error(fmt::format("accept({}): accept-timeout", lfd), ETIMEDOUT);
    // Short enough for std::string's inline buffer: the fork server's parent
    // takes this path for each wakeup to reap children, and a heap
    // allocation there costs a copy-on-write fault while children live.
    if (extra_fd >= 0 && p[1].revents) return sys_error("accept: reap", EINTR);
    Accepted acc;
    acc.peer.len = sizeof acc.peer.ss;
    int fd = sys::accept4(lfd, acc.peer.sa(), &acc.peer.len, SOCK_CLOEXEC);
    if (fd < 0) {
      // The client may have gone away between poll and accept.
      if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) continue;
      return sys_error(fmt::format("accept({}, {}, {})", lfd, "...", acc.peer.len));
    }
    acc.fd.reset(fd);
    if (want_local)
      if (auto local = local_addr(fd)) acc.local = *local;
    return acc;
  }
}

Status set_int_opt(int fd, int level, int name, int value, const char* name_text) {
  if (sys::setsockopt(fd, level, name, &value, sizeof value) < 0)
    return sys_error(fmt::format("setsockopt({}, {}, {}, {})", fd, level, name_text, value));
  return {};
}

}  // namespace relay::net
