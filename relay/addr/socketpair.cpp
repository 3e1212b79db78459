// SOCKETPAIR (socat 1.8): an echo like PIPE, but over a UNIX socketpair, by
// default of type SOCK_DGRAM so that packet boundaries are kept (what is
// written as one datagram is read back as one).  The socktype option (SOCKET
// group), when registered, chooses another type, e.g. socktype=1 (stream).
#include <sys/socket.h>

#include <fmt/format.h>

#include "addr/open_steps.hpp"

#include "core/syscall_log.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"

namespace relay {
namespace {

using fdscope::Result;
using fdscope::UniqueFd;

Result<Endpoint> open_socketpair(const AddressSpec&, OpenContext& ctx) {
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  int type = static_cast<int>(ctx.get_int("socktype", SOCK_DGRAM));
  int sv[2];
  if (sys::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
    return fdscope::sys_error(fmt::format("socketpair(AF_UNIX, {}, 0)", type));
  UniqueFd a(sv[0]), b(sv[1]);
  ctx.log(LogLevel::Notice, fmt::format("creating socketpair [{},{}] as echo", sv[0], sv[1]));
  for (int fd : sv)
    if (auto s = ctx.apply_phase(Phase::PASTSOCKET, fd); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  ep.rfd = a.get();
  ep.wfd = b.get();
  ep.datagram = type == SOCK_DGRAM || type == SOCK_SEQPACKET;
  ep.owned.push_back(std::move(a));
  ep.owned.push_back(std::move(b));
  if (auto s = addr::apply_fd_phases(ctx, ep.rfd, ep); !s) return s.take_error();
  return ep;
}

const AddressType kSocketpairTypes[] = {
    {.keyword = "SOCKETPAIR", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "SOCKETPAIR",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::SOCKET, .open = open_socketpair,
     .summary = "an echo over a datagram socketpair (keeps packet boundaries)"},
};

const AddressTypeRegistrar kRegisterSocketpair(kSocketpairTypes);

}  // namespace
}  // namespace relay
