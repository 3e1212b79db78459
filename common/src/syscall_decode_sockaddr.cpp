// struct sockaddr bytes, as captured from a connect/bind/sendto argument or
// an accept/getsockname result, rendered two ways: strace's structure form
// ({sa_family=AF_INET, sin_port=htons(8000), sin_addr=inet_addr("127.0.0.1")})
// for trace lines, and socat's compact "AF=2 127.0.0.1:8000" for relay's
// -dddd logs.  Input is raw bytes of any length; a short capture renders
// what it holds and never reads past it.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope {

namespace {

int family_of(std::string_view raw) {
  sa_family_t f = 0;
  std::memcpy(&f, raw.data(), sizeof f);
  return f;
}

// sun_path up to the first NUL (a path) or, when it starts with NUL, the
// whole abstract name.
std::string_view unix_path(std::string_view raw, bool& abstract) {
  std::string_view path = raw.substr(offsetof(sockaddr_un, sun_path));
  abstract = !path.empty() && path[0] == '\0';
  if (abstract) return path.substr(1);
  size_t nul = path.find('\0');
  return nul == std::string_view::npos ? path : path.substr(0, nul);
}

}  // namespace

void format_sockaddr(std::string_view raw, std::string& out) {
  auto o = std::back_inserter(out);
  if (raw.size() < sizeof(sa_family_t)) {
    out.append("{}");
    return;
  }
  int fam = family_of(raw);
  out.append("{sa_family=");
  format_enum(FlagTable::kSocketDomain, static_cast<uint64_t>(fam), out);
  if (fam == AF_INET && raw.size() >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, raw.data(), sizeof in);
    char a[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &in.sin_addr, a, sizeof a);
    fmt::format_to(o, ", sin_port=htons({}), sin_addr=inet_addr(\"{}\")}}", ntohs(in.sin_port), a);
    return;
  }
  if (fam == AF_INET6 && raw.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6;
    std::memcpy(&in6, raw.data(), sizeof in6);
    char a[INET6_ADDRSTRLEN] = "";
    inet_ntop(AF_INET6, &in6.sin6_addr, a, sizeof a);
    fmt::format_to(o,
                   ", sin6_port=htons({}), sin6_flowinfo=htonl({}), inet_pton(AF_INET6, \"{}\", "
                   "&sin6_addr), sin6_scope_id={}}}",
                   ntohs(in6.sin6_port), ntohl(in6.sin6_flowinfo), a, in6.sin6_scope_id);
    return;
  }
  if (fam == AF_UNIX) {
    if (raw.size() > offsetof(sockaddr_un, sun_path)) {
      bool abstract = false;
      std::string_view path = unix_path(raw, abstract);
      out.append(", sun_path=");
      if (abstract) out.push_back('@');
      format_quoted(path, sizeof(sockaddr_un::sun_path), false, out);
    }
    out.push_back('}');
    return;
  }
  if (fam == AF_NETLINK && raw.size() >= sizeof(sockaddr_nl)) {
    sockaddr_nl nl;
    std::memcpy(&nl, raw.data(), sizeof nl);
    fmt::format_to(o, ", nl_pid={}, nl_groups={:08x}}}", nl.nl_pid, nl.nl_groups);
    return;
  }
  if (raw.size() > sizeof(sa_family_t)) {
    out.append(", sa_data=");
    format_quoted(raw.substr(sizeof(sa_family_t)), 64, false, out);
  }
  out.push_back('}');
}

void format_sockaddr_socat(std::string_view raw, std::string& out) {
  auto o = std::back_inserter(out);
  if (raw.size() < sizeof(sa_family_t)) {
    out.append("AF=?");
    return;
  }
  int fam = family_of(raw);
  fmt::format_to(o, "AF={} ", fam);
  if (fam == AF_INET && raw.size() >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, raw.data(), sizeof in);
    char a[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &in.sin_addr, a, sizeof a);
    fmt::format_to(o, "{}:{}", a, ntohs(in.sin_port));
  } else if (fam == AF_INET6 && raw.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6;
    std::memcpy(&in6, raw.data(), sizeof in6);
    char a[INET6_ADDRSTRLEN] = "";
    inet_ntop(AF_INET6, &in6.sin6_addr, a, sizeof a);
    fmt::format_to(o, "[{}]:{}", a, ntohs(in6.sin6_port));
  } else if (fam == AF_UNIX) {
    bool abstract = false;
    std::string_view path = raw.size() > offsetof(sockaddr_un, sun_path)
                                ? unix_path(raw, abstract)
                                : std::string_view();
    out.push_back('"');
    if (abstract) out.append("\\0");
    out.append(path);
    out.push_back('"');
  } else {
    for (unsigned char c : raw.substr(sizeof(sa_family_t))) fmt::format_to(o, "{:02x}", c);
  }
}

}  // namespace fdscope
