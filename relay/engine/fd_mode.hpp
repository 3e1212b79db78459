// What kind of file an fd is (the engine picks its I/O path from it) and a
// scope that puts sockets and pipes into non-blocking mode for the transfer
// and restores their original flags afterwards, so that a shared stdin or
// stdout is handed back as it was found.
#pragma once

#include <vector>

namespace relay {

enum class FdKind { Socket, Pipe, Regular, Tty, Other };

FdKind fd_kind(int fd);

class NonBlockingScope {
 public:
  NonBlockingScope() = default;
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;
  ~NonBlockingScope();

  // Sets O_NONBLOCK on fd if it is a socket or pipe; returns whether the fd
  // is non-blocking now.  Adding the same fd twice is harmless.
  bool add(int fd) { return add(fd, fd_kind(fd), true); }
  // The same, with the fd's kind already known.  restore = false for an fd
  // that is closed with its endpoint and whose open file no other process
  // holds: its flags die with it, so putting them back is a wasted call.
  bool add(int fd, FdKind kind, bool restore);
  // The fd was closed: do not touch it when restoring.
  void forget(int fd);

 private:
  struct Saved {
    int fd;
    int flags;
    bool restore;
  };
  std::vector<Saved> saved_;
};

}  // namespace relay
