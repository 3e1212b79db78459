// The loader: opens the skeleton generated from bpf/trace.bpf.c, writes the
// capture plan and switches into its read-only data, resizes the ring buffer,
// turns off the programs this run does not need (so a missing tracepoint,
// e.g. tcp_retransmit_skb on an older kernel, only costs that feature), loads
// and attaches (the kernel BTF it needs comes from kernel_btf.cpp, without
// libbpf's parse of the full vmlinux BTF where possible).  Errors say which step failed with libbpf's errno, and name
// the likely cause (privileges, BTF) for the common EPERM/ENOENT cases.
#include "bpf_session.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "kernel_btf.hpp"
#include "trace.skel.h"

namespace fdscope::trace {

namespace {

Error load_error(const char* step, int err) {
  Error e = sys_error(step, err);
  if (err == EPERM || err == EACCES)
    e.what += " (loading BPF programs needs root or CAP_BPF+CAP_PERFMON)";
  else if (err == ENOENT || err == ESRCH)
    e.what += " (does the kernel have BTF at /sys/kernel/btf/vmlinux?)";
  return e;
}

// libbpf's own messages (verifier logs ...) go to stderr only when
// FDSCOPE_TRACE_DEBUG is set; otherwise trace reports one error line itself.
int quiet_print(enum libbpf_print_level, const char* fmt, va_list args) {
  static const bool debug = getenv("FDSCOPE_TRACE_DEBUG") != nullptr;
  return debug ? vfprintf(stderr, fmt, args) : 0;
}

}  // namespace

uint8_t plan_kinds(const CapturePlan& plan) {
  uint8_t k = 0;
  for (const trace_sc_plan& r : plan.rows) {
    if (!(r.flags & TRACE_PLAN_TRACED)) continue;
    if (r.str_arg[0] < 6 || r.str_arg[1] < 6) k |= TRACE_KIND_STR;
    if (r.flags & TRACE_PLAN_EXEC) k |= TRACE_KIND_EXEC | TRACE_KIND_STR;
    if (r.addr_arg < 6 || r.data_kind == TRACE_DATA_MSG) k |= TRACE_KIND_ADDR;
    if (r.data_kind != TRACE_DATA_NONE) k |= TRACE_KIND_DATA;
    if (r.data_kind == TRACE_DATA_MMSG) k |= TRACE_KIND_MMSG;
  }
  return k;
}

namespace {

// Detaching a tracepoint program waits for an RCU grace period in the
// kernel (~75 ms each on this VM): destroyed one after another, the three
// links of `trace -e trace=openat -- true` held trace's exit for 0.23 s.
// Destroyed from one thread each, the waits overlap.
void destroy_links_at_once(const std::vector<bpf_link*>& links) {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < links.size(); ++i) {
    try {
      threads.emplace_back([l = links[i]] { bpf_link__destroy(l); });
    } catch (const std::system_error&) {
      bpf_link__destroy(links[i]);  // no thread: this one waits in turn
    }
  }
  if (!links.empty()) bpf_link__destroy(links[0]);
  for (std::thread& t : threads) t.join();
}

}  // namespace

BpfSession::~BpfSession() {
  std::vector<bpf_link*> all(links_.begin(), links_.end());
  if (skel_ && skel_->skeleton) {
    // The skeleton's own links (trace__attach); nulled so that
    // trace__destroy does not destroy them again.
    const bpf_object_skeleton* s = skel_->skeleton;
    for (int i = 0; i < s->prog_cnt; ++i) {
      const auto* ps = reinterpret_cast<const bpf_prog_skeleton*>(
          reinterpret_cast<const char*>(s->progs) + static_cast<size_t>(i) * s->prog_skel_sz);
      if (ps->link && *ps->link) {
        all.push_back(*ps->link);
        *ps->link = nullptr;
      }
    }
  }
  destroy_links_at_once(all);
  if (skel_) trace__destroy(skel_);
}

