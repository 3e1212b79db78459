// Rendering of ring-buffer records.  A syscall record becomes a
// SyscallRecord for the shared formatter: its captured strings, sockaddr,
// pipe fd pair and payload are handed over as the bytes of the argument they
// belong to (the capture plan says which), times are moved from the
// kernel's monotonic clock to wall-clock time, and fds are decorated from
// FdNames.  Calls that create, rebind or close fds update FdNames around the
// formatting so the line shows what strace -yy would show.  Payload also
// feeds -v/-x dumps (socat's format, offsets per fd and direction) and -w
// pcapng; stacks (-k) are symbolised and printed under the call.
#include "event_renderer.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include <array>
#include <cstring>
#include <span>

#include "fdscope/dump.hpp"
#include "fdscope/json.hpp"
#include "fdscope/sockaddr.hpp"
#include "pcapng.hpp"
#include "symbolizer.hpp"

namespace fdscope::trace {

namespace {

uint64_t clock_ns(clockid_t c) {
  timespec ts;
  clock_gettime(c, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

std::string_view tcp_state_name(int s) {
  static constexpr std::string_view names[] = {
      "UNKNOWN",   "ESTABLISHED", "SYN_SENT", "SYN_RECV",   "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
      "CLOSE",     "CLOSE_WAIT",  "LAST_ACK", "LISTEN",     "CLOSING",   "NEW_SYN_RECV"};
  if (s < 0 || s >= static_cast<int>(std::size(names))) return "UNKNOWN";
  return names[s];
}

std::string_view usdt_name(uint32_t what) {
  switch (what) {
    case TRACE_USDT_ACCEPT: return "accept";
    case TRACE_USDT_CONNECT: return "connect";
    case TRACE_USDT_TRANSFER: return "transfer";
    case TRACE_USDT_EOF: return "eof";
    case TRACE_USDT_SHUTDOWN: return "shutdown";
    case TRACE_USDT_CLOSE: return "close";
    default: return "unknown";
  }
}

std::string tcp_endpoint(uint16_t family, const uint8_t* addr, uint16_t port) {
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, addr, 4);
    len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, addr, 16);
    len = sizeof(sockaddr_in6);
  }
  return format_sockaddr(reinterpret_cast<sockaddr*>(&ss), len, AddrStyle::Plain);
}

void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
}

// A fixed-size record copied out of the ring buffer (its bytes may be
// unaligned); false when the record is too short for it.
template <typename T>
bool load_record(const void* data, size_t size, T& out) {
  if (size < sizeof(T)) return false;
  std::memcpy(&out, data, sizeof(T));
  return true;
}

constexpr int kNrClose = 3;
constexpr int kNrExecve = 59;
constexpr int kNrExecveat = 322;

}  // namespace

EventRenderer::EventRenderer(const TraceOptions& opts, const CapturePlan& plan, OutputSink& out)
    : opts_(opts), plan_(plan), out_(out) {
  mono_to_real_ = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
  show_pid_ = opts.follow || opts.pids.size() > 1;
  SyscallFormatOptions fo;
  fo.timestamps = opts.timestamps;
  fo.show_duration = opts.durations;
  fo.show_pid = show_pid_;
  fo.string_limit = opts.string_limit;
  fo.align_column = 40;
  if (opts.decode_fds) {
    fo.decorate_fd = [this](int32_t pid, int fd) { return fds_.name(pid, fd); };
    fo.decorate_ret_fd = [this](int32_t pid, int fd) { return fds_.ret_name(pid, fd); };
  }
  fmt_ = SyscallFormatter(std::move(fo));
}

EventRenderer::~EventRenderer() = default;

int EventRenderer::exit_status(pid_t pid) const {
  auto it = exits_.find(pid);
  return it == exits_.end() ? -1 : it->second;
}

