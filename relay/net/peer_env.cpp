// Exports <PREFIX>_PEERADDR/_PEERPORT/_SOCKADDR/_SOCKPORT for child programs
// (rules in peer_env.hpp).  Called right after accept (or recvfrom) in the
// process that will run the transfer, before the second address is opened.
#include "net/peer_env.hpp"

#include <stdlib.h>

#include <cctype>

#include "fdscope/log.hpp"

namespace relay::net {

std::string env_prefix(const std::string& progname) {
  std::string p;
  for (unsigned char c : progname) p += std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
  return p.empty() ? "RELAY" : p;
}

static void set_pair(const std::string& prefix, const char* addr_var, const char* port_var, const SockAddr& a) {
  auto put = [&](const std::string& pfx) {
    ::setenv((pfx + addr_var).c_str(), a.host().c_str(), 1);
    if (a.family() == AF_INET || a.family() == AF_INET6)
      ::setenv((pfx + port_var).c_str(), std::to_string(a.port()).c_str(), 1);
  };
  put(prefix + "_");
  if (prefix != "SOCAT") put("SOCAT_");
}

void export_peer_env(const SockAddr* peer, const SockAddr* local) {
  std::string prefix = env_prefix(fdscope::process_logger().style().progname);
  if (peer && peer->len) set_pair(prefix, "PEERADDR", "PEERPORT", *peer);
  if (local && local->len) set_pair(prefix, "SOCKADDR", "SOCKPORT", *local);
}

}  // namespace relay::net
