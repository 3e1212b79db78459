// Decoding /proc/PID/fdinfo (see anon_inode.hpp).  The kernel prints one
// "key:<tab or spaces>value" per line for most kinds; epoll, inotify and
// fanotify print one line per registered target with several key:value
// pairs each, which become lists of records.  Numbers the kernel prints in
// hex (eventfd count, inotify/epoll fields) are converted here so renderers
// and JSON only ever see decimal numbers and decoded names.
#include "fdscope/anon_inode.hpp"

#include <signal.h>
#include <string.h>

#include <charconv>

#include <fmt/format.h>

namespace fdscope {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <typename T>
std::optional<T> parse_num(std::string_view s, int base = 10) {
  s = trim(s);
  if (base == 16 && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty()) return std::nullopt;
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits "a:1 b:2  c:3" (the epoll/inotify/fanotify record form) into pairs.
std::vector<std::pair<std::string_view, std::string_view>> split_pairs(std::string_view s) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t colon = s.find(':', i);
    if (colon == std::string_view::npos) break;
    std::string_view key = trim(s.substr(i, colon - i));
    size_t v = colon + 1;
    while (v < s.size() && s[v] == ' ') ++v;
    size_t end = s.find(' ', v);
    if (end == std::string_view::npos) end = s.size();
    out.emplace_back(key, s.substr(v, end - v));
    i = end;
  }
  return out;
}

struct Bit {
  uint64_t bit;
  const char* name;
};

std::string bits_text(uint64_t v, const Bit* bits, size_t n, char sep = '|') {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (v & bits[i].bit) {
      if (!out.empty()) out += sep;
      out += bits[i].name;
      v &= ~bits[i].bit;
    }
  }
  if (v) {
    if (!out.empty()) out += sep;
    out += fmt::format("{:#x}", v);
  }
  if (out.empty()) out = "0";
  return out;
}

std::string sdev_text(std::string_view hex) {
  // The kernel prints a kernel-internal dev_t (major << 20 | minor) in hex.
  auto v = parse_num<uint64_t>(hex, 16);
  if (!v) return std::string(hex);
  return fmt::format("{}:{}", *v >> 20, *v & 0xfffff);
}

// A generic "key: value" line: a number when it is one, text otherwise.
Fact generic_fact(std::string_view key, std::string_view value) {
  if (auto n = parse_num<int64_t>(value)) return Fact::num(std::string(key), *n);
  return Fact::str(std::string(key), std::string(value));
}

bool is_common_key(std::string_view k) {
  return k == "pos" || k == "flags" || k == "mnt_id" || k == "ino";
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!trim(line).empty()) f(line);
  }
}

