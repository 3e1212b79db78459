// The environment a forked server child passes to programs it runs (EXEC,
// SYSTEM, SHELL): the peer's and the local socket's address and port, as
// socat does.  Variables are named <PREFIX>_PEERADDR, _PEERPORT, _SOCKADDR,
// _SOCKPORT, where PREFIX is the program name of the log lines (-lp),
// upper-cased with non-alphanumerics as '_' ("RELAY" by default).  When the
// prefix is not SOCAT the SOCAT_* names are set as well, so scripts written
// for socat keep working unchanged.
#pragma once

#include <string>

#include "net/sock_addr.hpp"

namespace relay::net {

// "relay" -> "RELAY", "my-relay" -> "MY_RELAY".
std::string env_prefix(const std::string& progname);

// Sets the variables for one accepted connection (or received packet).
// Ports are set for IP families only; for UNIX sockets ADDR is the path.
void export_peer_env(const SockAddr* peer, const SockAddr* local);

}  // namespace relay::net
