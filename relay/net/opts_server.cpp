// Server and client-behaviour option groups, all consumed by the open paths
// in socket_open.cpp: LISTEN (backlog, accept-timeout), CHILD (fork,
// max-children), RETRY (retry, forever, interval), RANGE (range), IPAPP
// (sourceport, lowport) and the UNIX peer authorization options
// (allow-uid/-gid/-exe, see peer_auth.hpp).  Values are checked when the
// command line is parsed, so a bad range or unknown user fails before any
// address opens.
#include "core/option.hpp"
#include "net/ip_range.hpp"
#include "net/peer_auth.hpp"

#include <fmt/format.h>

namespace relay {
namespace {

using fdscope::Status;

Status check_range(const OptionDesc&, const OptValue& v) {
  auto r = net::parse_ip_range(v.text);
  if (!r) return r.take_error();
  return {};
}

Status check_port(const OptionDesc& d, const OptValue& v) {
  if (v.u > 65535) return fdscope::plain_error(fmt::format("option \"{}={}\": port out of range", d.name, v.text));
  return {};
}

// arg1: 0 uid, 1 gid, 2 exe.
Status check_allow(const OptionDesc& d, const OptValue& v) {
  static const char* kinds[] = {"uid", "gid", "exe"};
  return net::check_peer_list(kinds[d.arg1], v.text);
}

const OptionDesc kServerOptions[] = {
    {.name = "backlog", .groups = grp::LISTEN, .phase = Phase::LISTEN, .type = OptType::Int},
    {.name = "accept-timeout", .aliases = {"listen-timeout"}, .groups = grp::LISTEN, .phase = Phase::LISTEN,
     .type = OptType::Timeval},
    {.name = "fork", .groups = grp::CHILD, .phase = Phase::PASTACCEPT, .type = OptType::Bool},
    {.name = "max-children", .aliases = {"maxchildren"}, .groups = grp::CHILD, .phase = Phase::PASTACCEPT,
     .type = OptType::Uint},
    {.name = "retry", .groups = grp::RETRY, .phase = Phase::INIT, .type = OptType::Uint},
    {.name = "forever", .groups = grp::RETRY, .phase = Phase::INIT, .type = OptType::Bool},
    {.name = "interval", .aliases = {"intervall"}, .groups = grp::RETRY, .phase = Phase::INIT, .type = OptType::Timeval},
    {.name = "range", .groups = grp::RANGE, .phase = Phase::ACCEPT, .type = OptType::Custom, .check = check_range},
    {.name = "sourceport", .aliases = {"sp"}, .groups = grp::IPAPP, .phase = Phase::LATE, .type = OptType::Uint,
     .check = check_port},
    {.name = "lowport", .groups = grp::IPAPP, .phase = Phase::LATE, .type = OptType::Bool},
    {.name = "allow-uid", .aliases = {"allow-user"}, .groups = grp::SOCK_UNIX, .phase = Phase::ACCEPT,
     .type = OptType::Custom, .arg1 = 0, .check = check_allow},
    {.name = "allow-gid", .aliases = {"allow-group"}, .groups = grp::SOCK_UNIX, .phase = Phase::ACCEPT,
     .type = OptType::Custom, .arg1 = 1, .check = check_allow},
    {.name = "allow-exe", .groups = grp::SOCK_UNIX, .phase = Phase::ACCEPT, .type = OptType::Custom, .arg1 = 2,
     .check = check_allow},
};

const OptionTableRegistrar kReg(kServerOptions);

}  // namespace
}  // namespace relay
