// Bulk socket facts through NETLINK_SOCK_DIAG, the way `ss` gets them: one
// dump per family/protocol returns every socket of the network namespace
// with its state, addresses, queues, uid, inode and (TCP) tcp_info, and a
// UNIX dump adds names, peer inodes and pending connections.  filan matches
// an fd's socket inode ("socket:[N]") against these maps instead of doing
// several syscalls per fd; that is what makes filan -p on 10,000 sockets
// fast.
//
// Namespaces: sock_diag reports the sockets of the network namespace the
// NETLINK socket was created in.  dump_sockets() uses the caller's netns;
// dump_sockets_in_netns(netns_fd) creates the diag socket in a short-lived
// thread that setns()es into the target namespace (only that thread's
// namespace changes; a netlink socket stays bound to the namespace it was
// created in, so the dump then runs from the calling thread).  Needs
// CAP_SYS_ADMIN for setns.
//
// Cost: the kernel walks every socket of the namespace, whatever process
// holds it, so a dump costs roughly 6-10 us per socket in the namespace
// (25,000 TCP sockets: 150-250 ms on the loaded 2-core build VM, where
// `ss -tanpi` took 1.2 s in the same run).  Switch off the families a caller
// does not need (SockDiagOptions); for one UNIX socket use
// query_unix_socket().
//
// find_socket_holders() scans /proc/*/fd once (readlink "socket:[N]") to name
// the processes holding given inodes, like ss -xp / ss -p.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"
#include "fdscope/shared_optional.hpp"
#include "fdscope/sockaddr.hpp"
#include "fdscope/tcp_info.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope {

// One inet socket (TCP, UDP, raw; IPv4 or IPv6) from inet_diag.
struct InetDiagFacts {
  uint64_t inode = 0;
  uint64_t cookie = 0;
  int family = 0;        // AF_INET / AF_INET6
  int protocol = 0;      // IPPROTO_TCP / IPPROTO_UDP / IPPROTO_RAW...
  unsigned state = 0;    // TCP_* state number (tcp_state_name)
  SockAddr local;
  SockAddr remote;       // empty (len 0) for a wildcard/unconnected remote
  uint32_t rqueue = 0;   // listening: accept queue length; else bytes unread
  uint32_t wqueue = 0;   // listening: backlog; else bytes unsent/unacked
  uint32_t uid = 0;
  uint32_t ifindex = 0;  // bound device
  uint8_t timer = 0;     // idiag_timer: 0 none, 1 retrans, 2 keepalive, 3 TIME_WAIT, 4 probe
  uint8_t retrans = 0;
  uint32_t expires_ms = 0;
  std::optional<uint8_t> shutdown;     // INET_DIAG_SHUTDOWN bits (1 = RD, 2 = WR)
  SharedOptional<TcpInfo> tcp_info;    // INET_DIAG_INFO, length as the kernel sent (shared by the FdInfo)
  std::string congestion;              // INET_DIAG_CONG
  std::optional<uint32_t> mark;        // INET_DIAG_MARK (root)
  std::optional<uint8_t> tos;          // INET_DIAG_TOS
};

// One UNIX socket from unix_diag.
struct UnixDiagFacts {
  uint64_t inode = 0;
  uint64_t cookie = 0;
  int type = 0;                // SOCK_STREAM / SOCK_DGRAM / SOCK_SEQPACKET
  unsigned state = 0;          // TCP_ESTABLISHED (1), TCP_LISTEN (10), TCP_CLOSE (7)...
  std::optional<std::string> name;  // UDIAG_SHOW_NAME: path, or "\0abstract" (leading NUL kept)
  std::optional<uint64_t> peer_inode;  // UDIAG_SHOW_PEER
  std::optional<uint32_t> vfs_dev, vfs_inode;  // UDIAG_SHOW_VFS: bound file
  std::vector<uint64_t> pending;       // UDIAG_SHOW_ICONS: inodes of the connecting (client)
                                       // sockets queued on a listener
  std::optional<uint32_t> rqueue, wqueue;  // UDIAG_SHOW_RQLEN (listening: queue len / backlog)
  std::optional<uint8_t> shutdown;
  std::optional<uint32_t> uid;         // UDIAG_SHOW_UID
};

