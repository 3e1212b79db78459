// The tcpwrap options and the libwrap check (see tcpwrap.hpp).  Option names
// are socat's: tcpwrappers (aliases tcpwrap, libwrap, tcpwrapper), with an
// optional daemon name; tcpwrap-etc (tcpwrap-dir) takes hosts.allow and
// hosts.deny from a directory; tcpwrap-hosts-allow-table (allow-table,
// hosts-allow) and tcpwrap-hosts-deny-table (deny-table, hosts-deny) name
// the tables themselves and win over tcpwrap-etc.  libwrap keeps the table
// names in two globals: they are pointed at this address's tables around
// hosts_access() and restored afterwards.  The client and server addresses
// come from the accepted socket (sock_host); host names are looked up only
// if a rule needs them.
#include "net/tcpwrap.hpp"

#include <tcpd.h>

#include <cerrno>
#include <cstdlib>

#include "core/option.hpp"

namespace relay {
namespace {

const OptionDesc kTcpwrapOptions[] = {
    {.name = "tcpwrappers", .aliases = {"tcpwrap", "libwrap", "tcpwrapper"}, .groups = grp::RANGE,
     .phase = Phase::ACCEPT, .type = OptType::OptionalString,
     .help = "check clients with libwrap (hosts.allow/hosts.deny); =name: the daemon name to match"},
    {.name = "tcpwrap-etc", .aliases = {"tcpwrap-dir"}, .groups = grp::RANGE, .phase = Phase::ACCEPT,
     .type = OptType::String, .help = "directory with the hosts.allow and hosts.deny of tcpwrap"},
    {.name = "tcpwrap-hosts-allow-table", .aliases = {"allow-table", "hosts-allow"}, .groups = grp::RANGE,
     .phase = Phase::ACCEPT, .type = OptType::String, .help = "this file instead of /etc/hosts.allow"},
    {.name = "tcpwrap-hosts-deny-table", .aliases = {"deny-table", "hosts-deny"}, .groups = grp::RANGE,
     .phase = Phase::ACCEPT, .type = OptType::String, .help = "this file instead of /etc/hosts.deny"},
};
const OptionTableRegistrar kReg(kTcpwrapOptions);

}  // namespace

namespace net {

std::optional<TcpWrapPolicy> read_tcpwrap(OpenContext& ctx) {
  // Read all four so none is reported as unused when tcpwrap is given.
  auto etc = ctx.get_string("tcpwrap-etc");
  auto allow = ctx.get_string("tcpwrap-hosts-allow-table");
  auto deny = ctx.get_string("tcpwrap-hosts-deny-table");
  auto name = ctx.get_string("tcpwrappers");
  if (!name) return std::nullopt;
  TcpWrapPolicy p;
  p.daemon = !name->empty() ? *name : program_invocation_short_name;
  if (etc) {
    p.allow_table = *etc + "/hosts.allow";
    p.deny_table = *etc + "/hosts.deny";
  }
  if (allow) p.allow_table = *allow;
  if (deny) p.deny_table = *deny;
  return p;
}

namespace {

// hosts_access() on a request that `fill` completes, with the policy's
// tables in libwrap's globals for the call.
template <typename Fill>
bool check(const TcpWrapPolicy& policy, Fill fill) {
  char* saved_allow = hosts_allow_table;
  char* saved_deny = hosts_deny_table;
  if (!policy.allow_table.empty()) hosts_allow_table = const_cast<char*>(policy.allow_table.c_str());
  if (!policy.deny_table.empty()) hosts_deny_table = const_cast<char*>(policy.deny_table.c_str());
  request_info req{};
  fill(req);
  bool allowed = hosts_access(&req) != 0;
  hosts_allow_table = saved_allow;
  hosts_deny_table = saved_deny;
  return allowed;
}

}  // namespace

bool tcpwrap_allows(const TcpWrapPolicy& policy, int fd) {
  return check(policy, [&](request_info& req) {
    request_init(&req, RQ_DAEMON, policy.daemon.c_str(), RQ_FILE, fd, 0);
    sock_host(&req);
  });
}

bool tcpwrap_allows(const TcpWrapPolicy& policy, const SockAddr& peer, const SockAddr& local) {
  SockAddr p = peer, l = local;  // libwrap's request keeps non-const pointers
  return check(policy, [&](request_info& req) {
    request_init(&req, RQ_DAEMON, policy.daemon.c_str(), RQ_CLIENT_SIN, p.sa(), RQ_SERVER_SIN, l.sa(), 0);
    sock_methods(&req);
  });
}

}  // namespace net
}  // namespace relay
