// ACCEPT-FD:<fdnum> (socat 1.8): serve connections on a listening socket
// the process inherited, as under systemd socket activation or inetd's
// "wait" mode.  The fd must be a listening socket (SO_ACCEPTCONN); from
// there it is the same accept loop as the LISTEN addresses: fork,
// max-children, range, peer authorization for UNIX sockets.
#include <sys/socket.h>

#include <cstdlib>

#include <fmt/format.h>

#include "core/address_type.hpp"

#include "core/syscall_log.hpp"
#include "core/open_context.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::Result;

Result<Endpoint> open_accept_fd(const AddressSpec& a, OpenContext& ctx) {
  const std::string& text = a.params[0];
  char* end = nullptr;
  long fd = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end || fd < 0 || fd > 1 << 20)
    return fdscope::plain_error(fmt::format("ACCEPT-FD: \"{}\" is not a file descriptor number", text));
  int listening = 0;
  socklen_t len = sizeof listening;
  if (sys::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
    return fdscope::sys_error(fmt::format("getsockopt({}, SOL_SOCKET, SO_ACCEPTCONN)", fd));
  if (!listening)
    return fdscope::plain_error(fmt::format("ACCEPT-FD: fd {} is a socket that is not listening", fd));
  auto local = net::local_addr(static_cast<int>(fd));
  if (!local) return local.take_error();
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  return net::serve_listener(ctx, fdscope::UniqueFd(static_cast<int>(fd)), *local);
}

using namespace grp;
const AddressType kAcceptFd[] = {
    {.keyword = "ACCEPT-FD", .aliases = {"ACCEPT"}, .min_params = 1, .max_params = 1, .usage = "ACCEPT-FD:<fdnum>",
     .dir = Dir::ReadWrite, .groups = FD | SOCKET | SOCK_UNIX | SOCK_IP4 | SOCK_IP6 | IPAPP | CHILD | RANGE | RETRY,
     .open = &open_accept_fd, .summary = "accept connections on an inherited listening socket"},
};
const AddressTypeRegistrar kReg(kAcceptFd);

}  // namespace
}  // namespace relay
