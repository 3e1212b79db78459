// The --audit checks over FdInfo records (see fd_audit.hpp).  Each check is
// a small function of one record; the wording names the object (path or
// address) so a finding can be acted on without looking anything up.
#include "fdscope/fd_audit.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include <fmt/format.h>

#include "fdscope/fd_render.hpp"

namespace fdscope {
namespace {

std::string describe(const FdInfo& info) {
  std::string s = render_short_improved(info);
  // "    5 file /x\n" -> "file /x"
  size_t start = s.find_first_not_of(' ');
  start = s.find(' ', start);
  s = start == std::string::npos ? s : s.substr(start + 1);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool is_wildcard(const SockAddr& a) {
  if (a.family() == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&a.storage);
    return in->sin_addr.s_addr == htonl(INADDR_ANY);
  }
  if (a.family() == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&a.storage);
    return std::memcmp(&in6->sin6_addr, &in6addr_any, sizeof(in6addr_any)) == 0;
  }
  return false;
}

}  // namespace

std::vector<AuditFinding> audit_fds(std::span<const FdInfo> fds, const AuditContext& ctx) {
  std::vector<AuditFinding> out;
  for (const FdInfo& info : fds) {
    auto add = [&](const char* check, std::string msg) { out.push_back({info.fd, check, std::move(msg)}); };
    if (info.fd > 2 && info.fd_flags && !(*info.fd_flags & 1)) {
      add("no-cloexec",
          ctx.own_process
              ? fmt::format("{} was inherited without FD_CLOEXEC and would be passed on to every program started from here",
                            describe(info))
              : fmt::format("{} has no FD_CLOEXEC: every program this process executes inherits it", describe(info)));
    }
    if (info.kind == FdKind::Socket && info.sock) {
      const SocketInfo& s = *info.sock;
      int family = s.family.value_or(AF_UNSPEC);
      bool listening = s.listening.value_or(false);
      if (family == AF_UNIX && listening && s.local) {
        UnixAddrKind k = unix_addr_kind(s.local->get(), s.local->len);
        std::string name = format_sockaddr(*s.local, AddrStyle::Plain);
        if (k == UnixAddrKind::Abstract)
          add("world-connectable",
              fmt::format("abstract UNIX listener {} accepts connections from any process in its network namespace "
                          "(abstract names have no permissions)",
                          name));
        else if (k == UnixAddrKind::Path && s.path_mode && (*s.path_mode & 0002))
          add("world-connectable",
              fmt::format("UNIX listener {} is world-connectable (socket file mode 0{:o})", name, *s.path_mode));
      }
      if ((family == AF_INET || family == AF_INET6) && s.local && is_wildcard(*s.local)) {
        int type = s.type.value_or(0);
        if (listening)
          add("wildcard-listener", fmt::format("listens on all interfaces ({})",
                                               format_sockaddr(*s.local, AddrStyle::Plain)));
        else if (type == SOCK_DGRAM && (!s.peer || s.peer->empty()))
          add("wildcard-listener", fmt::format("UDP socket bound to all interfaces ({}) receives from anyone",
                                               format_sockaddr(*s.local, AddrStyle::Plain)));
      }
    }
    if (info.deleted && info.kind == FdKind::Regular) {
      add("deleted-file", fmt::format("file {} was deleted but is still open ({} bytes still allocated)", info.path,
                                      info.st ? static_cast<long long>(info.st->size) : 0LL));
    }
    if (info.st && !info.o_path &&
        (info.kind == FdKind::Regular || info.kind == FdKind::Directory || info.kind == FdKind::Fifo) &&
        info.st->uid != ctx.euid && info.st->uid != 0) {
      add("foreign-owner", fmt::format("{} belongs to uid {}, not to the process's uid {}", describe(info),
                                       info.st->uid, ctx.euid));
    }
  }
  return out;
}

std::string audit_text(std::span<const AuditFinding> findings) {
  std::string out;
  for (const auto& f : findings) out += fmt::format("fd {}: {}: {}\n", f.fd, f.check, f.message);
  return out;
}

}  // namespace fdscope
