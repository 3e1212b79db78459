// /proc/PID/status as an ordered list of "Key:\tvalue" fields.  Credentials,
// capabilities, umask, no_new_privs and seccomp all come from this one file,
// read once per snapshot; this type only splits it, the proc_creds /
// proc_caps / proc_security readers interpret the fields.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fdscope {

class ProcStatus {
 public:
  static ProcStatus parse(std::string_view text);

  // Trimmed value of the first field named key, or nullptr when absent.
  const std::string* find(std::string_view key) const;

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace fdscope
