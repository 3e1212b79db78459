// The resource-limit table and the /proc/PID/limits parser (see
// proc_limits.hpp).  The kernel prints each row as a fixed-width name, soft,
// hard and unit; names contain spaces, so rows are matched by the table's
// proc_name prefix and only the rest is tokenised.
#include "fdscope/proc_limits.hpp"

#include <sys/resource.h>

#include "fdscope/proc_text.hpp"

namespace fdscope {

namespace {

constexpr LimitInfo kLimits[] = {
    {RLIMIT_CPU, "RLIMIT_CPU", "cpu", "Max cpu time", "cpu time (seconds)", "seconds"},
    {RLIMIT_FSIZE, "RLIMIT_FSIZE", "fsize", "Max file size", "file size (bytes)", "bytes"},
    {RLIMIT_DATA, "RLIMIT_DATA", "data", "Max data size", "data seg size (bytes)", "bytes"},
    {RLIMIT_STACK, "RLIMIT_STACK", "stack", "Max stack size", "stack size (bytes)", "bytes"},
    {RLIMIT_CORE, "RLIMIT_CORE", "core", "Max core file size", "core file size (bytes)", "bytes"},
    {RLIMIT_RSS, "RLIMIT_RSS", "rss", "Max resident set", "max resident set (bytes)", "bytes"},
    {RLIMIT_NPROC, "RLIMIT_NPROC", "nproc", "Max processes", "max user processes", "processes"},
    {RLIMIT_NOFILE, "RLIMIT_NOFILE", "nofile", "Max open files", "open files", "files"},
    {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", "memlock", "Max locked memory",
     "max locked-in-memory\n  address space (bytes)", "bytes"},
    {RLIMIT_AS, "RLIMIT_AS", "as", "Max address space", "virtual memory (bytes)", "bytes"},
    {RLIMIT_LOCKS, "RLIMIT_LOCKS", "locks", "Max file locks", "file locks", "locks"},
    {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING", "sigpending", "Max pending signals", "pending signals", "signals"},
    {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE", "msgqueue", "Max msgqueue size", "msgqueue size (bytes)", "bytes"},
    {RLIMIT_NICE, "RLIMIT_NICE", "nice", "Max nice priority", "nice ceiling (20-nice)", "20-nice"},
    {RLIMIT_RTPRIO, "RLIMIT_RTPRIO", "rtprio", "Max realtime priority", "realtime priority", "priority"},
    {RLIMIT_RTTIME, "RLIMIT_RTTIME", "rttime", "Max realtime timeout", "realtime timeout (us)", "microseconds"},
};

std::optional<std::optional<uint64_t>> parse_limit(std::string_view tok) {
  if (tok == "unlimited") return std::optional<uint64_t>{};
  auto n = parse_u64(tok);
  if (!n) return std::nullopt;
  return std::optional<uint64_t>{*n};
}

}  // namespace

std::span<const LimitInfo> limit_table() { return kLimits; }

Result<std::vector<LimitValue>> parse_proc_limits(std::string_view text) {
  if (text.substr(0, 5) != "Limit") return plain_error("not a limits file (no header line)");
  std::vector<LimitValue> out;
  for (const auto& li : kLimits) out.push_back(LimitValue{&li, false, std::nullopt, std::nullopt});
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    for (auto& v : out) {
      std::string_view name = v.info->proc_name;
      // The name must end at a column gap, so "Max realtime priority" is not
      // taken for "Max realtime timeout" or vice versa.
      if (line.substr(0, name.size()) != name || line.size() <= name.size() || line[name.size()] != ' ') continue;
      auto tok = split_ws(line.substr(name.size()));
      if (tok.size() < 2) return plain_error("malformed limits row \"" + std::string(name) + "\"");
      auto soft = parse_limit(tok[0]), hard = parse_limit(tok[1]);
      if (!soft || !hard) return plain_error("malformed limits row \"" + std::string(name) + "\"");
      v.present = true;
      v.soft = *soft;
      v.hard = *hard;
      break;
    }
  }
  return out;
}

Result<std::vector<LimitValue>> read_limits(const ProcSource& src) {
  auto text = src.read("limits");
  if (!text) return text.take_error();
  auto r = parse_proc_limits(*text);
  if (!r) return r.take_error().context(src.path("limits"));
  return r;
}

}  // namespace fdscope
