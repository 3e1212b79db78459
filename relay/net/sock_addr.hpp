// SockAddr: one socket address (any family) with its length, as the network
// addresses pass it between resolution, bind, connect, accept and logging.
// The text form is socat's ("AF=2 127.0.0.1:80", "AF=10 [0000:...:0001]:80",
// "AF=1 \"/path\"") so relay's log lines read like socat's.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fdscope/result.hpp"

namespace relay::net {

struct SockAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;

  int family() const { return len ? ss.ss_family : AF_UNSPEC; }
  sockaddr* sa() { return reinterpret_cast<sockaddr*>(&ss); }
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }

  // Port of an AF_INET/AF_INET6 address (host order), 0 for other families.
  uint16_t port() const;
  void set_port(uint16_t port);
  // Numeric host part without brackets ("127.0.0.1", "::1"), or the path of
  // an AF_UNIX address ("" for unnamed, "@name" shown for abstract ones).
  std::string host() const;
  bool is_loopback() const;

  static SockAddr from(const sockaddr* sa, socklen_t len);
};

// socat's rendering used in log lines: AF=<n> <address>.
std::string to_string(const SockAddr& a);

// AF_UNIX addresses.  `abstract` puts a leading NUL (Linux abstract
// namespace).  Fails if the name does not fit sun_path.
fdscope::Result<SockAddr> unix_addr(std::string_view path, bool abstract);

// The local and peer address of a socket (getsockname / getpeername).
fdscope::Result<SockAddr> local_addr(int fd);
fdscope::Result<SockAddr> peer_addr(int fd);

}  // namespace relay::net
