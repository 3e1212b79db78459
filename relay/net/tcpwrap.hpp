// socat's tcpwrap options (RANGE group): after accepting a connection a
// server asks Wietse Venema's libwrap whether the client may connect, by
// the rules of /etc/hosts.allow and /etc/hosts.deny (hosts_access(5)) or of
// the tables that tcpwrap-etc, allow-table and deny-table name.  The
// options are in net/tcpwrap.cpp; the stream listeners (serve_listener) and
// the datagram servers (UDP-LISTEN, *-RECVFROM in open_datagram) of
// net/socket_open.cpp refuse a client that libwrap denies, as they do one
// outside range=.
#pragma once

#include <optional>
#include <string>

#include "core/open_context.hpp"
#include "net/sock_addr.hpp"

namespace relay::net {

struct TcpWrapPolicy {
  std::string daemon;       // the daemon name matched in the tables (default: relay's argv[0] name)
  std::string allow_table;  // empty: libwrap's default (/etc/hosts.allow)
  std::string deny_table;
};

// The policy of ctx's address, or nullopt without tcpwrap; marks the
// options applied.
std::optional<TcpWrapPolicy> read_tcpwrap(OpenContext& ctx);

// Whether libwrap lets the peer of the connected socket fd in.
bool tcpwrap_allows(const TcpWrapPolicy& policy, int fd);

// The same for a datagram's sender (UDP-LISTEN, *-RECVFROM), given the
// sender's and the local address.
bool tcpwrap_allows(const TcpWrapPolicy& policy, const SockAddr& peer, const SockAddr& local);

}  // namespace relay::net
