// Socket open paths shared by all socket address types (see
// socket_open.hpp).  Options are applied in socat's order: INIT, PRESOCKET,
// SOCKET, PASTSOCKET, FD, PREBIND, BIND, PASTBIND, then PRECONNECT/CONNECT/
// PASTCONNECT for clients or PRELISTEN/LISTEN/PASTLISTEN and ACCEPT/
// PASTACCEPT for servers, then CONNECTED, LATE, LATE2.  Every new socket
// (a retry, the next target address, a re-opened UDP listener) gets its
// options afresh: phases run on a copy of the OpenContext, whose "applied"
// marks are merged back so unused options are still reported correctly.
#include "net/socket_open.hpp"

#include "core/syscall_log.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "engine/probes.hpp"
#include "fdscope/log.hpp"
#include "net/child_server.hpp"
#include "net/ip4_header_strip.hpp"
#include "net/ip_range.hpp"
#include "net/peer_auth.hpp"
#include "net/peer_env.hpp"
#include "net/resolve.hpp"
#include "net/socket_ops.hpp"
#include "net/tcpwrap.hpp"

namespace relay::net {

using fdscope::Error;
using fdscope::plain_error;
using fdscope::Result;
using fdscope::Status;
using fdscope::sys_error;
using fdscope::UniqueFd;

namespace {

fdscope::Logger& logger() { return fdscope::process_logger(); }

void merge_applied(OpenContext& dst, const OpenContext& src) {
  for (const OptionSetting& s : dst.spec().options)
    if (src.applied(&s)) dst.mark_applied(&s);
}

Status phases(OpenContext& c, std::initializer_list<Phase> ps, int fd, Endpoint* ep = nullptr) {
  for (Phase p : ps)
    if (auto s = c.apply_phase(p, fd, ep); !s) return s;
  return {};
}

bool is_ip(int family) { return family == AF_INET || family == AF_INET6; }

// Every value of a possibly repeated option, in written order.
std::vector<std::string> all_values(OpenContext& ctx, std::string_view name) {
  std::vector<std::string> out;
  if (!ctx.has(name)) return out;
  const OptionSetting* last = ctx.get(name);  // marks them all used
  for (const OptionSetting& s : ctx.spec().options)
    if (s.desc == last->desc) out.push_back(s.value.text);
  return out;
}

struct PortRules {
  std::optional<uint16_t> sourceport;
  bool lowport = false;
};

PortRules read_port_rules(OpenContext& ctx) {
  PortRules r;
  if (ctx.has("sourceport")) r.sourceport = static_cast<uint16_t>(ctx.get_uint("sourceport", 0));
  r.lowport = ctx.get_bool("lowport", false);
  return r;
}

// The local address from bind= (and sourceport), or nullopt.
Result<std::optional<SockAddr>> bind_address(OpenContext& ctx, const SocketShape& shape, const PortRules& ports) {
  auto text = ctx.get_string("bind");
  if (shape.family == AF_UNIX) {
    if (!text) return std::optional<SockAddr>{};
    auto a = unix_addr(*text, shape.abstract);
    if (!a) return a.take_error();
    return std::optional<SockAddr>{*a};
  }
  if (!is_ip(shape.family)) {
    if (text) return plain_error(fmt::format("bind=\"{}\": not supported for socket family {}", *text, shape.family));
    return std::optional<SockAddr>{};
  }
  if (!text && !ports.sourceport) return std::optional<SockAddr>{};
  HostPort hp = text ? split_host_port(*text) : HostPort{};
  ResolveSpec rs{hp.host, hp.port, shape.family, shape.type, shape.protocol, true, read_resolver_flags(ctx)};
  auto a = resolve_one(rs);
  if (!a) return a.take_error().context(fmt::format("bind=\"{}\"", text.value_or("")));
  if (ports.sourceport) a->set_port(*ports.sourceport);
  return std::optional<SockAddr>{*a};
}

// PREBIND, bind (or lowport search), PASTBIND.
Status bind_phase(OpenContext& c, int fd, const SocketShape& shape, const std::optional<SockAddr>& local,
                  const PortRules& ports) {
  if (auto s = c.apply_phase(Phase::PREBIND, fd); !s) return s;
  if (auto s = c.apply_phase(Phase::BIND, fd); !s) return s;
  if (ports.lowport && is_ip(shape.family) && !(local && local->port())) {
    SockAddr a;
    if (local) {
      a = *local;
    } else {
      auto any = resolve_one({"", "0", shape.family, shape.type, shape.protocol, true, read_resolver_flags(c)});
      if (!any) return any.take_error();
      a = *any;
    }
    // socat: a random free port in 640..1023 (needs CAP_NET_BIND_SERVICE).
    std::minstd_rand rng(static_cast<unsigned>(::getpid() ^ ::time(nullptr)));
    unsigned start = 640 + rng() % 384;
    Status last;
    for (unsigned i = 0; i < 384; ++i) {
      a.set_port(static_cast<uint16_t>(640 + (start - 640 + i) % 384));
      last = bind_to(fd, a);
      if (last) break;
      if (last.error().err != EADDRINUSE) return last;
    }
    if (!last) return last;
  } else if (local) {
    if (auto s = bind_to(fd, *local); !s) return s;
  }
  return c.apply_phase(Phase::PASTBIND, fd);
}

Result<UniqueFd> new_socket(OpenContext& c, const SocketShape& shape) {
  if (auto s = phases(c, {Phase::PRESOCKET, Phase::SOCKET}, -1); !s) return s.take_error();
  auto fd = open_socket(shape.family, shape.type, shape.protocol);
  if (!fd) {
    if (shape.protocol == 132 /*IPPROTO_SCTP*/ && fd.error().err == EPROTONOSUPPORT)
      return fd.take_error().context("SCTP is not available in this kernel (module sctp not loaded or built)");
    return fd;
  }
  if (auto s = phases(c, {Phase::PASTSOCKET, Phase::FD}, fd->get()); !s) return s.take_error();
  return fd;
}

// The bound socket a passive address (listener, datagram receiver) starts
// from: on a UNIX path through the hardened bind (unix_listen.hpp), else a
// new socket with SO_REUSEADDR when `reuse`, bound to `local` (bind_phase);
// the socket and bind phases are applied around either.
Result<UniqueFd> passive_socket(OpenContext& c, const std::optional<UnixBindSpec>& unix_path, const SocketShape& shape,
                                const std::optional<SockAddr>& local, const PortRules& ports, bool reuse) {
  if (unix_path) {
    if (auto s = phases(c, {Phase::PRESOCKET, Phase::SOCKET}, -1); !s) return s.take_error();
    UnixBindSpec us = *unix_path;
    us.type = shape.type;
    auto b = bind_unix_path(us);
    if (!b) return b.take_error();
    UniqueFd fd = std::move(b->fd);
    if (auto s = phases(c, {Phase::PASTSOCKET, Phase::FD, Phase::PREBIND, Phase::BIND, Phase::PASTBIND}, fd.get()); !s)
      return s.take_error();
    return fd;
  }
  auto fd = new_socket(c, shape);
  if (!fd) return fd;
  if (reuse)
    if (auto s = set_int_opt(fd->get(), SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"); !s) return s.take_error();
  if (auto s = bind_phase(c, fd->get(), shape, local, ports); !s) return s.take_error();
  return fd;
}

Endpoint stream_endpoint(OpenContext& ctx, UniqueFd fd) {
  Endpoint ep = ctx.make_endpoint();
  ep.rfd = ep.wfd = fd.get();
  ep.owned.push_back(std::move(fd));
  return ep;
}

Result<Endpoint> finish_endpoint(OpenContext& ctx, Endpoint ep, int fd) {
  if (auto s = phases(ctx, {Phase::LATE, Phase::LATE2}, fd, &ep); !s) return s.take_error();
  if (auto s = ctx.finish(ep); !s) return s.take_error();
  return ep;
}

// One connect attempt to one target.
Result<UniqueFd> connect_one(OpenContext& ctx, SocketShape shape, const SockAddr& target, double timeout,
                             const PortRules& ports, bool try_types) {
  for (;;) {
    OpenContext c = ctx;
    shape.family = target.family();
    auto local = bind_address(c, shape, ports);
    if (!local) return local.take_error();
    auto fd = new_socket(c, shape);
    if (!fd) return fd;
    if (auto s = bind_phase(c, fd->get(), shape, *local, ports); !s) return s.take_error();
    if (auto s = c.apply_phase(Phase::PRECONNECT, fd->get()); !s) return s.take_error();
    logger().notice("opening connection to {}", to_string(target));
    auto st = connect_to(fd->get(), target, timeout);
    RELAY_PROBE_CONNECT(fd->get(), target.sa(), target.len, st ? 0 : st.error().err);
    if (!st) {
      if (try_types && st.error().err == EPROTOTYPE && shape.type != SOCK_SEQPACKET) {
        shape.type = shape.type == SOCK_STREAM ? SOCK_DGRAM : SOCK_SEQPACKET;
        continue;
      }
      return st.take_error();
    }
    if (auto la = local_addr(fd->get()))
      logger().notice("successfully connected from local address {}", to_string(*la));
    if (auto s = phases(c, {Phase::CONNECT, Phase::PASTCONNECT, Phase::CONNECTED}, fd->get()); !s)
      return s.take_error();
    merge_applied(ctx, c);
    return fd;
  }
}

PeerPolicy read_peer_policy(OpenContext& ctx, Status* err) {
  PeerPolicy p;
  const std::pair<const char*, const char*> kinds[] = {{"allow-uid", "uid"}, {"allow-gid", "gid"}, {"allow-exe", "exe"}};
  for (auto [opt, kind] : kinds)
    for (const std::string& v : all_values(ctx, opt))
      if (auto s = p.add(kind, v); !s && *err) *err = s;
  return p;
}

}  // namespace

void sync_ip_preference(const OpenContext& ctx) {
  switch (ctx.settings().ip) {
    case IpPreference::V4: set_ip_preference(IpPref::V4); break;
    case IpPreference::V6: set_ip_preference(IpPref::V6); break;
    case IpPreference::None: set_ip_preference(IpPref::None); break;
    case IpPreference::Default: set_ip_preference(IpPref::Default); break;
  }
}

Status apply_shape_options(OpenContext& ctx, SocketShape& shape) {
  if (auto pf = ctx.get_string("pf")) {
    std::string v = *pf;
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (v == "ip4" || v == "ipv4" || v == "inet" || v == "inet4" || v == "2") shape.family = AF_INET;
    else if (v == "ip6" || v == "ipv6" || v == "inet6" || v == "10") shape.family = AF_INET6;
    else if (v == "unix" || v == "local" || v == "1") shape.family = AF_UNIX;
    else return plain_error(fmt::format("pf=\"{}\": unknown protocol family (ip4, ip6, unix)", *pf));
  }
  if (ctx.has("socktype")) shape.type = static_cast<int>(ctx.get_int("socktype", shape.type));
  if (ctx.has("protocol")) shape.protocol = static_cast<int>(ctx.get_int("protocol", shape.protocol));
  return {};
}

RetryPolicy read_retry(OpenContext& ctx) {
  RetryPolicy p;
  p.retry = static_cast<unsigned>(ctx.get_uint("retry", 0));
  p.forever = ctx.get_bool("forever", false);
  p.interval = ctx.get_seconds("interval").value_or(1.0);
  return p;
}

// pf= picks the family of an address that does not fix one (TCP, UDP, IP).
static int family_with_pf(OpenContext& ctx, int family) {
  if (family != AF_UNSPEC || !ctx.has("pf")) return family;
  SocketShape probe{AF_UNSPEC, 0, 0};
  if (!apply_shape_options(ctx, probe) || !is_ip(probe.family)) return family;
  return probe.family;
}

Result<SockAddr> passive_local(OpenContext& ctx, int family, int type, int protocol, const std::string& port) {
  sync_ip_preference(ctx);
  family = family_with_pf(ctx, family);
  std::string host;
  if (auto b = ctx.get_string("bind")) {
    HostPort hp = split_host_port(*b);
    host = hp.host;
    if (!hp.port.empty() && hp.port != port)
      return plain_error(fmt::format("bind=\"{}\": the port of a listening address is its parameter ({})", *b, port));
  }
  if (host.empty() && family == AF_UNSPEC) family = default_passive_family();
  return resolve_one({host, port, family, type, protocol, true, read_resolver_flags(ctx)});
}

Result<std::vector<SockAddr>> active_targets(OpenContext& ctx, const std::string& host, const std::string& port,
                                             int family, int type, int protocol) {
  sync_ip_preference(ctx);
  family = family_with_pf(ctx, family);
  if (host.empty()) return plain_error("empty host name");
  return resolve({host, port, family, type, protocol, false, read_resolver_flags(ctx)});
}

Result<Endpoint> open_client(OpenContext& ctx, const ClientSpec& spec) {
  sync_ip_preference(ctx);
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  SocketShape shape = spec.shape;
  if (auto s = apply_shape_options(ctx, shape); !s) return s.take_error();
  RetryPolicy retry = read_retry(ctx);
  double timeout = ctx.get_seconds("connect-timeout").value_or(0);
  PortRules ports = read_port_rules(ctx);
  bool fork = ctx.get_bool("fork", false);
  unsigned maxc = static_cast<unsigned>(ctx.get_uint("max-children", 0));

  std::function<Result<UniqueFd>()> attempt = [&]() -> Result<UniqueFd> {
    Error last = plain_error("no address to connect to");
    for (const SockAddr& t : spec.targets) {
      auto fd = connect_one(ctx, shape, t, timeout, ports, spec.unix_try_types);
      if (fd) return fd;
      last = fd.take_error();
    }
    return last;
  };

  ChildServer children(maxc);
  if (fork)
    if (auto s = children.start(); !s) return s.take_error();
  for (;;) {
    if (fork)
      if (auto s = children.wait_for_slot(); !s) return s.take_error();
    auto fd = with_retry<UniqueFd>(retry, "connect", attempt);
    if (!fd) return fd.take_error();
    if (fork) {
      auto pid = children.fork_child();
      if (!pid) return pid.take_error();
      if (*pid > 0) {
        fd->reset();
        // socat waits the retry interval before the next connection.
        sleep_seconds(retry.interval);
        continue;
      }
    }
    if (auto la = local_addr(fd->get()); la)
      if (auto pa = peer_addr(fd->get()); pa) export_peer_env(&*pa, &*la);
    int raw = fd->get();
    if (shape.family == AF_UNIX) {
      Status perr;
      PeerPolicy policy = read_peer_policy(ctx, &perr);
      if (!perr) return perr.take_error();
      if (auto s = check_peer(raw, policy); !s) return s.take_error();
    }
    Endpoint ep = stream_endpoint(ctx, std::move(*fd));
    int type = 0;
    socklen_t tl = sizeof type;
    if (sys::getsockopt(raw, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type != SOCK_STREAM) ep.datagram = true;
    return finish_endpoint(ctx, std::move(ep), raw);
  }
}

Result<Endpoint> open_listener(OpenContext& ctx, const ListenSpec& spec) {
  sync_ip_preference(ctx);
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  SocketShape shape = spec.shape;
  if (auto s = apply_shape_options(ctx, shape); !s) return s.take_error();
  RetryPolicy retry = read_retry(ctx);
  int backlog = static_cast<int>(ctx.get_int("backlog", 5));
  bool reuse_given = ctx.has("reuseaddr");
  SockAddr local = spec.local;

  std::function<Result<UniqueFd>()> attempt = [&]() -> Result<UniqueFd> {
    OpenContext c = ctx;
    if (!spec.unix_path) shape.family = local.family();
    auto made = passive_socket(c, spec.unix_path, shape, local, PortRules{}, spec.reuseaddr_default && !reuse_given);
    if (!made) return made.take_error();
    UniqueFd fd = std::move(*made);
    if (auto s = c.apply_phase(Phase::PRELISTEN, fd.get()); !s) return s.take_error();
    if (auto s = c.apply_phase(Phase::LISTEN, fd.get()); !s) return s.take_error();
    if (auto s = listen_on(fd.get(), backlog); !s) return s.take_error();
    if (auto s = c.apply_phase(Phase::PASTLISTEN, fd.get()); !s) return s.take_error();
    merge_applied(ctx, c);
    return fd;
  };
  auto lfd = with_retry<UniqueFd>(retry, "listen", attempt);
  if (!lfd) return lfd.take_error();
  SockAddr bound = local;
  if (auto la = local_addr(lfd->get()); la && !spec.unix_path) bound = *la;
  return serve_listener(ctx, std::move(*lfd), bound);
}

Result<Endpoint> serve_listener(OpenContext& ctx, UniqueFd lfd, const SockAddr& local) {
  bool fork = ctx.get_bool("fork", false);
  unsigned maxc = static_cast<unsigned>(ctx.get_uint("max-children", 0));
  double accept_timeout = ctx.get_seconds("accept-timeout").value_or(0);
  std::optional<IpRange> range;
  if (auto r = ctx.get_string("range")) {
    auto pr = parse_ip_range(*r);
    if (!pr) return pr.take_error();
    range = *pr;
  }
  PortRules ports = read_port_rules(ctx);
  std::optional<TcpWrapPolicy> tcpwrap = read_tcpwrap(ctx);
  Status perr;
  PeerPolicy policy = read_peer_policy(ctx, &perr);
  if (!perr) return perr.take_error();
  if (!policy.empty() && local.family() != AF_UNIX)
    return plain_error("allow-uid/allow-gid/allow-exe need a UNIX-domain socket");

  ChildServer children(maxc);
  if (fork) {
    if (auto s = children.start(); !s) return s.take_error();
    if (auto s = set_nonblock(lfd.get(), true); !s) return s.take_error();
  }
  const bool chatty = logger().enabled(fdscope::LogLevel::Notice);
  unsigned forks = 0;
  logger().notice("listening on {}", to_string(local));
  for (;;) {
    if (fork)
      if (auto s = children.wait_for_slot(); !s) return s.take_error();
    // The accepting parent's path is kept short: getsockname and address
    // text only when they are logged here; the child does the rest.
    auto acc = accept_on(lfd.get(), accept_timeout, fork ? children.sigchld_fd() : -1, chatty || !fork);
    if (!acc) {
      if (acc.error().err == EINTR) {
        children.reap();
        continue;
      }
      return acc.take_error();
    }
    RELAY_PROBE_ACCEPT(lfd.get(), acc->fd.get(), acc->peer.sa(), acc->peer.len);
    auto shown = [&]() {
      SockAddr l = acc->local.len ? acc->local : local;
      if (l.family() == AF_UNIX && l.host().empty()) l = local;
      return l;
    };
    if (chatty) logger().notice("accepting connection from {} on {}", to_string(acc->peer), to_string(shown()));
    if (!ctx.options_of(Phase::ACCEPT).empty()) {
      OpenContext c = ctx;
      if (auto s = c.apply_phase(Phase::ACCEPT, acc->fd.get()); !s) return s.take_error();
      merge_applied(ctx, c);
    }
    std::string refusal;
    if (range && !range->contains(acc->peer)) refusal = "due to range option";
    else if (tcpwrap && !tcpwrap_allows(*tcpwrap, acc->fd.get())) refusal = "due to tcpwrap option";
    else if (ports.sourceport && acc->peer.port() != *ports.sourceport) refusal = "due to wrong sourceport";
    else if (ports.lowport && is_ip(acc->peer.family()) && (acc->peer.port() < 640 || acc->peer.port() > 1023))
      refusal = "due to lowport option";
    else if (auto s = check_peer(acc->fd.get(), policy); !s) refusal = "(" + s.error().message() + ")";
    if (!refusal.empty()) {
      logger().warn("refusing connection from {} {}", to_string(acc->peer), refusal);
      continue;  // closes the connection: no byte is sent or read
    }
    if (fork) {
      auto pid = children.fork_child();
      if (!pid) return pid.take_error();
      if (*pid > 0) {
        acc->fd.reset();
        // Under steady load accept_on() may not poll the signalfd for a
        // while: reap every few forks so exited children never pile up.
        if ((++forks & 15) == 0) children.reap();
        if (chatty) logger().notice("listening on {}", to_string(local));
        continue;
      }
    }
    lfd.reset();  // the connection's process does not listen any more
    if (!acc->local.len)
      if (auto l = local_addr(acc->fd.get())) acc->local = *l;
    SockAddr shown_local = shown();
    export_peer_env(&acc->peer, &shown_local);
    int raw = acc->fd.get();
    if (auto s = phases(ctx, {Phase::PASTACCEPT, Phase::FD, Phase::CONNECTED}, raw); !s) return s.take_error();
    Endpoint ep = stream_endpoint(ctx, std::move(acc->fd));
    int type = 0;
    socklen_t tl = sizeof type;
    if (sys::getsockopt(raw, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type != SOCK_STREAM) ep.datagram = true;
    return finish_endpoint(ctx, std::move(ep), raw);
  }
}

namespace {

// Waits until fd is readable, reaping children meanwhile (sigfd >= 0).
Status wait_readable(int fd, ChildServer* children) {
  for (;;) {
    pollfd p[2] = {{fd, POLLIN, 0}, {children ? children->sigchld_fd() : -1, POLLIN, 0}};
    int n = sys::poll(p, children ? 2 : 1, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error(fmt::format("poll({})", fd));
    if (children && p[1].revents) children->reap();
    if (p[0].revents) return {};
  }
}

// Socket for a datagram mode: created, optioned, bound (hardened for UNIX
// paths), range filter attached for the receiving modes.
Result<UniqueFd> datagram_socket(OpenContext& ctx, const DgramSpec& spec, const SocketShape& shape,
                                 const std::optional<SockAddr>& local, const PortRules& ports,
                                 const std::optional<IpRange>& range, bool reuse) {
  OpenContext c = ctx;
  auto made = passive_socket(c, spec.unix_path, shape, local, ports, reuse);
  if (!made) return made.take_error();
  UniqueFd fd = std::move(*made);
  // An unbound UNIX datagram sender cannot get answers: let the kernel
  // give it an abstract name (autobind), so a RECVFROM peer can reply.
  if (!spec.unix_path && shape.family == AF_UNIX && !local &&
      (spec.mode == DgramMode::SendTo || spec.mode == DgramMode::Datagram)) {
    sa_family_t fam = AF_UNIX;
    if (sys::bind(fd.get(), reinterpret_cast<const sockaddr*>(&fam), sizeof fam) < 0)
      return sys_error(fmt::format("bind({}, AF=1 <autobind>, {})", fd.get(), sizeof fam));
  }
  if (range && is_ip(shape.family))
    if (auto s = attach_range_filter(fd.get(), *range, shape.family); !s) return s.take_error();
  merge_applied(ctx, c);
  return fd;
}

// Reads one whole datagram (size probed with MSG_PEEK|MSG_TRUNC); strip_ip4:
// without its IPv4 header (raw IPv4 sockets, see ip4_header_strip.hpp).
Result<std::pair<std::string, SockAddr>> receive_packet(int fd, bool strip_ip4) {
  SockAddr from;
  char probe;
  ssize_t size = sys::recv(fd, &probe, 1, MSG_PEEK | MSG_TRUNC);
  if (size < 0) return sys_error(fmt::format("recvfrom({}, MSG_PEEK)", fd));
  std::string data(static_cast<size_t>(size), '\0');
  from.len = sizeof from.ss;
  ssize_t n;
  do {
    n = sys::recvfrom(fd, data.data(), data.size() ? data.size() : 1, 0, from.sa(), &from.len);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys_error(fmt::format("recvfrom({}, ...)", fd));
  data.resize(static_cast<size_t>(n));
  if (strip_ip4) data.erase(0, ip4_header_length(data.data(), data.size()));
  return std::make_pair(std::move(data), from);
}

}  // namespace

Result<Endpoint> open_datagram(OpenContext& ctx, const DgramSpec& spec) {
  sync_ip_preference(ctx);
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  SocketShape shape = spec.shape;
  if (auto s = apply_shape_options(ctx, shape); !s) return s.take_error();
  PortRules ports = read_port_rules(ctx);
  RetryPolicy retry = read_retry(ctx);
  bool fork = ctx.get_bool("fork", false);
  unsigned maxc = static_cast<unsigned>(ctx.get_uint("max-children", 0));
  std::optional<IpRange> range;
  if (auto r = ctx.get_string("range")) {
    auto pr = parse_ip_range(*r);
    if (!pr) return pr.take_error();
    range = *pr;
  }
  std::optional<TcpWrapPolicy> tcpwrap = read_tcpwrap(ctx);
  std::optional<SockAddr> local = spec.local;
  if (!local && !spec.unix_path) {
    if (spec.peer.len) shape.family = spec.peer.family();
    auto b = bind_address(ctx, shape, ports);
    if (!b) return b.take_error();
    local = *b;
  }
  if (local) shape.family = local->family();
  else if (spec.peer.len) shape.family = spec.peer.family();
  bool receiving = spec.mode == DgramMode::Recv || spec.mode == DgramMode::RecvFrom ||
                   spec.mode == DgramMode::Listen || spec.mode == DgramMode::Datagram;
  bool reuse = fork && spec.mode == DgramMode::Listen && !ctx.has("reuseaddr");
  bool strip_ip4 = shape.family == AF_INET && shape.type == SOCK_RAW;

  std::function<Result<UniqueFd>()> attempt = [&]() -> Result<UniqueFd> {
    return datagram_socket(ctx, spec, shape, local, ports, receiving ? range : std::nullopt, reuse);
  };
  auto fd = with_retry<UniqueFd>(retry, "bind", attempt);
  if (!fd) return fd.take_error();
  Endpoint ep = ctx.make_endpoint();
  ep.datagram = true;
  int raw = fd->get();

  switch (spec.mode) {
    case DgramMode::Connect: {
      logger().notice("opening connection to {}", to_string(spec.peer));
      auto st = connect_to(raw, spec.peer, 0);
      RELAY_PROBE_CONNECT(raw, spec.peer.sa(), spec.peer.len, st ? 0 : st.error().err);
      if (!st) return st.take_error();
      if (auto la = local_addr(raw)) logger().notice("successfully connected from local address {}", to_string(*la));
      if (auto s = phases(ctx, {Phase::CONNECT, Phase::PASTCONNECT, Phase::CONNECTED}, raw); !s) return s.take_error();
      ep.rfd = ep.wfd = raw;
      ep.owned.push_back(std::move(*fd));
      break;
    }
    case DgramMode::SendTo:
    case DgramMode::Datagram:
      ep.rfd = ep.wfd = raw;
      if (strip_ip4 && spec.mode == DgramMode::Datagram) {
        auto payloads = start_ip4_header_stripper(raw);
        if (!payloads) return payloads.take_error();
        ep.rfd = payloads->get();
        ep.owned.push_back(std::move(*payloads));
      }
      ep.sendto = true;
      std::memcpy(&ep.peer, &spec.peer.ss, sizeof ep.peer);
      ep.peer_len = spec.peer.len;
      ep.owned.push_back(std::move(*fd));
      break;
    case DgramMode::Recv:
      if (auto la = local_addr(raw)) logger().notice("receiving on {}", to_string(*la));
      ep.rfd = raw;
      if (strip_ip4) {
        auto payloads = start_ip4_header_stripper(raw);
        if (!payloads) return payloads.take_error();
        ep.rfd = payloads->get();
        ep.owned.push_back(std::move(*payloads));
      }
      ep.owned.push_back(std::move(*fd));
      break;
    case DgramMode::RecvFrom: {
      SockAddr where = local ? *local : SockAddr{};
      if (auto la = local_addr(raw); la && !spec.unix_path) where = *la;
      ChildServer children(maxc);
      if (fork)
        if (auto s = children.start(); !s) return s.take_error();
      logger().notice("receiving on {}", to_string(where));
      for (;;) {
        if (fork)
          if (auto s = children.wait_for_slot(); !s) return s.take_error();
        if (auto s = wait_readable(raw, fork ? &children : nullptr); !s) return s.take_error();
        auto pkt = receive_packet(raw, strip_ip4);
        if (!pkt) return pkt.take_error();
        logger().notice("received packet with {} bytes from {}", pkt->first.size(), to_string(pkt->second));
        if (tcpwrap && is_ip(pkt->second.family()) && !tcpwrap_allows(*tcpwrap, pkt->second, where)) {
          logger().warn("refusing connection from {} due to tcpwrap option", to_string(pkt->second));
          continue;  // the packet is dropped
        }
        if (fork) {
          auto pid = children.fork_child();
          if (!pid) return pid.take_error();
          if (*pid > 0) continue;
        }
        // The packet goes to the transfer through a SEQPACKET pair that is at
        // EOF after it: RECVFROM reads one packet and answers its sender.
        int pair[2];
        if (sys::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
          return sys_error("socketpair(AF_UNIX, SOCK_SEQPACKET)");
        UniqueFd rd(pair[0]), wr(pair[1]);
        int sz = static_cast<int>(pkt->first.size()) + 4096;
        sys::setsockopt(wr.get(), SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
        if (sys::send(wr.get(), pkt->first.data(), pkt->first.size(), 0) < 0)
          return sys_error(fmt::format("send({}, {} bytes)", wr.get(), pkt->first.size()));
        wr.reset();
        export_peer_env(&pkt->second, &where);
        if (auto s = phases(ctx, {Phase::PASTACCEPT, Phase::CONNECTED}, raw); !s) return s.take_error();
        ep.rfd = rd.get();
        ep.wfd = raw;
        ep.sendto = true;
        std::memcpy(&ep.peer, &pkt->second.ss, sizeof ep.peer);
        ep.peer_len = pkt->second.len;
        ep.owned.push_back(std::move(rd));
        ep.owned.push_back(std::move(*fd));
        break;
      }
      break;
    }
    case DgramMode::Listen: {
      ChildServer children(maxc);
      if (fork)
        if (auto s = children.start(); !s) return s.take_error();
      UniqueFd sock = std::move(*fd);
      for (;;) {
        SockAddr where = local ? *local : SockAddr{};
        if (auto la = local_addr(sock.get()); la && !spec.unix_path) where = *la;
        logger().notice("listening on {}", to_string(where));
        if (fork)
          if (auto s = children.wait_for_slot(); !s) return s.take_error();
        if (auto s = wait_readable(sock.get(), fork ? &children : nullptr); !s) return s.take_error();
        SockAddr peer;
        peer.len = sizeof peer.ss;
        char probe;
        if (sys::recvfrom(sock.get(), &probe, 1, MSG_PEEK, peer.sa(), &peer.len) < 0) {
          if (errno == EINTR || errno == EAGAIN) continue;
          return sys_error(fmt::format("recvfrom({}, MSG_PEEK)", sock.get()));
        }
        logger().notice("accepting UDP connection from {}", to_string(peer));
        const char* refusal = nullptr;
        // Only reachable for non-IP peers; IP ranges are enforced by the filter.
        if (range && !range->contains(peer)) refusal = "range";
        else if (tcpwrap && is_ip(peer.family()) && !tcpwrap_allows(*tcpwrap, peer, where)) refusal = "tcpwrap";
        if (refusal) {
          sys::recv(sock.get(), &probe, 1, 0);  // drop the packet
          logger().warn("refusing connection from {} due to {} option", to_string(peer), refusal);
          continue;
        }
        if (auto st = connect_to(sock.get(), peer, 0); !st) return st.take_error();
        if (fork) {
          auto pid = children.fork_child();
          if (!pid) return pid.take_error();
          if (*pid > 0) {
            // The child keeps the connected socket; listen again on a new one.
            sock.reset();
            auto again = with_retry<UniqueFd>(retry, "bind", attempt);
            if (!again) return again.take_error();
            sock = std::move(*again);
            continue;
          }
        }
        export_peer_env(&peer, &where);
        if (auto s = phases(ctx, {Phase::PASTACCEPT, Phase::CONNECTED}, sock.get()); !s) return s.take_error();
        raw = sock.get();
        ep.rfd = ep.wfd = raw;
        ep.owned.push_back(std::move(sock));
        break;
      }
      break;
    }
  }
  return finish_endpoint(ctx, std::move(ep), raw);
}

}  // namespace relay::net