void EventRenderer::handle(const void* data, size_t size) {
  if (size < sizeof(uint32_t)) return;
  uint32_t kind;
  std::memcpy(&kind, data, sizeof(kind));
  const auto* bytes = static_cast<const uint8_t*>(data);
  events_++;
  switch (kind) {
    case TRACE_EV_SYSCALL: {
      trace_syscall_event ev;
      if (load_record(data, size, ev)) syscall_event(ev, bytes + sizeof(ev), size - sizeof(ev));
      break;
    }
    case TRACE_EV_PROC: {
      trace_proc_event ev;
      if (load_record(data, size, ev)) proc_event(ev);
      break;
    }
    case TRACE_EV_TCP: {
      trace_tcp_event ev;
      if (load_record(data, size, ev)) tcp_event(ev);
      break;
    }
    case TRACE_EV_USDT: {
      trace_usdt_event ev;
      if (load_record(data, size, ev) && sizeof(ev) + ev.addr_len <= size)
        usdt_event(ev, bytes + sizeof(ev));
      break;
    }
    default:
      break;
  }
}

void EventRenderer::line_prefix(uint64_t realtime_ns, pid_t tid, std::string& out) {
  if (show_pid_) out += fmt::format("[pid {:>5}] ", tid);
  switch (opts_.timestamps) {
    case TimestampStyle::kNone:
      break;
    case TimestampStyle::kTime:
    case TimestampStyle::kTimeMicro: {
      time_t secs = static_cast<time_t>(realtime_ns / 1000000000ull);
      struct tm tm;
      localtime_r(&secs, &tm);
      out += fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
      if (opts_.timestamps == TimestampStyle::kTimeMicro)
        out += fmt::format(".{:06}", (realtime_ns % 1000000000ull) / 1000);
      out += ' ';
      break;
    }
    case TimestampStyle::kEpochMicro:
      out += fmt::format("{}.{:06} ", realtime_ns / 1000000000ull,
                         (realtime_ns % 1000000000ull) / 1000);
      break;
    case TimestampStyle::kRelative: {
      uint64_t d = last_ts_ ? realtime_ns - last_ts_ : 0;
      out += fmt::format("{:>6}.{:06} ", d / 1000000000ull, (d % 1000000000ull) / 1000);
      break;
    }
  }
  last_ts_ = realtime_ns;
}

