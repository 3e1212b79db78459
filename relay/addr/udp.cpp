// UDP addresses, as socat has them: UDP-CONNECT (a connected socket),
// UDP-LISTEN (waits for the first packet, connects back to its sender; with
// fork a child per peer), UDP-SENDTO (sends to one peer, reads from any),
// UDP-RECVFROM (reads one packet and answers its sender; with fork a child
// per packet), UDP-RECV (read only) and UDP-DATAGRAM (sends to an address,
// possibly broadcast/multicast, reads what the range option admits), each
// with UDP4/UDP6 forms.  All are packet endpoints: the engine keeps datagram
// boundaries.
#include <netinet/in.h>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::Result;
using net::DgramMode;

template <int Family, DgramMode Mode>
Result<Endpoint> open_udp_peer(const AddressSpec& a, OpenContext& ctx) {
  auto targets = net::active_targets(ctx, a.params[0], a.params[1], Family, SOCK_DGRAM, IPPROTO_UDP);
  if (!targets) return targets.take_error();
  net::DgramSpec spec;
  spec.shape = {targets->front().family(), SOCK_DGRAM, IPPROTO_UDP};
  spec.mode = Mode;
  spec.peer = targets->front();
  return net::open_datagram(ctx, spec);
}

template <int Family, DgramMode Mode>
Result<Endpoint> open_udp_local(const AddressSpec& a, OpenContext& ctx) {
  auto local = net::passive_local(ctx, Family, SOCK_DGRAM, IPPROTO_UDP, a.params[0]);
  if (!local) return local.take_error();
  net::DgramSpec spec;
  spec.shape = {local->family(), SOCK_DGRAM, IPPROTO_UDP};
  spec.mode = Mode;
  spec.local = *local;
  return net::open_datagram(ctx, spec);
}

using namespace grp;
constexpr uint64_t kBase = FD | SOCKET | IP_UDP;
constexpr uint64_t k46 = SOCK_IP4 | SOCK_IP6;

#define UDP_ROWS(P, FAM, IPG, WHO)                                                                                  \
  {.keyword = P "-CONNECT", .aliases = {P}, .min_params = 2, .max_params = 2, .usage = P "-CONNECT:<host>:<port>",  \
   .dir = Dir::ReadWrite, .groups = kBase | IPG, .open = &open_udp_peer<FAM, DgramMode::Connect>,                   \
   .summary = "UDP socket connected to one peer" WHO},                                                              \
  {.keyword = P "-LISTEN", .aliases = {P "-L"}, .min_params = 1, .max_params = 1, .usage = P "-LISTEN:<port>",     \
   .dir = Dir::ReadWrite, .groups = kBase | IPG | LISTEN | CHILD | RANGE,                                           \
   .open = &open_udp_local<FAM, DgramMode::Listen>, .summary = "UDP server: first sender becomes the peer" WHO},   \
  {.keyword = P "-SENDTO", .aliases = {P "-SEND"}, .min_params = 2, .max_params = 2,                               \
   .usage = P "-SENDTO:<host>:<port>", .dir = Dir::ReadWrite, .groups = kBase | IPG,                                \
   .open = &open_udp_peer<FAM, DgramMode::SendTo>, .summary = "UDP packets to one peer" WHO},                     \
  {.keyword = P "-RECVFROM", .min_params = 1, .max_params = 1, .usage = P "-RECVFROM:<port>",                       \
   .dir = Dir::ReadWrite, .groups = kBase | IPG | CHILD | RANGE, .open = &open_udp_local<FAM, DgramMode::RecvFrom>, \
   .summary = "one UDP packet, answers go to its sender" WHO},                                                      \
  {.keyword = P "-RECV", .min_params = 1, .max_params = 1, .usage = P "-RECV:<port>", .dir = Dir::Read,             \
   .groups = kBase | IPG | RANGE, .open = &open_udp_local<FAM, DgramMode::Recv>,                                    \
   .summary = "UDP packets from any sender, read only" WHO},                                                        \
  {.keyword = P "-DATAGRAM", .aliases = {P "-DGRAM"}, .min_params = 2, .max_params = 2,                            \
   .usage = P "-DATAGRAM:<host>:<port>", .dir = Dir::ReadWrite, .groups = kBase | IPG | RANGE,                      \
   .open = &open_udp_peer<FAM, DgramMode::Datagram>, .summary = "UDP packets to an address, replies from range" WHO}

const AddressType kUdp[] = {
    UDP_ROWS("UDP", AF_UNSPEC, k46, ""),
    UDP_ROWS("UDP4", AF_INET, SOCK_IP4, " (IPv4)"),
    UDP_ROWS("UDP6", AF_INET6, SOCK_IP6, " (IPv6)"),
};
#undef UDP_ROWS
const AddressTypeRegistrar kReg(kUdp);

}  // namespace
}  // namespace relay
