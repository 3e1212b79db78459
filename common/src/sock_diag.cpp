// NETLINK_SOCK_DIAG dumps: every socket of a network namespace in a handful
// of netlink round trips (one dump per family/protocol), as `ss` does.  filan
// builds the inode -> facts maps once and then describes each socket fd by
// lookup, instead of several getsockopt/getsockname calls per fd; this is
// what keeps `filan -p` on a process with 10,000 sockets fast.  The dump of
// another namespace opens its netlink socket from a short-lived thread that
// setns()es into it (a netlink socket keeps the namespace it was created
// in).  find_socket_holders() answers the inverse question (which process
// holds inode N) with one pass over /proc/*/fd.
#include "fdscope/sock_diag.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstring>
#include <atomic>
#include <functional>
#include <optional>
#include <thread>

#include "fdscope/io.hpp"

namespace fdscope {
namespace {

// Attribute walking (struct nlattr and struct rtattr share the layout).
struct Attr {
  uint16_t type;
  const uint8_t* data;
  size_t len;
};

template <typename F>
void for_each_attr(const uint8_t* p, size_t len, F&& f) {
  while (len >= 4) {
    uint16_t alen, atype;
    std::memcpy(&alen, p, 2);
    std::memcpy(&atype, p + 2, 2);
    if (alen < 4 || alen > len) break;
    f(Attr{static_cast<uint16_t>(atype & 0x3fff), p + 4, size_t(alen) - 4});
    size_t step = (size_t(alen) + 3) & ~size_t(3);
    if (step >= len) break;
    p += step;
    len -= step;
  }
}

template <typename T>
T attr_value(const Attr& a) {
  T v{};
  std::memcpy(&v, a.data, std::min(sizeof(T), a.len));
  return v;
}

// An attribute that is an array of u32 (UNIX pending connections, netlink
// group bits), appended to `out`.
template <typename T>
void append_u32s(const Attr& a, std::vector<T>& out) {
  for (size_t i = 0; i + 4 <= a.len; i += 4) {
    uint32_t w;
    std::memcpy(&w, a.data + i, 4);
    out.push_back(w);
  }
}

// Sends one dump request and calls on_msg for every message until
// NLMSG_DONE.  Errors from the kernel (module missing: ENOENT/EINVAL...) are
// returned with their errno.
Status netlink_dump(int fd, const void* req, size_t req_len, const char* what,
                    const std::function<void(const nlmsghdr*)>& on_msg) {
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent = retry_eintr([&] {
    return ::sendto(fd, req, req_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  });
  if (sent < 0) return sys_error(fmt::format("sock_diag {}: sendto", what));
  const uint32_t seq = reinterpret_cast<const nlmsghdr*>(req)->nlmsg_seq;
  std::vector<uint8_t> buf(64 * 1024);
  for (;;) {
    ssize_t n = retry_eintr([&] { return ::recv(fd, buf.data(), buf.size(), 0); });
    if (n < 0) return sys_error(fmt::format("sock_diag {}: recv", what));
    if (n == 0) return plain_error(fmt::format("sock_diag {}: unexpected end of dump", what));
    size_t len = static_cast<size_t>(n);
    for (auto* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_DONE) {
        // The DONE payload is the dump's status: a handler that is missing
        // (module not built, e.g. raw_diag) ends the dump with -ENOENT.
        int status = 0;
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) std::memcpy(&status, NLMSG_DATA(h), sizeof status);
        if (status < 0) return sys_error(fmt::format("sock_diag {}", what), -status);
        return {};
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(nlmsgerr)) && e->error == 0) continue;
        int err = h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ? -e->error : EIO;
        return sys_error(fmt::format("sock_diag {}", what), err);
      }
      on_msg(h);
    }
  }
}

uint32_t next_seq() {
  static std::atomic<uint32_t> seq{1};
  return seq++;
}

// One reply of a sock_diag dump: the family's fixed message and the
// attributes after it.
template <typename Msg>
struct DiagReply {
  const Msg& msg;
  const uint8_t* attrs;
  size_t attrs_len;

  template <typename F>
  void each_attr(F&& f) const {
    for_each_attr(attrs, attrs_len, std::forward<F>(f));
  }
};

