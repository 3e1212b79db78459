// The IP stream addresses, TCP and SCTP, from one table: X-CONNECT and
// X-LISTEN with their IPv4/IPv6-only forms, where X is TCP or SCTP.  Both
// protocols take the same open paths, parameterised by protocol number:
// a client resolves host and port and tries every address (preferred
// family first, as socat 1.8 does); a listener binds the wildcard (or
// bind=) of its family and serves one connection, or forks a child per
// connection.  SO_REUSEADDR is on by default for listeners (socat 1.8);
// reuseaddr=0 turns it off.  When the kernel has no SCTP (socket() fails
// with EPROTONOSUPPORT) an SCTP address fails with "SCTP is not available
// in this kernel ...".  The IP_SCTP options are here too.
#include <netinet/in.h>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::Result;

template <int Family, int Protocol>
Result<Endpoint> open_stream_connect(const AddressSpec& a, OpenContext& ctx) {
  auto targets = net::active_targets(ctx, a.params[0], a.params[1], Family, SOCK_STREAM, Protocol);
  if (!targets) return targets.take_error();
  net::ClientSpec spec;
  spec.shape = {Family, SOCK_STREAM, Protocol};
  spec.targets = std::move(*targets);
  return net::open_client(ctx, spec);
}

template <int Family, int Protocol>
Result<Endpoint> open_stream_listen(const AddressSpec& a, OpenContext& ctx) {
  auto local = net::passive_local(ctx, Family, SOCK_STREAM, Protocol, a.params[0]);
  if (!local) return local.take_error();
  net::ListenSpec spec;
  spec.shape = {local->family(), SOCK_STREAM, Protocol};
  spec.local = *local;
  spec.reuseaddr_default = true;
  return net::open_listener(ctx, spec);
}

using namespace grp;
constexpr uint64_t kTcpClient = FD | SOCKET | IP_TCP | CHILD | RETRY;
constexpr uint64_t kTcpServer = FD | SOCKET | IP_TCP | LISTEN | CHILD | RANGE | RETRY;
constexpr uint64_t kSctpClient = FD | SOCKET | IP_SCTP | CHILD | RETRY;
constexpr uint64_t kSctpServer = FD | SOCKET | IP_SCTP | LISTEN | CHILD | RANGE | RETRY;
constexpr int kTcp = IPPROTO_TCP;
constexpr int kSctp = IPPROTO_SCTP;

const AddressType kStreamTypes[] = {
    {.keyword = "TCP-CONNECT", .aliases = {"TCP", "INET"}, .min_params = 2, .max_params = 2,
     .usage = "TCP-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kTcpClient | SOCK_IP4 | SOCK_IP6,
     .open = &open_stream_connect<AF_UNSPEC, kTcp>, .summary = "TCP client (IPv4 or IPv6)"},
    {.keyword = "TCP-LISTEN", .aliases = {"TCP-L", "INET-L", "INET-LISTEN"}, .min_params = 1, .max_params = 1,
     .usage = "TCP-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kTcpServer | SOCK_IP4 | SOCK_IP6,
     .open = &open_stream_listen<AF_UNSPEC, kTcp>, .summary = "TCP server (IPv4 or IPv6)"},
    {.keyword = "TCP4-CONNECT", .aliases = {"TCP4", "INET4"}, .min_params = 2, .max_params = 2,
     .usage = "TCP4-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kTcpClient | SOCK_IP4,
     .open = &open_stream_connect<AF_INET, kTcp>, .summary = "TCP client over IPv4"},
    {.keyword = "TCP4-LISTEN", .aliases = {"TCP4-L", "INET4-L", "INET4-LISTEN"}, .min_params = 1, .max_params = 1,
     .usage = "TCP4-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kTcpServer | SOCK_IP4,
     .open = &open_stream_listen<AF_INET, kTcp>, .summary = "TCP server over IPv4"},
    {.keyword = "TCP6-CONNECT", .aliases = {"TCP6", "INET6"}, .min_params = 2, .max_params = 2,
     .usage = "TCP6-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kTcpClient | SOCK_IP6,
     .open = &open_stream_connect<AF_INET6, kTcp>, .summary = "TCP client over IPv6"},
    {.keyword = "TCP6-LISTEN", .aliases = {"TCP6-L", "INET6-L", "INET6-LISTEN"}, .min_params = 1, .max_params = 1,
     .usage = "TCP6-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kTcpServer | SOCK_IP6,
     .open = &open_stream_listen<AF_INET6, kTcp>, .summary = "TCP server over IPv6"},
    {.keyword = "SCTP-CONNECT", .aliases = {"SCTP"}, .min_params = 2, .max_params = 2,
     .usage = "SCTP-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kSctpClient | SOCK_IP4 | SOCK_IP6,
     .open = &open_stream_connect<AF_UNSPEC, kSctp>, .summary = "SCTP client (needs kernel SCTP)"},
    {.keyword = "SCTP-LISTEN", .aliases = {"SCTP-L"}, .min_params = 1, .max_params = 1,
     .usage = "SCTP-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kSctpServer | SOCK_IP4 | SOCK_IP6,
     .open = &open_stream_listen<AF_UNSPEC, kSctp>, .summary = "SCTP server (needs kernel SCTP)"},
    {.keyword = "SCTP4-CONNECT", .aliases = {"SCTP4"}, .min_params = 2, .max_params = 2,
     .usage = "SCTP4-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kSctpClient | SOCK_IP4,
     .open = &open_stream_connect<AF_INET, kSctp>, .summary = "SCTP client over IPv4"},
    {.keyword = "SCTP4-LISTEN", .aliases = {"SCTP4-L"}, .min_params = 1, .max_params = 1,
     .usage = "SCTP4-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kSctpServer | SOCK_IP4,
     .open = &open_stream_listen<AF_INET, kSctp>, .summary = "SCTP server over IPv4"},
    {.keyword = "SCTP6-CONNECT", .aliases = {"SCTP6"}, .min_params = 2, .max_params = 2,
     .usage = "SCTP6-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kSctpClient | SOCK_IP6,
     .open = &open_stream_connect<AF_INET6, kSctp>, .summary = "SCTP client over IPv6"},
    {.keyword = "SCTP6-LISTEN", .aliases = {"SCTP6-L"}, .min_params = 1, .max_params = 1,
     .usage = "SCTP6-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kSctpServer | SOCK_IP6,
     .open = &open_stream_listen<AF_INET6, kSctp>, .summary = "SCTP server over IPv6"},
};
const AddressTypeRegistrar kReg(kStreamTypes);

// From <linux/sctp.h>, which glibc systems may lack.
constexpr int kSolSctp = 132;
constexpr int kSctpNodelay = 3;
constexpr int kSctpMaxseg = 13;

const OptionDesc kSctpOptions[] = {
    {.name = "sctp-nodelay", .groups = IP_SCTP, .phase = Phase::PASTSOCKET, .type = OptType::Int,
     .level = kSolSctp, .optname = kSctpNodelay},
    {.name = "sctp-maxseg", .groups = IP_SCTP, .phase = Phase::PASTSOCKET, .type = OptType::Int,
     .level = kSolSctp, .optname = kSctpMaxseg},
    {.name = "sctp-maxseg-late", .groups = IP_SCTP, .phase = Phase::PASTCONNECT, .type = OptType::Int,
     .level = kSolSctp, .optname = kSctpMaxseg},
};
const OptionTableRegistrar kOptReg(kSctpOptions);

}  // namespace
}  // namespace relay
