// no_new_privs, seccomp and LSM label (see proc_security.hpp).  The LSM
// module is identified by the per-module attr directory
// (/proc/PID/attr/apparmor/current, .../smack/current, kernel 5.8+) and by
// /sys/fs/selinux; EINVAL from attr/current means no module labels
// processes, which is what this machine reports.
#include "fdscope/proc_security.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "fdscope/io.hpp"
#include "fdscope/proc_text.hpp"

namespace fdscope {

std::string seccomp_mode_name(unsigned mode) {
  switch (mode) {
    case 0: return "disabled";
    case 1: return "strict";
    case 2: return "filter";
  }
  return fmt::format("mode {}", mode);
}

Result<bool> no_new_privs_from_status(const ProcStatus& st) {
  const std::string* v = st.find("NoNewPrivs");
  if (!v) return plain_error("status has no NoNewPrivs field (kernel older than 4.10)");
  if (*v == "0") return false;
  if (*v == "1") return true;
  return plain_error("malformed NoNewPrivs field");
}

Result<SeccompInfo> seccomp_from_status(const ProcStatus& st) {
  const std::string* v = st.find("Seccomp");
  if (!v) return plain_error("status has no Seccomp field (kernel without CONFIG_SECCOMP)");
  auto m = parse_u64(*v);
  if (!m) return plain_error("malformed Seccomp field");
  SeccompInfo info;
  info.mode = static_cast<unsigned>(*m);
  if (const std::string* f = st.find("Seccomp_filters")) {
    auto n = parse_u64(*f);
    if (!n) return plain_error("malformed Seccomp_filters field");
    info.filters = static_cast<unsigned>(*n);
  }
  return info;
}

Result<LsmInfo> read_lsm(const ProcSource& src, const std::string& sys_root) {
  LsmInfo info;
  if (auto list = read_file(sys_root + "/kernel/security/lsm")) {
    std::string_view s = trim(*list);
    while (!s.empty()) {
      size_t c = s.find(',');
      info.active.emplace_back(s.substr(0, c));
      if (c == std::string_view::npos) break;
      s.remove_prefix(c + 1);
    }
  }
  auto cur = src.read("attr/current");
  if (!cur) {
    if (cur.error().err == EINVAL) {
      info.module = "none";
      return info;
    }
    return cur.take_error();
  }
  info.label = std::string(trim(*cur));
  if (src.read("attr/apparmor/current")) info.module = "apparmor";
  else if (src.read("attr/smack/current")) info.module = "smack";
  else if (::access((sys_root + "/fs/selinux").c_str(), F_OK) == 0) info.module = "selinux";
  else info.module = "unknown";
  return info;
}

}  // namespace fdscope
