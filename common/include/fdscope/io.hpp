// System-call helpers: the one place that retries on EINTR and loops over
// short reads and writes.  Everything else in the suite calls these instead
// of open-coding the loops.
#pragma once

#include <sys/types.h>

#include <cerrno>
#include <cstddef>
#include <string>
#include <string_view>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope {

// Call f() until it does not fail with EINTR; returns its last result.
template <typename F>
auto retry_eintr(F&& f) -> decltype(f()) {
  decltype(f()) r;
  do {
    r = f();
  } while (r == -1 && errno == EINTR);
  return r;
}

// Write all of data to fd, looping over short writes and EINTR.  On a
// non-blocking fd EAGAIN is returned as an error with the count written so
// far in *written (if given).
Status write_all(int fd, const void* data, size_t len, size_t* written = nullptr);
inline Status write_all(int fd, std::string_view s) { return write_all(fd, s.data(), s.size()); }

// Write all of data to fd even when fd is non-blocking: on EAGAIN wait in
// poll() for POLLOUT and go on.  For logs and dumps whose fd may share its
// open file description with one a relay made non-blocking (stderr).
Status write_all_waiting(int fd, const void* data, size_t len);
inline Status write_all_waiting(int fd, std::string_view s) { return write_all_waiting(fd, s.data(), s.size()); }

// read(2) with EINTR retry; returns bytes read (0 at EOF).
Result<size_t> read_some(int fd, void* buf, size_t len);

// Read until EOF or len bytes; returns bytes read.
Result<size_t> read_full(int fd, void* buf, size_t len);

// Whole file at path (relative to dirfd, AT_FDCWD for cwd) into a string,
// opened O_RDONLY|O_CLOEXEC|O_NONBLOCK.  Meant for /proc and /sys files.
Result<std::string> read_file(const std::string& path, int dirfd = -100 /*AT_FDCWD*/);

// open(2)/openat(2) with EINTR retry, O_CLOEXEC always added.
Result<UniqueFd> open_fd(const std::string& path, int flags, int dirfd = -100, unsigned mode = 0);

}  // namespace fdscope
