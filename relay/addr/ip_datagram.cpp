// The IP datagram addresses, UDP and raw IP, from one table; each has
// IPv4/IPv6-only forms (UDP4, IP6 ...).  UDP, as socat has it:
// UDP-CONNECT (a connected socket), UDP-LISTEN (waits for the first packet,
// connects back to its sender; with fork a child per peer), UDP-SENDTO
// (sends to one peer, reads from any), UDP-RECVFROM (reads one packet and
// answers its sender; with fork a child per packet), UDP-RECV (read only)
// and UDP-DATAGRAM (sends to an address, possibly broadcast/multicast,
// reads what the range option admits).  Raw IP: IP-SENDTO, IP-RECVFROM,
// IP-RECV and IP-DATAGRAM on SOCK_RAW sockets of one IP protocol (number or
// name from /etc/protocols), which need CAP_NET_RAW.  raw(7) delivers IPv4
// packets with their IP header; as socat does, relay removes it (see
// net/ip4_header_strip.hpp), so both families pass on only the payload.
// All are packet endpoints: the engine keeps datagram boundaries.
#include <netdb.h>
#include <netinet/in.h>

#include <cstdlib>

#include <fmt/format.h>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::plain_error;
using fdscope::Result;
using net::DgramMode;

Result<int> ip_protocol(const std::string& text) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (!text.empty() && *end == '\0') {
    if (v < 0 || v > 255) return plain_error(fmt::format("IP protocol \"{}\" out of range 0..255", text));
    return static_cast<int>(v);
  }
  protoent* p = ::getprotobyname(text.c_str());
  if (!p) return plain_error(fmt::format("unknown IP protocol \"{}\"", text));
  return p->p_proto;
}

// The socket type, protocol and port of an address: UDP's port parameter,
// or raw IP's protocol parameter (no port).
struct DgramKind {
  int type;
  int protocol;
  std::string port;
};

// Type SOCK_DGRAM: UDP, params[port_at] is the port.  SOCK_RAW: params[port_at]
// is the IP protocol.
template <int Type>
Result<DgramKind> kind_of(const AddressSpec& a, size_t port_at) {
  if constexpr (Type == SOCK_DGRAM) {
    return DgramKind{SOCK_DGRAM, IPPROTO_UDP, a.params[port_at]};
  } else {
    auto proto = ip_protocol(a.params[port_at]);
    if (!proto) return proto.take_error();
    return DgramKind{SOCK_RAW, *proto, ""};
  }
}

// Addresses with a peer: <host>:<port|protocol>.
template <int Type, int Family, DgramMode Mode>
Result<Endpoint> open_dgram_peer(const AddressSpec& a, OpenContext& ctx) {
  auto k = kind_of<Type>(a, 1);
  if (!k) return k.take_error();
  auto targets = net::active_targets(ctx, a.params[0], k->port, Family, k->type, k->protocol);
  if (!targets) return targets.take_error();
  net::DgramSpec spec;
  spec.shape = {targets->front().family(), k->type, k->protocol};
  spec.mode = Mode;
  spec.peer = targets->front();
  return net::open_datagram(ctx, spec);
}

// Addresses with a local side only: <port|protocol>.
template <int Type, int Family, DgramMode Mode>
Result<Endpoint> open_dgram_local(const AddressSpec& a, OpenContext& ctx) {
  auto k = kind_of<Type>(a, 0);
  if (!k) return k.take_error();
  auto local = net::passive_local(ctx, Family, k->type, k->protocol, k->port);
  if (!local) return local.take_error();
  net::DgramSpec spec;
  spec.shape = {local->family(), k->type, k->protocol};
  spec.mode = Mode;
  spec.local = *local;
  return net::open_datagram(ctx, spec);
}

using namespace grp;
constexpr uint64_t kUdp = FD | SOCKET | IP_UDP;
constexpr uint64_t kRaw = FD | SOCKET;
constexpr uint64_t k46 = SOCK_IP4 | SOCK_IP6;

