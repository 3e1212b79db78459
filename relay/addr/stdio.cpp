// Addresses on file descriptors relay already has: STDIO (and "-"), STDIN,
// STDOUT, STDERR, and FD/FDIN/FDOUT for any inherited fd.  Nothing is opened
// or closed: the fds are borrowed, options are applied to them in the
// phases an existing fd goes through.
#include <fcntl.h>

#include <fmt/format.h>

#include <cstdlib>

#include "addr/open_steps.hpp"

#include "core/syscall_log.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"

namespace relay {
namespace {

using fdscope::Result;

// Checks that fd is open; returns the fd number of the text.
Result<int> existing_fd(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || n < 0 || n > INT32_MAX)
    return fdscope::plain_error(fmt::format("invalid file descriptor \"{}\"", text));
  int fd = static_cast<int>(n);
  if (sys::fcntl(fd, F_GETFD) < 0) return fdscope::sys_error(fmt::format("fcntl({}, F_GETFD)", fd));
  return fd;
}

Result<Endpoint> borrow(OpenContext& ctx, int rfd, int wfd) {
  Endpoint ep = ctx.make_endpoint();
  if (!has_read(ctx.access())) rfd = -1;
  if (!has_write(ctx.access())) wfd = -1;
  ep.rfd = rfd;
  ep.wfd = wfd;
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  if (rfd >= 0)
    if (auto s = addr::apply_fd_phases(ctx, rfd, ep); !s) return s.take_error();
  if (wfd >= 0 && rfd < 0) {
    if (auto s = addr::apply_fd_phases(ctx, wfd, ep); !s) return s.take_error();
  } else if (wfd >= 0 && wfd != rfd) {
    // the write fd gets the same fd-level options (e.g. STDIO,raw on a tty
    // applies to both 0 and 1 -- which are usually the same tty)
    for (Phase p : {Phase::FD, Phase::LATE})
      for (const OptionSetting* s : ctx.options_of(p)) {
        if (s->desc->apply == nullptr) continue;
        ApplyTarget t{wfd, &ep, &ctx};
        if (auto r = s->desc->apply(*s->desc, s->value, t); !r) return r.take_error();
      }
  }
  return ep;
}

Result<Endpoint> open_stdio(const AddressSpec&, OpenContext& ctx) {
  ctx.log(LogLevel::Notice, has_read(ctx.access()) && has_write(ctx.access())
                                ? "reading from and writing to stdio"
                                : has_read(ctx.access()) ? "reading from stdin" : "writing to stdout");
  return borrow(ctx, 0, 1);
}
Result<Endpoint> open_stdin(const AddressSpec&, OpenContext& ctx) {
  ctx.log(LogLevel::Notice, "reading from stdin");
  return borrow(ctx, 0, -1);
}
Result<Endpoint> open_stdout(const AddressSpec&, OpenContext& ctx) {
  ctx.log(LogLevel::Notice, "writing to stdout");
  return borrow(ctx, -1, 1);
}
Result<Endpoint> open_stderr(const AddressSpec&, OpenContext& ctx) {
  ctx.log(LogLevel::Notice, "writing to stderr");
  return borrow(ctx, -1, 2);
}
Result<Endpoint> open_fd(const AddressSpec& a, OpenContext& ctx) {
  auto fd = existing_fd(a.params[0]);
  if (!fd) return fd.take_error();
  ctx.log(LogLevel::Notice, fmt::format("using file descriptor {} {}", *fd, addr::access_text(ctx.access())));
  return borrow(ctx, *fd, *fd);
}
Result<Endpoint> open_fdin(const AddressSpec& a, OpenContext& ctx) {
  auto fd = existing_fd(a.params[0]);
  if (!fd) return fd.take_error();
  ctx.log(LogLevel::Notice, fmt::format("using file descriptor {} for reading", *fd));
  return borrow(ctx, *fd, -1);
}
Result<Endpoint> open_fdout(const AddressSpec& a, OpenContext& ctx) {
  auto fd = existing_fd(a.params[0]);
  if (!fd) return fd.take_error();
  ctx.log(LogLevel::Notice, fmt::format("using file descriptor {} for writing", *fd));
  return borrow(ctx, -1, *fd);
}

constexpr uint64_t kFdGroups = grp::FD | grp::FIFO | grp::CHR | grp::BLK | grp::REG | grp::SOCKET |
                               grp::TERMIOS | grp::SOCK_UNIX | grp::SOCK_IP4 | grp::SOCK_IP6 | grp::IPAPP;

const AddressType kStdioTypes[] = {
    {.keyword = "STDIO", .aliases = {"-"}, .min_params = 0, .max_params = 0, .usage = "STDIO",
     .dir = Dir::ReadWrite, .groups = kFdGroups, .open = open_stdio,
     .summary = "relay's stdin (fd 0) and stdout (fd 1)"},
    {.keyword = "STDIN", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "STDIN", .dir = Dir::Read,
     .groups = kFdGroups, .open = open_stdin, .summary = "relay's stdin, read only"},
    {.keyword = "STDOUT", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "STDOUT",
     .dir = Dir::Write, .groups = kFdGroups, .open = open_stdout, .summary = "relay's stdout, write only"},
    {.keyword = "STDERR", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "STDERR",
     .dir = Dir::Write, .groups = kFdGroups, .open = open_stderr, .summary = "relay's stderr, write only"},
    {.keyword = "FD", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "FD:<fdnum>",
     .dir = Dir::ReadWrite, .groups = kFdGroups, .open = open_fd,
     .summary = "an inherited file descriptor (a bare number means FD:<number>)"},
    {.keyword = "FDIN", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "FDIN:<fdnum>",
     .dir = Dir::Read, .groups = kFdGroups, .open = open_fdin, .summary = "an inherited fd, read only"},
    {.keyword = "FDOUT", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "FDOUT:<fdnum>",
     .dir = Dir::Write, .groups = kFdGroups, .open = open_fdout, .summary = "an inherited fd, write only"},
};

const AddressTypeRegistrar kRegisterStdio(kStdioTypes);

}  // namespace
}  // namespace relay
