// Pseudo-terminal plumbing shared by the PTY address and the pty option of
// program addresses (see pty_master.hpp).  On Linux a master with no slave
// open reports POLLHUP, which is how wait-slave notices the first opener.
#include "addr/pty_master.hpp"

#include "core/syscall_log.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cmath>

#include "fdscope/io.hpp"

namespace relay::addr {

fdscope::Result<PtyPair> open_pty(OpenContext& ctx, bool open_slave) {
  PtyPair p;
  if (ctx.get_bool("openpty", false)) {
    int m = -1, s = -1;
    if (::openpty(&m, &s, nullptr, nullptr, nullptr) < 0) return fdscope::sys_error("openpty()");
    p.master.reset(m);
    p.slave.reset(s);
    sys::fcntl(m, F_SETFD, FD_CLOEXEC);
    sys::fcntl(s, F_SETFD, FD_CLOEXEC);
    char name[128];
    if (::ptsname_r(m, name, sizeof name) == 0) p.slave_name = name;
    if (!open_slave) p.slave.reset();
    if (sys::fcntl(m, F_SETFL, sys::fcntl(m, F_GETFL) | O_NONBLOCK) < 0)
      return fdscope::sys_error(fmt::format("fcntl({}, F_SETFL, O_NONBLOCK)", m));
    return p;
  }
  ctx.get_bool("ptmx", true);
  int m = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0) return fdscope::sys_error("open(\"/dev/ptmx\", O_RDWR|O_NOCTTY)");
  p.master.reset(m);
  if (::grantpt(m) < 0) return fdscope::sys_error(fmt::format("grantpt({})", m));
  if (::unlockpt(m) < 0) return fdscope::sys_error(fmt::format("unlockpt({})", m));
  char name[128];
  if (::ptsname_r(m, name, sizeof name) != 0) return fdscope::sys_error(fmt::format("ptsname({})", m));
  p.slave_name = name;
  if (open_slave) {
    auto s = fdscope::open_fd(p.slave_name, O_RDWR | O_NOCTTY);
    if (!s) return s.take_error();
    p.slave = std::move(*s);
  }
  // The master is relay's own: non-blocking, so that a full slave input
  // queue (the program is busy writing back) cannot block the transfer.
  if (sys::fcntl(p.master.get(), F_SETFL, sys::fcntl(p.master.get(), F_GETFL) | O_NONBLOCK) < 0)
    return fdscope::sys_error(fmt::format("fcntl({}, F_SETFL, O_NONBLOCK)", p.master.get()));
  return p;
}

fdscope::Status make_pty_link(OpenContext& ctx, const PtyPair& pty, Endpoint& ep) {
  auto link = ctx.get_string("link");
  if (!link) return {};
  struct stat st{};
  if (::lstat(link->c_str(), &st) == 0) {
    if (!S_ISLNK(st.st_mode))
      return fdscope::plain_error(fmt::format("\"{}\" exists and is not a symbolic link", *link));
    if (::unlink(link->c_str()) < 0) return fdscope::sys_error(fmt::format("unlink(\"{}\")", *link));
  }
  if (::symlink(pty.slave_name.c_str(), link->c_str()) < 0)
    return fdscope::sys_error(fmt::format("symlink(\"{}\", \"{}\")", pty.slave_name, *link));
  ep.unlink_at_close.push_back(*link);
  return {};
}

fdscope::Status wait_for_slave(OpenContext& ctx, int master) {
  if (!ctx.get_bool("wait-slave", false)) return {};
  double interval = ctx.get_seconds("pty-interval").value_or(1.0);
  int ms = std::max(1, static_cast<int>(std::lround(interval * 1000)));
  ctx.log(LogLevel::Info, "waiting for a program to open the pty slave");
  for (;;) {
    pollfd p{master, POLLIN, 0};
    int rc = fdscope::retry_eintr([&] { return sys::poll(&p, 1, 0); });
    if (rc < 0) return fdscope::sys_error(fmt::format("poll({})", master));
    if ((p.revents & POLLHUP) == 0) return {};
    ::usleep(static_cast<useconds_t>(ms) * 1000);
  }
}

}  // namespace relay::addr
