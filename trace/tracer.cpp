// The order of a trace run matters for completeness: targets are checked
// first (a dead pid is an error before anything is loaded), a command is
// forked but held, the BPF programs are loaded with the pid set filled in and
// attached, and only then is the command released, so its execve is the
// first event.  At the end the kernel's lost-record counter is read and
// reported (stderr, the -c table, a JSON line): a run is never silently
// incomplete.
#include "tracer.hpp"

#include <fmt/format.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <optional>

#include "bpf_session.hpp"
#include "capture_plan.hpp"
#include "event_loop.hpp"
#include "event_renderer.hpp"
#include "fdscope/io.hpp"
#include "fdscope/json.hpp"
#include "launcher.hpp"
#include "output_sink.hpp"
#include "pcapng.hpp"
#include "summary.hpp"
#include "symbolizer.hpp"

namespace fdscope::trace {

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop.store(true); }

void install_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

// The relay probes of docs/relay-probes.md and their event kinds.
struct ProbeRow {
  const char* name;
  uint32_t what;
};
constexpr ProbeRow kRelayProbes[] = {
    {"accept", TRACE_USDT_ACCEPT},     {"connect", TRACE_USDT_CONNECT},
    {"transfer", TRACE_USDT_TRANSFER}, {"eof", TRACE_USDT_EOF},
    {"shutdown", TRACE_USDT_SHUTDOWN}, {"close", TRACE_USDT_CLOSE},
};

Result<std::string> exe_of(pid_t pid) {
  char buf[4096];
  std::string link = fmt::format("/proc/{}/exe", pid);
  ssize_t n = readlink(link.c_str(), buf, sizeof(buf) - 1);
  if (n < 0) return sys_error("readlink " + link);
  // Attach through /proc/PID/root so a binary in another mount namespace works.
  return fmt::format("/proc/{}/root{}", pid, std::string(buf, static_cast<size_t>(n)));
}

Result<std::string> find_in_path(const std::string& cmd) {
  if (cmd.find('/') != std::string::npos) return cmd;
  const char* path = getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    std::string full = (dir.empty() ? "." : dir) + "/" + cmd;
    if (access(full.c_str(), X_OK) == 0) return full;
    start = end + 1;
  }
  return sys_error("find \"" + cmd + "\" in PATH", ENOENT);
}

}  // namespace

