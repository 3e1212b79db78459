// trace's command line: strace's option letters where strace has them (-p,
// -f, -e trace=, -t/-tt/-ttt, -r, -T, -s, -c, -o, -k), socat's -v/-x for
// payload dumps, and long options for the rest.  This is the only place that
// turns an error into a message and an exit code: usage errors exit 2 with
// one line naming the bad argument, runtime errors exit 1.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

#include "fdscope/result.hpp"
#include "fdscope/syscall_table.hpp"
#include "fdscope/version.hpp"
#include "options.hpp"
#include "tracer.hpp"

using namespace fdscope;
using namespace fdscope::trace;

namespace {

// "8M", "64k", "1G" or plain bytes.
bool parse_size(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  size_t pos = 0;
  unsigned long long v;
  try {
    v = std::stoull(text, &pos);
  } catch (...) {
    return false;
  }
  std::string unit = text.substr(pos);
  if (unit == "k" || unit == "K") v <<= 10;
  else if (unit == "m" || unit == "M") v <<= 20;
  else if (unit == "g" || unit == "G") v <<= 30;
  else if (!unit.empty()) return false;
  *out = v;
  return true;
}

int usage_error(const std::string& msg) {
  fmt::print(stderr, "trace: {}\n", msg);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  TraceOptions o;
  CLI::App app{"trace: eBPF system call and traffic tracer (fdscope)", "trace"};
  app.set_version_flag("--version", std::string("trace (fdscope) ") + fdscope::kVersion);
  app.prefix_command();  // everything after the first positional is the command
  std::vector<int> pids;
  std::string expr, buffer_size = "8M";
  int t_count = 0;
  bool relative = false;
  bool dump_text = false, dump_hex = false, raw_fds = false;
  app.add_option("-p,--pid", pids, "Trace process PID (repeatable)");
  app.add_flag("-f,--follow", o.follow, "Follow forks: trace child processes too");
  app.add_option("-e,--expr", expr, "Syscall filter as strace spells it: trace=open,%net,%file,...");
  app.add_flag("-t", t_count, "Wall-clock time on each line (-tt with microseconds, -ttt epoch)");
  app.add_flag("-r", relative, "Relative timestamp: time since the previous line");
  app.add_flag("-T", o.durations, "Time spent in each call");
  app.add_option("-s,--string-limit", o.string_limit, "Longest string/buffer shown and captured (bytes)")
      ->check(CLI::Range(1, 16384));
  app.add_flag("-c,--summary", o.summary, "Count calls, errors, time and p50/p99 latency per syscall");
  app.add_flag("--json", o.json, "JSON lines for every event (and the -c summary)");
  app.add_option("-o,--output", o.output_file, "Write the trace to FILE instead of stdout");
  app.add_option("-w,--write", o.pcap_file, "Write captured payloads as pcapng to FILE (- for stdout)");
  app.add_flag("-v,--dump-text", dump_text, "Dump payloads as socat -v text");
  app.add_flag("-x,--dump-hex", dump_hex, "Dump payloads as socat -x hex");
  app.add_flag("-k,--stack", o.stacks, "User stack trace of each traced call (symbolised with libdw)");
  app.add_flag("--tcp", o.tcp, "TCP connection events: state changes and retransmits");
  app.add_flag("--usdt", o.usdt, "Trace a relay through its USDT probes instead of syscalls");
  app.add_option("--usdt-binary", o.relay_binary, "relay binary for --usdt (default: the target's)");
  app.add_option("-b,--buffer-size", buffer_size, "Ring buffer size (bytes, or with k/M/G)");
  app.add_option("--poll-interval", o.poll_ms, "Milliseconds between ring buffer reads")
      ->check(CLI::Range(1, 10000));
  app.add_flag("--raw-fds", raw_fds, "Print fds as numbers, without strace -yy names");
  std::string hook = "auto";
  app.add_option("--hook", hook, "Syscall hook: raw, tracepoint (per-syscall) or auto")
      ->check(CLI::IsMember({"auto", "raw", "tracepoint"}));
  app.footer("Run a command: trace [options] [--] CMD [ARGS...]\nAttach: trace [options] -p PID");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  o.command = app.remaining();
  if (!o.command.empty() && o.command.front() == "--") o.command.erase(o.command.begin());
  for (int p : pids) {
    if (p <= 0) return usage_error(fmt::format("-p {}: not a process id", p));
    o.pids.push_back(p);
  }
  if (o.pids.empty() && o.command.empty())
    return usage_error("nothing to trace: give -p PID or a command (trace --help)");
  if (!o.pids.empty() && !o.command.empty())
    return usage_error("give either -p PID or a command, not both");
  if (t_count > 0 && relative) return usage_error("-t and -r cannot be combined");
  if (t_count == 1) o.timestamps = TimestampStyle::kTime;
  else if (t_count == 2) o.timestamps = TimestampStyle::kTimeMicro;
  else if (t_count >= 3) o.timestamps = TimestampStyle::kEpochMicro;
  else if (relative) o.timestamps = TimestampStyle::kRelative;
  o.string_limit_given = app.count("-s") > 0;
  o.dump.text = dump_text;
  o.dump.hex = dump_hex;
  o.decode_fds = !raw_fds;
  o.hook = hook == "raw" ? TraceOptions::Hook::kRaw
           : hook == "tracepoint" ? TraceOptions::Hook::kTracepoint
                                  : TraceOptions::Hook::kAuto;
  if (!expr.empty()) {
    std::string e = expr;
    if (e.rfind("trace=", 0) == 0) e = e.substr(6);
    else if (e.find('=') != std::string::npos)
      return usage_error(fmt::format("-e {}: only trace=... is supported", expr));
    auto set = parse_syscall_set(e);
    if (!set) return usage_error(fmt::format("-e {}: {}", expr, set.error().message()));
    if (set->none()) return usage_error(fmt::format("-e {}: selects no system call", expr));
    o.syscalls = *set;
    o.syscalls_given = true;
  }
  uint64_t rb = 0;
  if (!parse_size(buffer_size, &rb) || rb < 4096 || rb > (1ull << 30))
    return usage_error(fmt::format("--buffer-size {}: want 4k..1G", buffer_size));
  // The kernel wants a power of two: round up.
  uint64_t p2 = 4096;
  while (p2 < rb) p2 <<= 1;
  o.ring_bytes = p2;
  o.ring_bytes_given = app.count("-b") > 0;

  auto r = run_trace(o);
  if (!r) {
    fmt::print(stderr, "trace: {}\n", r.error().message());
    return kExitError;
  }
  return *r;
}
