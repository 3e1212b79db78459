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
//
// libwrap is loaded with dlopen() when an address has a tcpwrap option, not
// linked: through libnsl it drags in ten shared libraries (libtirpc, the
// Kerberos/GSSAPI stack, libresolv...), and every mapping they add is one
// that a forking server copies at each fork() and its child faults on, for
// no use unless tcpwrap is asked for.  libwrap's allow_severity and
// deny_severity (syslog levels of its "severity" rule option) are weak
// definitions inside libwrap itself, so relay need not provide them.  If
// the library cannot be loaded, relay says so once and refuses every
// client: a tcpwrap option must never silently let everyone in.
#include "net/tcpwrap.hpp"

#include <dlfcn.h>
#include <tcpd.h>

#include <cerrno>
#include <cstdlib>
#include <type_traits>

#include "core/option.hpp"
#include "fdscope/log.hpp"

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
namespace {

// libwrap's entry points and table globals, found with dlsym.
struct Libwrap {
  decltype(&::hosts_access) hosts_access = nullptr;
  decltype(&::request_init) request_init = nullptr;
  decltype(&::sock_host) sock_host = nullptr;
  decltype(&::sock_hostname) sock_hostname = nullptr;
  decltype(&::sock_hostaddr) sock_hostaddr = nullptr;
  char** hosts_allow_table = nullptr;
  char** hosts_deny_table = nullptr;
};

constexpr const char* kLibwrapSoname = "libwrap.so.0";

// Loads libwrap once per process; nullptr (and one error line) if it cannot.
const Libwrap* libwrap() {
  static const Libwrap* loaded = [] {
    static Libwrap w;
    void* h = ::dlopen(kLibwrapSoname, RTLD_NOW | RTLD_LOCAL);
    auto find = [&](auto& slot, const char* name) {
      if (h) slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(::dlsym(h, name));
      return slot != nullptr;
    };
    bool ok = h && find(w.hosts_access, "hosts_access") && find(w.request_init, "request_init") &&
              find(w.sock_host, "sock_host") && find(w.sock_hostname, "sock_hostname") &&
              find(w.sock_hostaddr, "sock_hostaddr") && find(w.hosts_allow_table, "hosts_allow_table") &&
              find(w.hosts_deny_table, "hosts_deny_table");
    if (ok) return static_cast<const Libwrap*>(&w);
    const char* why = ::dlerror();
    fdscope::process_logger().error("tcpwrap: cannot load {}: {}; every client is refused", kLibwrapSoname,
                                    why ? why : "symbol missing");
    return static_cast<const Libwrap*>(nullptr);
  }();
  return loaded;
}

}  // namespace

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
  (void)libwrap();  // load now, in the server, not in each child
  return p;
}

namespace {

// hosts_access() on a request that `fill` completes, with the policy's
// tables in libwrap's globals for the call.
template <typename Fill>
bool check(const TcpWrapPolicy& policy, Fill fill) {
  const Libwrap* w = libwrap();
  if (!w) return false;
  char* saved_allow = *w->hosts_allow_table;
  char* saved_deny = *w->hosts_deny_table;
  if (!policy.allow_table.empty()) *w->hosts_allow_table = const_cast<char*>(policy.allow_table.c_str());
  if (!policy.deny_table.empty()) *w->hosts_deny_table = const_cast<char*>(policy.deny_table.c_str());
  request_info req{};
  fill(*w, req);
  bool allowed = w->hosts_access(&req) != 0;
  *w->hosts_allow_table = saved_allow;
  *w->hosts_deny_table = saved_deny;
  return allowed;
}

}  // namespace

bool tcpwrap_allows(const TcpWrapPolicy& policy, int fd) {
  return check(policy, [&](const Libwrap& w, request_info& req) {
    w.request_init(&req, RQ_DAEMON, policy.daemon.c_str(), RQ_FILE, fd, 0);
    w.sock_host(&req);
  });
}

bool tcpwrap_allows(const TcpWrapPolicy& policy, const SockAddr& peer, const SockAddr& local) {
  SockAddr p = peer, l = local;  // libwrap's request keeps non-const pointers
  return check(policy, [&](const Libwrap& w, request_info& req) {
    w.request_init(&req, RQ_DAEMON, policy.daemon.c_str(), RQ_CLIENT_SIN, p.sa(), RQ_SERVER_SIN, l.sa(), 0);
    req.hostname = w.sock_hostname;  // tcpd.h's sock_methods(), with the loaded functions
    req.hostaddr = w.sock_hostaddr;
  });
}

}  // namespace net
}  // namespace relay
