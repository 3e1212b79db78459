// PIPE (aliases ECHO, FIFO): without a parameter an unnamed pipe, so what
// relay writes to the address it reads back (an echo); with a file name a
// named pipe, created with mkfifo(3) when missing and opened like a file
// (reading and writing opens it O_RDWR, so the open does not wait for a peer).
#include <fcntl.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "addr/open_steps.hpp"

#include "core/syscall_log.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "fdscope/io.hpp"

namespace relay {
namespace {

using fdscope::Result;
using fdscope::UniqueFd;

Result<Endpoint> open_unnamed(OpenContext& ctx) {
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  int p[2];
  if (sys::pipe2(p, O_CLOEXEC) < 0) return fdscope::sys_error("pipe2()");
  UniqueFd r(p[0]), w(p[1]);
  ctx.log(LogLevel::Notice, fmt::format("creating unnamed pipe [{},{}] as echo", p[0], p[1]));
  Endpoint ep = ctx.make_endpoint();
  ep.rfd = r.get();
  ep.wfd = w.get();
  ep.owned.push_back(std::move(r));
  ep.owned.push_back(std::move(w));
  // fd options: to both ends (e.g. f-setpipe-sz sets the one pipe's size)
  if (auto s = addr::apply_fd_phases(ctx, ep.rfd, ep); !s) return s.take_error();
  return ep;
}

Result<Endpoint> open_named(const std::string& path, OpenContext& ctx) {
  ctx.set_path(path);
  for (Phase p : {Phase::INIT, Phase::EARLY, Phase::PREOPEN})
    if (auto s = ctx.apply_phase(p); !s) return s.take_error();
  struct stat st{};
  if (::stat(path.c_str(), &st) < 0) {
    if (errno != ENOENT) return fdscope::sys_error(fmt::format("stat(\"{}\")", path));
    if (::mkfifo(path.c_str(), 0666) < 0 && errno != EEXIST)
      return fdscope::sys_error(fmt::format("mkfifo(\"{}\", 0666)", path));
  } else if (!S_ISFIFO(st.st_mode)) {
    return fdscope::plain_error(fmt::format("\"{}\" exists and is not a FIFO", path));
  }
  Dir d = ctx.access();
  int mode = d == Dir::Read ? O_RDONLY : d == Dir::Write ? O_WRONLY : O_RDWR;
  int flags = mode | ctx.open_flags();
  ctx.log(LogLevel::Notice, fmt::format("opening named pipe \"{}\" {}", path, addr::access_text(d)));
  int raw = fdscope::retry_eintr([&] { return sys::open(path.c_str(), flags | O_CLOEXEC); });
  if (raw < 0) return fdscope::sys_error(fmt::format("open(\"{}\", 0{:o})", path, flags));
  UniqueFd fd(raw);
  if (auto s = ctx.apply_phase(Phase::PASTOPEN, raw); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  ep.rfd = has_read(d) ? raw : -1;
  ep.wfd = has_write(d) ? raw : -1;
  ep.owned.push_back(std::move(fd));
  if (auto s = addr::apply_fd_phases(ctx, raw, ep); !s) return s.take_error();
  return ep;
}

Result<Endpoint> open_pipe(const AddressSpec& a, OpenContext& ctx) {
  if (a.params.empty()) return open_unnamed(ctx);
  return open_named(a.params[0], ctx);
}

const AddressType kPipeTypes[] = {
    {.keyword = "PIPE", .aliases = {"ECHO", "FIFO"}, .min_params = 0, .max_params = 1,
     .usage = "PIPE[:<filename>]", .dir = Dir::ReadWrite,
     .groups = grp::FD | grp::NAMED | grp::OPEN | grp::FIFO, .open = open_pipe,
     .summary = "an unnamed pipe (echo), or a named pipe created when missing"},
};

const AddressTypeRegistrar kRegisterPipe(kPipeTypes);

}  // namespace
}  // namespace relay