void EventRenderer::syscall_event(const trace_syscall_event& ev, const uint8_t* var,
                                  size_t var_len) {
  const pid_t pid = static_cast<pid_t>(ev.pid);
  if (ev.nr < 0 || ev.nr >= TRACE_MAX_SYSCALLS) return;
  const bool is_exec = ev.nr == kNrExecve || ev.nr == kNrExecveat;
  if (!held_.empty() && held_.count(pid)) {
    if (!is_exec) return;  // trace's own launch handshake
    held_.erase(pid);
  }
  if (opts_.syscalls_given && !opts_.syscalls.test(static_cast<size_t>(ev.nr))) {
    // Hooked only for the launch handshake: not shown, but exec still
    // closed the O_CLOEXEC fds.
    if (is_exec && ev.ret >= 0) fds_.exec_done(pid);
    return;
  }
  const trace_sc_plan& row = plan_.rows[static_cast<size_t>(ev.nr)];
  const SyscallInfo* info = syscall_by_number(ev.nr);

  // Split the variable part (see struct trace_syscall_event).
  size_t off = 0;
  auto take = [&](size_t n) {
    std::string_view v;
    if (off + n <= var_len) v = std::string_view(reinterpret_cast<const char*>(var + off), n);
    off += n;
    return v;
  };
  std::string_view str0 = take(ev.str_len[0]);
  std::string_view str1 = take(ev.str_len[1]);
  std::string_view addr = take(ev.addr_len);
  std::string_view data = take(ev.data_len);
  if (ev.msg_cnt || ev.iov_cnt) off = (off + 7) & ~size_t{7};
  // Message descriptors and iovec lengths (readv/writev/*msg/*mmsg).
  std::vector<trace_msg_desc>& msgs = msgs_;
  std::vector<uint64_t>& iov_lens = iov_lens_;
  msgs.clear();
  iov_lens.clear();
  if (ev.msg_cnt && off + ev.msg_cnt * sizeof(trace_msg_desc) <= var_len) {
    msgs.resize(ev.msg_cnt);
    std::memcpy(msgs.data(), var + off, ev.msg_cnt * sizeof(trace_msg_desc));
  }
  off += ev.msg_cnt * sizeof(trace_msg_desc);
  if (ev.iov_cnt && off + ev.iov_cnt * 8ull <= var_len) {
    iov_lens.resize(ev.iov_cnt);
    std::memcpy(iov_lens.data(), var + off, ev.iov_cnt * 8ull);
  }
  off += ev.iov_cnt * 8ull;
  // Struct captures (plan st_kind[]), then the stack at the next multiple of 8.
  std::array<std::string_view, TRACE_ST_SLOTS> st;
  for (int i = 0; i < TRACE_ST_SLOTS; i++) st[static_cast<size_t>(i)] = take(ev.st_len[i]);
  if (ev.stack_len) off = (off + 7) & ~size_t{7};
  const uint64_t* ips = nullptr;
  size_t nips = 0;
  if (ev.stack_len) {
    if (off + ev.stack_len * 8ull <= var_len) {
      ips = reinterpret_cast<const uint64_t*>(var + off);
      nips = ev.stack_len;
      while (nips && ips[nips - 1] == 0) nips--;  // bpf_get_stack pads with zeros
    }
  }

  SyscallRecord rec;
  rec.nr = ev.nr;
  for (int i = 0; i < 6; i++) rec.args[static_cast<size_t>(i)] = ev.args[i];
  rec.ret = ev.ret;
  rec.pid = static_cast<int32_t>(ev.pid);
  rec.tid = static_cast<int32_t>(ev.tid);
  // Exit-only records have no entry time: the exit time stands in (for
  // dump and pcapng timestamps; nothing prints durations in that mode).
  rec.enter_ns = to_realtime(ev.ts_enter ? ev.ts_enter : ev.ts_exit);
  rec.exit_ns = to_realtime(ev.ts_exit);
  auto strip_nul = [](std::string_view s) {
    if (!s.empty() && s.back() == '\0') s.remove_suffix(1);
    return s;
  };
  std::string argv_text;
  if (row.flags & TRACE_PLAN_EXEC) {
    // str0 is path NUL argv0 NUL argv1 ...: the path for the path argument,
    // the argv strings (NUL-separated, aux of them) for the argv argument.
    size_t nul = str0.find('\0');
    std::string_view path = str0.substr(0, nul);
    std::string_view argv = nul == std::string_view::npos ? std::string_view{} : str0.substr(nul + 1);
    if (row.str_arg[0] < 6) rec.data[row.str_arg[0]] = CapturedArg{true, false, path};
    if (row.str_arg[1] < 6 && ev.aux)
      rec.data[row.str_arg[1]] = CapturedArg{true, ev.aux >= TRACE_EXEC_ARGS, argv};
  } else {
    if (row.str_arg[0] < 6 && ev.str_len[0])
      rec.data[row.str_arg[0]] = CapturedArg{true, false, strip_nul(str0)};
    if (row.str_arg[1] < 6 && ev.str_len[1])
      rec.data[row.str_arg[1]] = CapturedArg{true, false, strip_nul(str1)};
  }
  if (row.addr_arg < 6 && ev.addr_len) rec.data[row.addr_arg] = CapturedArg{true, false, addr};
  if (row.data_arg < 6 && ev.data_total &&
      (row.data_kind == TRACE_DATA_BUF || row.data_kind == TRACE_DATA_IOV ||
       row.data_kind == TRACE_DATA_MSG || row.data_kind == TRACE_DATA_MMSG))
    rec.data[row.data_arg] = CapturedArg{true, ev.data_len < ev.data_total, data};
  // How the payload of a vectored call splits, for the formatter's iovec /
  // msghdr / mmsghdr form; sendmsg/recvmsg's msg_name is the addr section.
  std::array<CapturedMsg, TRACE_MSG_MAX> vec_msgs;
  size_t nvec = 0;
  for (const trace_msg_desc& d : msgs) {
    if (nvec == vec_msgs.size()) break;
    CapturedMsg& c = vec_msgs[nvec++];
    c.msg_len = d.msg_len;
    c.data_len = d.data_len;
    c.iovlen = d.iovlen;
    c.namelen = d.namelen;
    c.controllen = d.controllen;
    c.flags = d.flags;
    c.iov_cnt = d.iov_cnt;
  }
  if (nvec == 1 && row.data_kind == TRACE_DATA_MSG) vec_msgs[0].name = addr;
  for (int i = 0; i < TRACE_ST_SLOTS; i++) {
    const uint8_t a = row.st_arg[i];
    if (row.st_kind[i] == TRACE_ST_NONE || a >= 6 || !ev.st_len[i]) continue;
    const std::string_view b = st[static_cast<size_t>(i)];
    if (row.st_kind[i] == TRACE_ST_CMSG) {
      // msg_control of sendmsg/recvmsg's one message.
      if (nvec == 1) {
        vec_msgs[0].control = b;
        vec_msgs[0].control_present = true;
      }
    } else if (!rec.data[a].present) {
      // Cut when the length argument asked for more than was copied.
      const uint8_t la = row.st_lenarg[i];
      const bool cut = row.st_kind[i] == TRACE_ST_IN && la < 6 && rec.args[la] > b.size();
      rec.data[a] = CapturedArg{true, cut, b};
    }
  }
  rec.msgs = std::span<const CapturedMsg>(vec_msgs.data(), nvec);
  rec.iov_lens = iov_lens;

  // Fd names around the call: the fds it made are named before the line
  // (FdNames::before_line), those it closed or copied after it.
  const std::string_view name = info ? info->name : std::string_view{};
  const bool ok = ev.ret >= 0;
  if (opts_.decode_fds || pcap_) fds_.before_line(rec);

  const uint64_t real = rec.enter_ns;
  std::string& out = out_.buf();
  if (!opts_.summary) {
    if (opts_.json) {
      scratch_.clear();
      fmt_.format_json(rec, scratch_);
      out += "{\"event\":\"syscall\",";
      out.append(scratch_, scratch_.empty() ? 0 : 1);
    } else {
      fmt_.format(rec, out);
    }
    out += '\n';
  }
  if (opts_.decode_fds || pcap_) fds_.after_line(rec);

  if (ev.data_len && (opts_.dump.any() || pcap_)) {
    const bool in = (row.flags & TRACE_PLAN_DATA_IN) != 0;
    if (row.data_kind == TRACE_DATA_MMSG) {
      // One dump block / packet per message.
      size_t at = 0, li = 0;
      for (const trace_msg_desc& d : msgs) {
        if (at + d.data_len > data.size()) break;
        std::span<const uint64_t> lens;
        if (li + d.iov_cnt <= iov_lens.size()) lens = std::span<const uint64_t>(iov_lens).subspan(li, d.iov_cnt);
        if (d.data_len) payload(ev, in, data.substr(at, d.data_len), d.msg_len, lens, addr, real);
        at += d.data_len;
        li += d.iov_cnt;
      }
    } else {
      payload(ev, in, data, ev.data_total, iov_lens, addr, real);
    }
  }
  if (ips && nips) stack(ev, ips, nips);

  if (pcap_ && ok && !opts_.summary) {
    // Connections for pcapng: a handshake for connect/accept, a FIN at close.
    bool is_connect = name == "connect";
    bool is_accept = name == "accept" || name == "accept4";
    int fd = is_accept ? static_cast<int>(ev.ret) : static_cast<int>(ev.args[0]);
    if (is_connect || is_accept) {
      const FdInfo& fi = fds_.info(pid, fd);
      if ((fi.family == AF_INET || fi.family == AF_INET6) && fi.type == SOCK_STREAM) {
        auto local = IpEndpoint::from_sockaddr(fi.local.get(), fi.local.len);
        auto peer = IpEndpoint::from_sockaddr(fi.peer.get(), fi.peer.len);
        if (local.ok() && peer.ok()) {
          PacketMeta m{rec.exit_ns, rec.pid, rec.tid, {}, fd, PacketDirection::kOutbound};
          Status s = is_connect ? pcap_->tcp_handshake(*local, *peer, m)
                                : pcap_->tcp_handshake(*peer, *local, m);
          if (!s && pcap_status_.ok()) pcap_status_ = std::move(s);
        }
      }
    }
  }

  // After the line: fds that are gone.
  if (opts_.decode_fds || pcap_) {
    if (ev.nr == kNrClose && ok) {
      int fd = static_cast<int>(ev.args[0]);
      if (pcap_) {
        const FdInfo& fi = fds_.info(pid, fd);
        if ((fi.family == AF_INET || fi.family == AF_INET6) && fi.type == SOCK_STREAM) {
          auto local = IpEndpoint::from_sockaddr(fi.local.get(), fi.local.len);
          auto peer = IpEndpoint::from_sockaddr(fi.peer.get(), fi.peer.len);
          if (local.ok() && peer.ok()) {
            PacketMeta m{rec.exit_ns, rec.pid, rec.tid, {}, fd, PacketDirection::kOutbound};
            Status s = pcap_->tcp_close(*local, *peer, m);
            if (!s && pcap_status_.ok()) pcap_status_ = std::move(s);
          }
        }
      }
      for (int d = 0; d < 2; d++)
        dump_offsets_.erase((static_cast<uint64_t>(pid) << 32) | (static_cast<uint32_t>(fd) << 1) | d);
    }
    fds_.after_call(rec);
  }
  (void)out_.maybe_flush();
}

