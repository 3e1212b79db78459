// fd classification and temporary O_NONBLOCK (see fd_mode.hpp).  Sockets and
// pipes are what poll() can wait on precisely; making them non-blocking lets
// one relay process serve both directions without ever stalling in a write
// while the other direction has data.  Terminals and regular files keep
// their mode (a file never blocks; a terminal is shared with the shell).
#include "engine/fd_mode.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace relay {

FdKind fd_kind(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return FdKind::Other;
  if (S_ISSOCK(st.st_mode)) return FdKind::Socket;
  if (S_ISFIFO(st.st_mode)) return FdKind::Pipe;
  if (S_ISREG(st.st_mode)) return FdKind::Regular;
  if (S_ISCHR(st.st_mode) && isatty(fd)) return FdKind::Tty;
  return FdKind::Other;
}

bool NonBlockingScope::add(int fd, FdKind kind, bool restore) {
  if (fd < 0) return false;
  for (const Saved& s : saved_)
    if (s.fd == fd) return true;
  if (kind != FdKind::Socket && kind != FdKind::Pipe) return false;
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return false;
  if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return false;
  saved_.push_back({fd, flags, restore});
  return true;
}

void NonBlockingScope::forget(int fd) {
  for (Saved& s : saved_)
    if (s.fd == fd) s.fd = -1;
}

NonBlockingScope::~NonBlockingScope() {
  for (const Saved& s : saved_)
    if (s.fd >= 0 && s.restore && !(s.flags & O_NONBLOCK)) fcntl(s.fd, F_SETFL, s.flags);
}

}  // namespace relay