// The reply in `h`, when it is long enough to hold a Msg.
template <typename Msg>
std::optional<DiagReply<Msg>> diag_reply(const nlmsghdr* h) {
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(Msg))) return std::nullopt;
  const auto* m = static_cast<const Msg*>(NLMSG_DATA(h));
  return DiagReply<Msg>{*m, reinterpret_cast<const uint8_t*>(m) + NLMSG_ALIGN(sizeof(Msg)),
                        h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(Msg)))};
}

// The one dump loop every family shares: sends `req` (the family's request)
// as a SOCK_DIAG_BY_FAMILY dump, turns each reply into facts with `parse`
// and files them in `facts` by socket inode.
// A SOCK_DIAG_BY_FAMILY request: netlink header and the family's request.
template <typename Req>
struct DiagRequest {
  nlmsghdr nlh;
  Req req;
};

template <typename Req>
DiagRequest<Req> diag_request(const Req& req, uint16_t flags) {
  DiagRequest<Req> msg{};
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = flags;
  msg.nlh.nlmsg_seq = next_seq();
  msg.req = req;
  return msg;
}

template <typename Msg, typename Req, typename Map, typename Parse>
Status dump_family(int fd, const Req& req, const char* what, Map& facts, Parse&& parse) {
  auto msg = diag_request(req, NLM_F_REQUEST | NLM_F_DUMP);
  return netlink_dump(fd, &msg, sizeof msg, what, [&](const nlmsghdr* h) {
    auto r = diag_reply<Msg>(h);
    if (!r) return;
    auto f = parse(*r);
    uint64_t inode = f.inode;
    facts[inode] = std::move(f);
  });
}

SockAddr inet_addr(int family, const __be32* addr, __be16 port) {
  SockAddr a;
  if (family == AF_INET) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = port;
    std::memcpy(&in.sin_addr, addr, 4);
    a = SockAddr::from(reinterpret_cast<sockaddr*>(&in), sizeof in);
  } else {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = port;
    std::memcpy(&in6.sin6_addr, addr, 16);
    a = SockAddr::from(reinterpret_cast<sockaddr*>(&in6), sizeof in6);
  }
  return a;
}

bool all_zero(const __be32* addr, int family) {
  int words = family == AF_INET ? 1 : 4;
  for (int i = 0; i < words; ++i)
    if (addr[i]) return false;
  return true;
}

Status dump_inet(int fd, int family, int protocol, bool want_info, SocketFacts& out) {
  inet_diag_req_v2 req{};
  req.sdiag_family = static_cast<uint8_t>(family);
  req.sdiag_protocol = static_cast<uint8_t>(protocol);
  // TIME_WAIT (6) and NEW_SYN_RECV (12) entries are mini-sockets with inode
  // 0 that no fd can hold; a busy host has tens of thousands of them, so
  // leaving them out of the dump keeps filan -p fast without losing a match.
  req.idiag_states = ~0u & ~((1u << 6) | (1u << 12));
  if (want_info && protocol == IPPROTO_TCP)
    req.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_CONG - 1));
  req.idiag_ext |= (1 << (INET_DIAG_TOS - 1)) | (1 << (INET_DIAG_TCLASS - 1));
  // Raw sockets: sdiag_raw_protocol (the pad byte) stays 0, which dumps
  // every raw socket regardless of its protocol, as ss does.

  const char* what = protocol == IPPROTO_TCP ? (family == AF_INET ? "tcp4" : "tcp6")
                     : protocol == IPPROTO_UDP ? (family == AF_INET ? "udp4" : "udp6")
                                               : (family == AF_INET ? "raw4" : "raw6");
  return dump_family<inet_diag_msg>(fd, req, what, out.inet, [&](const DiagReply<inet_diag_msg>& r) {
    const inet_diag_msg* m = &r.msg;
    InetDiagFacts f;
    f.inode = m->idiag_inode;
    f.cookie = (uint64_t(m->id.idiag_cookie[1]) << 32) | m->id.idiag_cookie[0];
    f.family = m->idiag_family;
    f.protocol = protocol;
    f.state = m->idiag_state;
    f.local = inet_addr(f.family, m->id.idiag_src, m->id.idiag_sport);
    if (!(all_zero(m->id.idiag_dst, f.family) && m->id.idiag_dport == 0))
      f.remote = inet_addr(f.family, m->id.idiag_dst, m->id.idiag_dport);
    f.rqueue = m->idiag_rqueue;
    f.wqueue = m->idiag_wqueue;
    f.uid = m->idiag_uid;
    f.ifindex = m->id.idiag_if;
    f.timer = m->idiag_timer;
    f.retrans = m->idiag_retrans;
    f.expires_ms = m->idiag_expires;
    r.each_attr([&](const Attr& a) {
      switch (a.type) {
        case INET_DIAG_INFO:
          if (protocol == IPPROTO_TCP) f.tcp_info = tcp_info_from_bytes(a.data, a.len);
          break;
        case INET_DIAG_CONG:
          f.congestion.assign(reinterpret_cast<const char*>(a.data), strnlen(reinterpret_cast<const char*>(a.data), a.len));
          break;
        case INET_DIAG_SHUTDOWN:
          f.shutdown = attr_value<uint8_t>(a);
          break;
        case INET_DIAG_MARK:
          f.mark = attr_value<uint32_t>(a);
          break;
        case INET_DIAG_TOS:
        case INET_DIAG_TCLASS:
          f.tos = attr_value<uint8_t>(a);
          break;
        default:
          break;
      }
    });
    return f;
  });
}

