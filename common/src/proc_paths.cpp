// cwd/root/exe/cmdline/environ helpers (see proc_paths.hpp).  The exe link is
// checked against the executable's link count so that the kernel's
// " (deleted)" suffix is trusted only when the file is really gone.
#include "fdscope/proc_paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>

namespace fdscope {

ExeInfo classify_exe_link(std::string_view link, long nlink) {
  ExeInfo info;
  constexpr std::string_view kDeleted = " (deleted)";
  bool suffix = link.size() > kDeleted.size() && link.substr(link.size() - kDeleted.size()) == kDeleted;
  if (suffix && nlink != -1 && nlink > 0) suffix = false;  // a file really named "... (deleted)"
  if (suffix) link.remove_suffix(kDeleted.size());
  info.path = std::string(link);
  info.deleted = suffix;
  info.memfd = link.substr(0, 7) == "/memfd:";
  return info;
}

EnvSize environ_size(std::string_view raw) {
  EnvSize s;
  s.bytes = raw.size();
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\0') {
      if (i > start) ++s.count;
      start = i + 1;
    }
  }
  if (start < raw.size()) ++s.count;  // unterminated last entry
  return s;
}

std::vector<std::string> split_cmdline(std::string_view raw) {
  std::vector<std::string> argv;
  if (!raw.empty() && raw.back() == '\0') raw.remove_suffix(1);
  if (raw.empty()) return argv;
  size_t start = 0;
  for (;;) {
    size_t z = raw.find('\0', start);
    argv.emplace_back(raw.substr(start, z == std::string_view::npos ? z : z - start));
    if (z == std::string_view::npos) break;
    start = z + 1;
  }
  return argv;
}

Result<ExeInfo> read_exe(const ProcSource& src) {
  auto l = src.readlink("exe");
  if (!l) {
    if (l.error().err == ENOENT) return Error{l.error().what + " (kernel thread or zombie: no executable)", ENOENT};
    return l.take_error();
  }
  struct stat sb;
  long nlink = ::fstatat(src.dir_fd(), "exe", &sb, 0) == 0 ? static_cast<long>(sb.st_nlink) : -1;
  return classify_exe_link(*l, nlink);
}

}  // namespace fdscope
