// Renders the -c statistics.  The kernel keeps, per syscall and CPU, the call
// count, error count, total nanoseconds and a histogram with four buckets per
// power of two (so any latency is known within about 19%); quantiles are
// read from the summed histogram with linear interpolation inside the
// bucket.  The table follows strace -c's columns and adds p50/p99 in
// microseconds; the JSON form carries the same numbers with stable keys.
#include "summary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fdscope/json.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope::trace {

namespace {

std::string name_of(int nr) {
  std::string_view n = syscall_name(nr);
  return n.empty() ? fmt::format("syscall_{}", nr) : std::string(n);
}

std::vector<SyscallStats> sorted(std::vector<SyscallStats> s) {
  std::sort(s.begin(), s.end(), [](const SyscallStats& a, const SyscallStats& b) {
    if (a.total_ns != b.total_ns) return a.total_ns > b.total_ns;
    return a.calls > b.calls;
  });
  return s;
}

}  // namespace

double histogram_quantile(const std::vector<uint32_t>& hist, double q) {
  uint64_t total = 0;
  for (uint32_t c : hist) total += c;
  if (total == 0) return 0;
  double target = q * static_cast<double>(total);
  uint64_t cum = 0;
  for (size_t b = 0; b < hist.size(); b++) {
    if (!hist[b]) continue;
    if (static_cast<double>(cum + hist[b]) >= target) {
      double lo = static_cast<double>(hist_bucket_low(static_cast<uint32_t>(b)));
      double hi = static_cast<double>(hist_bucket_high(static_cast<uint32_t>(b)));
      double frac = (target - static_cast<double>(cum)) / hist[b];
      return lo + (hi - lo) * std::clamp(frac, 0.0, 1.0);
    }
    cum += hist[b];
  }
  return static_cast<double>(hist_bucket_low(static_cast<uint32_t>(hist.size() - 1)));
}

void render_summary_table(const std::vector<SyscallStats>& stats, uint64_t lost, std::string& out) {
  auto rows = sorted(stats);
  uint64_t total_ns = 0, calls = 0, errors = 0;
  for (const auto& s : rows) {
    total_ns += s.total_ns;
    calls += s.calls;
    errors += s.errors;
  }
  const char* rule =
      "------ ----------- ----------- --------- --------- ----------- ----------- ----------------\n";
  out += fmt::format("{:>6} {:>11} {:>11} {:>9} {:>9} {:>11} {:>11} {}\n", "% time", "seconds",
                     "usecs/call", "calls", "errors", "p50 usecs", "p99 usecs", "syscall");
  out += rule;
  for (const auto& s : rows) {
    double pct = total_ns ? 100.0 * static_cast<double>(s.total_ns) / static_cast<double>(total_ns) : 0;
    out += fmt::format("{:>6.2f} {:>11.6f} {:>11} {:>9} {:>9} {:>11.3f} {:>11.3f} {}\n", pct,
                       static_cast<double>(s.total_ns) / 1e9, s.total_ns / s.calls / 1000, s.calls,
                       s.errors ? fmt::format("{}", s.errors) : std::string(),
                       histogram_quantile(s.hist, 0.5) / 1000, histogram_quantile(s.hist, 0.99) / 1000,
                       name_of(s.nr));
  }
  out += rule;
  out += fmt::format("{:>6.2f} {:>11.6f} {:>11} {:>9} {:>9} {:>11} {:>11} total\n", 100.0,
                     static_cast<double>(total_ns) / 1e9, calls ? total_ns / calls / 1000 : 0, calls,
                     errors ? fmt::format("{}", errors) : std::string(), "", "");
  if (lost) out += fmt::format("trace: {} events lost (ring buffer full)\n", lost);
}

void render_summary_json(const std::vector<SyscallStats>& stats, uint64_t lost, std::string& out) {
  auto rows = sorted(stats);
  JsonWriter w(out);
  uint64_t total_ns = 0, calls = 0, errors = 0;
  w.begin_object();
  w.field("event", "summary");
  w.key("syscalls").begin_array();
  for (const auto& s : rows) {
    total_ns += s.total_ns;
    calls += s.calls;
    errors += s.errors;
    w.begin_object();
    w.field("syscall", name_of(s.nr));
    w.field("calls", s.calls);
    w.field("errors", s.errors);
    w.key("total_us").value(static_cast<double>(s.total_ns) / 1e3);
    w.key("p50_us").value(histogram_quantile(s.hist, 0.5) / 1e3);
    w.key("p99_us").value(histogram_quantile(s.hist, 0.99) / 1e3);
    w.end_object();
  }
  w.end_array();
  w.key("total").begin_object();
  w.field("calls", calls);
  w.field("errors", errors);
  w.key("total_us").value(static_cast<double>(total_ns) / 1e3);
  w.end_object();
  w.field("lost", lost);
  w.end_object();
  out += '\n';
}

}  // namespace fdscope::trace