// One netlink socket from netlink_diag.
struct NetlinkDiagFacts {
  uint64_t inode = 0;
  int protocol = 0;
  uint32_t portid = 0;
  uint32_t dst_portid = 0;
  uint32_t dst_group = 0;
  unsigned state = 0;
  std::vector<uint32_t> groups;  // NETLINK_DIAG_GROUPS bitmap words
};

// One packet socket from packet_diag.
struct PacketDiagFacts {
  uint64_t inode = 0;
  int type = 0;           // SOCK_RAW / SOCK_DGRAM
  int protocol = 0;       // ETH_P_* (host order)
  std::optional<uint32_t> ifindex;  // PACKET_DIAG_INFO
  std::optional<uint32_t> version;
  std::optional<uint32_t> uid;
};

struct SockDiagOptions {
  bool tcp = true;
  bool udp = true;
  bool raw = false;       // raw inet sockets (needs the raw_diag module)
  bool inet6 = true;      // also dump AF_INET6 for the above
  bool unix_sockets = true;
  bool netlink = true;
  bool packet = true;
  bool tcp_info = true;   // INET_DIAG_INFO (+ congestion name)
  // Asked before each dump (family AF_INET/AF_INET6 with protocol
  // IPPROTO_TCP/UDP/RAW, or AF_UNIX/AF_NETLINK/AF_PACKET with 0): false
  // skips it.  A caller that learns meanwhile which sockets it must match
  // (filan -p's BPF scan) cuts the rest of the dumps short; it may block
  // until it knows.  Unset: every dump enabled above runs.
  std::function<bool(int family, int protocol)> wanted;
};

// Result of the dumps: inode -> facts.  A family whose dump failed (module
// not loaded, no permission) is left empty and noted in `errors`.
struct SocketFacts {
  std::unordered_map<uint64_t, InetDiagFacts> inet;
  std::unordered_map<uint64_t, UnixDiagFacts> unix_sockets;
  std::unordered_map<uint64_t, NetlinkDiagFacts> netlink;
  std::unordered_map<uint64_t, PacketDiagFacts> packet;
  std::vector<Error> errors;

  const InetDiagFacts* find_inet(uint64_t inode) const;
  const UnixDiagFacts* find_unix(uint64_t inode) const;
  const NetlinkDiagFacts* find_netlink(uint64_t inode) const;
  const PacketDiagFacts* find_packet(uint64_t inode) const;
};

// Dumps in the caller's network namespace.  Fails only when the
// NETLINK_SOCK_DIAG socket cannot be opened.
Result<SocketFacts> dump_sockets(const SockDiagOptions& opts = {});
// Dumps in the network namespace referred to by netns_fd (e.g. an fd of
// /proc/PID/ns/net).
Result<SocketFacts> dump_sockets_in_netns(int netns_fd, const SockDiagOptions& opts = {});

// One UNIX socket by inode, without dumping the namespace (unix_diag's
// single-socket query): what filan -i needs to name the peer of one fd.
// ENOENT when no UNIX socket has that inode in the namespace of netns_fd
// (-1: ours).
Result<UnixDiagFacts> query_unix_socket(uint64_t inode, int netns_fd = -1);

// A NETLINK_SOCK_DIAG socket created in the namespace of netns_fd (-1: ours).
Result<UniqueFd> open_sock_diag_socket(int netns_fd = -1);

// Socket inode of an fd ("socket:[N]" / fstat st_ino); error if not a socket.
Result<uint64_t> socket_inode(int fd);

// Processes holding given socket inodes, from one scan of <proc_root>/*/fd.
struct SocketHolder {
  pid_t pid = 0;
  std::string comm;
  int fd = -1;
};
std::unordered_map<uint64_t, std::vector<SocketHolder>> find_socket_holders(
    const std::unordered_set<uint64_t>& inodes, const std::string& proc_root = "/proc");

// UNIX state names as ss shows them ("ESTAB", "LISTEN", "UNCONN"...), inet
// via tcp_state_name.
std::string_view unix_state_name(unsigned state);

// JSON renderings of single facts (keys = field names above; addresses via
// sockaddr_json, tcp_info via tcp_info_json, name as "path"/"abstract").
void inet_diag_json(JsonWriter& w, const InetDiagFacts& f);
void unix_diag_json(JsonWriter& w, const UnixDiagFacts& f);
void netlink_diag_json(JsonWriter& w, const NetlinkDiagFacts& f);
void packet_diag_json(JsonWriter& w, const PacketDiagFacts& f);

}  // namespace fdscope
