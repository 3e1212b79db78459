// The -c summary: per-syscall calls, errors, total time and p50/p99 latency
// from the kernel's per-CPU counters and log-linear histograms, rendered as
// strace -c's table (with two latency columns added) or as one JSON object.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bpf_session.hpp"

namespace fdscope::trace {

// Latency (ns) at quantile q (0..1) of a histogram in bpf/trace.bpf.c's
// bucket layout, interpolated linearly inside the bucket.
double histogram_quantile(const std::vector<uint32_t>& hist, double q);

// strace -c layout, sorted by total time (descending), then a total row.
void render_summary_table(const std::vector<SyscallStats>& stats, uint64_t lost, std::string& out);

// {"event":"summary","syscalls":[{...}],"total":{...},"lost":N}
void render_summary_json(const std::vector<SyscallStats>& stats, uint64_t lost, std::string& out);

}  // namespace fdscope::trace
