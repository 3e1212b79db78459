// Resource limits: one table row per RLIMIT_* (all sixteen Linux has), with
// the kernel's /proc/PID/limits name, a stable JSON key, the label procan
// prints and the real unit.  socat's procan prints ten of them and labels byte
// limits as "blocks" and "kbytes"; here every renderer walks this table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct LimitInfo {
  int resource;           // RLIMIT_*
  const char* symbol;     // "RLIMIT_CPU"
  const char* key;        // JSON key: "cpu"
  const char* proc_name;  // /proc/PID/limits row: "Max cpu time"
  const char* label;      // procan text label (socat's, with the unit fixed)
  const char* unit;       // "seconds", "bytes", "processes", ...
};

// The sixteen limits: socat's ten in socat's order, then the six it lacks.
std::span<const LimitInfo> limit_table();

struct LimitValue {
  const LimitInfo* info = nullptr;
  bool present = false;           // row found in /proc/PID/limits
  std::optional<uint64_t> soft;   // nullopt = unlimited (RLIM_INFINITY)
  std::optional<uint64_t> hard;
};

// One entry per limit_table() row, in table order.  Rows the kernel did not
// print stay present=false.  Fails only when the text is not a limits file.
Result<std::vector<LimitValue>> parse_proc_limits(std::string_view text);

// /proc/PID/limits of the process (readable for any process, unlike
// prlimit(2), which needs CAP_SYS_RESOURCE for other users' processes).
Result<std::vector<LimitValue>> read_limits(const ProcSource& src);

}  // namespace fdscope