UnixDiagFacts parse_unix(const DiagReply<unix_diag_msg>& r) {
  const unix_diag_msg* m = &r.msg;
  UnixDiagFacts f;
  f.inode = m->udiag_ino;
  f.cookie = (uint64_t(m->udiag_cookie[1]) << 32) | m->udiag_cookie[0];
  f.type = m->udiag_type;
  f.state = m->udiag_state;
  r.each_attr([&](const Attr& a) {
    switch (a.type) {
      case UNIX_DIAG_NAME: {
        std::string name(reinterpret_cast<const char*>(a.data), a.len);
        // A path comes with the NUL it was bound with; an abstract name
        // (leading NUL) is kept byte for byte.
        if (!name.empty() && name[0] != '\0') name.resize(strnlen(name.c_str(), name.size()));
        f.name = std::move(name);
        break;
      }
      case UNIX_DIAG_VFS:
        if (a.len >= sizeof(unix_diag_vfs)) {
          auto v = attr_value<unix_diag_vfs>(a);
          f.vfs_inode = v.udiag_vfs_ino;
          f.vfs_dev = v.udiag_vfs_dev;
        }
        break;
      case UNIX_DIAG_PEER:
        f.peer_inode = attr_value<uint32_t>(a);
        break;
      case UNIX_DIAG_ICONS:
        append_u32s(a, f.pending);
        break;
      case UNIX_DIAG_RQLEN:
        if (a.len >= sizeof(unix_diag_rqlen)) {
          auto q = attr_value<unix_diag_rqlen>(a);
          f.rqueue = q.udiag_rqueue;
          f.wqueue = q.udiag_wqueue;
        }
        break;
      case UNIX_DIAG_SHUTDOWN:
        f.shutdown = attr_value<uint8_t>(a);
        break;
      case UNIX_DIAG_UID:
        f.uid = attr_value<uint32_t>(a);
        break;
      default:
        break;
    }
  });
  return f;
}

constexpr uint32_t kUnixShow = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS |
                               UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;

Status dump_unix(int fd, SocketFacts& out) {
  unix_diag_req req{};
  req.sdiag_family = AF_UNIX;
  req.udiag_states = ~0u;
  req.udiag_show = kUnixShow;
  return dump_family<unix_diag_msg>(fd, req, "unix", out.unix_sockets, parse_unix);
}

Status dump_netlink(int fd, SocketFacts& out) {
  netlink_diag_req req{};
  req.sdiag_family = AF_NETLINK;
  req.sdiag_protocol = NDIAG_PROTO_ALL;
  req.ndiag_show = NDIAG_SHOW_GROUPS;
  return dump_family<netlink_diag_msg>(fd, req, "netlink", out.netlink, [](const DiagReply<netlink_diag_msg>& r) {
    const netlink_diag_msg* m = &r.msg;
    NetlinkDiagFacts f;
    f.inode = m->ndiag_ino;
    f.protocol = m->ndiag_protocol;
    f.portid = m->ndiag_portid;
    f.dst_portid = m->ndiag_dst_portid;
    f.dst_group = m->ndiag_dst_group;
    f.state = m->ndiag_state;
    r.each_attr([&](const Attr& a) {
      if (a.type == NETLINK_DIAG_GROUPS) append_u32s(a, f.groups);
    });
    return f;
  });
}

