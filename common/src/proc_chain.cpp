// Walking ppid links (see proc_chain.hpp).  Bounded (4096 steps) and cycle
// checked, so a corrupt fixture or a pid reused mid-walk cannot loop.
#include "fdscope/proc_chain.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fdscope/io.hpp"
#include "fdscope/proc_ids.hpp"

namespace fdscope {

ParentChain parent_chain(pid_t pid, const std::string& proc_root) {
  ParentChain chain;
  pid_t cur = pid;
  for (int steps = 0; cur > 0; ++steps) {
    if (steps >= 4096) {
      chain.stopped = plain_error("parent chain longer than 4096 processes");
      break;
    }
    bool seen = std::any_of(chain.entries.begin(), chain.entries.end(), [&](const ChainEntry& e) { return e.pid == cur; });
    if (seen) {
      chain.stopped = plain_error(fmt::format("parent chain loops at pid {}", cur));
      break;
    }
    std::string path = fmt::format("{}/{}/stat", proc_root, cur);
    auto text = read_file(path);
    if (!text) {
      chain.stopped = Error{"read " + path, text.error().err};
      break;
    }
    auto st = parse_proc_stat(*text);
    if (!st) {
      chain.stopped = st.take_error().context(path);
      break;
    }
    chain.entries.push_back(ChainEntry{cur, st->ppid, st->comm});
    cur = st->ppid;
  }
  return chain;
}

}  // namespace fdscope
