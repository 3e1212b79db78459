// filan --json: one object per fd.  Keys are stable and documented in
// man/filan.1; a fact that could not be read has no key (never a 0 or "").
// Socket options, TCP_INFO, termios, addresses and peer credentials are
// written by the JSON functions of their own tables (sockopt, tcp_info,
// termios_info, sockaddr, peer_cred), so their keys are documented there.
#include <poll.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include <fmt/format.h>

#include "fdscope/fd_render.hpp"
#include "fdscope/open_flags.hpp"

namespace fdscope {
namespace {

void fact_json(JsonWriter& w, const Fact& f) {
  switch (f.type) {
    case Fact::Type::Int: w.value(f.i); break;
    case Fact::Type::UInt: w.value(f.u); break;
    case Fact::Type::Text: w.value(f.text); break;
    case Fact::Type::List:
      w.begin_array();
      for (const auto& item : f.items) {
        w.begin_object();
        for (const Fact& g : item) {
          w.key(g.key);
          fact_json(w, g);
        }
        w.end_object();
      }
      w.end_array();
      break;
  }
}

std::string dev_json(dev_t d) { return fmt::format("{}:{}", major(d), minor(d)); }

void stat_json(JsonWriter& w, const FdStat& s) {
  w.begin_object();
  w.field("dev", dev_json(s.dev));
  w.field("ino", static_cast<uint64_t>(s.ino));
  w.field("mode", fmt::format("0{:o}", s.mode));
  w.field("nlink", static_cast<uint64_t>(s.nlink));
  w.field("uid", s.uid);
  w.field("gid", s.gid);
  w.field("rdev", dev_json(s.rdev));
  w.field("size", static_cast<int64_t>(s.size));
  w.field("blksize", static_cast<int64_t>(s.blksize));
  w.field("blocks", static_cast<int64_t>(s.blocks));
  w.field("atime", static_cast<int64_t>(s.atime.tv_sec));
  w.field("mtime", static_cast<int64_t>(s.mtime.tv_sec));
  w.field("ctime", static_cast<int64_t>(s.ctime.tv_sec));
  w.end_object();
}

void socket_json(JsonWriter& w, const SocketInfo& s) {
  w.begin_object();
  int family = s.family.value_or(AF_UNSPEC);
  if (s.family) {
    std::string_view n = family_name(*s.family);
    w.field("family", n.empty() ? fmt::format("{}", *s.family) : std::string(n));
  }
  if (s.type) {
    std::string_view n = socket_type_name(*s.type);
    w.field("type", n.empty() ? fmt::format("{}", *s.type) : std::string(n));
  }
  if (s.protocol) {
    std::string_view n = protocol_name(family, *s.protocol);
    w.field("protocol", n.empty() ? fmt::format("{}", *s.protocol) : std::string(n));
    std::string_view word = protocol_word(family, s.type.value_or(0), *s.protocol);
    if (!word.empty()) w.field("proto", word);
  }
  if (s.local) {
    w.key("local");
    sockaddr_json(w, *s.local);
  }
  if (s.peer && !s.peer->empty()) {
    w.key("peer");
    sockaddr_json(w, *s.peer);
  }
  if (s.listening) w.field("listening", *s.listening);
  if (s.state) {
    std::string_view n = family == AF_UNIX ? unix_state_name(*s.state) : tcp_state_name(*s.state);
    if (family == AF_INET || family == AF_INET6 || family == AF_UNIX)
      w.field("state", n.empty() ? fmt::format("{}", *s.state) : std::string(n));
  }
  if (s.rqueue) w.field("recvq", *s.rqueue);
  if (s.wqueue) w.field("sendq", *s.wqueue);
  if (s.unix_peer_ino) w.field("peer_inode", *s.unix_peer_ino);
  if (!s.peer_holders.empty()) {
    w.key("peer_processes").begin_array();
    for (const auto& h : s.peer_holders) {
      w.begin_object();
      w.field("pid", h.pid);
      w.field("comm", h.comm);
      w.field("fd", h.fd);
      w.end_object();
    }
    w.end_array();
  }
  if (s.peer_info) {
    w.key("peer_cred");
    peer_info_json(w, *s.peer_info);
  }
  if (s.path_mode) w.field("path_mode", fmt::format("0{:o}", *s.path_mode));
  if (s.path_uid) w.field("path_uid", *s.path_uid);
  if (!s.congestion.empty()) w.field("congestion", s.congestion);
  if (s.tcp_info) {
    w.key("tcp_info");
    tcp_info_json(w, *s.tcp_info);
  }
  if (!s.options.empty()) {
    w.key("options");
    sockopts_json(w, s.options);
  }
  if (!s.source.empty()) w.field("source", s.source);
  w.end_object();
}

}  // namespace

void render_json(JsonWriter& w, const FdInfo& info) {
  w.begin_object();
  if (info.fd >= 0) w.field("fd", info.fd);
  w.field("kind", kind_name(info.kind));
  w.field("type", socat_type_name(info));
  if (!info.path.empty()) w.field("path", info.path);
  if (info.deleted) w.field("deleted", true);
  if (info.o_path) w.field("o_path", true);
  if (info.fd_flags) w.field("cloexec", (*info.fd_flags & 1) != 0);
  if (info.flags) {
    w.key("flags");
    open_flags_json(w, *info.flags);
    w.field("flags_raw", *info.flags);
  }
  if (info.pos) w.field("pos", *info.pos);
  if (info.mnt_id) w.field("mnt_id", *info.mnt_id);
  if (info.sigown) w.field("sigown", *info.sigown);
  if (info.sigio) w.field("sigio", *info.sigio);
  if (info.st) {
    w.key("stat");
    stat_json(w, *info.st);
  }
  if (info.revents) {
    w.key("poll").begin_array();
    static const struct {
      short bit;
      const char* name;
    } bits[] = {{POLLIN, "IN"},   {POLLPRI, "PRI"}, {POLLOUT, "OUT"}, {POLLRDHUP, "RDHUP"},
                {POLLERR, "ERR"}, {POLLHUP, "HUP"}, {POLLNVAL, "NVAL"}};
    for (const auto& b : bits)
      if (*info.revents & b.bit) w.value(b.name);
    w.end_array();
  }
  if (info.nread) w.field("nread", *info.nread);
  if (info.pipe_size) w.field("pipe_size", *info.pipe_size);
  if (!info.tty_peer.empty()) w.field("pty_slave", info.tty_peer);
  if (info.tty) {
    w.key("tty");
    tty_info_json(w, *info.tty);
  }
  if (info.sock) {
    w.key("socket");
    socket_json(w, *info.sock);
  }
  if (!info.facts.empty()) {
    w.key("facts").begin_object();
    for (const Fact& f : info.facts) {
      w.key(f.key);
      fact_json(w, f);
    }
    w.end_object();
  }
  if (!info.notes.empty()) {
    w.key("notes").begin_array();
    for (const auto& n : info.notes) w.value(n);
    w.end_array();
  }
  w.end_object();
}

}  // namespace fdscope
