// Host and port resolution for the IP address types.  getaddrinfo() does the
// lookup; this file adds socat's conventions around it: bracketed IPv6
// literals, the -4/-6/-0 preference ordering results, empty host meaning the
// wildcard on the passive side, and one error line that quotes the input.
#include "net/resolve.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace relay::net {

namespace {
IpPref g_pref = IpPref::Default;
bool g_pref_set = false;

// res-* options: the resolver bits of one address, set around its
// getaddrinfo() call and restored afterwards (socat: "valid only for the
// address they are applied to").  glibc's getaddrinfo reads _res.options of
// the calling thread once it is initialised.
class ResolverOptionsScope {
 public:
  explicit ResolverOptionsScope(const ResolverFlags& f) : active_(f.res_on != 0 || f.res_off != 0) {
    if (!active_) return;
    if ((_res.options & RES_INIT) == 0) ::res_init();
    saved_ = _res.options;
    _res.options = (saved_ | f.res_on) & ~f.res_off;
  }
  ~ResolverOptionsScope() {
    if (active_) _res.options = saved_;
  }
  ResolverOptionsScope(const ResolverOptionsScope&) = delete;
  ResolverOptionsScope& operator=(const ResolverOptionsScope&) = delete;

 private:
  bool active_;
  unsigned long saved_ = 0;
};

IpPref pref_from_env() {
  for (const char* var : {"RELAY_PREFERRED_RESOLVE_IP", "SOCAT_PREFERRED_RESOLVE_IP"}) {
    const char* v = std::getenv(var);
    if (!v) continue;
    if (!std::strcmp(v, "4")) return IpPref::V4;
    if (!std::strcmp(v, "6")) return IpPref::V6;
    if (!std::strcmp(v, "0")) return IpPref::None;
  }
  return IpPref::Default;
}
}  // namespace

void set_ip_preference(IpPref p) {
  g_pref = p;
  g_pref_set = p != IpPref::Default;
}

IpPref ip_preference() { return g_pref_set ? g_pref : pref_from_env(); }

std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

HostPort split_host_port(std::string_view text) {
  HostPort hp;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close != std::string_view::npos) {
      hp.host = std::string(text.substr(1, close - 1));
      std::string_view rest = text.substr(close + 1);
      if (!rest.empty() && rest.front() == ':') hp.port = std::string(rest.substr(1));
      return hp;
    }
  }
  // A bare IPv6 literal has several colons: all of it is the host.
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || text.find(':') != colon) {
    hp.host = std::string(text);
    return hp;
  }
  hp.host = std::string(text.substr(0, colon));
  hp.port = std::string(text.substr(colon + 1));
  return hp;
}

int default_passive_family() {
  IpPref p = ip_preference();
  return (p == IpPref::V6 || p == IpPref::None) ? AF_INET6 : AF_INET;
}

fdscope::Result<std::vector<SockAddr>> resolve(const ResolveSpec& spec) {
  std::string host(strip_brackets(spec.host));
  std::string port = spec.port.empty() ? "0" : spec.port;
  int family = spec.family;
  IpPref pref = ip_preference();
  if (family == AF_UNSPEC && host.empty() && spec.passive) family = default_passive_family();

  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = spec.socktype;
  hints.ai_protocol = spec.protocol;
  hints.ai_flags = spec.passive ? AI_PASSIVE : 0;
  // SOCK_RAW/SEQPACKET and odd protocols confuse getaddrinfo's service
  // lookup: resolve as datagram and keep only the address.
  if (spec.socktype != SOCK_STREAM && spec.socktype != SOCK_DGRAM) {
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = 0;
  }
  if (hints.ai_protocol != IPPROTO_TCP && hints.ai_protocol != IPPROTO_UDP) hints.ai_protocol = 0;
  if (!port.empty() && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (port.size() > 5 || std::stoul(port) > 65535)
      return fdscope::plain_error(fmt::format("invalid port \"{}\"", spec.port));
    hints.ai_flags |= AI_NUMERICSERV;
  }
  hints.ai_flags = (hints.ai_flags | spec.flags.ai_on) & ~spec.flags.ai_off;
  addrinfo* res = nullptr;
  ResolverOptionsScope res_scope(spec.flags);
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) {
    std::string why = rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc);
    return fdscope::plain_error(fmt::format("getaddrinfo(\"{}\", \"{}\", {{{},{},{},{}}}): {}", host.empty() ? "NULL" : host,
                                            port, hints.ai_flags, family, hints.ai_socktype,
                                            hints.ai_protocol, why));
  }
  std::vector<SockAddr> out;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    SockAddr a = SockAddr::from(ai->ai_addr, ai->ai_addrlen);
    bool dup = std::any_of(out.begin(), out.end(), [&](const SockAddr& b) {
      return b.len == a.len && std::memcmp(&b.ss, &a.ss, a.len) == 0;
    });
    if (!dup) out.push_back(a);
  }
  ::freeaddrinfo(res);
  if (family == AF_UNSPEC && pref != IpPref::None) {
    int first = pref == IpPref::V6 ? AF_INET6 : AF_INET;
    std::stable_partition(out.begin(), out.end(), [&](const SockAddr& a) { return a.family() == first; });
  }
  if (out.empty())
    return fdscope::plain_error(fmt::format("getaddrinfo(\"{}\", \"{}\"): no address found", host, port));
  return out;
}

fdscope::Result<SockAddr> resolve_one(const ResolveSpec& spec) {
  auto r = resolve(spec);
  if (!r) return r.take_error();
  return r->front();
}

}  // namespace relay::net
