// EventRenderer: turns the raw records of the ring buffer (bpf/trace.h) into
// trace's output: strace-style syscall lines through the shared syscall
// formatter (or its JSON form), socat-style payload dumps, pcapng packets,
// symbolised stacks, process exits, TCP state changes and relay USDT
// events.  It also keeps the per-process fd names current from the call
// stream and the set of live traced processes, which tells the event loop
// when to stop.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "capture_plan.hpp"
#include "fd_names.hpp"
#include "fdscope/syscall_format.hpp"
#include "options.hpp"
#include "output_sink.hpp"
#include "trace.h"

namespace fdscope::trace {

class PcapngWriter;
class Symbolizer;

class EventRenderer {
 public:
  EventRenderer(const TraceOptions& opts, const CapturePlan& plan, OutputSink& out);
  ~EventRenderer();

  // Optional outputs (-w, -k).  Borrowed.
  void set_pcap(PcapngWriter* w) { pcap_ = w; }
  void set_symbolizer(Symbolizer* s) { sym_ = s; }

  // Processes one ring-buffer record; malformed sizes are skipped.
  void handle(const void* data, size_t size);

  // A launched child: drop its events until its first execve (the handshake
  // of trace -- CMD happens before it).
  void hold_until_exec(pid_t pid) { held_.insert(pid); }
  // Name every fd of pid now (see FdNames::snapshot).
  void snapshot_fds(pid_t pid) {
    if (opts_.decode_fds || !opts_.pcap_file.empty()) fds_.snapshot(pid);
  }
  void add_live(pid_t pid) { live_.insert(pid); }
  void remove_live(pid_t pid) { live_.erase(pid); }
  const std::set<pid_t>& live() const { return live_; }
  // Exit status (wait form) of a process seen exiting, -1 when unknown.
  int exit_status(pid_t pid) const;

  uint64_t events() const { return events_; }
  // Failure of -w output (kept so the loop can report it once).
  const Status& pcap_status() const { return pcap_status_; }

 private:
  void syscall_event(const trace_syscall_event& ev, const uint8_t* var, size_t var_len);
  void proc_event(const trace_proc_event& ev);
  void tcp_event(const trace_tcp_event& ev);
  void usdt_event(const trace_usdt_event& ev, const uint8_t* addr);
  void payload(const trace_syscall_event& ev, bool inbound, std::string_view bytes, uint64_t moved,
               std::span<const uint64_t> iov_lens, std::string_view addr, uint64_t realtime_ns);
  void stack(const trace_syscall_event& ev, const uint64_t* ips, size_t n);
  void line_prefix(uint64_t realtime_ns, pid_t tid, std::string& out);
  uint64_t to_realtime(uint64_t mono_ns) const { return mono_ns + mono_to_real_; }

  const TraceOptions& opts_;
  const CapturePlan& plan_;
  OutputSink& out_;
  SyscallFormatter fmt_;
  FdNames fds_;
  PcapngWriter* pcap_ = nullptr;
  Symbolizer* sym_ = nullptr;
  Status pcap_status_;
  uint64_t mono_to_real_ = 0;
  uint64_t last_ts_ = 0;        // -r for non-syscall lines
  uint64_t events_ = 0;
  bool show_pid_ = false;
  std::unordered_set<pid_t> held_;
  std::set<pid_t> live_;
  std::unordered_map<pid_t, int> exits_;
  std::unordered_map<uint64_t, uint64_t> dump_offsets_;  // (pid, fd, dir) -> bytes so far
  std::string scratch_;
  std::vector<trace_msg_desc> msgs_;  // the current record's message descriptors
  std::vector<uint64_t> iov_lens_;    // and iovec lengths (bpf/trace.h)
};

}  // namespace fdscope::trace
