// filan's default text form (see fd_render.hpp): socat's header and stat
// columns, then kind-specific details as tab-separated fields.  Also the
// small pieces every form shares: socat's type word, the poll summary, the
// facts list and the per-kind summary of anon inodes.
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "fdscope/fd_render.hpp"
#include "fdscope/open_flags.hpp"

namespace fdscope {
namespace {

// Writes a stat time in asctime's layout (seconds with -r) at p; returns
// the end (at most 32 bytes).
char* put_time(char* p, const timespec& t, bool raw) {
  if (raw) return fmt::format_to(p, FMT_COMPILE("{}"), static_cast<long long>(t.tv_sec));
  // Thousands of fds share a handful of distinct seconds (sockets all show
  // the epoch): remember the last conversion, localtime_r is not cheap.
  thread_local time_t last_sec = -1;
  thread_local char last_text[32];
  thread_local size_t last_len = 0;
  if (t.tv_sec != last_sec) {
    struct tm tm;
    time_t s = t.tv_sec;
    if (!::localtime_r(&s, &tm)) {
      *p = '?';
      return p + 1;
    }
    last_len = ::strftime(last_text, sizeof(last_text), "%a %b %e %H:%M:%S %Y", &tm);  // asctime's layout
    last_sec = s;
  }
  std::memcpy(p, last_text, last_len);
  return p + last_len;
}

template <typename T>
char* put_opt(char* p, const std::optional<T>& v) {
  if (v) return fmt::format_to(p, FMT_COMPILE("{}"), *v);
  *p = '?';
  return p + 1;
}

// open_flags_text() of the last flags value this thread rendered: a table
// of thousands of fds has a handful of distinct flag words.
const std::string& open_flags_text_cached(unsigned flags) {
  thread_local unsigned last_flags = ~0u;
  thread_local std::string last_text;
  if (flags != last_flags || last_text.empty()) {
    last_text = open_flags_text(flags);
    last_flags = flags;
  }
  return last_text;
}

void append_socket_text(std::string& out, const SocketInfo& s) {
  auto to = std::back_inserter(out);
  int family = s.family.value_or(AF_UNSPEC);
  int type = s.type.value_or(0);
  int proto = s.protocol.value_or(0);
  std::string_view fam = family_name(family);
  std::string_view typ = socket_type_name(type);
  std::string_view pro = protocol_name(family, proto);
  out += '\t';
  if (fam.empty())
    fmt::format_to(to, FMT_COMPILE("AF={}"), family);
  else
    out += fam;
  out += ' ';
  if (typ.empty())
    fmt::format_to(to, FMT_COMPILE("type={}"), type);
  else
    out += typ;
  if (!pro.empty()) {
    out += ' ';
    out += pro;
  }
  out += '\t';
  if (s.local)
    append_sockaddr(out, *s.local, AddrStyle::Socat);
  else
    out += '?';
  if (s.peer) {
    out += " <-> ";
    append_sockaddr(out, *s.peer, AddrStyle::Socat);
  }
  if (s.listening.value_or(false)) out += " (listening)";
  if (s.state && (family == AF_INET || family == AF_INET6 || family == AF_UNIX)) {
    std::string_view name = family == AF_UNIX ? unix_state_name(*s.state) : tcp_state_name(*s.state);
    out += "\tstate=";
    if (name.empty())
      fmt::format_to(to, FMT_COMPILE("{}"), *s.state);
    else
      out += name;
  }
  if (s.rqueue) fmt::format_to(to, FMT_COMPILE("\trecvq={}"), *s.rqueue);
  if (s.wqueue) fmt::format_to(to, FMT_COMPILE("\tsendq={}"), *s.wqueue);
  if (s.unix_peer_ino) fmt::format_to(to, FMT_COMPILE("\tpeer_inode={}"), *s.unix_peer_ino);
  for (const auto& h : s.peer_holders) fmt::format_to(to, FMT_COMPILE("\tpeer_process={}/{}/fd{}"), h.pid, h.comm, h.fd);
  if (s.peer_info) {
    std::string p = peer_info_text(*s.peer_info);
    if (!p.empty()) {
      out += "\tpeer: ";
      out += p;
    }
  }
  if (s.path_mode) fmt::format_to(to, FMT_COMPILE("\tpath_mode=0{:o}"), *s.path_mode);
  if (!s.congestion.empty()) {
    out += "\tcongestion=";
    out += s.congestion;
  }
  if (!s.options.empty()) {
    out += '\t';
    out += sockopts_text(s.options);
  }
  if (s.tcp_info) {
    out += "\ttcp_info: ";
    append_tcp_info_text(out, *s.tcp_info);
  }
}

}  // namespace

std::string_view socat_type_name(const FdInfo& info) {
  if (info.st) {
    switch (info.st->mode & S_IFMT) {
      case S_IFIFO: return "pipe";
      case S_IFCHR: return "chrdev";
      case S_IFDIR: return "dir";
      case S_IFBLK: return "blkdev";
      case S_IFREG: return "file";
      case S_IFLNK: return "symlink";
      case S_IFSOCK: return "socket";
    }
  }
  return kind_name(info.kind);  // socat says "undef" here
}

std::string poll_text(short revents, std::optional<int> nread) {
  std::string out;
  auto add = [&](const char* s) {
    if (!out.empty()) out += ',';
    out += s;
  };
  if (revents & POLLIN) {
    add("IN");
    if (nread) out += fmt::format("(FIONREAD={})", *nread);
  }
  if (revents & POLLPRI) add("PRI");
  if (revents & POLLOUT) add("OUT");
  if (revents & POLLRDHUP) add("RDHUP");
  if (revents & POLLERR) add("ERR");
  if (revents & POLLHUP) add("HUP");
  if (revents & POLLNVAL) add("NVAL");
  return out;
}

std::string facts_text(const std::vector<Fact>& facts, char sep) {
  std::string out;
  for (const Fact& f : facts) {
    if (!out.empty()) out += sep;
    out += f.key;
    out += '=';
    out += f.value_text();
  }
  return out;
}

std::string kind_summary(const FdInfo& info) {
  auto get = [&](std::string_view k) -> std::string {
    const Fact* f = info.fact(k);
    return f ? fmt::format("{}={}", k, f->value_text()) : std::string();
  };
  auto join = [](std::initializer_list<std::string> parts) {
    std::string out;
    for (const auto& p : parts) {
      if (p.empty()) continue;
      if (!out.empty()) out += ' ';
      out += p;
    }
    return out;
  };
  switch (info.kind) {
    case FdKind::EventFd: return join({get("count"), get("semaphore")});
    case FdKind::TimerFd: return join({get("clock"), get("it_value_ns"), get("it_interval_ns")});
    case FdKind::SignalFd: return join({get("signals")});
    case FdKind::PidFd: return join({get("pid")});
    case FdKind::Epoll: {
      std::string tfds;
      if (const Fact* t = info.fact("targets"))
        for (const auto& item : t->items)
          for (const Fact& f : item)
            if (f.key == "tfd") tfds += (tfds.empty() ? "" : ",") + f.value_text();
      return "tfds=" + (tfds.empty() ? std::string("-") : tfds);
    }
    case FdKind::Inotify: return join({info.fact("count") ? fmt::format("watches={}", info.fact("count")->value_text()) : ""});
    case FdKind::Fanotify: return join({get("init_flags"), info.fact("count") ? fmt::format("marks={}", info.fact("count")->value_text()) : ""});
    case FdKind::BpfMap: return join({get("map_type_name"), get("map_id"), get("max_entries")});
    case FdKind::BpfProg: return join({get("prog_type_name"), get("prog_id"), get("prog_tag")});
    case FdKind::BpfLink: return join({get("link_type"), get("link_id"), get("prog_id")});
    case FdKind::UserFaultFd: return join({get("pending"), get("total")});
    case FdKind::IoUring: return join({get("SqThread"), get("UserFiles")});
    case FdKind::AnonInode: return info.path;
    default: return {};
  }
}

std::string render_text_header(const RenderOptions& opts) {
  if (opts.raw)
    return "  FD  type\tdevice\tinode\tmode\tlinks\tuid\tgid\trdev\tsize\tblksize\tblocks\tatime\t\tmtime\t\tctime\t\tcloexec\tflags\tsigown\tsigio\n";
  return "  FD  type\tdevice\tinode\tmode\tlinks\tuid\tgid\trdev\tsize\tblksize\tblocks\tatime\t\t\t\tmtime\t\t\t\tctime\t\t\t\tcloexec\tflags\tsigown\tsigio\n";
}

std::string render_text(const FdInfo& info, const RenderOptions& opts) {
  std::string out;
  out.reserve(info.sock && info.sock->tcp_info ? 1024 : 320);
  render_text_to(out, info, opts);
  return out;
}

void render_text_to(std::string& out, const FdInfo& info, const RenderOptions& opts) {
  // The fixed columns are formatted into a stack buffer with formats
  // compiled ahead and appended once: filan -p renders tens of thousands
  // of these lines.  At most: 14 numbers of 20 digits, three times of 32,
  // a type word of 64 and the separators.
  char buf[640];
  char* p = buf;
  if (info.fd >= 0)
    p = fmt::format_to(p, FMT_COMPILE("{:4}: "), info.fd);
  else
    p = fmt::format_to(p, FMT_COMPILE("    : "));
  std::string_view type = socat_type_name(info);
  std::memcpy(p, type.data(), std::min<size_t>(type.size(), 64));
  p += std::min<size_t>(type.size(), 64);
  if (info.st) {
    const FdStat& s = *info.st;
    if (opts.raw)
      p = fmt::format_to(p, FMT_COMPILE("\t{}"), s.dev);
    else
      p = fmt::format_to(p, FMT_COMPILE("\t{},{}"), major(s.dev), minor(s.dev));
    p = fmt::format_to(p, FMT_COMPILE("\t{}\t0{:o}\t{}\t{}\t{}\t{},{}\t{}\t{}\t{}\t"), s.ino, s.mode, s.nlink, s.uid,
                       s.gid, major(s.rdev), minor(s.rdev), s.size, s.blksize, s.blocks);
    p = put_time(p, s.atime, opts.raw);
    *p++ = '\t';
    p = put_time(p, s.mtime, opts.raw);
    *p++ = '\t';
    p = put_time(p, s.ctime, opts.raw);
  } else {
    p = fmt::format_to(p, FMT_COMPILE("\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?\t?"));
  }
  if (info.fd >= 0) {
    *p++ = '\t';
    *p++ = info.fd_flags ? (*info.fd_flags & 1 ? '1' : '0') : '?';
    if (info.flags)
      p = fmt::format_to(p, FMT_COMPILE("\tx{:06x}"), *info.flags);
    else
      p = fmt::format_to(p, FMT_COMPILE("\t?"));
    *p++ = '\t';
    p = put_opt(p, info.sigown);
    *p++ = '\t';
    p = put_opt(p, info.sigio);
  }
  out.append(buf, static_cast<size_t>(p - buf));
  auto to = std::back_inserter(out);

  // Kind-specific details.
  if (info.kind != FdKind::Socket && !info.path.empty() && !is_anon_kind(info.kind)) {
    out += '\t';
    out += info.path;
    if (info.deleted) out += " (deleted)";
  }
  if (info.o_path) out += "\tO_PATH";
  if (info.flags && info.fd >= 0) {
    out += '\t';
    out += open_flags_text_cached(*info.flags);
  }
  if (is_anon_kind(info.kind) && info.kind != FdKind::AnonInode) {
    out += '\t';
    out += kind_name(info.kind);
  }
  if (info.kind == FdKind::AnonInode) {
    out += '\t';
    out += info.path;
  }
  if (info.pos && (info.kind == FdKind::Regular || info.kind == FdKind::MemFd || info.kind == FdKind::Directory ||
                   info.kind == FdKind::BlockDevice))
    fmt::format_to(to, FMT_COMPILE("\tpos={}"), *info.pos);
  if (info.pipe_size) fmt::format_to(to, FMT_COMPILE("\tF_GETPIPE_SZ={}"), *info.pipe_size);
  if (info.kind == FdKind::PtyMaster && !info.tty_peer.empty()) {
    out += "\tslave=";
    out += info.tty_peer;
  }
  // socat's hex flags with -r, decoded names otherwise.
  if (info.tty) {
    out += '\t';
    out += opts.raw ? tty_info_socat(*info.tty) : tty_info_text(*info.tty);
  }
  if (info.sock) append_socket_text(out, *info.sock);
  if (!info.facts.empty()) {
    out += '\t';
    out += facts_text(info.facts);
  }
  if (info.revents) {
    out += "\tpoll: ";
    out += poll_text(*info.revents, info.nread);
  } else if (info.nread) {
    fmt::format_to(to, FMT_COMPILE("\tFIONREAD={}"), *info.nread);  // regular files are not polled
  }
  out += '\n';
}

}  // namespace fdscope
