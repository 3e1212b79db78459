// /proc/PID/cgroup parser (see proc_cgroup.hpp).  The path is everything after
// the second colon (paths may themselves contain colons).
#include "fdscope/proc_cgroup.hpp"

#include "fdscope/proc_text.hpp"

namespace fdscope {

Result<std::vector<CgroupEntry>> parse_proc_cgroup(std::string_view text) {
  std::vector<CgroupEntry> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (trim(line).empty()) continue;
    size_t c1 = line.find(':');
    size_t c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) return plain_error("malformed cgroup line \"" + std::string(line) + "\"");
    auto h = parse_u64(line.substr(0, c1));
    if (!h) return plain_error("malformed cgroup line \"" + std::string(line) + "\"");
    CgroupEntry e;
    e.hierarchy = static_cast<unsigned>(*h);
    std::string_view ctl = line.substr(c1 + 1, c2 - c1 - 1);
    while (!ctl.empty()) {
      size_t comma = ctl.find(',');
      e.controllers.emplace_back(ctl.substr(0, comma));
      if (comma == std::string_view::npos) break;
      ctl.remove_prefix(comma + 1);
    }
    e.path = std::string(line.substr(c2 + 1));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<CgroupEntry>> read_cgroups(const ProcSource& src) {
  auto text = src.read("cgroup");
  if (!text) return text.take_error();
  auto r = parse_proc_cgroup(*text);
  if (!r) return r.take_error().context(src.path("cgroup"));
  return r;
}

}  // namespace fdscope
