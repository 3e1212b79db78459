// Open-fd count (see proc_fds.hpp): a single directory scan of /proc/PID/fd.
// The scan runs on a fresh fd so the ProcSource directory fd is untouched;
// when procan reads itself, its own reading fds are left out of the count.
#include "fdscope/proc_fds.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <cstdlib>

#include "fdscope/io.hpp"

namespace fdscope {

Result<size_t> count_open_fds(const ProcSource& src) {
  int fd = retry_eintr([&] { return ::openat(src.dir_fd(), "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC); });
  if (fd < 0) return sys_error("open " + src.path("fd"));
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int e = errno;
    ::close(fd);
    return sys_error("fdopendir " + src.path("fd"), e);
  }
  size_t n = 0;
  bool self = src.self();
  errno = 0;
  while (dirent* e = ::readdir(d))
    if (e->d_name[0] != '.') {
      // Reading ourselves: the fds opened only to read /proc are not counted.
      if (self) {
        int num = std::atoi(e->d_name);
        if (num == fd || num == src.dir_fd() || num == src.pidfd()) continue;
      }
      ++n;
    }
  int e = errno;
  ::closedir(d);
  if (e != 0) return sys_error("readdir " + src.path("fd"), e);
  return n;
}

}  // namespace fdscope
