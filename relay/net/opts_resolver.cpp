// The resolver options of the IP addresses (socat's SOCK_IP group, phase
// INIT): ai-addrconfig, ai-all, ai-passive and ai-v4mapped set or clear
// getaddrinfo()'s hint flags; res-debug, res-aaonly, res-usevc, res-primary,
// res-igntc, res-recurse, res-defnames, res-stayopen and res-dnsrch set or
// clear glibc's resolver option bits (_res.options, see resolver(5)) for the
// resolutions of that address only ("=0" clears a bit that is on by
// default, e.g. res-recurse=0).  They are consumed options:
// read_resolver_flags() folds them, in written order, into the
// ResolverFlags that net/resolve.cpp applies around getaddrinfo().
#include <netdb.h>
#include <resolv.h>


#include "core/flag_options.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"
#include "net/socket_open.hpp"

namespace relay {
namespace {

// RES_AAONLY and RES_PRIMARY carry a deprecation warning in glibc's
// <resolv.h> (its resolver ignores them); socat still sets the bits.
constexpr unsigned long kResAaonly = 0x00000004;
constexpr unsigned long kResPrimary = 0x00000010;

constexpr uint64_t kIp = grp::SOCK_IP4 | grp::SOCK_IP6;
constexpr int64_t kAi = 0;   // arg2: a getaddrinfo hint flag
constexpr int64_t kRes = 1;  // arg2: a resolver option bit

#define AI(nm, al, flag, text)                                                                                 \
  {.name = nm, .aliases = al, .groups = kIp, .phase = Phase::INIT, .type = OptType::Bool, .arg1 = flag, \
   .arg2 = kAi, .help = text}
#define RES(nm, al, bit, text)                                                                                \
  {.name = nm, .aliases = al, .groups = kIp, .phase = Phase::INIT, .type = OptType::Bool, .arg1 = static_cast<int64_t>(bit), \
   .arg2 = kRes, .help = text}
using A = std::array<std::string_view, 5>;

const OptionDesc kResolverOptions[] = {
    AI("ai-addrconfig", (A{"addrconfig"}), AI_ADDRCONFIG, "getaddrinfo AI_ADDRCONFIG: only families configured here"),
    AI("ai-all", A{}, AI_ALL, "getaddrinfo AI_ALL: with ai-v4mapped, IPv6 and mapped IPv4 addresses"),
    AI("ai-passive", (A{"passive"}), AI_PASSIVE, "getaddrinfo AI_PASSIVE: an empty host is the wildcard address"),
    AI("ai-v4mapped", (A{"v4mapped"}), AI_V4MAPPED, "getaddrinfo AI_V4MAPPED: IPv4 results as ::ffff:a.b.c.d"),
    RES("res-debug", A{}, RES_DEBUG, "resolver option RES_DEBUG"),
    RES("res-aaonly", (A{"aaonly"}), kResAaonly, "resolver option RES_AAONLY (ignored by glibc)"),
    RES("res-usevc", (A{"usevc"}), RES_USEVC, "resolver option RES_USEVC: query over TCP"),
    RES("res-primary", (A{"primary"}), kResPrimary, "resolver option RES_PRIMARY (ignored by glibc)"),
    RES("res-igntc", (A{"igntc"}), RES_IGNTC, "resolver option RES_IGNTC: ignore truncated answers"),
    RES("res-recurse", (A{"recurse"}), RES_RECURSE, "resolver option RES_RECURSE: recursion desired"),
    RES("res-defnames", (A{"defnames"}), RES_DEFNAMES, "resolver option RES_DEFNAMES: append the default domain"),
    RES("res-stayopen", (A{"stayopen"}), RES_STAYOPEN, "resolver option RES_STAYOPEN: keep the TCP connection"),
    RES("res-dnsrch", (A{"dnsrch"}), RES_DNSRCH, "resolver option RES_DNSRCH: use the search list"),
};
#undef AI
#undef RES

const OptionTableRegistrar kReg(kResolverOptions);

}  // namespace

namespace net {

ResolverFlags read_resolver_flags(OpenContext& ctx) {
  FlagMasks ai = flag_options(ctx, kResolverOptions, kAi);
  FlagMasks res = flag_options(ctx, kResolverOptions, kRes);
  return {static_cast<int>(ai.on), static_cast<int>(ai.off), res.on, res.off};
}

}  // namespace net
}  // namespace relay