Result<std::unique_ptr<BpfSession>> BpfSession::load(const SessionConfig& cfg) {
  libbpf_set_print(quiet_print);
  std::unique_ptr<BpfSession> s(new BpfSession());
  s->cfg_ = cfg;
  // The kernel BTF: the embedded reduced one when it fits this kernel,
  // else libbpf reads /sys/kernel/btf/vmlinux (kernel_btf.hpp).
  const KernelBtf btf = KernelBtf::prepare();
  if (getenv("FDSCOPE_TRACE_DEBUG"))
    fmt::print(stderr, "trace: kernel BTF: {}\n", btf.reduced() ? "reduced (embedded)" : "stock (libbpf reads vmlinux)");
  LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = btf.custom_path());
  s->skel_ = trace__open_opts(&oo);
  if (!s->skel_) return load_error("open BPF object", errno);
  auto* ro = s->skel_->rodata;
  static_assert(sizeof(ro->sc_plan) == sizeof(cfg.plan.rows));
  std::memcpy(const_cast<trace_sc_plan*>(ro->sc_plan), cfg.plan.rows.data(), sizeof(ro->sc_plan));
  ro->follow_forks = cfg.follow_forks ? 1 : 0;
  ro->emit_events = cfg.emit_events ? 1 : 0;
  ro->count_stats = cfg.count_stats ? 1 : 0;
  ro->tcp_events = cfg.tcp_events ? 1 : 0;
  ro->single_tgid = cfg.follow_forks ? 0 : static_cast<uint32_t>(cfg.single_tgid);
  ro->snap_len = cfg.snap_len > TRACE_DATA_MAX ? TRACE_DATA_MAX : cfg.snap_len;
  // Wake the reader early once a quarter of the buffer is waiting; below
  // that it polls on a timer (batched wake-ups).
  ro->wakeup_bytes = static_cast<uint32_t>(cfg.ring_bytes / 4);
  ro->exit_only = cfg.exit_only ? 1 : 0;
  ro->plan_kinds = plan_kinds(cfg.plan);

  if (int err = bpf_map__set_max_entries(s->skel_->maps.events, static_cast<uint32_t>(cfg.ring_bytes)))
    return load_error("size the ring buffer", -err);
  const bool tp = !cfg.tracepoint_syscalls.empty();
  const bool entry = !cfg.exit_only || !cfg.entry_syscalls.empty();
  bpf_program__set_autoload(s->skel_->progs.trace_sys_enter, cfg.syscalls && !tp && !cfg.exit_only);
  bpf_program__set_autoload(s->skel_->progs.trace_sys_exit, cfg.syscalls && !tp);
  bpf_program__set_autoload(s->skel_->progs.trace_tp_enter,
                            cfg.syscalls && entry && (tp || cfg.exit_only));
  bpf_program__set_autoload(s->skel_->progs.trace_tp_exit, cfg.syscalls && tp);
  bpf_program__set_autoattach(s->skel_->progs.trace_tp_enter, false);
  bpf_program__set_autoattach(s->skel_->progs.trace_tp_exit, false);
  // Forks matter only when following them (the program adds the child).
  bpf_program__set_autoload(s->skel_->progs.trace_fork, cfg.follow_forks);
  bpf_program__set_autoload(s->skel_->progs.trace_tcp_state, cfg.tcp_events);
  bpf_program__set_autoload(s->skel_->progs.trace_tcp_retransmit, cfg.tcp_events);
  // The usdt program is attached by hand (attach_usdt), never by trace__attach.
  bpf_program__set_autoattach(s->skel_->progs.trace_usdt, false);
  bpf_program__set_autoload(s->skel_->progs.trace_usdt, !cfg.syscalls);
  // One record-assembly slot per CPU; none needed when only counting.
  int ncpu = libbpf_num_possible_cpus();
  if (cfg.emit_events && ncpu > 1)
    bpf_map__set_max_entries(s->skel_->maps.scratch_map, static_cast<uint32_t>(ncpu));
  // Maps a run does not use shrink to one entry: creating them is part of
  // every start (the LRU hash and the per-CPU statistics are preallocated).
  if (!cfg.tcp_events) bpf_map__set_max_entries(s->skel_->maps.tcp_socks, 1);
  if (!cfg.count_stats) bpf_map__set_max_entries(s->skel_->maps.stats, 1);
  // usdt.bpf.h's maps (a preallocated 1,024-entry hash among them) serve
  // only trace_usdt, which --usdt alone loads.
  if (cfg.syscalls) {
    bpf_map__set_autocreate(s->skel_->maps.__bpf_usdt_specs, false);
    bpf_map__set_autocreate(s->skel_->maps.__bpf_usdt_ip_to_spec_id, false);
  }

  if (getenv("FDSCOPE_TRACE_DEBUG")) {
    // Verifier statistics (instructions processed, time) for every program.
    bpf_program* prog;
    bpf_object__for_each_program(prog, s->skel_->obj) bpf_program__set_log_level(prog, 4);
  }
  if (auto r = btf.resolve_attach_ids(s->skel_->obj); !r) return r.take_error().context("load BPF programs");
  if (int err = trace__load(s->skel_)) {
    if (cfg.tcp_events && (err == -ENOENT || err == -EINVAL)) {
      // Retry without the retransmit tracepoint (absent on some kernels).
      trace__destroy(s->skel_);
      SessionConfig c2 = cfg;
      c2.tcp_events = false;
      auto r = load(c2);
      if (r.ok()) {
        (*r)->cfg_.tcp_events = false;
      }
      return r;
    }
    return load_error("load BPF programs", -err);
  }
  return s;
}

Status BpfSession::add_target(pid_t tgid) {
  uint32_t key = static_cast<uint32_t>(tgid);
  uint8_t one = 1;
  if (bpf_map__update_elem(skel_->maps.targets, &key, sizeof(key), &one, sizeof(one), BPF_ANY))
    return sys_error("add pid " + std::to_string(tgid) + " to the traced set");
  return {};
}

