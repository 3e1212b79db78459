// Shared open steps for relay/addr/ (see open_steps.hpp).
#include "addr/open_steps.hpp"

#include <sys/stat.h>

namespace relay::addr {

fdscope::Status apply_fd_phases(OpenContext& ctx, int fd, Endpoint& ep) {
  for (Phase p : {Phase::FD, Phase::PASTSOCKET, Phase::CONNECTED, Phase::LATE, Phase::LATE2})
    if (auto s = ctx.apply_phase(p, fd, &ep); !s) return s;
  return ctx.finish(ep);
}

std::string access_text(Dir d) {
  switch (d) {
    case Dir::Read: return "for reading";
    case Dir::Write: return "for writing";
    case Dir::ReadWrite: return "for reading and writing";
  }
  return "";
}

std::string file_kind_text(const std::string& path, int fd) {
  struct stat st{};
  int rc = fd >= 0 ? ::fstat(fd, &st) : ::stat(path.c_str(), &st);
  if (rc != 0) return "file";
  switch (st.st_mode & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFCHR: return "character device";
    case S_IFBLK: return "block device";
    case S_IFDIR: return "directory";
    case S_IFIFO: return "FIFO";
    case S_IFSOCK: return "socket";
    case S_IFLNK: return "symbolic link";
  }
  return "file";
}

}  // namespace relay::addr