void EventRenderer::payload(const trace_syscall_event& ev, bool inbound, std::string_view bytes,
                            uint64_t moved, std::span<const uint64_t> iov_lens,
                            std::string_view addr, uint64_t realtime_ns) {
  const pid_t pid = static_cast<pid_t>(ev.pid);
  const int fd = static_cast<int>(ev.args[0]);
  if (opts_.dump.any()) {
    uint64_t key = (static_cast<uint64_t>(pid) << 32) | (static_cast<uint32_t>(fd) << 1) |
                   (inbound ? 1u : 0u);
    uint64_t& from = dump_offsets_[key];
    std::string& out = out_.buf();
    if (opts_.json) {
      JsonWriter w(out);
      w.begin_object();
      w.field("event", "data");
      w.key("ts").value(static_cast<double>(realtime_ns) / 1e9);
      w.field("pid", ev.pid);
      w.field("tid", ev.tid);
      w.field("fd", fd);
      w.field("direction", inbound ? "in" : "out");
      w.field("offset", from);
      w.field("length", moved);
      w.field("captured", bytes.size());
      if (!iov_lens.empty()) {
        // The iovec lengths as passed (readv/writev/*msg/*mmsg; at most
        // TRACE_IOV_MAX per record).
        w.key("iov_len").begin_array();
        for (uint64_t l : iov_lens) w.value(l);
        w.end_array();
      }
      std::string hex;
      append_hex(hex, bytes);
      w.field("hex", hex);
      w.end_object();
      out += '\n';
    } else {
      timespec ts{static_cast<time_t>(realtime_ns / 1000000000ull),
                  static_cast<long>(realtime_ns % 1000000000ull)};
      append_dump_block(out, opts_.dump,
                        inbound ? DumpDirection::RightToLeft : DumpDirection::LeftToRight, ts,
                        from, bytes.data(), bytes.size());
    }
    from += moved;
  }
  if (pcap_) {
    const FdInfo& fi = fds_.info(pid, fd);
    PacketMeta m{realtime_ns, static_cast<int32_t>(ev.pid), static_cast<int32_t>(ev.tid), {}, fd,
                 inbound ? PacketDirection::kInbound : PacketDirection::kOutbound};
    Status s;
    if (fi.family == AF_INET || fi.family == AF_INET6) {
      auto local = IpEndpoint::from_sockaddr(fi.local.get(), fi.local.len);
      auto peer = fi.peer.len ? IpEndpoint::from_sockaddr(fi.peer.get(), fi.peer.len)
                              : IpEndpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(addr.data()),
                                                          static_cast<socklen_t>(addr.size()));
      if (local.ok() && peer.ok()) {
        const IpEndpoint& src = inbound ? *peer : *local;
        const IpEndpoint& dst = inbound ? *local : *peer;
        s = fi.type == SOCK_STREAM ? pcap_->tcp_data(src, dst, bytes, m)
                                   : pcap_->udp_data(src, dst, bytes, m);
      } else {
        s = pcap_->raw_data(bytes, m);
      }
    } else {
      s = pcap_->raw_data(bytes, m);
    }
    if (!s && pcap_status_.ok()) pcap_status_ = std::move(s);
  }
}

