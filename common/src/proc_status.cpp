// Splitting /proc/PID/status into fields (see proc_status.hpp).  Lines without
// a colon are ignored; values keep their inner spacing ("0\t0\t0\t0") so the
// interpreting readers can tokenise them.
#include "fdscope/proc_status.hpp"

#include "fdscope/proc_text.hpp"

namespace fdscope {

ProcStatus ProcStatus::parse(std::string_view text) {
  ProcStatus st;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    st.fields_.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
  }
  return st;
}

const std::string* ProcStatus::find(std::string_view key) const {
  for (const auto& [k, v] : fields_)
    if (k == key) return &v;
  return nullptr;
}

}  // namespace fdscope
