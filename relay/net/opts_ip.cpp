// The SOCK_IP4 and SOCK_IP6 option groups: IP-level setsockopt rows (ttl,
// tos, ip-options, the IP_RECV* flags, multicast) and the IPv6 ones
// (ipv6only, tclass, hop limits, group membership), with socat's names.
// Multicast memberships take socat's "group:interface-address[:ifname]"
// (IPv4) and "group:ifname" (IPv6) forms.
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/open_context.hpp"

#include "core/syscall_log.hpp"
#include "core/option.hpp"

namespace relay {
namespace {

using fdscope::Status;

constexpr uint64_t kIp4 = grp::SOCK_IP4;
constexpr uint64_t kIp6 = grp::SOCK_IP6;

std::vector<std::string> split_colon(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t c = s.find(':', start);
    out.emplace_back(s.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
  }
  return out;
}

fdscope::Error bad(const OptionDesc& d, const OptValue& v, const char* why) {
  return fdscope::plain_error(fmt::format("option \"{}={}\": {}", d.name, v.text, why));
}

// ip-options: bytes as hex ("x0102..." or "0102").
fdscope::Result<std::string> hex_bytes(const OptionDesc& d, const OptValue& v) {
  std::string_view t = v.text;
  if (!t.empty() && (t[0] == 'x' || t[0] == 'X')) t.remove_prefix(1);
  if (t.size() % 2) return bad(d, v, "hex value needs an even number of digits");
  std::string out;
  for (size_t i = 0; i < t.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(t[i])) || !std::isxdigit(static_cast<unsigned char>(t[i + 1])))
      return bad(d, v, "value must be hex digits");
    out += static_cast<char>(std::stoi(std::string(t.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// The parse-time check of an option with its own value parser: the parser's
// verdict, without its result.
template <auto Parse>
Status check_parses(const OptionDesc& d, const OptValue& v) {
  auto r = Parse(d, v);
  return r ? Status{} : Status{r.take_error()};
}

Status apply_ip_options(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  auto r = hex_bytes(d, v);
  if (!r) return r.take_error();
  if (sys::setsockopt(t.fd, IPPROTO_IP, IP_OPTIONS, r->data(), static_cast<socklen_t>(r->size())) < 0)
    return fdscope::sys_error(fmt::format("setsockopt({}, IPPROTO_IP, IP_OPTIONS, {}) for option \"{}\"", t.fd, v.text, d.name));
  return {};
}

Status check_in_addr(const OptionDesc& d, const OptValue& v) {
  in_addr a;
  if (inet_pton(AF_INET, v.text.c_str(), &a) != 1) return bad(d, v, "not an IPv4 address");
  return {};
}

Status apply_multicast_if(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  in_addr a{};
  inet_pton(AF_INET, v.text.c_str(), &a);
  if (sys::setsockopt(t.fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof a) < 0)
    return fdscope::sys_error(fmt::format("setsockopt({}, IPPROTO_IP, IP_MULTICAST_IF, {}) for option \"{}\"", t.fd, v.text, d.name));
  return {};
}

// ip-add-membership=group:ifaddr | group:ifname | group:ifaddr:ifname
// ip-add-source-membership=group:ifaddr:source
fdscope::Result<std::vector<unsigned char>> membership(const OptionDesc& d, const OptValue& v) {
  auto f = split_colon(v.text);
  if (d.arg1 == 1) {
    if (f.size() != 3) return bad(d, v, "expected <group>:<interface-address>:<source>");
    ip_mreq_source m{};
    if (inet_pton(AF_INET, f[0].c_str(), &m.imr_multiaddr) != 1 ||
        inet_pton(AF_INET, f[1].c_str(), &m.imr_interface) != 1 ||
        inet_pton(AF_INET, f[2].c_str(), &m.imr_sourceaddr) != 1)
      return bad(d, v, "addresses must be numeric IPv4");
    auto* p = reinterpret_cast<unsigned char*>(&m);
    return std::vector<unsigned char>(p, p + sizeof m);
  }
  if (f.size() < 2 || f.size() > 3) return bad(d, v, "expected <group>:<interface-address>[:<ifname>]");
  ip_mreqn m{};
  if (inet_pton(AF_INET, f[0].c_str(), &m.imr_multiaddr) != 1) return bad(d, v, "group must be a numeric IPv4 address");
  std::string ifname;
  if (inet_pton(AF_INET, f[1].c_str(), &m.imr_address) != 1) {
    if (f.size() == 3) return bad(d, v, "interface address must be numeric IPv4");
    ifname = f[1];
  }
  if (f.size() == 3) ifname = f[2];
  if (!ifname.empty()) {
    m.imr_ifindex = static_cast<int>(if_nametoindex(ifname.c_str()));
    if (!m.imr_ifindex) return bad(d, v, "unknown interface");
  }
  auto* p = reinterpret_cast<unsigned char*>(&m);
  return std::vector<unsigned char>(p, p + sizeof m);
}

Status apply_membership(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  auto r = membership(d, v);
  if (!r) return r.take_error();
  int name = d.arg1 == 1 ? IP_ADD_SOURCE_MEMBERSHIP : IP_ADD_MEMBERSHIP;
  if (sys::setsockopt(t.fd, IPPROTO_IP, name, r->data(), static_cast<socklen_t>(r->size())) < 0)
    return fdscope::sys_error(fmt::format("setsockopt({}, IPPROTO_IP, {}, {}) for option \"{}\"", t.fd,
                                          d.arg1 == 1 ? "IP_ADD_SOURCE_MEMBERSHIP" : "IP_ADD_MEMBERSHIP", v.text, d.name));
  return {};
}

// ipv6-join-group=group:ifname
fdscope::Result<ipv6_mreq> join6(const OptionDesc& d, const OptValue& v) {
  std::string_view t = v.text;
  size_t c = t.rfind(':');
  ipv6_mreq m{};
  std::string group(t.substr(0, c == std::string_view::npos ? t.size() : c));
  if (group.size() > 2 && group.front() == '[' && group.back() == ']') group = group.substr(1, group.size() - 2);
  if (c == std::string_view::npos || inet_pton(AF_INET6, group.c_str(), &m.ipv6mr_multiaddr) != 1)
    return bad(d, v, "expected <ipv6-group>:<ifname> (brackets around the group allowed)");
  std::string ifname(t.substr(c + 1));
  m.ipv6mr_interface = if_nametoindex(ifname.c_str());
  if (!m.ipv6mr_interface) return bad(d, v, "unknown interface");
  return m;
}

Status apply_join6(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  auto r = join6(d, v);
  if (!r) return r.take_error();
  if (sys::setsockopt(t.fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &*r, sizeof *r) < 0)
    return fdscope::sys_error(fmt::format("setsockopt({}, IPPROTO_IPV6, IPV6_JOIN_GROUP, {}) for option \"{}\"", t.fd, v.text, d.name));
  return {};
}

#define IP4(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = kIp4, .phase = Phase::ph, .type = OptType::Int, .level = IPPROTO_IP, .optname = opt}
#define IP6(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = kIp6, .phase = Phase::ph, .type = OptType::Int, .level = IPPROTO_IPV6, .optname = opt}
#define IP4B(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = kIp4, .phase = Phase::ph, .type = OptType::Bool, .level = IPPROTO_IP, .optname = opt}
#define IP6B(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = kIp6, .phase = Phase::ph, .type = OptType::Bool, .level = IPPROTO_IPV6, .optname = opt}
#define A(...) \
  { __VA_ARGS__ }

const OptionDesc kIpOptions[] = {
    IP4("ttl", A("ip-ttl"), PASTSOCKET, IP_TTL),
    IP4("tos", A("ip-tos"), PASTSOCKET, IP_TOS),
    {.name = "ip-options", .aliases = {"ipoptions"}, .groups = kIp4, .phase = Phase::PASTSOCKET, .type = OptType::Custom,
     .apply = apply_ip_options, .check = check_parses<hex_bytes>},
    IP4B("ip-pktinfo", A("pktinfo"), PASTSOCKET, IP_PKTINFO),
    IP4B("ip-recvtos", A("recvtos"), PASTSOCKET, IP_RECVTOS),
    IP4B("ip-recvttl", A("recvttl"), PASTSOCKET, IP_RECVTTL),
    IP4B("ip-recvopts", A("recvopts"), PASTSOCKET, IP_RECVOPTS),
    IP4B("ip-retopts", A("retopts"), PASTSOCKET, IP_RETOPTS),
    IP4B("ip-recverr", A("recverr"), PASTSOCKET, IP_RECVERR),
    IP4("ip-mtu-discover", A("mtudiscover"), PASTSOCKET, IP_MTU_DISCOVER),
    IP4B("ip-freebind", A("freebind"), PASTSOCKET, IP_FREEBIND),
    IP4B("ip-transparent", A("transparent"), PASTSOCKET, IP_TRANSPARENT),
    IP4B("ip-hdrincl", A("hdrincl"), PASTSOCKET, IP_HDRINCL),
    IP4B("ip-router-alert", A("routeralert"), PASTSOCKET, IP_ROUTER_ALERT),
    IP4("ip-multicast-ttl", A("multicast-ttl"), PASTSOCKET, IP_MULTICAST_TTL),
    IP4B("ip-multicast-loop", A("multicast-loop"), PASTSOCKET, IP_MULTICAST_LOOP),
    {.name = "ip-multicast-if", .aliases = {"multicast-if"}, .groups = kIp4, .phase = Phase::PASTSOCKET,
     .type = OptType::Custom, .apply = apply_multicast_if, .check = check_in_addr},
    {.name = "ip-add-membership", .aliases = {"add-membership"}, .groups = kIp4, .phase = Phase::PASTSOCKET,
     .type = OptType::Custom, .apply = apply_membership, .arg1 = 0, .check = check_parses<membership>},
    {.name = "ip-add-source-membership", .aliases = {"add-source-membership"}, .groups = kIp4,
     .phase = Phase::PASTSOCKET, .type = OptType::Custom, .apply = apply_membership, .arg1 = 1,
     .check = check_parses<membership>},
    IP6B("ipv6only", A("ipv6-v6only", "v6only"), PREBIND, IPV6_V6ONLY),
    IP6("ipv6-tclass", A("tclass"), PASTSOCKET, IPV6_TCLASS),
    IP6("ipv6-unicast-hops", A("unicast-hops"), PASTSOCKET, IPV6_UNICAST_HOPS),
    IP6("ipv6-multicast-hops", A("multicast-hops"), PASTSOCKET, IPV6_MULTICAST_HOPS),
    IP6B("ipv6-multicast-loop", A(), PASTSOCKET, IPV6_MULTICAST_LOOP),
    IP6B("ipv6-recvpktinfo", A("recvpktinfo"), PASTSOCKET, IPV6_RECVPKTINFO),
    IP6B("ipv6-recvhoplimit", A("recvhoplimit"), PASTSOCKET, IPV6_RECVHOPLIMIT),
    IP6B("ipv6-recverr", A(), PASTSOCKET, IPV6_RECVERR),
    IP6B("ipv6-recvtclass", A("recvtclass"), PASTSOCKET, IPV6_RECVTCLASS),
    {.name = "ipv6-join-group", .aliases = {"ipv6-add-membership", "join-group"}, .groups = kIp6,
     .phase = Phase::PASTSOCKET, .type = OptType::Custom, .apply = apply_join6, .check = check_parses<join6>},
};
#undef IP4
#undef IP6
#undef IP4B
#undef IP6B
#undef A

const OptionTableRegistrar kReg(kIpOptions);

}  // namespace
}  // namespace relay