void EventRenderer::stack(const trace_syscall_event& ev, const uint64_t* ips, size_t n) {
  if (!sym_) return;
  std::string& out = out_.buf();
  auto r = sym_->symbolize(static_cast<pid_t>(ev.pid), std::span<const uint64_t>(ips, n));
  if (!r) {
    for (size_t i = 0; i < n; i++) out += fmt::format(" > [{:#x}]\n", ips[i]);
    return;
  }
  if (opts_.json) {
    JsonWriter w(out);
    w.begin_object();
    w.field("event", "stack");
    w.field("pid", ev.pid);
    w.field("tid", ev.tid);
    w.key("frames").begin_array();
    for (const auto& a : *r)
      for (const auto& f : a.frames) w.value(Symbolizer::describe(f));
    w.end_array();
    w.end_object();
    out += '\n';
    return;
  }
  for (const auto& a : *r)
    for (const auto& f : a.frames) out += fmt::format(" > {}\n", Symbolizer::describe(f));
}

void EventRenderer::proc_event(const trace_proc_event& ev) {
  std::string& out = out_.buf();
  const uint64_t real = to_realtime(ev.ts);
  if (ev.what == TRACE_PROC_FORK) {
    live_.insert(static_cast<pid_t>(ev.child_pid));
    fds_.copy_process(static_cast<pid_t>(ev.pid), static_cast<pid_t>(ev.child_pid));
    if (opts_.json) {
      JsonWriter w(out);
      w.begin_object();
      w.field("event", "fork");
      w.key("ts").value(static_cast<double>(real) / 1e9);
      w.field("pid", ev.pid);
      w.field("tid", ev.tid);
      w.field("child", ev.child_pid);
      w.end_object();
      out += '\n';
    }
    return;
  }
  if (ev.what != TRACE_PROC_EXIT) return;
  const pid_t pid = static_cast<pid_t>(ev.pid);
  live_.erase(pid);
  held_.erase(pid);
  exits_[pid] = ev.exit_code;
  fds_.forget_process(pid);
  if (sym_) sym_->forget(pid);
  const int st = ev.exit_code;
  const bool signaled = (st & 0x7f) != 0;
  if (opts_.json) {
    JsonWriter w(out);
    w.begin_object();
    w.field("event", "exit");
    w.key("ts").value(static_cast<double>(real) / 1e9);
    w.field("pid", ev.pid);
    if (signaled) {
      std::string sig;
      format_signal(st & 0x7f, sig);
      w.field("signal", sig);
    } else {
      w.field("code", (st >> 8) & 0xff);
    }
    w.end_object();
    out += '\n';
    return;
  }
  if (opts_.summary) return;
  line_prefix(real, pid, out);
  if (signaled) {
    std::string sig;
    format_signal(st & 0x7f, sig);
    out += fmt::format("+++ killed by {}{} +++\n", sig, (st & 0x80) ? " (core dumped)" : "");
  } else {
    out += fmt::format("+++ exited with {} +++\n", (st >> 8) & 0xff);
  }
}

