// Socket address values and socat's text rendering of them.  Every network
// address file logs through to_string() so "opening connection to AF=2
// 127.0.0.1:1" and "accepting connection from ..." read exactly as socat's.
#include "net/sock_addr.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include <fmt/format.h>

namespace relay::net {

uint16_t SockAddr::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  return 0;
}

void SockAddr::set_port(uint16_t port) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&ss)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port = htons(port);
}

static std::string unix_path(const sockaddr_un* un, socklen_t len) {
  size_t off = offsetof(sockaddr_un, sun_path);
  if (len <= off) return "";
  size_t n = len - off;
  if (un->sun_path[0] == '\0') return "@" + std::string(un->sun_path + 1, n - 1);
  return std::string(un->sun_path, strnlen(un->sun_path, n));
}

std::string SockAddr::host() const {
  char buf[INET6_ADDRSTRLEN] = "";
  if (family() == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
  else if (family() == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
  else if (family() == AF_UNIX)
    return unix_path(reinterpret_cast<const sockaddr_un*>(&ss), len);
  return buf;
}

bool SockAddr::is_loopback() const {
  if (family() == AF_INET)
    return (ntohl(reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr.s_addr) >> 24) == 127;
  if (family() == AF_INET6)
    return IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr);
  return false;
}

SockAddr SockAddr::from(const sockaddr* sa, socklen_t len) {
  SockAddr a;
  if (len > sizeof a.ss) len = sizeof a.ss;
  std::memcpy(&a.ss, sa, len);
  a.len = len;
  return a;
}

std::string to_string(const SockAddr& a) {
  switch (a.family()) {
    case AF_INET:
      return fmt::format("AF=2 {}:{}", a.host(), a.port());
    case AF_INET6: {
      // socat prints all eight groups with four hex digits each.
      const auto* s6 = reinterpret_cast<const sockaddr_in6*>(&a.ss);
      std::string out = "AF=10 [";
      for (int i = 0; i < 8; ++i) {
        unsigned g = (s6->sin6_addr.s6_addr[2 * i] << 8) | s6->sin6_addr.s6_addr[2 * i + 1];
        out += fmt::format("{}{:04x}", i ? ":" : "", g);
      }
      return out + fmt::format("]:{}", a.port());
    }
    case AF_UNIX: {
      std::string p = a.host();
      if (p.empty()) p = "<anon>";
      std::string out = "AF=1 \"";
      for (unsigned char c : p) {
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') out += static_cast<char>(c);
        else out += fmt::format("\\x{:02X}", c);
      }
      return out + "\"";
    }
    case AF_UNSPEC:
      return "AF=0";
    default:
      return fmt::format("AF={} (len {})", a.family(), a.len);
  }
}

fdscope::Result<SockAddr> unix_addr(std::string_view path, bool abstract) {
  SockAddr a;
  auto* un = reinterpret_cast<sockaddr_un*>(&a.ss);
  un->sun_family = AF_UNIX;
  size_t off = abstract ? 1 : 0;
  // Paths need room for the terminating NUL; abstract names do not.
  size_t room = sizeof un->sun_path - (abstract ? 1 : 1);
  if (path.empty() && !abstract) return fdscope::plain_error("empty UNIX socket path");
  if (path.size() > room)
    return fdscope::plain_error(fmt::format("\"{}\": UNIX socket name too long ({} bytes, at most {})",
                                            path, path.size(), room));
  std::memcpy(un->sun_path + off, path.data(), path.size());
  a.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + off + path.size() + (abstract ? 0 : 1));
  return a;
}

fdscope::Result<SockAddr> local_addr(int fd) {
  SockAddr a;
  a.len = sizeof a.ss;
  if (::getsockname(fd, a.sa(), &a.len) < 0) return fdscope::sys_error(fmt::format("getsockname({})", fd));
  return a;
}

fdscope::Result<SockAddr> peer_addr(int fd) {
  SockAddr a;
  a.len = sizeof a.ss;
  if (::getpeername(fd, a.sa(), &a.len) < 0) return fdscope::sys_error(fmt::format("getpeername({})", fd));
  return a;
}

}  // namespace relay::net
