// Socket facts of one fd (see fd_inspect.hpp): family, type and protocol
// from SO_DOMAIN/SO_TYPE/SO_PROTOCOL, addresses from getsockname and
// getpeername, listening state, queue lengths (SIOCINQ/SIOCOUTQ), every
// readable option from the sockopt table, TCP_INFO and UNIX peer
// credentials -- all plain reads through the fd.  apply_sock_diag() merges
// the same kind of facts taken from a sock_diag dump by inode, which is how
// the fast scan of another process gets them without touching each socket.
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

#include <fmt/format.h>

#include "fdscope/fd_inspect.hpp"

namespace fdscope {
namespace {

std::optional<int> int_opt(int fd, int level, int name) {
  int v = 0;
  socklen_t len = sizeof(v);
  if (::getsockopt(fd, level, name, &v, &len) < 0) return std::nullopt;
  return v;
}

constexpr unsigned kTcpListen = 10;

}  // namespace

void fill_socket_facts(int fd, FdInfo& info, const InspectOptions& opts) {
  SocketInfo s;
  s.source = "getsockopt";
  s.family = int_opt(fd, SOL_SOCKET, SO_DOMAIN);
  s.type = int_opt(fd, SOL_SOCKET, SO_TYPE);
  s.protocol = int_opt(fd, SOL_SOCKET, SO_PROTOCOL);
  if (auto a = int_opt(fd, SOL_SOCKET, SO_ACCEPTCONN)) s.listening = *a != 0;
  if (auto a = local_address(fd); a.ok()) {
    s.local = *a;
    if (!s.family) s.family = a->family();
  }
  if (auto a = peer_address(fd); a.ok()) s.peer = *a;

  int family = s.family.value_or(AF_UNSPEC);
  int type = s.type.value_or(0);
  int proto = s.protocol.value_or(0);
  bool listening = s.listening.value_or(false);
  bool is_tcp = (family == AF_INET || family == AF_INET6) && type == SOCK_STREAM &&
                (proto == IPPROTO_TCP || proto == 0);

  if (!listening) {
    int n = 0;
    if (::ioctl(fd, SIOCINQ, &n) == 0) s.rqueue = static_cast<uint32_t>(n);
    if (::ioctl(fd, SIOCOUTQ, &n) == 0) s.wqueue = static_cast<uint32_t>(n);
  }
  if (opts.socket_options) s.options = read_sockopts(fd, family, type, proto);
  if (is_tcp && opts.tcp_info) {
    if (auto ti = read_tcp_info(fd); ti.ok()) {
      s.tcp_info = std::move(*ti);
      if (auto st = s.tcp_info->get("state")) s.state = static_cast<unsigned>(*st);
    }
  }
  if (listening && !s.state) s.state = kTcpListen;
  if (family == AF_UNIX) {
    if (opts.peer && s.peer && type != SOCK_DGRAM) s.peer_info = read_peer_info(fd);
    if (s.local && unix_addr_kind(s.local->get(), s.local->len) == UnixAddrKind::Path) {
      struct stat pst;
      std::string p = unix_addr_name(s.local->get(), s.local->len);
      if (::stat(p.c_str(), &pst) == 0 && S_ISSOCK(pst.st_mode)) {
        s.path_mode = pst.st_mode & 07777;
        s.path_uid = pst.st_uid;
      }
    }
  }
  info.sock = std::move(s);
}

bool apply_sock_diag(FdInfo& info, const SocketFacts& diag,
                     const std::unordered_map<uint64_t, std::vector<SocketHolder>>* holders,
                     const std::string& root) {
  if (!info.st) return false;
  uint64_t ino = info.st->ino;
  // One lookup per table, stopping at the first that knows the inode.
  const InetDiagFacts* f = diag.find_inet(ino);
  const UnixDiagFacts* u = f ? nullptr : diag.find_unix(ino);
  const NetlinkDiagFacts* n = f || u ? nullptr : diag.find_netlink(ino);
  const PacketDiagFacts* p = f || u || n ? nullptr : diag.find_packet(ino);
  if (!f && !u && !n && !p) return false;
  if (!info.sock) info.sock.emplace();
  SocketInfo& s = *info.sock;
  if (f) {
    if (s.source.empty()) s.source = "sock_diag";
    if (!s.family) s.family = f->family;
    if (!s.protocol) s.protocol = f->protocol;
    if (!s.type) s.type = f->protocol == IPPROTO_TCP ? SOCK_STREAM
                        : f->protocol == IPPROTO_UDP || f->protocol == IPPROTO_UDPLITE ? SOCK_DGRAM
                                                                                       : SOCK_RAW;
    if (!s.local) s.local = f->local;
    if (!s.peer && !f->remote.empty()) {
      // An unconnected socket has an all-zero remote: not a peer.
      bool zero = true;
      const auto* b = reinterpret_cast<const uint8_t*>(&f->remote.storage);
      size_t off = f->family == AF_INET ? offsetof(sockaddr_in, sin_port) : offsetof(sockaddr_in6, sin6_port);
      for (size_t i = off; i < f->remote.len; ++i)
        if (b[i]) zero = false;
      if (!zero) s.peer = f->remote;
    }
    s.state = f->state;
    if (!s.listening) s.listening = f->state == kTcpListen;
    s.rqueue = f->rqueue;
    s.wqueue = f->wqueue;
    if (!s.tcp_info && f->tcp_info) s.tcp_info = f->tcp_info;
    if (s.congestion.empty()) s.congestion = f->congestion;
  } else if (u) {
    if (s.source.empty()) s.source = "sock_diag";
    if (!s.family) s.family = AF_UNIX;
    if (!s.type) s.type = u->type;
    if (!s.protocol) s.protocol = 0;
    s.state = u->state;
    if (!s.listening) s.listening = u->state == kTcpListen;
    if (!s.local) {
      SockAddr a;
      auto* sun = reinterpret_cast<sockaddr_un*>(&a.storage);
      sun->sun_family = AF_UNIX;
      a.len = offsetof(sockaddr_un, sun_path);
      if (u->name && u->name->size() <= sizeof(sun->sun_path)) {
        std::memcpy(sun->sun_path, u->name->data(), u->name->size());
        a.len += static_cast<socklen_t>(u->name->size());
      }
      s.local = a;
    }
    if (!s.path_mode && u->state == kTcpListen && u->name && !u->name->empty() && (*u->name)[0] != '\0' &&
        u->vfs_inode) {
      struct stat pst;
      std::string p = root + *u->name;
      if (::stat(p.c_str(), &pst) == 0 && S_ISSOCK(pst.st_mode) && pst.st_ino == *u->vfs_inode) {
        s.path_mode = pst.st_mode & 07777;
        s.path_uid = pst.st_uid;
      }
    }
    if (u->rqueue) s.rqueue = *u->rqueue;
    if (u->wqueue) s.wqueue = *u->wqueue;
    if (u->peer_inode && *u->peer_inode) {
      s.unix_peer_ino = *u->peer_inode;
      if (!s.peer) {
        if (const UnixDiagFacts* p = diag.find_unix(*u->peer_inode)) {
          SockAddr a;
          auto* sun = reinterpret_cast<sockaddr_un*>(&a.storage);
          sun->sun_family = AF_UNIX;
          a.len = offsetof(sockaddr_un, sun_path);
          if (p->name && p->name->size() <= sizeof(sun->sun_path)) {
            std::memcpy(sun->sun_path, p->name->data(), p->name->size());
            a.len += static_cast<socklen_t>(p->name->size());
          }
          s.peer = a;
        }
      }
      if (holders) {
        auto it = holders->find(*u->peer_inode);
        if (it != holders->end()) s.peer_holders = it->second;
      }
    }
  } else if (n) {
    if (s.source.empty()) s.source = "sock_diag";
    if (!s.family) s.family = AF_NETLINK;
    if (!s.protocol) s.protocol = n->protocol;
    s.state = n->state;
  } else {
    if (s.source.empty()) s.source = "sock_diag";
    if (!s.family) s.family = AF_PACKET;
    if (!s.type) s.type = p->type;
    if (!s.protocol) s.protocol = p->protocol;
  }
  return true;
}

}  // namespace fdscope