void EventRenderer::tcp_event(const trace_tcp_event& ev) {
  std::string& out = out_.buf();
  const uint64_t real = to_realtime(ev.ts);
  std::string src = tcp_endpoint(ev.family, ev.saddr, ev.sport);
  std::string dst = tcp_endpoint(ev.family, ev.daddr, ev.dport);
  const bool retrans = ev.what == TRACE_TCP_RETRANSMIT;
  if (opts_.json) {
    JsonWriter w(out);
    w.begin_object();
    w.field("event", retrans ? "tcp_retransmit" : "tcp_state");
    w.key("ts").value(static_cast<double>(real) / 1e9);
    w.field("pid", ev.pid);
    w.field("tid", ev.tid);
    w.field("local", src);
    w.field("remote", dst);
    if (retrans) {
      w.field("state", tcp_state_name(ev.newstate));
    } else {
      w.field("old", tcp_state_name(ev.oldstate));
      w.field("new", tcp_state_name(ev.newstate));
    }
    w.end_object();
    out += '\n';
  } else if (!opts_.summary) {
    line_prefix(real, static_cast<pid_t>(ev.tid), out);
    if (retrans)
      out += fmt::format("--- TCP retransmit {} -> {} ({}) ---\n", src, dst,
                         tcp_state_name(ev.newstate));
    else
      out += fmt::format("--- TCP {} -> {} {} -> {} ---\n", src, dst,
                         tcp_state_name(ev.oldstate), tcp_state_name(ev.newstate));
  }
  (void)out_.maybe_flush();
}