Result<int> run_trace(const TraceOptions& opts) {
  struct stat st;
  if (stat("/sys/kernel/btf/vmlinux", &st) != 0)
    return plain_error("kernel BTF not found at /sys/kernel/btf/vmlinux (trace needs a kernel built with CONFIG_DEBUG_INFO_BTF)");
  for (pid_t p : opts.pids) {
    if (kill(p, 0) != 0 && errno == ESRCH)
      return plain_error(fmt::format("-p {}: no such process", p));
  }

  // Output first: an unwritable -o/-w file is reported before anything starts.
  std::unique_ptr<OutputSink> sink;
  if (!opts.output_file.empty()) {
    auto fd = open_fd(opts.output_file, O_WRONLY | O_CREAT | O_TRUNC, AT_FDCWD, 0644);
    if (!fd) return fd.take_error();
    sink = std::make_unique<OutputSink>(std::move(*fd));
  } else if (opts.pcap_file == "-") {
    // stdout carries the pcapng stream: lines would corrupt it (use -o).
    auto fd = open_fd("/dev/null", O_WRONLY);
    if (!fd) return fd.take_error();
    sink = std::make_unique<OutputSink>(std::move(*fd));
  } else {
    sink = std::make_unique<OutputSink>(STDOUT_FILENO);
  }
  std::optional<PcapngWriter> pcap;
  if (!opts.pcap_file.empty()) {
    auto w = opts.pcap_file == "-" ? PcapngWriter::adopt(UniqueFd(dup(STDOUT_FILENO)))
                                   : PcapngWriter::create(opts.pcap_file);
    if (!w) return w.take_error();
    pcap.emplace(std::move(*w));
  }

  std::string usdt_binary = opts.relay_binary;
  if (opts.usdt && usdt_binary.empty()) {
    if (!opts.pids.empty()) {
      auto e = exe_of(opts.pids.front());
      if (!e) return e.take_error();
      usdt_binary = *e;
    } else {
      auto e = find_in_path(opts.command.front());
      if (!e) return e.take_error();
      usdt_binary = *e;
    }
  }

  SessionConfig cfg;
  SyscallSet set = opts.syscalls_given ? opts.syscalls : SyscallSet().set();
  if (!opts.command.empty()) {
    // The launched child's execve ends the launch handshake (see
    // EventRenderer::hold_until_exec), so the kernel reports it even when
    // the filter leaves it out; the renderer then does not print it.  The
    // launcher execs with execvp (execve): execveat is not needed for it.
    if (const SyscallInfo* i = syscall_by_name("execve")) set.set(static_cast<size_t>(i->number));
  }
  cfg.plan = build_capture_plan(set, opts.stacks);
  cfg.follow_forks = opts.follow;
  cfg.count_stats = opts.summary;
  cfg.emit_events = opts.per_call_output();
  cfg.tcp_events = opts.tcp;
  cfg.syscalls = !opts.usdt;
  cfg.snap_len = opts.snap_len();
  cfg.ring_bytes = opts.ring_bytes;

  std::optional<Launcher> child;
  if (!opts.command.empty()) {
    auto l = Launcher::start(opts.command);
    if (!l) return l.take_error();
    child.emplace(std::move(*l));
  }

  // Per-syscall tracepoints for a narrow filter: the kernel then runs BPF
  // only for the selected calls, not for every call of every process.
  bool want_tp = opts.hook == TraceOptions::Hook::kTracepoint ||
                 (opts.hook == TraceOptions::Hook::kAuto && opts.syscalls_given &&
                  set.count() <= TraceOptions::kTracepointMax);
  if (want_tp && cfg.syscalls) {
    std::string dir = syscall_tracepoint_dir();
    std::vector<std::string> names;
    bool all_there = !dir.empty();
    for (size_t nr = 0; nr < set.size() && all_there; nr++) {
      if (!set.test(nr)) continue;
      std::string name(syscall_name(static_cast<int>(nr)));
      if (name.empty() || access((dir + "/sys_enter_" + name).c_str(), R_OK) != 0) {
        all_there = false;
        break;
      }
      names.push_back(std::move(name));
    }
    if (all_there)
      cfg.tracepoint_syscalls = std::move(names);
    else if (opts.hook == TraceOptions::Hook::kTracepoint)
      return plain_error("--hook tracepoint: no syscalls:sys_enter_* tracepoint for a selected call (is tracefs available?)");
  }
  // The ring buffer, unless -b sized it: creating and mapping it is the
  // largest fixed cost after the verifier (8 MiB: ~2.5 ms of CPU, pages
  // allocated, mapped twice, unmapped at exit).  -c alone sends only process
  // (and --tcp) events through it; a narrow filter on per-syscall
  // tracepoints only the selected calls.  Full tracing keeps 8 MiB.
  if (!opts.ring_bytes_given) {
    if (!cfg.emit_events)
      cfg.ring_bytes = 64u << 10;
    else if (!cfg.tracepoint_syscalls.empty())
      cfg.ring_bytes = (opts.dump.any() || !opts.pcap_file.empty()) ? 2u << 20 : 256u << 10;
  }
  // Exit-only hooking when no output needs entry times (-c, -T, -t/-tt/-r,
  // --json do): every call then costs one hook, not two.  The calls whose
  // capture needs the entry (execve: its strings die with the old image)
  // keep their own per-syscall entry tracepoint; without tracefs those runs
  // hook both sides as before.
  const bool timing = opts.summary || opts.durations || opts.json ||
                      opts.timestamps != TimestampStyle::kNone;
  if (cfg.syscalls && cfg.emit_events && !timing) {
    std::vector<std::string> entry;
    bool entry_ok = true;
    std::string dir;
    for (size_t nr = 0; nr < set.size(); nr++) {
      if (!set.test(nr) || !(cfg.plan.rows[nr].flags & TRACE_PLAN_EXEC)) continue;
      if (opts.syscalls_given && !opts.syscalls.test(nr)) {
        // Hooked for the launch handshake only: its return is all that
        // counts, and an entry tracepoint would cost every call of every
        // process a probe.
        cfg.plan.rows[nr].flags &= static_cast<uint8_t>(~TRACE_PLAN_EXEC);
        continue;
      }
      if (dir.empty()) dir = syscall_tracepoint_dir();
      std::string name(syscall_name(static_cast<int>(nr)));
      if (dir.empty() || access((dir + "/sys_enter_" + name).c_str(), R_OK) != 0) entry_ok = false;
      entry.push_back(std::move(name));
    }
    if (entry_ok) {
      cfg.exit_only = true;
      cfg.entry_syscalls = std::move(entry);
    }
  }
  if (opts.pids.size() == 1 && opts.command.empty()) cfg.single_tgid = opts.pids.front();
  if (opts.pids.empty() && child) cfg.single_tgid = child->pid();
  auto session = BpfSession::load(cfg);
  if (!session) return session.take_error();
  BpfSession& s = **session;

  EventRenderer renderer(opts, cfg.plan, *sink);
  if (pcap) renderer.set_pcap(&*pcap);
  std::unique_ptr<Symbolizer> sym;
  if (opts.stacks) {
    sym = std::make_unique<Symbolizer>();
    renderer.set_symbolizer(sym.get());
  }
  for (pid_t p : opts.pids) {
    if (auto r = s.add_target(p); !r) return r.take_error();
    renderer.add_live(p);
    renderer.snapshot_fds(p);
  }
  if (child) {
    if (auto r = s.add_target(child->pid()); !r) return r.take_error();
    renderer.add_live(child->pid());
    renderer.hold_until_exec(child->pid());
    renderer.snapshot_fds(child->pid());
  }
  if (auto r = s.attach(); !r) return r.take_error();
  if (opts.usdt) {
    // A relay build may lack some probes (ENOENT): attach what exists, and
    // fail only when there is none at all.
    int attached = 0;
    Error first;
    for (const auto& probe : kRelayProbes) {
      auto r = s.attach_usdt(-1, usdt_binary, "relay", probe.name, probe.what);
      if (r.ok()) {
        attached++;
      } else if (first.what.empty()) {
        first = r.take_error();
      }
    }
    if (!attached)
      return std::move(first).context("--usdt (is " + usdt_binary + " a relay built with probes?)");
  }

  install_signals();
  if (child) {
    if (auto r = child->release(); !r) return r.take_error();
  }

  int child_status = -1;
  auto tick = [&] {
    if (child && child_status < 0) {
      int st;
      if (child->reap(&st)) child_status = st;
    }
  };
  EventLoop loop(s, renderer, opts.poll_ms);
  Status run = loop.run(&g_stop, tick);

  const uint64_t lost = s.lost_records();
  std::string& out = sink->buf();
  if (opts.summary) {
    auto stats = s.stats();
    if (opts.syscalls_given)  // execve may be hooked for the launch only
      std::erase_if(stats, [&](const SyscallStats& st) {
        return !opts.syscalls.test(static_cast<size_t>(st.nr));
      });
    if (opts.json)
      render_summary_json(stats, lost, out);
    else
      render_summary_table(stats, lost, out);
  } else if (opts.json && lost) {
    JsonWriter w(out);
    w.begin_object().field("event", "lost").field("count", lost).end_object();
    out += '\n';
  }
  Status flushed = sink->flush();
  if (pcap) {
    if (!renderer.pcap_status().ok()) return renderer.pcap_status().error();
    if (auto r = pcap->flush(); !r) return r.take_error();
  }
  if (lost)
    fmt::print(stderr, "trace: {} events lost: the ring buffer was full (raise --buffer-size)\n", lost);
  if (!run) return run.take_error();
  if (!flushed) return flushed.error();

  if (child) {
    if (child_status < 0) {
      // We were asked to stop while the command runs: it keeps running.
      int st;
      if (g_stop.load()) return 130;
      if (waitpid(child->pid(), &st, 0) == child->pid()) child_status = st;
    }
    if (child_status >= 0) {
      if (WIFEXITED(child_status)) return WEXITSTATUS(child_status);
      if (WIFSIGNALED(child_status)) return 128 + WTERMSIG(child_status);
    }
  }
  return 0;
}

}  // namespace fdscope::trace
