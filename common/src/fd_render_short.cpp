// filan's one-line forms (see fd_render.hpp).  -s keeps socat's words and
// field order exactly ("%5d " then "file <path>", "pipe ", "unix <addr>",
// "tcp <local> <peer>", ...) because scripts parse it; the fixes are in the
// values: tcp/udp instead of socat 1.7.4's "ip", FIFOs with their path,
// UNIX names without stray bytes, and the any-address instead of garbage
// for sockets without a peer.  -S is socat's improved form with fdscope's
// kind names and the TCP state.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>

#include <fmt/format.h>

#include "fdscope/fd_render.hpp"

namespace fdscope {
namespace {

std::string any_address(int family) {
  if (family == AF_INET) return "0.0.0.0:0";
  if (family == AF_INET6) return "[::]:0";
  return "";
}

std::string short_addr(const std::optional<SockAddr>& a, int family) {
  if (!a || a->empty()) return any_address(family);
  return format_sockaddr(*a, AddrStyle::SocatShort);
}

std::string path_or_deleted(const FdInfo& info) {
  return info.path + (info.deleted ? " (deleted)" : "");
}

std::string socket_short(const FdInfo& info, bool improved) {
  if (!info.sock) return "socket";
  const SocketInfo& s = *info.sock;
  int family = s.family.value_or(AF_UNSPEC);
  int type = s.type.value_or(0);
  int proto = s.protocol.value_or(0);
  bool listening = s.listening.value_or(false);
  std::string_view word = protocol_word(family, type, proto);
  std::string_view tname = socket_type_name(type);
  std::string typ = tname.starts_with("SOCK_") ? std::string(tname.substr(5)) : fmt::format("socktype{}", type);
  for (char& ch : typ) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));

  if (family == AF_UNIX) {
    std::string local = short_addr(s.local, family);
    if (!improved)
      return fmt::format("unix{}{} {}", type == SOCK_DGRAM ? "datagram" : "", listening ? "(listening)" : "", local);
    std::string out = "unix " + local;
    if (s.peer) out += "-" + format_sockaddr(*s.peer, AddrStyle::SocatShort);
    out += " " + typ;
    if (listening) out += " (listening)";
    for (const auto& h : s.peer_holders) out += fmt::format(" peer={}/{}", h.pid, h.comm);
    if (s.peer_info && s.peer_info->cred && s.peer_holders.empty())
      out += fmt::format(" peer-pid={}", s.peer_info->cred->pid);
    return out;
  }
  if (family == AF_INET || family == AF_INET6) {
    std::string w = word.empty() ? std::string("ip") : std::string(word);
    if (family == AF_INET6) w += "6";
    std::string local = short_addr(s.local, family);
    if (!improved) {
      if (type == SOCK_STREAM || type == SOCK_DGRAM)
        return fmt::format("{}{} {} {}", w, listening ? "(listening)" : "", local, short_addr(s.peer, family));
      return fmt::format("{} {}", w, local);
    }
    std::string out = w + " " + local;
    if (s.peer && !s.peer->empty()) out += "-" + format_sockaddr(*s.peer, AddrStyle::SocatShort);
    out += " (" + typ + ")";
    if (listening) out += " (listening)";
    if (s.state && !listening && type == SOCK_STREAM) {
      std::string_view st = tcp_state_name(*s.state);
      if (!st.empty()) out += fmt::format(" {}", st);
    }
    return out;
  }
  // Families socat printed as "socket(family/domain=N)".
  std::string w = word.empty() ? fmt::format("socket(family/domain={})", family) : std::string(word);
  std::string out = w;
  std::string_view pname = protocol_name(family, proto);
  if (!pname.empty()) out += fmt::format(" {}", pname);
  if (s.local && !s.local->empty()) out += " " + format_sockaddr(*s.local, AddrStyle::Plain);
  // A netlink socket's "peer" is the kernel (0:0) unless connected elsewhere.
  if (s.peer && !s.peer->empty() && family != AF_NETLINK)
    out += (improved ? "-" : " ") + format_sockaddr(*s.peer, AddrStyle::Plain);
  if (improved) out += " (" + typ + ")";
  return out;
}

std::string body(const FdInfo& info, bool improved) {
  switch (info.kind) {
    case FdKind::Regular: return "file " + path_or_deleted(info) + (improved && info.o_path ? " (O_PATH)" : "");
    case FdKind::MemFd: return (improved ? "memfd " : "file ") + path_or_deleted(info);
    case FdKind::Directory: return "dir " + info.path + (improved && info.o_path ? " (O_PATH)" : "");
    case FdKind::Symlink: return "link " + info.path;
    case FdKind::CharDevice: return "chrdev " + info.path;
    case FdKind::BlockDevice: return "blkdev " + info.path;
    case FdKind::Fifo: return (improved ? "fifo " : "pipe ") + path_or_deleted(info);
    case FdKind::Pipe: return improved ? "pipe " + info.path : "pipe ";
    case FdKind::Tty:
    case FdKind::PtySlave: return "tty " + info.path;
    case FdKind::PtyMaster:
      if (!improved) return "tty " + info.path;
      return "pty-master " + info.path + (info.tty_peer.empty() ? "" : " slave=" + info.tty_peer);
    case FdKind::Socket: return socket_short(info, improved);
    case FdKind::Unknown: return "unknown " + info.path;
    default: {
      std::string s = kind_summary(info);
      return std::string(kind_name(info.kind)) + (s.empty() ? "" : " " + s);
    }
  }
}

}  // namespace

std::string render_short(const FdInfo& info) {
  return fmt::format("{:5} {}\n", info.fd, body(info, false));
}

std::string render_short_improved(const FdInfo& info) {
  return fmt::format("{:5} {}\n", info.fd, body(info, true));
}

}  // namespace fdscope
