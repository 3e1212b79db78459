// Where a process runs and what it runs: cwd, root, exe (flagging a deleted
// or memfd executable, a classic sign of fileless malware), the command line
// and the size of the environment (count and bytes; the contents are never
// shown, they often hold secrets).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct ExeInfo {
  std::string path;      // link target without the " (deleted)" suffix
  bool deleted = false;  // the file was unlinked after exec
  bool memfd = false;    // executed from a memfd (memfd_create + fexecve)
};

// Classifies an exe link text.  nlink is the st_nlink of the executable when
// known (-1 otherwise): with it, a file really named "x (deleted)" is not
// mistaken for a deleted one.
ExeInfo classify_exe_link(std::string_view link, long nlink = -1);

struct EnvSize {
  size_t count = 0;  // NUL-terminated entries
  size_t bytes = 0;  // total size including the NULs
};
EnvSize environ_size(std::string_view raw);

// argv from /proc/PID/cmdline (NUL-separated; a trailing NUL ends the last).
std::vector<std::string> split_cmdline(std::string_view raw);

Result<ExeInfo> read_exe(const ProcSource& src);

}  // namespace fdscope
