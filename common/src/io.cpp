// EINTR and short-I/O loops (see io.hpp).  Kept tiny and obvious: every byte
// the relay moves and every /proc file the analysers read goes through here.
#include "fdscope/io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace fdscope {

Status write_all(int fd, const void* data, size_t len, size_t* written) {
  const char* p = static_cast<const char*>(data);
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::write(fd, p + done, len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (written) *written = done;
      return sys_error("write(fd " + std::to_string(fd) + ")");
    }
    done += static_cast<size_t>(n);
  }
  if (written) *written = done;
  return {};
}

Status write_all_waiting(int fd, const void* data, size_t len) {
  const char* p = static_cast<const char*>(data);
  for (;;) {
    size_t written = 0;
    Status st = write_all(fd, p, len, &written);
    if (st.ok() || (st.error().err != EAGAIN && st.error().err != EWOULDBLOCK)) return st;
    p += written;
    len -= written;
    pollfd pfd{fd, POLLOUT, 0};
    if (retry_eintr([&] { return ::poll(&pfd, 1, -1); }) < 0) return sys_error("poll(fd " + std::to_string(fd) + ")");
  }
}

Result<size_t> read_some(int fd, void* buf, size_t len) {
  ssize_t n = retry_eintr([&] { return ::read(fd, buf, len); });
  if (n < 0) return sys_error("read(fd " + std::to_string(fd) + ")");
  return static_cast<size_t>(n);
}

Result<size_t> read_full(int fd, void* buf, size_t len) {
  char* p = static_cast<char*>(buf);
  size_t done = 0;
  while (done < len) {
    auto r = read_some(fd, p + done, len - done);
    if (!r) return r.take_error();
    if (*r == 0) break;
    done += *r;
  }
  return done;
}

Result<UniqueFd> open_fd(const std::string& path, int flags, int dirfd, unsigned mode) {
  int fd = retry_eintr([&] { return ::openat(dirfd, path.c_str(), flags | O_CLOEXEC, mode); });
  if (fd < 0) return sys_error("open \"" + path + "\"");
  return UniqueFd(fd);
}

Result<std::string> read_file(const std::string& path, int dirfd) {
  auto fd = open_fd(path, O_RDONLY | O_NONBLOCK, dirfd);
  if (!fd) return fd.take_error();
  std::string out;
  char buf[8192];
  for (;;) {
    auto r = read_some(fd->get(), buf, sizeof buf);
    if (!r) return r.take_error().context("\"" + path + "\"");
    if (*r == 0) break;
    out.append(buf, *r);
  }
  return out;
}

}  // namespace fdscope
