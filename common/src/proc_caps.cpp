// Capability names and the status-field decoder (see proc_caps.hpp).  The
// table follows <linux/capability.h> up to CAP_CHECKPOINT_RESTORE (40).
#include "fdscope/proc_caps.hpp"

#include <fmt/format.h>

#include "fdscope/proc_text.hpp"

namespace fdscope {

namespace {

constexpr const char* kCapNames[] = {
    "cap_chown",          "cap_dac_override", "cap_dac_read_search", "cap_fowner",
    "cap_fsetid",         "cap_kill",         "cap_setgid",          "cap_setuid",
    "cap_setpcap",        "cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
    "cap_net_admin",      "cap_net_raw",      "cap_ipc_lock",        "cap_ipc_owner",
    "cap_sys_module",     "cap_sys_rawio",    "cap_sys_chroot",      "cap_sys_ptrace",
    "cap_sys_pacct",      "cap_sys_admin",    "cap_sys_boot",        "cap_sys_nice",
    "cap_sys_resource",   "cap_sys_time",     "cap_sys_tty_config",  "cap_mknod",
    "cap_lease",          "cap_audit_write",  "cap_audit_control",   "cap_setfcap",
    "cap_mac_override",   "cap_mac_admin",    "cap_syslog",          "cap_wake_alarm",
    "cap_block_suspend",  "cap_audit_read",   "cap_perfmon",         "cap_bpf",
    "cap_checkpoint_restore",
};

struct SetRow {
  const char* key;
  const char* status_key;
};
constexpr SetRow kSets[] = {
    {"inheritable", "CapInh"}, {"permitted", "CapPrm"}, {"effective", "CapEff"},
    {"bounding", "CapBnd"},    {"ambient", "CapAmb"},
};

}  // namespace

std::span<const char* const> capability_names() { return kCapNames; }

std::vector<std::string> decode_caps(uint64_t mask) {
  std::vector<std::string> out;
  for (unsigned bit = 0; bit < 64; ++bit) {
    if (!(mask & (uint64_t{1} << bit))) continue;
    if (bit < std::size(kCapNames)) out.emplace_back(kCapNames[bit]);
    else out.push_back(fmt::format("cap_{}", bit));
  }
  return out;
}

Result<CapSets> caps_from_status(const ProcStatus& st) {
  CapSets sets;
  for (const auto& row : kSets) {
    const std::string* v = st.find(row.status_key);
    if (!v) return plain_error(std::string("status has no ") + row.status_key + " field");
    auto n = parse_u64(*v, 16);
    if (!n) return plain_error(std::string("malformed ") + row.status_key + " field");
    sets.push_back(CapSet{row.key, row.status_key, *n});
  }
  return sets;
}

}  // namespace fdscope