Status dump_packet(int fd, SocketFacts& out) {
  packet_diag_req req{};
  req.sdiag_family = AF_PACKET;
  req.pdiag_show = PACKET_SHOW_INFO;
  return dump_family<packet_diag_msg>(fd, req, "packet", out.packet, [](const DiagReply<packet_diag_msg>& r) {
    const packet_diag_msg* m = &r.msg;
    PacketDiagFacts f;
    f.inode = m->pdiag_ino;
    f.type = m->pdiag_type;
    f.protocol = m->pdiag_num;
    r.each_attr([&](const Attr& a) {
      if (a.type == PACKET_DIAG_INFO && a.len >= sizeof(packet_diag_info)) {
        auto i = attr_value<packet_diag_info>(a);
        f.ifindex = i.pdi_index;
        f.version = i.pdi_version;
      } else if (a.type == PACKET_DIAG_UID) {
        f.uid = attr_value<uint32_t>(a);
      }
    });
    return f;
  });
}

Result<SocketFacts> dump_with(UniqueFd fd, const SockDiagOptions& opts) {
  // A dump never waits on the network, but bound the wait anyway.
  timeval tv{5, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  int rcvbuf = 1 << 20;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

  SocketFacts facts;
  auto note = [&](Status s) {
    if (!s.ok()) facts.errors.push_back(s.error());
  };
  auto wanted = [&](bool enabled, int family, int protocol) {
    return enabled && (!opts.wanted || opts.wanted(family, protocol));
  };
  std::vector<int> families{AF_INET};
  if (opts.inet6) families.push_back(AF_INET6);
  for (int family : families) {
    if (wanted(opts.tcp, family, IPPROTO_TCP)) note(dump_inet(fd.get(), family, IPPROTO_TCP, opts.tcp_info, facts));
    if (wanted(opts.udp, family, IPPROTO_UDP)) note(dump_inet(fd.get(), family, IPPROTO_UDP, false, facts));
    if (wanted(opts.raw, family, IPPROTO_RAW)) note(dump_inet(fd.get(), family, IPPROTO_RAW, false, facts));
  }
  if (wanted(opts.unix_sockets, AF_UNIX, 0)) note(dump_unix(fd.get(), facts));
  if (wanted(opts.netlink, AF_NETLINK, 0)) note(dump_netlink(fd.get(), facts));
  if (wanted(opts.packet, AF_PACKET, 0)) note(dump_packet(fd.get(), facts));
  return facts;
}

template <typename M>
const typename M::mapped_type* find_in(const M& m, uint64_t inode) {
  auto it = m.find(inode);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

const InetDiagFacts* SocketFacts::find_inet(uint64_t inode) const { return find_in(inet, inode); }
const UnixDiagFacts* SocketFacts::find_unix(uint64_t inode) const { return find_in(unix_sockets, inode); }
const NetlinkDiagFacts* SocketFacts::find_netlink(uint64_t inode) const { return find_in(netlink, inode); }
const PacketDiagFacts* SocketFacts::find_packet(uint64_t inode) const { return find_in(packet, inode); }

Result<UniqueFd> open_sock_diag_socket(int netns_fd) {
  auto open_here = []() -> Result<UniqueFd> {
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) return sys_error("socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
    return UniqueFd(fd);
  };
  if (netns_fd < 0) return open_here();
  // setns() changes only the calling thread's namespace; the thread ends
  // right after creating the socket, so no other code runs in the target
  // namespace.
  Result<UniqueFd> result = plain_error("sock_diag: namespace thread did not run");
  std::thread t([&] {
    if (::setns(netns_fd, CLONE_NEWNET) < 0) {
      result = sys_error(fmt::format("setns(fd {}, CLONE_NEWNET)", netns_fd));
      return;
    }
    result = open_here();
  });
  t.join();
  return result;
}

Result<SocketFacts> dump_sockets(const SockDiagOptions& opts) {
  auto fd = open_sock_diag_socket(-1);
  if (!fd) return fd.take_error();
  return dump_with(std::move(*fd), opts);
}

Result<SocketFacts> dump_sockets_in_netns(int netns_fd, const SockDiagOptions& opts) {
  auto fd = open_sock_diag_socket(netns_fd);
  if (!fd) return fd.take_error();
  return dump_with(std::move(*fd), opts);
}

Result<UnixDiagFacts> query_unix_socket(uint64_t inode, int netns_fd) {
  auto fd = open_sock_diag_socket(netns_fd);
  if (!fd) return fd.take_error();
  timeval tv{5, 0};
  ::setsockopt(fd->get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  unix_diag_req req{};
  req.sdiag_family = AF_UNIX;
  req.udiag_ino = static_cast<uint32_t>(inode);
  req.udiag_show = kUnixShow;
  req.udiag_cookie[0] = req.udiag_cookie[1] = ~0u;  // INET_DIAG_NOCOOKIE: match by inode only
  auto msg = diag_request(req, NLM_F_REQUEST);
  std::string what = fmt::format("sock_diag unix inode {}", inode);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (retry_eintr([&] {
        return ::sendto(fd->get(), &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
      }) < 0)
    return sys_error(what + ": sendto");
  std::vector<uint8_t> buf(16 * 1024);
  ssize_t n = retry_eintr([&] { return ::recv(fd->get(), buf.data(), buf.size(), 0); });
  if (n < 0) return sys_error(what + ": recv");
  size_t len = static_cast<size_t>(n);
  for (auto* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
    if (h->nlmsg_type == NLMSG_ERROR) {
      const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      int err = h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ? -e->error : EIO;
      return sys_error(what, err ? err : EIO);
    }
    if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
    if (auto r = diag_reply<unix_diag_msg>(h)) return parse_unix(*r);
  }
  return plain_error(what + ": no answer");
}

Result<uint64_t> socket_inode(int fd) {
  struct stat st;
  if (::fstat(fd, &st) < 0) return sys_error(fmt::format("fstat(fd {})", fd));
  if (!S_ISSOCK(st.st_mode)) return sys_error(fmt::format("fd {} is not a socket", fd), ENOTSOCK);
  return static_cast<uint64_t>(st.st_ino);
}

std::unordered_map<uint64_t, std::vector<SocketHolder>> find_socket_holders(
    const std::unordered_set<uint64_t>& inodes, const std::string& proc_root) {
  std::unordered_map<uint64_t, std::vector<SocketHolder>> out;
  if (inodes.empty()) return out;
  DIR* proc = ::opendir(proc_root.c_str());
  if (!proc) return out;
  while (dirent* pe = ::readdir(proc)) {
    const char* name = pe->d_name;
    if (name[0] < '1' || name[0] > '9') continue;
    char* end = nullptr;
    long pid = std::strtol(name, &end, 10);
    if (*end != '\0') continue;
    std::string fddir = fmt::format("{}/{}/fd", proc_root, name);
    DIR* fds = ::opendir(fddir.c_str());
    if (!fds) continue;  // exited, or no permission
    std::string comm;
    bool have_comm = false;
    int dfd = ::dirfd(fds);
    while (dirent* fe = ::readdir(fds)) {
      if (fe->d_name[0] < '0' || fe->d_name[0] > '9') continue;
      char link[64];
      ssize_t n = ::readlinkat(dfd, fe->d_name, link, sizeof link - 1);
      if (n < 9 || std::memcmp(link, "socket:[", 8) != 0) continue;
      link[n] = '\0';
      uint64_t ino = std::strtoull(link + 8, nullptr, 10);
      if (!inodes.count(ino)) continue;
      if (!have_comm) {
        have_comm = true;
        if (auto c = read_file(fmt::format("{}/{}/comm", proc_root, name))) {
          comm = std::move(*c);
          while (!comm.empty() && comm.back() == '\n') comm.pop_back();
        }
      }
      out[ino].push_back(SocketHolder{static_cast<pid_t>(pid), comm, std::atoi(fe->d_name)});
    }
    ::closedir(fds);
  }
  ::closedir(proc);
  return out;
}

std::string_view unix_state_name(unsigned state) {
  switch (state) {
    case 1: return "ESTAB";
    case 2: return "SYN-SENT";
    case 7: return "UNCONN";
    case 10: return "LISTEN";
    default: return tcp_state_name(state);
  }
}

void inet_diag_json(JsonWriter& w, const InetDiagFacts& f) {
  w.begin_object();
  w.field("inode", f.inode).field("cookie", f.cookie);
  w.field("family", family_name(f.family)).field("protocol", ip_protocol_name(f.protocol));
  std::string_view st = tcp_state_name(f.state);
  if (st.empty())
    w.field("state", f.state);
  else
    w.field("state", st);
  w.key("local");
  sockaddr_json(w, f.local);
  if (!f.remote.empty()) {
    w.key("remote");
    sockaddr_json(w, f.remote);
  }
  w.field("rqueue", f.rqueue).field("wqueue", f.wqueue).field("uid", f.uid);
  if (f.ifindex) w.field("ifindex", f.ifindex);
  w.field("timer", f.timer).field("retrans", f.retrans).field("expires_ms", f.expires_ms);
  if (f.shutdown) w.field("shutdown", *f.shutdown);
  if (f.mark) w.field("mark", *f.mark);
  if (f.tos) w.field("tos", *f.tos);
  if (!f.congestion.empty()) w.field("congestion", f.congestion);
  if (f.tcp_info) {
    w.key("tcp_info");
    tcp_info_json(w, *f.tcp_info);
  }
  w.end_object();
}

void unix_diag_json(JsonWriter& w, const UnixDiagFacts& f) {
  w.begin_object();
  w.field("inode", f.inode).field("cookie", f.cookie);
  std::string_view type = socket_type_name(f.type);
  if (type.empty())
    w.field("type", f.type);
  else
    w.field("type", type);
  w.field("state", unix_state_name(f.state));
  if (f.name) {
    if (!f.name->empty() && (*f.name)[0] == '\0')
      w.field("abstract", std::string_view(*f.name).substr(1));
    else
      w.field("path", *f.name);
  }
  if (f.peer_inode) w.field("peer_inode", *f.peer_inode);
  if (f.vfs_inode) w.field("vfs_inode", *f.vfs_inode);
  if (f.vfs_dev) w.field("vfs_dev", *f.vfs_dev);
  if (!f.pending.empty()) {
    w.key("pending").begin_array();
    for (uint64_t p : f.pending) w.value(p);
    w.end_array();
  }
  if (f.rqueue) w.field("rqueue", *f.rqueue);
  if (f.wqueue) w.field("wqueue", *f.wqueue);
  if (f.shutdown) w.field("shutdown", *f.shutdown);
  if (f.uid) w.field("uid", *f.uid);
  w.end_object();
}

void netlink_diag_json(JsonWriter& w, const NetlinkDiagFacts& f) {
  w.begin_object();
  w.field("inode", f.inode);
  std::string_view proto = netlink_protocol_name(f.protocol);
  if (proto.empty())
    w.field("protocol", f.protocol);
  else
    w.field("protocol", proto);
  w.field("portid", f.portid).field("dst_portid", f.dst_portid).field("dst_group", f.dst_group);
  w.field("state", f.state);
  if (!f.groups.empty()) {
    w.key("groups").begin_array();
    for (uint32_t g : f.groups) w.value(g);
    w.end_array();
  }
  w.end_object();
}

void packet_diag_json(JsonWriter& w, const PacketDiagFacts& f) {
  w.begin_object();
  w.field("inode", f.inode);
  std::string_view type = socket_type_name(f.type);
  if (type.empty())
    w.field("type", f.type);
  else
    w.field("type", type);
  std::string_view proto = eth_protocol_name(f.protocol);
  if (proto.empty())
    w.field("protocol", f.protocol);
  else
    w.field("protocol", proto);
  if (f.ifindex) w.field("ifindex", *f.ifindex);
  if (f.version) w.field("version", *f.version);
  if (f.uid) w.field("uid", *f.uid);
  w.end_object();
}

}  // namespace fdscope