void EventRenderer::usdt_event(const trace_usdt_event& ev, const uint8_t* addr) {
  std::string& out = out_.buf();
  const uint64_t real = to_realtime(ev.ts);
  std::string addr_text;
  if (ev.addr_len)
    addr_text = format_sockaddr(reinterpret_cast<const sockaddr*>(addr), ev.addr_len,
                                AddrStyle::Plain);
  const auto a = [&](int i) { return static_cast<int64_t>(ev.args[i]); };
  const std::string_view dir_text[2] = {"left->right", "right->left"};
  auto dir = [&](int i) { return dir_text[ev.args[i] & 1]; };
  if (opts_.json) {
    JsonWriter w(out);
    w.begin_object();
    w.field("event", "relay");
    w.field("probe", usdt_name(ev.what));
    w.key("ts").value(static_cast<double>(real) / 1e9);
    w.field("pid", ev.pid);
    w.field("tid", ev.tid);
    switch (ev.what) {
      case TRACE_USDT_ACCEPT:
        w.field("listen_fd", a(0)).field("fd", a(1)).field("peer", addr_text);
        break;
      case TRACE_USDT_CONNECT:
        w.field("fd", a(0)).field("address", addr_text).field("errno", a(3));
        break;
      case TRACE_USDT_TRANSFER:
        w.field("direction", dir(0)).field("fd_in", a(1)).field("fd_out", a(2));
        w.field("bytes", a(3)).field("total", ev.args[4]).field("spliced", a(5) != 0);
        break;
      case TRACE_USDT_EOF:
      case TRACE_USDT_SHUTDOWN:
        w.field("direction", dir(0)).field("fd", a(1)).field("total", ev.args[2]);
        break;
      case TRACE_USDT_CLOSE:
        w.field("fd", a(0)).field("bytes_read", ev.args[1]).field("bytes_written", ev.args[2]);
        break;
      default:
        break;
    }
    w.end_object();
    out += '\n';
  } else {
    line_prefix(real, static_cast<pid_t>(ev.tid), out);
    out += fmt::format("relay:{} ", usdt_name(ev.what));
    switch (ev.what) {
      case TRACE_USDT_ACCEPT:
        out += fmt::format("listen_fd={} fd={} peer={}", a(0), a(1), addr_text);
        break;
      case TRACE_USDT_CONNECT:
        out += fmt::format("fd={} address={}", a(0), addr_text);
        if (a(3)) out += fmt::format(" errno={}", a(3));
        break;
      case TRACE_USDT_TRANSFER:
        out += fmt::format("{} fd {} -> fd {} bytes={} total={}{}", dir(0), a(1), a(2), a(3),
                           ev.args[4], a(5) ? " spliced" : "");
        break;
      case TRACE_USDT_EOF:
      case TRACE_USDT_SHUTDOWN:
        out += fmt::format("{} fd={} total={}", dir(0), a(1), ev.args[2]);
        break;
      case TRACE_USDT_CLOSE:
        out += fmt::format("fd={} read={} written={}", a(0), ev.args[1], ev.args[2]);
        break;
      default:
        break;
    }
    out += '\n';
  }
  (void)out_.maybe_flush();
}

}  // namespace fdscope::trace
