// Helper for tests that need a network (and mount) namespace of their own:
// run_in_netns() forks a child, unshares a new network namespace (and, if
// asked, a private mount namespace), brings its loopback up and runs a
// function there.  The function returns a small code that the parent test
// checks; assertions cannot cross the fork, so the child writes details to
// stderr.  Needs root (CAP_SYS_ADMIN); kNoNamespace tells the test to skip.
#pragma once

#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

namespace relay_test {

inline constexpr int kNoNamespace = 200;  // unshare() refused: not root, or no namespaces
inline constexpr int kChildTimeout = -2;  // the child did not finish in time (killed)

// Reads and changes interface flags with SIOCGIFFLAGS/SIOCSIFFLAGS; -1 on error.
inline int if_flags(const char* ifname) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  int r = ::ioctl(fd, SIOCGIFFLAGS, &ifr);
  ::close(fd);
  return r < 0 ? -1 : static_cast<unsigned short>(ifr.ifr_flags);
}

inline bool set_if_up(const char* ifname) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  ::close(fd);
  return ok;
}

// Runs fn in a child inside a new network namespace (plus a private mount
// namespace when mount_ns) with lo up.  Returns fn's result (0..199),
// kNoNamespace, or kChildTimeout.
inline int run_in_netns(const std::function<int()>& fn, bool mount_ns = false, double timeout = 20) {
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (::unshare(CLONE_NEWNET | (mount_ns ? CLONE_NEWNS : 0)) < 0) ::_exit(kNoNamespace);
    if (mount_ns && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) ::_exit(kNoNamespace);
    if (!set_if_up("lo")) ::_exit(kNoNamespace);
    ::_exit(fn());
  }
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return kChildTimeout;
}

}  // namespace relay_test
