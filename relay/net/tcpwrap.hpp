// socat's tcpwrap options (RANGE group): after accepting a connection a
// server asks Wietse Venema's libwrap whether the client may connect, by
// the rules of /etc/hosts.allow and /etc/hosts.deny (hosts_access(5)) or of
// the tables that tcpwrap-etc, allow-table and deny-table name.  The
// options are in net/tcpwrap.cpp; serve_listener() (net/socket_open.cpp)
// refuses a client that libwrap denies, as it does one outside range=.
#pragma once

#include <optional>
#include <string>

#include "core/open_context.hpp"

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

}  // namespace relay::net
