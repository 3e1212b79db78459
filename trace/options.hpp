// TraceOptions: everything trace's command line decides, filled in by
// main.cpp (CLI11) and read by the session, the event pipeline and the
// renderers.  Kept as plain data so tests can build one without a command line.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fdscope/dump.hpp"
#include "fdscope/syscall_format.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope::trace {

struct TraceOptions {
  std::vector<pid_t> pids;             // -p (repeatable)
  std::vector<std::string> command;    // -- CMD ARGS
  bool follow = false;                 // -f
  SyscallSet syscalls;                 // -e trace=... (all when not given)
  bool syscalls_given = false;
  TimestampStyle timestamps = TimestampStyle::kNone;  // -t / -tt / -ttt / -r
  bool durations = false;              // -T
  size_t string_limit = 32;            // -s
  bool string_limit_given = false;
  bool decode_fds = true;              // off with --raw-fds
  bool summary = false;                // -c
  bool json = false;                   // --json
  bool stacks = false;                 // -k
  bool tcp = false;                    // --tcp
  bool usdt = false;                   // --usdt
  std::string relay_binary;            // --usdt-binary (default: /proc/PID/exe)
  DumpFormat dump;                     // -v / -x
  std::string output_file;             // -o
  std::string pcap_file;               // -w
  uint64_t ring_bytes = 8u << 20;      // --buffer-size
  bool ring_bytes_given = false;       // else sized for the mode (tracer.cpp)
  int poll_ms = 50;                    // reader's timer between batched wake-ups
  // --hook: raw sys_enter/sys_exit for every call, per-syscall tracepoints,
  // or auto (tracepoints for a filter of at most kTracepointMax calls).
  enum class Hook { kAuto, kRaw, kTracepoint } hook = Hook::kAuto;
  static constexpr size_t kTracepointMax = 32;

  // Bytes of payload the kernel captures per call.
  uint32_t snap_len() const {
    uint64_t n = string_limit;
    if ((dump.any() || !pcap_file.empty()) && !string_limit_given) n = 4096;
    return n > 16384 ? 16384 : static_cast<uint32_t>(n);
  }
  // Records flow through the ring buffer (not just -c counters).
  bool per_call_output() const { return !summary || dump.any() || !pcap_file.empty() || stacks; }
};

}  // namespace fdscope::trace
