// Socket addresses and the names of socket families, types and protocols.
//
// SockAddr holds an address exactly as the kernel returned it (bytes plus
// length): every formatter works from the returned length, so UNIX paths that
// are not NUL-terminated and abstract names containing NULs are rendered
// exactly, never with stray bytes after them (socat's filan prints those).
//
// Three renderings of one address:
//   AddrStyle::Socat       filan/socat log form:  AF=2 127.0.0.1:80, AF=10 [::1]:80,
//                          AF=1 "/path", AF=1 "<anon>", AF=1 "\0abstract"
//                          (bytes escaped as socat does: \0 for NUL, \n \r \t,
//                          \\ for backslash, \xHH for other non-printable bytes)
//   AddrStyle::SocatShort  filan -s/-S form: 127.0.0.1:80, [::1]:80, /path, <anon>,
//                          \0abstract
//   AddrStyle::Plain       ss-like form: 127.0.0.1:80, [::1]:80, /path, @abstract
//                          (NUL inside an abstract name shown as @), "" for unnamed
//                          unix, netlink pid:groups, packet ifindex/proto (ETH_P
//                          name), vsock cid:port, other families AF=<n> <hex>
//
// JSON keys written by sockaddr_json() (an object; keys only when meaningful):
//   "family"   string   "AF_INET", "AF_UNIX", ... (or the number as a string)
//   "address"  string   IP address text (inet/inet6)
//   "port"     number   (inet/inet6, vsock)
//   "flowinfo", "scope_id"  number  (inet6, only when non-zero)
//   "path"     string   UNIX filesystem path
//   "abstract" string   UNIX abstract name without the leading NUL (bytes escaped
//                       per JSON; NULs become \u0000)
//   "unnamed"  true     unnamed UNIX socket
//   "pid", "groups"     number (netlink)
//   "ifindex", "protocol", "hatype", "pkttype", "hwaddr" (packet)
//   "cid"      number   (vsock)
//   "text"     string   the Plain rendering, always present
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

// One row of a number -> name table.
struct NameEntry {
  int value;
  const char* name;
};

// Tables (sorted by value) and lookups.  Lookups return "" when unknown.
std::span<const NameEntry> family_names();          // AF_UNIX, AF_INET, ...
std::span<const NameEntry> socket_type_names();     // SOCK_STREAM, ...
std::span<const NameEntry> ip_protocol_names();     // IPPROTO_IP, IPPROTO_TCP, ...
std::span<const NameEntry> eth_protocol_names();    // ETH_P_ALL, ETH_P_IP, ... (host order)
std::span<const NameEntry> netlink_protocol_names(); // NETLINK_ROUTE, ...

std::string_view lookup_name(std::span<const NameEntry> table, int value);
// Reverse lookup by exact name; returns false when not found.
bool lookup_value(std::span<const NameEntry> table, std::string_view name, int* value);

std::string_view family_name(int family);       // "AF_INET"
std::string_view socket_type_name(int type);    // "SOCK_STREAM" (SOCK_NONBLOCK/CLOEXEC bits ignored)
std::string_view ip_protocol_name(int proto);   // "IPPROTO_TCP"
std::string_view eth_protocol_name(int proto);  // host-order ETH_P_* value
std::string_view netlink_protocol_name(int proto);

// The protocol name for a socket of this family: IPPROTO_* for inet/inet6,
// NETLINK_* for netlink, ETH_P_* for packet (protocol given in network order,
// as SO_PROTOCOL returns it); otherwise "".
std::string_view protocol_name(int family, int protocol);

// Short lower-case protocol word as ss/filan -s use it: "tcp", "udp", "raw",
// "icmp", "sctp", "unix", "netlink", "packet", "vsock", or "" when unknown.
std::string_view protocol_word(int family, int type, int protocol);

// An address as returned by getsockname/getpeername/accept/recvfrom.
struct SockAddr {
  sockaddr_storage storage{};
  socklen_t len = 0;  // bytes the kernel returned (may be < sizeof(sockaddr_un))

  static SockAddr from(const sockaddr* sa, socklen_t len);
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  int family() const { return len >= sizeof(sa_family_t) ? storage.ss_family : AF_UNSPEC; }
  bool empty() const { return len == 0; }
};

// getsockname / getpeername.  Errors carry the errno (ENOTCONN for peer of
// an unconnected socket).
Result<SockAddr> local_address(int fd);
Result<SockAddr> peer_address(int fd);

enum class AddrStyle { Socat, SocatShort, Plain };

std::string format_sockaddr(const sockaddr* sa, socklen_t len, AddrStyle style = AddrStyle::Plain);
inline std::string format_sockaddr(const SockAddr& a, AddrStyle style = AddrStyle::Plain) {
  return format_sockaddr(a.get(), a.len, style);
}
// The same text appended to out (no temporary string for IPv4).
void append_sockaddr(std::string& out, const sockaddr* sa, socklen_t len, AddrStyle style);
inline void append_sockaddr(std::string& out, const SockAddr& a, AddrStyle style) {
  append_sockaddr(out, a.get(), a.len, style);
}

// UNIX address helpers (work on the returned length).
enum class UnixAddrKind { Unnamed, Path, Abstract };
UnixAddrKind unix_addr_kind(const sockaddr* sa, socklen_t len);
// The path (Path) or abstract name without its leading NUL (Abstract), exactly
// as many bytes as the address holds (a trailing NUL of a path is dropped).
std::string unix_addr_name(const sockaddr* sa, socklen_t len);

// Writes the address as one JSON object (keys above).
void sockaddr_json(JsonWriter& w, const sockaddr* sa, socklen_t len);
inline void sockaddr_json(JsonWriter& w, const SockAddr& a) { sockaddr_json(w, a.get(), a.len); }

// socat's escaping of address bytes: printable ASCII as is, backslash
// doubled, NUL as \0, \n \r \t, everything else as \xHH (upper-case hex;
// socat 1.7.4 miscomputes some of these digits, we do not).
std::string socat_escape(std::string_view bytes);

}  // namespace fdscope
