// TCP addresses: TCP-CONNECT / TCP-LISTEN and their IPv4/IPv6-only forms.
// A client resolves host and port and tries every address (preferred family
// first, as socat 1.8 does); a listener binds the wildcard (or bind=) of its
// family and serves one connection, or forks a child per connection.
// SO_REUSEADDR is on by default for listeners (socat 1.8); reuseaddr=0
// turns it off.
#include <netinet/in.h>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::Result;

template <int Family>
Result<Endpoint> open_tcp_connect(const AddressSpec& a, OpenContext& ctx) {
  auto targets = net::active_targets(ctx, a.params[0], a.params[1], Family, SOCK_STREAM, IPPROTO_TCP);
  if (!targets) return targets.take_error();
  net::ClientSpec spec;
  spec.shape = {Family, SOCK_STREAM, IPPROTO_TCP};
  spec.targets = std::move(*targets);
  return net::open_client(ctx, spec);
}

template <int Family>
Result<Endpoint> open_tcp_listen(const AddressSpec& a, OpenContext& ctx) {
  auto local = net::passive_local(ctx, Family, SOCK_STREAM, IPPROTO_TCP, a.params[0]);
  if (!local) return local.take_error();
  net::ListenSpec spec;
  spec.shape = {local->family(), SOCK_STREAM, IPPROTO_TCP};
  spec.local = *local;
  spec.reuseaddr_default = true;
  return net::open_listener(ctx, spec);
}

using namespace grp;
constexpr uint64_t kClient = FD | SOCKET | IP_TCP | CHILD | RETRY;
constexpr uint64_t kServer = FD | SOCKET | IP_TCP | LISTEN | CHILD | RANGE | RETRY;

const AddressType kTcp[] = {
    {.keyword = "TCP-CONNECT", .aliases = {"TCP", "INET"}, .min_params = 2, .max_params = 2,
     .usage = "TCP-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kClient | SOCK_IP4 | SOCK_IP6,
     .open = &open_tcp_connect<AF_UNSPEC>, .summary = "TCP client (IPv4 or IPv6)"},
    {.keyword = "TCP-LISTEN", .aliases = {"TCP-L", "INET-L", "INET-LISTEN"}, .min_params = 1, .max_params = 1,
     .usage = "TCP-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kServer | SOCK_IP4 | SOCK_IP6,
     .open = &open_tcp_listen<AF_UNSPEC>, .summary = "TCP server (IPv4 or IPv6)"},
    {.keyword = "TCP4-CONNECT", .aliases = {"TCP4", "INET4"}, .min_params = 2, .max_params = 2,
     .usage = "TCP4-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kClient | SOCK_IP4,
     .open = &open_tcp_connect<AF_INET>, .summary = "TCP client over IPv4"},
    {.keyword = "TCP4-LISTEN", .aliases = {"TCP4-L", "INET4-L", "INET4-LISTEN"}, .min_params = 1, .max_params = 1,
     .usage = "TCP4-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kServer | SOCK_IP4,
     .open = &open_tcp_listen<AF_INET>, .summary = "TCP server over IPv4"},
    {.keyword = "TCP6-CONNECT", .aliases = {"TCP6", "INET6"}, .min_params = 2, .max_params = 2,
     .usage = "TCP6-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kClient | SOCK_IP6,
     .open = &open_tcp_connect<AF_INET6>, .summary = "TCP client over IPv6"},
    {.keyword = "TCP6-LISTEN", .aliases = {"TCP6-L", "INET6-L", "INET6-LISTEN"}, .min_params = 1, .max_params = 1,
     .usage = "TCP6-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kServer | SOCK_IP6,
     .open = &open_tcp_listen<AF_INET6>, .summary = "TCP server over IPv6"},
};
const AddressTypeRegistrar kReg(kTcp);

}  // namespace
}  // namespace relay
