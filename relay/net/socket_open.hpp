// The open paths shared by every socket address type, following socat's
// phase order: client (socket, options, bind, connect with retry), listener
// (socket, options, bind, listen, then the accept loop of a forking or
// single-shot server with range, port and peer checks), and the datagram
// modes (connect, sendto, datagram, recv, recvfrom, listen).  The address
// files in relay/addr/ resolve their parameters into these specs; all the
// socket plumbing is here.
#pragma once

#include <optional>
#include <vector>

#include "core/endpoint.hpp"
#include "core/open_context.hpp"
#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"
#include "net/resolve.hpp"
#include "net/retry.hpp"
#include "net/sock_addr.hpp"
#include "net/unix_listen.hpp"

namespace relay::net {

struct SocketShape {
  int family = AF_INET;
  int type = SOCK_STREAM;
  int protocol = 0;
  bool abstract = false;  // AF_UNIX in the abstract namespace (bind= names too)
};

// Copies -4/-6/-0 from the open settings into the resolver.
void sync_ip_preference(const OpenContext& ctx);

// pf=, socktype=, protocol= override the address's defaults.
fdscope::Status apply_shape_options(OpenContext& ctx, SocketShape& shape);

// retry=, forever, interval=.
RetryPolicy read_retry(OpenContext& ctx);

// ai-* and res-* (net/opts_resolver.cpp), marked applied.
ResolverFlags read_resolver_flags(OpenContext& ctx);

// The local address of a passive address (listen, recv): the wildcard of
// `family` (AF_UNSPEC: the -4/-6/-0 default) or the host of bind=, with port.
fdscope::Result<SockAddr> passive_local(OpenContext& ctx, int family, int type, int protocol,
                                        const std::string& port);

// All addresses of host:port for a client, preferred family first.
fdscope::Result<std::vector<SockAddr>> active_targets(OpenContext& ctx, const std::string& host,
                                                      const std::string& port, int family, int type,
                                                      int protocol);

// Stream (or connected datagram/seqpacket) client.  Each attempt tries the
// targets in order; `unix_try_types`: on EPROTOTYPE also try SOCK_DGRAM and
// SOCK_SEQPACKET (UNIX-CLIENT).  With fork, the parent keeps connecting
// (one child per connection, max-children bounded, interval between).
struct ClientSpec {
  SocketShape shape;
  std::vector<SockAddr> targets;
  bool unix_try_types = false;
};
fdscope::Result<Endpoint> open_client(OpenContext& ctx, const ClientSpec& spec);

// Listening server.  For UNIX paths the hardened bind of unix_listen.hpp
// is used.  reuseaddr_default: SO_REUSEADDR unless reuseaddr= says otherwise
// (socat 1.8 does this for TCP listeners).
struct ListenSpec {
  SocketShape shape;
  SockAddr local;
  std::optional<UnixBindSpec> unix_path;
  bool reuseaddr_default = false;
};
fdscope::Result<Endpoint> open_listener(OpenContext& ctx, const ListenSpec& spec);

// The accept loop on an already listening socket (ACCEPT-FD, and the tail of
// open_listener).
fdscope::Result<Endpoint> serve_listener(OpenContext& ctx, fdscope::UniqueFd lfd, const SockAddr& local);

enum class DgramMode { Connect, SendTo, Datagram, Recv, RecvFrom, Listen };
struct DgramSpec {
  SocketShape shape;
  DgramMode mode = DgramMode::Connect;
  SockAddr peer;                          // Connect, SendTo, Datagram
  std::optional<SockAddr> local;          // Recv, RecvFrom, Listen (and bind= for the others)
  std::optional<UnixBindSpec> unix_path;  // local is a UNIX path: hardened bind
};
fdscope::Result<Endpoint> open_datagram(OpenContext& ctx, const DgramSpec& spec);

}  // namespace relay::net
