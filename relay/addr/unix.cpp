// UNIX-domain socket addresses on file system paths (UNIX-*) and in the
// Linux abstract namespace (ABSTRACT-*): CONNECT (stream; seqpacket/datagram
// when the server is of that type), CLIENT (any type), LISTEN (hardened bind,
// peer authorization, fork), SENDTO, RECVFROM, RECV.  For path listeners the
// NAMED options perm/user/group are applied by the hardened bind (mode via
// umask at bind time, never chmod), unlink-early only ever removes a dead
// socket, and unlink-close (default on) removes the socket when the server
// ends, if the path still names it.
#include <sys/socket.h>

#include <optional>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "net/socket_open.hpp"
#include "net/unix_listen.hpp"

namespace relay {
namespace {

using fdscope::Result;
using net::DgramMode;

net::UnixBindSpec bind_spec(OpenContext& ctx, const std::string& path) {
  net::UnixBindSpec s;
  s.path = path;
  for (const char* n : {"perm-early", "perm", "perm-late"})
    if (ctx.has(n)) s.mode = static_cast<mode_t>(ctx.get_uint(n, 0));
  for (const char* n : {"user-early", "user", "user-late"})
    if (ctx.has(n)) s.owner = static_cast<uid_t>(ctx.get_uint(n, 0));
  for (const char* n : {"group-early", "group", "group-late"})
    if (ctx.has(n)) s.group = static_cast<gid_t>(ctx.get_uint(n, 0));
  s.unlink_early = ctx.get_bool("unlink-early", false) || ctx.get_bool("unlink", false);
  s.unlink_close = ctx.get_bool("unlink-close", true);
  return s;
}

// The socket address of a UNIX address's name; for a path that this side
// binds (listeners, receivers), also the hardened-bind settings.
struct UnixName {
  net::SockAddr addr;
  std::optional<net::UnixBindSpec> bind;
};

template <bool Abstract>
Result<UnixName> unix_name(const AddressSpec& a, OpenContext& ctx, bool binds) {
  auto addr = net::unix_addr(a.params[0], Abstract);
  if (!addr) return addr.take_error();
  UnixName n{*addr, std::nullopt};
  if (!Abstract && binds) n.bind = bind_spec(ctx, a.params[0]);
  return n;
}

template <bool Abstract, bool AnyType>
Result<Endpoint> open_unix_connect(const AddressSpec& a, OpenContext& ctx) {
  auto n = unix_name<Abstract>(a, ctx, false);
  if (!n) return n.take_error();
  if (!Abstract) ctx.set_path(a.params[0]);  // NAMED options act on the server's socket file
  (void)AnyType;  // both try stream first, then the server's type on EPROTOTYPE
  return net::open_client(ctx, {.shape = {AF_UNIX, SOCK_STREAM, 0, Abstract}, .targets = {n->addr},
                                .unix_try_types = true});
}

template <bool Abstract>
Result<Endpoint> open_unix_listen(const AddressSpec& a, OpenContext& ctx) {
  auto n = unix_name<Abstract>(a, ctx, true);
  if (!n) return n.take_error();
  return net::open_listener(ctx, {.shape = {AF_UNIX, SOCK_STREAM, 0, Abstract}, .local = n->addr,
                                  .unix_path = n->bind});
}

// SENDTO names its peer; RECV and RECVFROM bind the name.
template <bool Abstract, DgramMode Mode>
Result<Endpoint> open_unix_dgram(const AddressSpec& a, OpenContext& ctx) {
  constexpr bool kSends = Mode == DgramMode::SendTo;
  auto n = unix_name<Abstract>(a, ctx, !kSends);
  if (!n) return n.take_error();
  net::DgramSpec spec{.shape = {AF_UNIX, SOCK_DGRAM, 0, Abstract}, .mode = Mode};
  if (kSends) {
    spec.peer = n->addr;
  } else {
    spec.local = n->addr;
    spec.unix_path = n->bind;
  }
  return net::open_datagram(ctx, spec);
}

using namespace grp;
constexpr uint64_t kU = FD | NAMED | SOCKET | SOCK_UNIX | RETRY;
constexpr uint64_t kA = FD | SOCKET | SOCK_UNIX | RETRY;

const AddressType kUnix[] = {
    {.keyword = "UNIX-CONNECT", .aliases = {"LOCAL"}, .min_params = 1, .max_params = 1,
     .usage = "UNIX-CONNECT:<filename>", .dir = Dir::ReadWrite, .groups = kU,
     .open = &open_unix_connect<false, false>, .summary = "connect to a UNIX socket"},
    {.keyword = "UNIX-CLIENT", .aliases = {"UNIX"}, .min_params = 1, .max_params = 1,
     .usage = "UNIX-CLIENT:<filename>", .dir = Dir::ReadWrite, .groups = kU,
     .open = &open_unix_connect<false, true>, .summary = "connect to a UNIX socket of any type"},
    {.keyword = "UNIX-LISTEN", .aliases = {"UNIX-L"}, .min_params = 1, .max_params = 1,
     .usage = "UNIX-LISTEN:<filename>", .dir = Dir::ReadWrite, .groups = kU | LISTEN | CHILD,
     .open = &open_unix_listen<false>, .summary = "hardened UNIX stream server"},
    {.keyword = "UNIX-SENDTO", .aliases = {"UNIX-SEND"}, .min_params = 1, .max_params = 1,
     .usage = "UNIX-SENDTO:<filename>", .dir = Dir::ReadWrite, .groups = kU,
     .open = &open_unix_dgram<false, DgramMode::SendTo>, .summary = "datagrams to a UNIX socket"},
    {.keyword = "UNIX-RECVFROM", .min_params = 1, .max_params = 1, .usage = "UNIX-RECVFROM:<filename>",
     .dir = Dir::ReadWrite, .groups = kU | CHILD, .open = &open_unix_dgram<false, DgramMode::RecvFrom>,
     .summary = "one datagram on a UNIX socket, answers to its sender"},
    {.keyword = "UNIX-RECV", .min_params = 1, .max_params = 1, .usage = "UNIX-RECV:<filename>", .dir = Dir::Read,
     .groups = kU, .open = &open_unix_dgram<false, DgramMode::Recv>, .summary = "datagrams on a UNIX socket, read only"},
    {.keyword = "ABSTRACT-CONNECT", .min_params = 1, .max_params = 1, .usage = "ABSTRACT-CONNECT:<filename>",
     .dir = Dir::ReadWrite, .groups = kA, .open = &open_unix_connect<true, false>,
     .summary = "connect to an abstract UNIX socket"},
    {.keyword = "ABSTRACT-CLIENT", .aliases = {"ABSTRACT"}, .min_params = 1, .max_params = 1,
     .usage = "ABSTRACT-CLIENT:<filename>", .dir = Dir::ReadWrite, .groups = kA,
     .open = &open_unix_connect<true, true>, .summary = "connect to an abstract UNIX socket of any type"},
    {.keyword = "ABSTRACT-LISTEN", .min_params = 1, .max_params = 1, .usage = "ABSTRACT-LISTEN:<filename>",
     .dir = Dir::ReadWrite, .groups = kA | LISTEN | CHILD, .open = &open_unix_listen<true>,
     .summary = "abstract UNIX stream server"},
    {.keyword = "ABSTRACT-SENDTO", .min_params = 1, .max_params = 1, .usage = "ABSTRACT-SENDTO:<filename>",
     .dir = Dir::ReadWrite, .groups = kA, .open = &open_unix_dgram<true, DgramMode::SendTo>,
     .summary = "datagrams to an abstract UNIX socket"},
    {.keyword = "ABSTRACT-RECVFROM", .min_params = 1, .max_params = 1, .usage = "ABSTRACT-RECVFROM:<filename>",
     .dir = Dir::ReadWrite, .groups = kA | CHILD, .open = &open_unix_dgram<true, DgramMode::RecvFrom>,
     .summary = "one datagram on an abstract socket, answers to its sender"},
    {.keyword = "ABSTRACT-RECV", .min_params = 1, .max_params = 1, .usage = "ABSTRACT-RECV:<filename>",
     .dir = Dir::Read, .groups = kA, .open = &open_unix_dgram<true, DgramMode::Recv>,
     .summary = "datagrams on an abstract socket, read only"},
};
const AddressTypeRegistrar kReg(kUnix);

}  // namespace
}  // namespace relay
