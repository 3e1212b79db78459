// File system addresses: OPEN (alias FILE) opens an existing file, device or
// FIFO; CREATE (CREAT) creates or truncates a file for writing; GOPEN opens
// whatever is at the path -- connecting to it when it is a UNIX socket --
// and is what a bare path ("/tmp/x", "./log") means.  Options run in socat's
// order: INIT, EARLY (unlink-early), PREOPEN (perm-early ...), the open(2)
// flags of the OPEN group, PASTOPEN, then the fd phases.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <fmt/format.h>

#include <cstring>

#include "addr/open_steps.hpp"

#include "core/syscall_log.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "fdscope/io.hpp"

namespace relay {
namespace {

using fdscope::Result;
using fdscope::UniqueFd;

std::string open_flags_text(int flags) {
  std::string s;
  switch (flags & O_ACCMODE) {
    case O_RDONLY: s = "O_RDONLY"; break;
    case O_WRONLY: s = "O_WRONLY"; break;
    default: s = "O_RDWR"; break;
  }
  struct {
    int bit;
    const char* name;
  } const names[] = {{O_CREAT, "O_CREAT"},       {O_EXCL, "O_EXCL"},     {O_TRUNC, "O_TRUNC"},
                     {O_APPEND, "O_APPEND"},     {O_NOCTTY, "O_NOCTTY"}, {O_NONBLOCK, "O_NONBLOCK"},
                     {O_SYNC, "O_SYNC"},         {O_NOFOLLOW, "O_NOFOLLOW"}, {O_DIRECTORY, "O_DIRECTORY"},
                     {O_NOATIME, "O_NOATIME"},   {O_DIRECT, "O_DIRECT"}};
  for (const auto& n : names)
    if ((flags & n.bit) == n.bit) s += fmt::format("|{}", n.name);
  return s;
}

int access_mode(OpenContext& ctx) {
  Dir d = ctx.access();
  int mode = d == Dir::Read ? O_RDONLY : d == Dir::Write ? O_WRONLY : O_RDWR;
  if (ctx.get_bool("rdonly", false)) mode = O_RDONLY;
  if (ctx.get_bool("wronly", false)) mode = O_WRONLY;
  if (ctx.get_bool("rdwr", false)) mode = O_RDWR;
  return mode;
}

Result<Endpoint> finish_open(OpenContext& ctx, UniqueFd fd, int mode) {
  if (auto s = ctx.apply_phase(Phase::PASTOPEN, fd.get()); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  int raw = fd.get();
  if (mode != O_WRONLY) ep.rfd = raw;
  if (mode != O_RDONLY) ep.wfd = raw;
  ep.owned.push_back(std::move(fd));
  if (auto s = addr::apply_fd_phases(ctx, raw, ep); !s) return s.take_error();
  return ep;
}

// Opens path with the OPEN-group flags; extra = flags the address type adds.
Result<Endpoint> open_path(const std::string& path, OpenContext& ctx, int extra) {
  ctx.set_path(path);
  for (Phase p : {Phase::INIT, Phase::EARLY, Phase::PREOPEN})
    if (auto s = ctx.apply_phase(p); !s) return s.take_error();
  int mode = access_mode(ctx);
  if (extra & O_WRONLY) mode = O_WRONLY;
  int flags = mode | (extra & ~O_ACCMODE) | ctx.open_flags();
  ctx.log(LogLevel::Notice, fmt::format("opening {} \"{}\" {}", addr::file_kind_text(path), path,
                                        addr::access_text(mode == O_RDONLY   ? Dir::Read
                                                          : mode == O_WRONLY ? Dir::Write
                                                                             : Dir::ReadWrite)));
  int raw = fdscope::retry_eintr([&] { return sys::open(path.c_str(), flags | O_CLOEXEC, 0666); });
  if (raw < 0) return fdscope::sys_error(fmt::format("open(\"{}\", {}, 0666)", path, open_flags_text(flags)));
  return finish_open(ctx, UniqueFd(raw), mode);
}

Result<Endpoint> open_open(const AddressSpec& a, OpenContext& ctx) { return open_path(a.params[0], ctx, 0); }

Result<Endpoint> open_create(const AddressSpec& a, OpenContext& ctx) {
  return open_path(a.params[0], ctx, O_WRONLY | O_CREAT | O_TRUNC);
}

// GOPEN on a UNIX socket: connect, stream first, then datagram.
Result<Endpoint> connect_unix(const std::string& path, OpenContext& ctx) {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  if (path.size() >= sizeof sun.sun_path)
    return fdscope::plain_error(fmt::format("socket path \"{}\" is too long", path));
  std::memcpy(sun.sun_path, path.c_str(), path.size() + 1);
  for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
    UniqueFd fd(sys::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
    if (!fd) return fdscope::sys_error("socket(AF_UNIX)");
    if (auto s = ctx.apply_phase(Phase::PASTSOCKET, fd.get()); !s) return s.take_error();
    ctx.log(LogLevel::Notice, fmt::format("opening connection to AF=1 \"{}\"", path));
    int rc = fdscope::retry_eintr(
        [&] { return sys::connect(fd.get(), reinterpret_cast<sockaddr*>(&sun), sizeof sun); });
    if (rc == 0) {
      Endpoint ep = ctx.make_endpoint();
      ep.rfd = has_read(ctx.access()) ? fd.get() : -1;
      ep.wfd = has_write(ctx.access()) ? fd.get() : -1;
      ep.datagram = type == SOCK_DGRAM;
      int raw = fd.get();
      ep.owned.push_back(std::move(fd));
      if (auto s = addr::apply_fd_phases(ctx, raw, ep); !s) return s.take_error();
      return ep;
    }
    if (errno != EPROTOTYPE)
      return fdscope::sys_error(fmt::format("connect({}, AF=1 \"{}\", {})", fd.get(), path, sizeof sun));
  }
  return fdscope::sys_error(fmt::format("connect(AF=1 \"{}\")", path), EPROTOTYPE);
}

Result<Endpoint> open_gopen(const AddressSpec& a, OpenContext& ctx) {
  const std::string& path = a.params[0];
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    ctx.set_path(path);
    for (Phase p : {Phase::INIT, Phase::EARLY, Phase::PREOPEN})
      if (auto s = ctx.apply_phase(p); !s) return s.take_error();
    return connect_unix(path, ctx);
  }
  return open_path(path, ctx, 0);
}

constexpr uint64_t kFileGroups = grp::FD | grp::FIFO | grp::CHR | grp::BLK | grp::REG | grp::NAMED |
                                 grp::OPEN | grp::TERMIOS;

const AddressType kFileTypes[] = {
    {.keyword = "OPEN", .aliases = {"FILE"}, .min_params = 1, .max_params = 1, .usage = "OPEN:<filename>",
     .dir = Dir::ReadWrite, .groups = kFileGroups, .open = open_open,
     .summary = "open an existing file, device or FIFO"},
    {.keyword = "CREATE", .aliases = {"CREAT"}, .min_params = 1, .max_params = 1,
     .usage = "CREATE:<filename>", .dir = Dir::Write, .groups = grp::FD | grp::NAMED | grp::REG | grp::OPEN,
     .open = open_create, .summary = "create (or truncate) a file and write to it"},
    {.keyword = "GOPEN", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "GOPEN:<filename>",
     .dir = Dir::ReadWrite, .groups = kFileGroups | grp::SOCKET | grp::SOCK_UNIX, .open = open_gopen,
     .summary = "open a file, or connect to a UNIX socket (a path alone means GOPEN)"},
};

const AddressTypeRegistrar kRegisterFile(kFileTypes);

}  // namespace
}  // namespace relay
