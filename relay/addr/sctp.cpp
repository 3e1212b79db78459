// SCTP addresses (SCTP-CONNECT / SCTP-LISTEN, IPv4/IPv6-only forms): TCP's
// open paths with IPPROTO_SCTP stream sockets, plus the IP_SCTP options.
// When the kernel has no SCTP (socket() fails with EPROTONOSUPPORT) the
// address fails with "SCTP is not available in this kernel ...".
#include <netinet/in.h>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::Result;

// From <linux/sctp.h>, which glibc systems may lack.
constexpr int kSolSctp = 132;
constexpr int kSctpNodelay = 3;
constexpr int kSctpMaxseg = 13;

template <int Family>
Result<Endpoint> open_sctp_connect(const AddressSpec& a, OpenContext& ctx) {
  auto targets = net::active_targets(ctx, a.params[0], a.params[1], Family, SOCK_STREAM, IPPROTO_SCTP);
  if (!targets) return targets.take_error();
  net::ClientSpec spec;
  spec.shape = {Family, SOCK_STREAM, IPPROTO_SCTP};
  spec.targets = std::move(*targets);
  return net::open_client(ctx, spec);
}

template <int Family>
Result<Endpoint> open_sctp_listen(const AddressSpec& a, OpenContext& ctx) {
  auto local = net::passive_local(ctx, Family, SOCK_STREAM, IPPROTO_SCTP, a.params[0]);
  if (!local) return local.take_error();
  net::ListenSpec spec;
  spec.shape = {local->family(), SOCK_STREAM, IPPROTO_SCTP};
  spec.local = *local;
  spec.reuseaddr_default = true;
  return net::open_listener(ctx, spec);
}

using namespace grp;
constexpr uint64_t kClient = FD | SOCKET | IP_SCTP | CHILD | RETRY;
constexpr uint64_t kServer = FD | SOCKET | IP_SCTP | LISTEN | CHILD | RANGE | RETRY;

const AddressType kSctp[] = {
    {.keyword = "SCTP-CONNECT", .aliases = {"SCTP"}, .min_params = 2, .max_params = 2,
     .usage = "SCTP-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kClient | SOCK_IP4 | SOCK_IP6,
     .open = &open_sctp_connect<AF_UNSPEC>, .summary = "SCTP client (needs kernel SCTP)"},
    {.keyword = "SCTP-LISTEN", .aliases = {"SCTP-L"}, .min_params = 1, .max_params = 1,
     .usage = "SCTP-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kServer | SOCK_IP4 | SOCK_IP6,
     .open = &open_sctp_listen<AF_UNSPEC>, .summary = "SCTP server (needs kernel SCTP)"},
    {.keyword = "SCTP4-CONNECT", .aliases = {"SCTP4"}, .min_params = 2, .max_params = 2,
     .usage = "SCTP4-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kClient | SOCK_IP4,
     .open = &open_sctp_connect<AF_INET>, .summary = "SCTP client over IPv4"},
    {.keyword = "SCTP4-LISTEN", .aliases = {"SCTP4-L"}, .min_params = 1, .max_params = 1,
     .usage = "SCTP4-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kServer | SOCK_IP4,
     .open = &open_sctp_listen<AF_INET>, .summary = "SCTP server over IPv4"},
    {.keyword = "SCTP6-CONNECT", .aliases = {"SCTP6"}, .min_params = 2, .max_params = 2,
     .usage = "SCTP6-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = kClient | SOCK_IP6,
     .open = &open_sctp_connect<AF_INET6>, .summary = "SCTP client over IPv6"},
    {.keyword = "SCTP6-LISTEN", .aliases = {"SCTP6-L"}, .min_params = 1, .max_params = 1,
     .usage = "SCTP6-LISTEN:<port>", .dir = Dir::ReadWrite, .groups = kServer | SOCK_IP6,
     .open = &open_sctp_listen<AF_INET6>, .summary = "SCTP server over IPv6"},
};
const AddressTypeRegistrar kReg(kSctp);

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
