// Name resolution for the IP addresses: host and port text to socket
// addresses, honouring the address's own IP version (TCP4 vs TCP) and the
// global preference (-4, -6, -0).  Also the "[host][:port]" form of the bind
// option and the bracketed IPv6 literals socat accepts ("[::1]").
#pragma once

#include <netdb.h>

#include <string>
#include <string_view>
#include <vector>

#include "fdscope/result.hpp"
#include "net/sock_addr.hpp"

namespace relay::net {

// -4 / -6 / -0 and the default (no option): prefer IPv4, as socat 1.7 does
// and as socat 1.8 does for clients.
enum class IpPref { Default, V4, V6, None };

// The process-wide preference, set once by the command line (main) before
// any address is opened.  Also read from RELAY_PREFERRED_RESOLVE_IP /
// SOCAT_PREFERRED_RESOLVE_IP ("4", "6", "0") when the command line set none.
void set_ip_preference(IpPref p);
IpPref ip_preference();

// The ai-* and res-* options of one address (net/opts_resolver.cpp):
// getaddrinfo() hint flags and resolver (_res.options) bits forced on or
// off for that address's resolutions only.
struct ResolverFlags {
  int ai_on = 0;
  int ai_off = 0;
  unsigned long res_on = 0;
  unsigned long res_off = 0;
};

struct ResolveSpec {
  std::string host;      // empty: wildcard (passive) - required for active use
  std::string port;      // number or service name; empty means 0
  int family = AF_UNSPEC;  // AF_INET / AF_INET6 for the "4"/"6" keywords
  int socktype = SOCK_STREAM;
  int protocol = 0;
  bool passive = false;  // listen/bind side: empty host means any address
  ResolverFlags flags{};  // ai-*/res-* options of the address
};

// Addresses for spec, preferred family first.  Errors quote host and port:
//   getaddrinfo("nosuch", "80", ...): Name or service not known
fdscope::Result<std::vector<SockAddr>> resolve(const ResolveSpec& spec);

// The first address of resolve(spec).
fdscope::Result<SockAddr> resolve_one(const ResolveSpec& spec);

// Strip one pair of surrounding brackets: "[::1]" -> "::1".
std::string_view strip_brackets(std::string_view host);

// Split "host:port", "[v6]:port", ":port", "host" (port empty).
struct HostPort {
  std::string host;
  std::string port;
};
HostPort split_host_port(std::string_view text);

// Family that the passive side uses when the address does not fix one
// (TCP-LISTEN, UDP-RECV...): AF_INET6 under -6 or -0, else AF_INET.
int default_passive_family();

}  // namespace relay::net
