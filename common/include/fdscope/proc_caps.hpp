// Capabilities: the five sets of /proc/PID/status (CapInh, CapPrm, CapEff,
// CapBnd, CapAmb) and their decoding to names (cap_chown ... ), one table
// row per capability number.  Bits past the table are named cap_N so a newer
// kernel's capabilities are shown, not dropped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/proc_status.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

// Index = capability number: "cap_chown", "cap_dac_override", ...
std::span<const char* const> capability_names();

// Names of the set bits in ascending bit order.
std::vector<std::string> decode_caps(uint64_t mask);

struct CapSet {
  const char* key;         // "inheritable", "permitted", ...
  const char* status_key;  // "CapInh", "CapPrm", ...
  uint64_t mask = 0;
};

// The five sets, always in the order inheritable, permitted, effective,
// bounding, ambient.
using CapSets = std::vector<CapSet>;
Result<CapSets> caps_from_status(const ProcStatus& st);

}  // namespace fdscope