#define UDP_ROWS(P, FAM, IPG, WHO)                                                                                  \
  {.keyword = P "-CONNECT", .aliases = {P}, .min_params = 2, .max_params = 2, .usage = P "-CONNECT:<host>:<port>",  \
   .dir = Dir::ReadWrite, .groups = kUdp | IPG, .open = &open_dgram_peer<SOCK_DGRAM, FAM, DgramMode::Connect>,      \
   .summary = "UDP socket connected to one peer" WHO},                                                              \
  {.keyword = P "-LISTEN", .aliases = {P "-L"}, .min_params = 1, .max_params = 1, .usage = P "-LISTEN:<port>",     \
   .dir = Dir::ReadWrite, .groups = kUdp | IPG | LISTEN | CHILD | RANGE,                                            \
   .open = &open_dgram_local<SOCK_DGRAM, FAM, DgramMode::Listen>,                                                   \
   .summary = "UDP server: first sender becomes the peer" WHO},                                                     \
  {.keyword = P "-SENDTO", .aliases = {P "-SEND"}, .min_params = 2, .max_params = 2,                               \
   .usage = P "-SENDTO:<host>:<port>", .dir = Dir::ReadWrite, .groups = kUdp | IPG,                                 \
   .open = &open_dgram_peer<SOCK_DGRAM, FAM, DgramMode::SendTo>, .summary = "UDP packets to one peer" WHO},        \
  {.keyword = P "-RECVFROM", .min_params = 1, .max_params = 1, .usage = P "-RECVFROM:<port>",                       \
   .dir = Dir::ReadWrite, .groups = kUdp | IPG | CHILD | RANGE,                                                     \
   .open = &open_dgram_local<SOCK_DGRAM, FAM, DgramMode::RecvFrom>,                                                 \
   .summary = "one UDP packet, answers go to its sender" WHO},                                                      \
  {.keyword = P "-RECV", .min_params = 1, .max_params = 1, .usage = P "-RECV:<port>", .dir = Dir::Read,             \
   .groups = kUdp | IPG | RANGE, .open = &open_dgram_local<SOCK_DGRAM, FAM, DgramMode::Recv>,                       \
   .summary = "UDP packets from any sender, read only" WHO},                                                        \
  {.keyword = P "-DATAGRAM", .aliases = {P "-DGRAM"}, .min_params = 2, .max_params = 2,                            \
   .usage = P "-DATAGRAM:<host>:<port>", .dir = Dir::ReadWrite, .groups = kUdp | IPG | RANGE,                       \
   .open = &open_dgram_peer<SOCK_DGRAM, FAM, DgramMode::Datagram>,                                                  \
   .summary = "UDP packets to an address, replies from range" WHO}

#define IP_ROWS(P, FAM, IPG, WHO)                                                                                     \
  {.keyword = P "-SENDTO", .aliases = {P, P "-SEND"}, .min_params = 2, .max_params = 2,                               \
   .usage = P "-SENDTO:<host>:<protocol>", .dir = Dir::ReadWrite, .groups = kRaw | IPG,                                \
   .open = &open_dgram_peer<SOCK_RAW, FAM, DgramMode::SendTo>, .summary = "raw IP packets to a host" WHO},             \
  {.keyword = P "-RECVFROM", .min_params = 1, .max_params = 1, .usage = P "-RECVFROM:<protocol>",                      \
   .dir = Dir::ReadWrite, .groups = kRaw | IPG | CHILD | RANGE,                                                        \
   .open = &open_dgram_local<SOCK_RAW, FAM, DgramMode::RecvFrom>,                                                      \
   .summary = "one raw IP packet, answers to its sender" WHO},                                                         \
  {.keyword = P "-RECV", .min_params = 1, .max_params = 1, .usage = P "-RECV:<protocol>", .dir = Dir::Read,            \
   .groups = kRaw | IPG | RANGE, .open = &open_dgram_local<SOCK_RAW, FAM, DgramMode::Recv>,                            \
   .summary = "raw IP packets, read only" WHO},                                                                        \
  {.keyword = P "-DATAGRAM", .aliases = {P "-DGRAM"}, .min_params = 2, .max_params = 2,                               \
   .usage = P "-DATAGRAM:<host>:<protocol>", .dir = Dir::ReadWrite, .groups = kRaw | IPG | RANGE,                      \
   .open = &open_dgram_peer<SOCK_RAW, FAM, DgramMode::Datagram>,                                                       \
   .summary = "raw IP packets to an address, replies from range" WHO}

const AddressType kDatagramTypes[] = {
    UDP_ROWS("UDP", AF_UNSPEC, k46, ""),
    UDP_ROWS("UDP4", AF_INET, SOCK_IP4, " (IPv4)"),
    UDP_ROWS("UDP6", AF_INET6, SOCK_IP6, " (IPv6)"),
    IP_ROWS("IP", AF_UNSPEC, k46, ""),
    IP_ROWS("IP4", AF_INET, SOCK_IP4, " (IPv4)"),
    IP_ROWS("IP6", AF_INET6, SOCK_IP6, " (IPv6)"),
};
#undef UDP_ROWS
#undef IP_ROWS
const AddressTypeRegistrar kReg(kDatagramTypes);

}  // namespace
}  // namespace relay
