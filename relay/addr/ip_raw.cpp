// Raw IP addresses: IP-SENDTO, IP-RECVFROM, IP-RECV, IP-DATAGRAM (and IP4/IP6
// forms): SOCK_RAW sockets of one IP protocol (number or name from
// /etc/protocols).  Creating them needs CAP_NET_RAW.  raw(7) delivers IPv4
// packets with their IP header; as socat does, relay removes it (see
// net/ip4_header_strip.hpp), so both families pass on only the payload.
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

template <int Family, DgramMode Mode>
Result<Endpoint> open_ip_peer(const AddressSpec& a, OpenContext& ctx) {
  auto proto = ip_protocol(a.params[1]);
  if (!proto) return proto.take_error();
  auto targets = net::active_targets(ctx, a.params[0], "", Family, SOCK_RAW, *proto);
  if (!targets) return targets.take_error();
  net::DgramSpec spec;
  spec.shape = {targets->front().family(), SOCK_RAW, *proto};
  spec.mode = Mode;
  spec.peer = targets->front();
  return net::open_datagram(ctx, spec);
}

template <int Family, DgramMode Mode>
Result<Endpoint> open_ip_local(const AddressSpec& a, OpenContext& ctx) {
  auto proto = ip_protocol(a.params[0]);
  if (!proto) return proto.take_error();
  auto local = net::passive_local(ctx, Family, SOCK_RAW, *proto, "");
  if (!local) return local.take_error();
  net::DgramSpec spec;
  spec.shape = {local->family(), SOCK_RAW, *proto};
  spec.mode = Mode;
  spec.local = *local;
  return net::open_datagram(ctx, spec);
}

using namespace grp;

#define IP_ROWS(P, FAM, IPG, WHO)                                                                                     \
  {.keyword = P "-SENDTO", .aliases = {P, P "-SEND"}, .min_params = 2, .max_params = 2,                               \
   .usage = P "-SENDTO:<host>:<protocol>", .dir = Dir::ReadWrite, .groups = FD | SOCKET | IPG,                         \
   .open = &open_ip_peer<FAM, DgramMode::SendTo>, .summary = "raw IP packets to a host" WHO},                          \
  {.keyword = P "-RECVFROM", .min_params = 1, .max_params = 1, .usage = P "-RECVFROM:<protocol>",                      \
   .dir = Dir::ReadWrite, .groups = FD | SOCKET | IPG | CHILD | RANGE,                                                 \
   .open = &open_ip_local<FAM, DgramMode::RecvFrom>, .summary = "one raw IP packet, answers to its sender" WHO},       \
  {.keyword = P "-RECV", .min_params = 1, .max_params = 1, .usage = P "-RECV:<protocol>", .dir = Dir::Read,            \
   .groups = FD | SOCKET | IPG | RANGE, .open = &open_ip_local<FAM, DgramMode::Recv>,                                  \
   .summary = "raw IP packets, read only" WHO},                                                                        \
  {.keyword = P "-DATAGRAM", .aliases = {P "-DGRAM"}, .min_params = 2, .max_params = 2,                               \
   .usage = P "-DATAGRAM:<host>:<protocol>", .dir = Dir::ReadWrite, .groups = FD | SOCKET | IPG | RANGE,               \
   .open = &open_ip_peer<FAM, DgramMode::Datagram>, .summary = "raw IP packets to an address, replies from range" WHO}

const AddressType kIp[] = {
    IP_ROWS("IP", AF_UNSPEC, SOCK_IP4 | SOCK_IP6, ""),
    IP_ROWS("IP4", AF_INET, SOCK_IP4, " (IPv4)"),
    IP_ROWS("IP6", AF_INET6, SOCK_IP6, " (IPv6)"),
};
#undef IP_ROWS
const AddressTypeRegistrar kReg(kIp);

}  // namespace
}  // namespace relay