// key and value of a "key:\tvalue" line ("settime flags: 00" has a space in the key).
std::pair<std::string_view, std::string_view> key_value(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {trim(line), {}};
  return {trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
}

std::optional<uint64_t> parse_ns_pair(std::string_view v) {
  // "(99, 976048277)"
  v = trim(v);
  if (v.size() < 2 || v.front() != '(' || v.back() != ')') return std::nullopt;
  v = v.substr(1, v.size() - 2);
  size_t comma = v.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto s = parse_num<uint64_t>(v.substr(0, comma));
  auto ns = parse_num<uint64_t>(v.substr(comma + 1));
  if (!s || !ns) return std::nullopt;
  return *s * 1000000000ull + *ns;
}

const Bit kEpollBits[] = {
    {0x001, "EPOLLIN"},     {0x002, "EPOLLPRI"},    {0x004, "EPOLLOUT"},     {0x008, "EPOLLERR"},
    {0x010, "EPOLLHUP"},    {0x020, "EPOLLNVAL"},   {0x040, "EPOLLRDNORM"},  {0x080, "EPOLLRDBAND"},
    {0x100, "EPOLLWRNORM"}, {0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"},     {0x2000, "EPOLLRDHUP"},
    {1u << 27, "EPOLLURING_WAKE"}, {1u << 28, "EPOLLEXCLUSIVE"}, {1u << 29, "EPOLLWAKEUP"},
    {1u << 30, "EPOLLONESHOT"}, {1u << 31, "EPOLLET"},
};

const Bit kInotifyBits[] = {
    {0x1, "IN_ACCESS"},          {0x2, "IN_MODIFY"},         {0x4, "IN_ATTRIB"},
    {0x8, "IN_CLOSE_WRITE"},     {0x10, "IN_CLOSE_NOWRITE"}, {0x20, "IN_OPEN"},
    {0x40, "IN_MOVED_FROM"},     {0x80, "IN_MOVED_TO"},      {0x100, "IN_CREATE"},
    {0x200, "IN_DELETE"},        {0x400, "IN_DELETE_SELF"},  {0x800, "IN_MOVE_SELF"},
    {0x2000, "IN_UNMOUNT"},      {0x4000, "IN_Q_OVERFLOW"},  {0x8000, "IN_IGNORED"},
    {0x1000000, "IN_ONLYDIR"},   {0x2000000, "IN_DONT_FOLLOW"}, {0x4000000, "IN_EXCL_UNLINK"},
    {0x10000000, "IN_MASK_CREATE"}, {0x20000000, "IN_MASK_ADD"}, {0x40000000, "IN_ISDIR"},
    {0x80000000, "IN_ONESHOT"},
};

const Bit kFanotifyBits[] = {
    {0x1, "FAN_ACCESS"},         {0x2, "FAN_MODIFY"},          {0x4, "FAN_ATTRIB"},
    {0x8, "FAN_CLOSE_WRITE"},    {0x10, "FAN_CLOSE_NOWRITE"},  {0x20, "FAN_OPEN"},
    {0x40, "FAN_MOVED_FROM"},    {0x80, "FAN_MOVED_TO"},       {0x100, "FAN_CREATE"},
    {0x200, "FAN_DELETE"},       {0x400, "FAN_DELETE_SELF"},   {0x800, "FAN_MOVE_SELF"},
    {0x1000, "FAN_OPEN_EXEC"},   {0x4000, "FAN_Q_OVERFLOW"},   {0x8000, "FAN_FS_ERROR"},
    {0x10000, "FAN_OPEN_PERM"},  {0x20000, "FAN_ACCESS_PERM"}, {0x40000, "FAN_OPEN_EXEC_PERM"},
    {0x100000, "FAN_PRE_ACCESS"}, {0x08000000, "FAN_EVENT_ON_CHILD"}, {0x10000000, "FAN_RENAME"},
    {0x40000000, "FAN_ONDIR"},
};

// fanotify_init() flags as fdinfo prints them ("flags:%x").
const Bit kFanInitBits[] = {
    {0x1, "FAN_CLOEXEC"},        {0x2, "FAN_NONBLOCK"},        {0x4, "FAN_CLASS_CONTENT"},
    {0x8, "FAN_CLASS_PRE_CONTENT"}, {0x10, "FAN_UNLIMITED_QUEUE"}, {0x20, "FAN_UNLIMITED_MARKS"},
    {0x40, "FAN_ENABLE_AUDIT"},  {0x80, "FAN_REPORT_PIDFD"},   {0x100, "FAN_REPORT_TID"},
    {0x200, "FAN_REPORT_FID"},   {0x400, "FAN_REPORT_DIR_FID"}, {0x800, "FAN_REPORT_NAME"},
    {0x1000, "FAN_REPORT_TARGET_FID"}, {0x2000, "FAN_REPORT_FD_ERROR"}, {0x4000, "FAN_REPORT_MNT"},
};

std::vector<Fact> decode_epoll(std::string_view text) {
  std::vector<std::vector<Fact>> targets;
  for_each_line(text, [&](std::string_view line) {
    if (!trim(line).starts_with("tfd:")) return;
    std::vector<Fact> rec;
    for (auto [k, v] : split_pairs(line)) {
      if (k == "tfd") {
        if (auto n = parse_num<int64_t>(v)) rec.push_back(Fact::num("tfd", *n));
      } else if (k == "events") {
        if (auto n = parse_num<uint32_t>(v, 16)) rec.push_back(Fact::str("events", epoll_events_text(*n)));
      } else if (k == "data") {
        if (auto n = parse_num<uint64_t>(v, 16)) rec.push_back(Fact::str("data", fmt::format("{:#x}", *n)));
      } else if (k == "pos") {
        if (auto n = parse_num<int64_t>(v)) rec.push_back(Fact::num("pos", *n));
      } else if (k == "ino") {
        if (auto n = parse_num<uint64_t>(v, 16)) rec.push_back(Fact::unum("ino", *n));
      } else if (k == "sdev") {
        rec.push_back(Fact::str("sdev", sdev_text(v)));
      }
    }
    targets.push_back(std::move(rec));
  });
  std::vector<Fact> out;
  out.push_back(Fact::unum("count", targets.size()));
  out.push_back(Fact::list("targets", std::move(targets)));
  return out;
}

std::vector<Fact> decode_inotify(std::string_view text) {
  std::vector<std::vector<Fact>> watches;
  for_each_line(text, [&](std::string_view line) {
    line = trim(line);
    if (!line.starts_with("inotify ")) return;
    std::vector<Fact> rec;
    for (auto [k, v] : split_pairs(line.substr(8))) {
      if (k == "wd") {
        if (auto n = parse_num<int64_t>(v, 16)) rec.push_back(Fact::num("wd", *n));
      } else if (k == "ino") {
        if (auto n = parse_num<uint64_t>(v, 16)) rec.push_back(Fact::unum("ino", *n));
      } else if (k == "sdev") {
        rec.push_back(Fact::str("sdev", sdev_text(v)));
      } else if (k == "mask") {
        if (auto n = parse_num<uint32_t>(v, 16)) rec.push_back(Fact::str("mask", inotify_mask_text(*n)));
      } else if (k == "ignored_mask") {
        if (auto n = parse_num<uint32_t>(v, 16)) rec.push_back(Fact::str("ignored_mask", inotify_mask_text(*n)));
      }
    }
    watches.push_back(std::move(rec));
  });
  std::vector<Fact> out;
  out.push_back(Fact::unum("count", watches.size()));
  out.push_back(Fact::list("watches", std::move(watches)));
  return out;
}

std::vector<Fact> decode_fanotify(std::string_view text) {
  std::vector<Fact> out;
  std::vector<std::vector<Fact>> marks;
  for_each_line(text, [&](std::string_view line) {
    line = trim(line);
    if (!line.starts_with("fanotify ")) return;
    auto pairs = split_pairs(line.substr(9));
    if (!pairs.empty() && pairs[0].first == "flags") {
      for (auto [k, v] : pairs) {
        auto n = parse_num<uint64_t>(v, 16);
        if (!n) continue;
        if (k == "flags") out.push_back(Fact::str("init_flags", bits_text(*n, kFanInitBits, std::size(kFanInitBits))));
        if (k == "event-flags") out.push_back(Fact::str("event_flags", fmt::format("0{:o}", *n)));
      }
      return;
    }
    std::vector<Fact> rec;
    std::string type = "inode";
    for (auto [k, v] : pairs) {
      if (k == "mnt_id") type = "mount";
    }
    if (!pairs.empty() && pairs[0].first == "sdev") type = "filesystem";
    rec.push_back(Fact::str("type", type));
    for (auto [k, v] : pairs) {
      auto n = parse_num<uint64_t>(v, 16);
      if (!n) continue;
      if (k == "ino") rec.push_back(Fact::unum("ino", *n));
      else if (k == "sdev") rec.push_back(Fact::str("sdev", sdev_text(v)));
      else if (k == "mnt_id") rec.push_back(Fact::unum("mnt_id", *n));
      else if (k == "mflags") rec.push_back(Fact::str("mflags", fmt::format("{:#x}", *n)));
      else if (k == "mask") rec.push_back(Fact::str("mask", fanotify_mask_text(*n)));
      else if (k == "ignored_mask") rec.push_back(Fact::str("ignored_mask", fanotify_mask_text(*n)));
    }
    marks.push_back(std::move(rec));
  });
  out.push_back(Fact::unum("count", marks.size()));
  out.push_back(Fact::list("marks", std::move(marks)));
  return out;
}

// Lines every kind may carry besides its own: file locks and pty index.
void decode_shared_lines(std::string_view key, std::string_view value, std::vector<Fact>& out,
                         std::vector<std::vector<Fact>>& locks) {
  if (key == "lock") {
    locks.push_back({Fact::str("lock", std::string(value))});
  } else if (key == "tty-index") {
    if (auto n = parse_num<int64_t>(value)) out.push_back(Fact::num("tty_index", *n));
  } else {
    out.push_back(generic_fact(key, value));
  }
}

}  // namespace

FdinfoCommon parse_fdinfo_common(std::string_view text) {
  FdinfoCommon c;
  for_each_line(text, [&](std::string_view line) {
    auto [k, v] = key_value(line);
    if (k == "pos") c.pos = parse_num<int64_t>(v);
    else if (k == "flags") c.flags = parse_num<unsigned>(v, 8);
    else if (k == "mnt_id") c.mnt_id = parse_num<int>(v);
    else if (k == "ino") c.ino = parse_num<uint64_t>(v);
  });
  return c;
}

FdKind classify_anon_link(std::string_view link) {
  if (link.starts_with("pidfd:")) return FdKind::PidFd;
  if (!link.starts_with("anon_inode:")) return FdKind::Unknown;
  std::string_view n = link.substr(11);
  if (n.size() >= 2 && n.front() == '[' && n.back() == ']') n = n.substr(1, n.size() - 2);
  struct Row {
    std::string_view name;
    FdKind kind;
  };
  static constexpr Row rows[] = {
      {"eventfd", FdKind::EventFd},     {"timerfd", FdKind::TimerFd},
      {"signalfd", FdKind::SignalFd},   {"eventpoll", FdKind::Epoll},
      {"inotify", FdKind::Inotify},     {"fanotify", FdKind::Fanotify},
      {"pidfd", FdKind::PidFd},         {"io_uring", FdKind::IoUring},
      {"bpf-map", FdKind::BpfMap},      {"bpf-prog", FdKind::BpfProg},
      {"bpf_link", FdKind::BpfLink},    {"bpf-link", FdKind::BpfLink},
      {"perf_event", FdKind::PerfEvent}, {"userfaultfd", FdKind::UserFaultFd},
  };
  for (const auto& r : rows)
    if (n == r.name) return r.kind;
  return FdKind::AnonInode;
}

std::vector<Fact> decode_fdinfo_facts(FdKind kind, std::string_view text) {
  switch (kind) {
    case FdKind::Epoll: return decode_epoll(text);
    case FdKind::Inotify: return decode_inotify(text);
    case FdKind::Fanotify: return decode_fanotify(text);
    default: break;
  }
  std::vector<Fact> out;
  std::vector<std::vector<Fact>> locks;
  for_each_line(text, [&](std::string_view line) {
    auto [k, v] = key_value(line);
    if (is_common_key(k)) return;
    switch (kind) {
      case FdKind::EventFd:
        if (k == "eventfd-count") {
          if (auto n = parse_num<uint64_t>(v, 16)) out.push_back(Fact::unum("count", *n));
        } else if (k == "eventfd-id") {
          if (auto n = parse_num<int64_t>(v)) out.push_back(Fact::num("id", *n));
        } else if (k == "eventfd-semaphore") {
          if (auto n = parse_num<int64_t>(v)) out.push_back(Fact::num("semaphore", *n));
        } else {
          out.push_back(generic_fact(k, v));
        }
        return;
      case FdKind::TimerFd:
        if (k == "clockid") {
          if (auto n = parse_num<int>(v)) {
            out.push_back(Fact::num("clockid", *n));
            out.push_back(Fact::str("clock", std::string(clock_id_name(*n))));
          }
        } else if (k == "ticks") {
          if (auto n = parse_num<uint64_t>(v)) out.push_back(Fact::unum("ticks", *n));
        } else if (k == "settime flags") {
          if (auto n = parse_num<unsigned>(v, 8)) {
            static const Bit bits[] = {{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"}};
            out.push_back(Fact::str("settime_flags", bits_text(*n, bits, 2)));
          }
        } else if (k == "it_value") {
          if (auto ns = parse_ns_pair(v)) out.push_back(Fact::unum("it_value_ns", *ns, "ns"));
        } else if (k == "it_interval") {
          if (auto ns = parse_ns_pair(v)) out.push_back(Fact::unum("it_interval_ns", *ns, "ns"));
        } else {
          out.push_back(generic_fact(k, v));
        }
        return;
      case FdKind::SignalFd:
        if (k == "sigmask") {
          if (auto n = parse_num<uint64_t>(v, 16)) {
            out.push_back(Fact::str("sigmask", fmt::format("{:#018x}", *n)));
            out.push_back(Fact::str("signals", signal_set_text(*n)));
          }
        } else {
          out.push_back(generic_fact(k, v));
        }
        return;
      case FdKind::PidFd:
        if (k == "Pid") {
          if (auto n = parse_num<int64_t>(v)) out.push_back(Fact::num("pid", *n));
        } else if (k == "NSpid") {
          out.push_back(Fact::str("nspid", std::string(v)));
        } else {
          out.push_back(generic_fact(k, v));
        }
        return;
      case FdKind::BpfMap:
        if (v.empty()) return;
        out.push_back(generic_fact(k, v));
        if (k == "map_type")
          if (auto n = parse_num<unsigned>(v)) out.push_back(Fact::str("map_type_name", std::string(bpf_map_type_name(*n))));
        return;
      case FdKind::BpfProg:
        if (v.empty()) return;
        out.push_back(generic_fact(k, v));
        if (k == "prog_type")
          if (auto n = parse_num<unsigned>(v)) out.push_back(Fact::str("prog_type_name", std::string(bpf_prog_type_name(*n))));
        return;
      default:
        if (v.empty()) return;  // io_uring's "PollList:" headers
        decode_shared_lines(k, v, out, locks);
        return;
    }
  });
  if (!locks.empty()) out.push_back(Fact::list("locks", std::move(locks)));
  return out;
}

std::string signal_set_text(uint64_t mask) {
  std::string out;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(mask & (uint64_t{1} << bit))) continue;
    int sig = bit + 1;
    if (!out.empty()) out += ',';
    const char* abbrev = sig < 32 ? sigabbrev_np(sig) : nullptr;
    if (abbrev)
      out += fmt::format("SIG{}", abbrev);
    else if (sig >= 32)
      out += fmt::format("SIGRT{}", sig - 32);  // kernel numbering: SIGRTMIN is 32
    else
      out += fmt::format("SIG{}", sig);
  }
  return out;
}

std::string_view clock_id_name(int clockid) {
  switch (clockid) {
    case 0: return "CLOCK_REALTIME";
    case 1: return "CLOCK_MONOTONIC";
    case 2: return "CLOCK_PROCESS_CPUTIME_ID";
    case 3: return "CLOCK_THREAD_CPUTIME_ID";
    case 4: return "CLOCK_MONOTONIC_RAW";
    case 5: return "CLOCK_REALTIME_COARSE";
    case 6: return "CLOCK_MONOTONIC_COARSE";
    case 7: return "CLOCK_BOOTTIME";
    case 8: return "CLOCK_REALTIME_ALARM";
    case 9: return "CLOCK_BOOTTIME_ALARM";
    case 11: return "CLOCK_TAI";
  }
  return "";
}

std::string epoll_events_text(uint32_t events) {
  return bits_text(events, kEpollBits, std::size(kEpollBits));
}
std::string inotify_mask_text(uint32_t mask) {
  return bits_text(mask, kInotifyBits, std::size(kInotifyBits));
}
std::string fanotify_mask_text(uint64_t mask) {
  return bits_text(mask, kFanotifyBits, std::size(kFanotifyBits));
}

std::string_view bpf_map_type_name(unsigned t) {
  static constexpr std::string_view names[] = {
      "unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array",
      "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps",
      "hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap", "sockhash", "cgroup_storage",
      "reuseport_sockarray", "percpu_cgroup_storage", "queue", "stack", "sk_storage",
      "devmap_hash", "struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter",
      "user_ringbuf", "cgrp_storage", "arena"};
  return t < std::size(names) ? names[t] : std::string_view();
}

std::string_view bpf_prog_type_name(unsigned t) {
  static constexpr std::string_view names[] = {
      "unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp",
      "perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops",
      "sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint", "cgroup_sock_addr", "lwt_seg6local",
      "lirc_mode2", "sk_reuseport", "flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable",
      "cgroup_sockopt", "tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall", "netfilter"};
  return t < std::size(names) ? names[t] : std::string_view();
}

}  // namespace fdscope