Status BpfSession::attach() {
  if (int err = trace__attach(skel_)) return load_error("attach BPF programs", -err);
  if (!cfg_.syscalls) return {};
  auto attach_tp = [&](bool enter, const std::string& name) -> Status {
    std::string event = (enter ? "sys_enter_" : "sys_exit_") + name;
    bpf_link* l = bpf_program__attach_tracepoint(
        enter ? skel_->progs.trace_tp_enter : skel_->progs.trace_tp_exit, "syscalls", event.c_str());
    if (!l) return load_error(("attach tracepoint syscalls:" + event).c_str(), errno);
    links_.push_back(l);
    return {};
  };
  for (const std::string& name : cfg_.tracepoint_syscalls) {
    if (auto r = attach_tp(false, name); !r) return r;
    if (!cfg_.exit_only)
      if (auto r = attach_tp(true, name); !r) return r;
  }
  if (cfg_.exit_only)
    for (const std::string& name : cfg_.entry_syscalls)
      if (auto r = attach_tp(true, name); !r) return r;
  return {};
}

std::string syscall_tracepoint_dir() {
  for (const char* dir : {"/sys/kernel/tracing/events/syscalls", "/sys/kernel/debug/tracing/events/syscalls"})
    if (access(dir, R_OK) == 0) return dir;
  // Not mounted: mount tracefs where the kernel expects it.
  if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0 &&
      access("/sys/kernel/tracing/events/syscalls", R_OK) == 0)
    return "/sys/kernel/tracing/events/syscalls";
  return {};
}

Status BpfSession::attach_usdt(pid_t pid, const std::string& binary, const char* provider,
                               const char* name, uint32_t what) {
  LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = what);
  bpf_link* l = bpf_program__attach_usdt(skel_->progs.trace_usdt, pid, binary.c_str(), provider,
                                         name, &opts);
  if (!l) {
    return sys_error(std::string("attach USDT probe ") + provider + ":" + name + " in " + binary,
                     errno);
  }
  links_.push_back(l);
  return {};
}

int BpfSession::ring_fd() const { return bpf_map__fd(skel_->maps.events); }

uint64_t BpfSession::lost_records() const {
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return 0;
  std::vector<uint64_t> v(static_cast<size_t>(ncpu));
  uint32_t zero = 0;
  if (bpf_map__lookup_elem(skel_->maps.lost, &zero, sizeof(zero), v.data(),
                           v.size() * sizeof(uint64_t), 0))
    return 0;
  uint64_t sum = 0;
  for (uint64_t x : v) sum += x;
  return sum;
}

// The per-CPU statistics of every syscall in one BPF_MAP_LOOKUP_BATCH
// (without a filter, one lookup per syscall was ~370 bpf() calls at exit);
// per key, the kernel lays out one 8-byte-aligned value per possible CPU.
// A kernel without batched array lookups gets one lookup per traced call.
std::vector<SyscallStats> BpfSession::stats() const {
  std::vector<SyscallStats> out;
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0 || !cfg_.count_stats) return out;
  static_assert(sizeof(trace_sc_stats) % 8 == 0, "per-CPU values are 8-byte aligned");
  const size_t per_key = static_cast<size_t>(ncpu);
  std::vector<trace_sc_stats> all(TRACE_MAX_SYSCALLS * per_key);
  std::vector<uint32_t> keys(TRACE_MAX_SYSCALLS);
  uint32_t next = 0;
  __u32 count = TRACE_MAX_SYSCALLS;
  LIBBPF_OPTS(bpf_map_batch_opts, bo);
  int err = bpf_map_lookup_batch(bpf_map__fd(skel_->maps.stats), nullptr, &next, keys.data(), all.data(),
                                 &count, &bo);
  bool batched = (err == 0 || errno == ENOENT) && count == TRACE_MAX_SYSCALLS;
  for (uint32_t i = 0; batched && i < count; i++) batched = keys[i] == i;  // array order
  for (uint32_t nr = 0; nr < TRACE_MAX_SYSCALLS; nr++) {
    if (!(cfg_.plan.rows[nr].flags & TRACE_PLAN_TRACED)) continue;
    trace_sc_stats* v = &all[nr * per_key];
    if (!batched && bpf_map__lookup_elem(skel_->maps.stats, &nr, sizeof(nr), v,
                                         per_key * sizeof(trace_sc_stats), 0))
      continue;
    SyscallStats s;
    s.nr = static_cast<int>(nr);
    s.hist.assign(TRACE_HIST_BUCKETS, 0);
    for (size_t c = 0; c < per_key; ++c) {
      s.calls += v[c].calls;
      s.errors += v[c].errors;
      s.total_ns += v[c].total_ns;
      for (int b = 0; b < TRACE_HIST_BUCKETS; b++) s.hist[static_cast<size_t>(b)] += v[c].hist[b];
    }
    if (s.calls) out.push_back(std::move(s));
  }
  return out;
}

uint64_t hist_bucket_low(uint32_t b) {
  if (b < 4) return b;
  uint32_t msb = b / 4 + 1;
  uint64_t sub = b % 4;
  return (uint64_t{1} << msb) | (sub << (msb - 2));
}

uint64_t hist_bucket_high(uint32_t b) {
  if (b + 1 >= TRACE_HIST_BUCKETS) return hist_bucket_low(b) * 2;
  return hist_bucket_low(b + 1);
}

}  // namespace fdscope::trace
