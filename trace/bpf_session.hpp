// BpfSession: owns the loaded kernel side of trace (the bpftool skeleton of
// bpf/trace.bpf.c): fills its read-only configuration from a CapturePlan,
// sizes the ring buffer, loads and attaches the programs, keeps the traced
// pid set, and reads the per-CPU counters (lost records, -c statistics).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture_plan.hpp"
#include "fdscope/result.hpp"
#include "trace.h"

struct trace;         // the skeleton (trace.skel.h)
struct ring_buffer;   // libbpf
struct bpf_link;      // libbpf

namespace fdscope::trace {

struct SessionConfig {
  CapturePlan plan;
  bool follow_forks = false;
  bool emit_events = true;     // per-call records (off for -c alone)
  bool count_stats = false;    // -c
  bool tcp_events = false;     // inet_sock_set_state / tcp_retransmit_skb
  bool syscalls = true;        // attach sys_enter/sys_exit (off in --usdt mode)
  uint32_t snap_len = 32;
  pid_t single_tgid = 0;       // the only target, when not following forks
  // Non-empty: hook the per-syscall tracepoints syscalls:sys_{enter,exit}_NAME
  // of these calls instead of the raw sys_enter/sys_exit (narrow filters).
  std::vector<std::string> tracepoint_syscalls;
  // Exit-only: no entry hook; the exit program reads each call from the
  // saved registers (no entry times).  The calls in entry_syscalls (execve:
  // its strings are gone at exit) keep an entry hook, their per-syscall
  // tracepoint syscalls:sys_enter_NAME.
  bool exit_only = false;
  std::vector<std::string> entry_syscalls;
  uint64_t ring_bytes = 8u << 20;  // power of two, >= page size
};

// Per-syscall totals summed over CPUs.
struct SyscallStats {
  int nr = 0;
  uint64_t calls = 0;
  uint64_t errors = 0;
  uint64_t total_ns = 0;
  std::vector<uint32_t> hist;  // TRACE_HIST_BUCKETS
};

class BpfSession {
 public:
  ~BpfSession();
  BpfSession(const BpfSession&) = delete;
  BpfSession& operator=(const BpfSession&) = delete;

  // Opens, configures and loads the programs (not yet attached).
  static Result<std::unique_ptr<BpfSession>> load(const SessionConfig& cfg);

  Status add_target(pid_t tgid);
  Status attach();

  // Attaches the USDT program to one relay probe of binary (a path) in pid
  // (-1 for all processes) with `what` as its cookie.
  Status attach_usdt(pid_t pid, const std::string& binary, const char* provider,
                     const char* name, uint32_t what);

  int ring_fd() const;
  uint64_t lost_records() const;
  std::vector<SyscallStats> stats() const;

  struct ::trace* skel() { return skel_; }

 private:
  BpfSession() = default;
  struct ::trace* skel_ = nullptr;
  std::vector<::bpf_link*> links_;
  SessionConfig cfg_;
};

// The capture steps the traced calls of plan need (enum trace_plan_kinds).
uint8_t plan_kinds(const CapturePlan& plan);

// Lowest histogram bucket value in ns (bucket layout of bpf/trace.bpf.c).
uint64_t hist_bucket_low(uint32_t bucket);

// The syscalls tracepoint directory, mounting tracefs if nobody has; empty
// when there is none.
std::string syscall_tracepoint_dir();
uint64_t hist_bucket_high(uint32_t bucket);

}  // namespace fdscope::trace
