// Generic socket addresses (SOCKET-CONNECT/-LISTEN/-SENDTO/-RECVFROM/-RECV/
// -DATAGRAM): any domain, type and protocol given as numbers (or AF_/SOCK_/
// IPPROTO_ names), with the socket address as socat writes it: the bytes
// after the family field in hex ("x" prefix optional), e.g. for AF_INET
// 127.0.0.1:80 "x00507f000001".  They share the open paths of the typed
// addresses, so options, retry, fork and range work the same.
#include <sys/socket.h>

#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "fdscope/sockaddr.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

using fdscope::plain_error;
using fdscope::Result;
using net::DgramMode;

Result<int> number_or_name(std::string_view what, std::string_view text, std::span<const fdscope::NameEntry> names) {
  std::string t(text);
  char* end = nullptr;
  long v = std::strtol(t.c_str(), &end, 0);
  if (!t.empty() && *end == '\0') return static_cast<int>(v);
  std::string upper;
  for (char c : t) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  int value;
  if (fdscope::lookup_value(names, upper, &value)) return value;
  return plain_error(fmt::format("{} \"{}\": not a number or known name", what, text));
}

Result<net::SockAddr> generic_addr(int domain, std::string_view hex) {
  if (!hex.empty() && (hex[0] == 'x' || hex[0] == 'X')) hex.remove_prefix(1);
  net::SockAddr a;
  size_t off = offsetof(sockaddr, sa_data);
  if (hex.size() % 2 || hex.size() / 2 > sizeof a.ss - off)
    return plain_error(fmt::format("socket address \"{}\": expected hex bytes (at most {})", hex, sizeof a.ss - off));
  auto* p = reinterpret_cast<unsigned char*>(&a.ss);
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(hex[i])) || !std::isxdigit(static_cast<unsigned char>(hex[i + 1])))
      return plain_error(fmt::format("socket address \"{}\": not hex", hex));
    p[off + i / 2] = static_cast<unsigned char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  a.ss.ss_family = static_cast<sa_family_t>(domain);
  a.len = static_cast<socklen_t>(off + hex.size() / 2);
  return a;
}

struct Parsed {
  net::SocketShape shape;
  net::SockAddr addr;
};

// with_type: <domain>:<type>:<protocol>:<address>, else <domain>:<protocol>:<address> (stream).
Result<Parsed> parse(const AddressSpec& a, bool with_type) {
  Parsed p;
  size_t i = 0;
  auto dom = number_or_name("domain", a.params[i++], fdscope::family_names());
  if (!dom) return dom.take_error();
  p.shape.family = *dom;
  p.shape.type = SOCK_STREAM;
  if (with_type) {
    auto ty = number_or_name("type", a.params[i++], fdscope::socket_type_names());
    if (!ty) return ty.take_error();
    p.shape.type = *ty;
  }
  auto pr = number_or_name("protocol", a.params[i++], fdscope::ip_protocol_names());
  if (!pr) return pr.take_error();
  p.shape.protocol = *pr;
  auto addr = generic_addr(p.shape.family, a.params[i]);
  if (!addr) return addr.take_error();
  p.addr = *addr;
  return p;
}

Result<Endpoint> open_socket_connect(const AddressSpec& a, OpenContext& ctx) {
  auto p = parse(a, false);
  if (!p) return p.take_error();
  net::ClientSpec spec;
  spec.shape = p->shape;
  spec.targets = {p->addr};
  return net::open_client(ctx, spec);
}

Result<Endpoint> open_socket_listen(const AddressSpec& a, OpenContext& ctx) {
  auto p = parse(a, false);
  if (!p) return p.take_error();
  net::ListenSpec spec;
  spec.shape = p->shape;
  spec.local = p->addr;
  return net::open_listener(ctx, spec);
}

template <DgramMode Mode>
Result<Endpoint> open_socket_dgram(const AddressSpec& a, OpenContext& ctx) {
  auto p = parse(a, true);
  if (!p) return p.take_error();
  net::DgramSpec spec;
  spec.shape = p->shape;
  spec.mode = Mode;
  if (Mode == DgramMode::SendTo || Mode == DgramMode::Datagram) spec.peer = p->addr;
  else spec.local = p->addr;
  return net::open_datagram(ctx, spec);
}

using namespace grp;

const AddressType kSocket[] = {
    {.keyword = "SOCKET-CONNECT", .min_params = 3, .max_params = 3,
     .usage = "SOCKET-CONNECT:<domain>:<protocol>:<remote-address>", .dir = Dir::ReadWrite,
     .groups = FD | SOCKET | CHILD | RETRY, .open = &open_socket_connect, .summary = "generic stream client"},
    {.keyword = "SOCKET-LISTEN", .min_params = 3, .max_params = 3,
     .usage = "SOCKET-LISTEN:<domain>:<protocol>:<local-address>", .dir = Dir::ReadWrite,
     .groups = FD | SOCKET | LISTEN | RANGE | CHILD | RETRY, .open = &open_socket_listen,
     .summary = "generic stream server"},
    {.keyword = "SOCKET-SENDTO", .aliases = {"SENDTO"}, .min_params = 4, .max_params = 4,
     .usage = "SOCKET-SENDTO:<domain>:<type>:<protocol>:<remote-address>", .dir = Dir::ReadWrite,
     .groups = FD | SOCKET, .open = &open_socket_dgram<DgramMode::SendTo>, .summary = "generic datagrams to a peer"},
    {.keyword = "SOCKET-RECVFROM", .min_params = 4, .max_params = 4,
     .usage = "SOCKET-RECVFROM:<domain>:<type>:<protocol>:<local-address>", .dir = Dir::ReadWrite,
     .groups = FD | SOCKET | RANGE | CHILD, .open = &open_socket_dgram<DgramMode::RecvFrom>,
     .summary = "generic: one datagram, answers to its sender"},
    {.keyword = "SOCKET-RECV", .min_params = 4, .max_params = 4,
     .usage = "SOCKET-RECV:<domain>:<type>:<protocol>:<local-address>", .dir = Dir::Read,
     .groups = FD | SOCKET | RANGE, .open = &open_socket_dgram<DgramMode::Recv>,
     .summary = "generic datagram receiver, read only"},
    {.keyword = "SOCKET-DATAGRAM", .aliases = {"DATAGRAM", "DGRAM"}, .min_params = 4, .max_params = 4,
     .usage = "SOCKET-DATAGRAM:<domain>:<type>:<protocol>:<remote-address>", .dir = Dir::ReadWrite,
     .groups = FD | SOCKET | RANGE, .open = &open_socket_dgram<DgramMode::Datagram>,
     .summary = "generic datagrams to an address"},
};
const AddressTypeRegistrar kReg(kSocket);

}  // namespace
}  // namespace relay
