// Helpers for the integration tests that run the relay binary: start it with
// its log on a pipe, wait for a log line (and read the port it listens on
// from "listening on AF=2 127.0.0.1:PORT"), echo servers to relay to,
// concurrent write/read of a buffer through a connection, zombie counting.
// Everything is bounded by timeouts so a broken relay fails a test instead
// of hanging it.
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace relay_test {

inline std::string relay_path() { return std::string(FDSCOPE_BIN_DIR) + "/relay"; }
inline bool have_relay() { return ::access(relay_path().c_str(), X_OK) == 0; }

inline double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct RelayProc {
  pid_t pid = -1;
  int err = -1;  // read end of the relay's stderr
  std::string log;

  RelayProc() = default;
  RelayProc(const RelayProc&) = delete;
  RelayProc(RelayProc&& o) noexcept : pid(o.pid), err(o.err), log(std::move(o.log)) { o.pid = -1, o.err = -1; }
  ~RelayProc() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (err >= 0) ::close(err);
  }

  // Reads stderr until `needle` shows up (returns true) or timeout.
  bool wait_log(const std::string& needle, double timeout = 5) {
    double end = now_s() + timeout;
    size_t from = 0;
    while (log.find(needle, from) == std::string::npos) {
      double left = end - now_s();
      if (left <= 0) return false;
      pollfd p{err, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left * 1000) + 1) <= 0) return false;
      char buf[4096];
      ssize_t n = ::read(err, buf, sizeof buf);
      if (n <= 0) return log.find(needle) != std::string::npos;
      log.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  // The port of the first "listening on"/"receiving on" line.
  int port(double timeout = 5) {
    for (const char* key : {"listening on AF=", "receiving on AF="}) {
      size_t at = log.find(key);
      if (at != std::string::npos) {
        size_t eol = log.find('\n', at);
        std::string line = log.substr(at, eol - at);
        return std::atoi(line.substr(line.rfind(':') + 1).c_str());
      }
    }
    if (!wait_log(" on AF=", timeout)) return -1;
    return port(0);
  }

  // Waits for exit; returns the exit status (128+sig if killed), -1 on timeout.
  int wait_exit(double timeout = 10) {
    double end = now_s() + timeout;
    int status = 0;
    while (now_s() < end) {
      pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        pid = -1;
        drain();
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      drain();
    }
    return -1;
  }

  void drain() {
    char buf[4096];
    for (;;) {
      pollfd p{err, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0) return;
      ssize_t n = ::read(err, buf, sizeof buf);
      if (n <= 0) return;
      log.append(buf, static_cast<size_t>(n));
    }
  }
};

// Starts relay with args; stdin/stdout /dev/null unless given.
inline RelayProc start_relay(const std::vector<std::string>& args, int in_fd = -1, int out_fd = -1) {
  RelayProc r;
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) < 0) return r;
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(in_fd >= 0 ? in_fd : devnull, 0);
    ::dup2(out_fd >= 0 ? out_fd : devnull, 1);
    ::dup2(pipefd[1], 2);
    std::vector<char*> argv;
    std::string path = relay_path();
    argv.push_back(path.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  r.pid = pid;
  r.err = pipefd[0];
  return r;
}

inline std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v = rng();
    std::memcpy(&s[i], &v, 8);
  }
  for (size_t i = n - n % 8; i < n; ++i) s[i] = static_cast<char>(rng());
  return s;
}

inline void set_timeouts(int fd, double secs) {
  timeval tv{static_cast<time_t>(secs), static_cast<suseconds_t>((secs - static_cast<time_t>(secs)) * 1e6)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

inline int connect_inet(int family, const char* host, int port) {
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host, &a->sin_addr);
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET6, host, &a->sin6_addr);
    len = sizeof *a;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) {
    ::close(fd);
    return -1;
  }
  set_timeouts(fd, 20);
  return fd;
}

inline int connect_unix(const std::string& path, bool abstract = false) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  size_t off = abstract ? 1 : 0;
  std::memcpy(a.sun_path + off, path.data(), path.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + off + path.size() + (abstract ? 0 : 1));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), len) < 0) {
    ::close(fd);
    return -1;
  }
  set_timeouts(fd, 20);
  return fd;
}

// Writes data (then SHUT_WR) while reading everything back until EOF.
// delay_us > 0: the reader sleeps between small reads (a slow reader).
inline std::string roundtrip(int fd, const std::string& data, int delay_us = 0) {
  std::thread writer([&] {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd, data.data() + off, std::min<size_t>(65536, data.size() - off), MSG_NOSIGNAL);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
  });
  std::string got;
  char buf[65536];
  size_t chunk = delay_us ? 4096 : sizeof buf;
  for (;;) {
    ssize_t n = ::recv(fd, buf, chunk, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
    if (delay_us) std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
  }
  writer.join();
  return got;
}

// A stream echo server on a listening fd (TCP or UNIX): a thread per
// connection echoes until EOF, then shuts down its write side.
class EchoServer {
 public:
  explicit EchoServer(int lfd) : lfd_(lfd) {
    thread_ = std::thread([this] {
      for (;;) {
        pollfd p{lfd_, POLLIN, 0};
        int n = ::poll(&p, 1, 100);
        if (stop_) break;
        if (n <= 0) continue;
        int c = ::accept4(lfd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        ++accepted;
        set_timeouts(c, 20);
        workers_.emplace_back([c] {
          char buf[65536];
          for (;;) {
            ssize_t r = ::recv(c, buf, sizeof buf, 0);
            if (r <= 0) break;
            size_t off = 0;
            while (off < static_cast<size_t>(r)) {
              ssize_t w = ::send(c, buf + off, static_cast<size_t>(r) - off, MSG_NOSIGNAL);
              if (w <= 0) break;
              off += static_cast<size_t>(w);
            }
          }
          ::shutdown(c, SHUT_WR);
          ::close(c);
        });
      }
    });
  }
  ~EchoServer() {
    stop_ = true;
    thread_.join();
    for (auto& w : workers_) w.join();
    ::close(lfd_);
  }
  std::atomic<int> accepted{0};

 private:
  int lfd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> workers_;
};

// Listening TCP socket on loopback, port chosen by the kernel.
// The loopback address of family (127.0.0.1 or ::1), port 0, into ss;
// returns its length.
inline socklen_t loopback_addr(int family, sockaddr_storage& ss) {
  ss = {};
  if (family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *a;
  }
  auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
  a->sin6_family = AF_INET6;
  a->sin6_addr = in6addr_loopback;
  return sizeof *a;
}

inline int listen_inet(int family, int* port) {
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage ss{};
  socklen_t len = loopback_addr(family, ss);
  ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len);
  ::listen(fd, 64);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  *port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                  : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return fd;
}

inline int listen_unix(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd, 64);
  return fd;
}

// Children of `parent` from /proc/*/stat: all of them, or those in `state`.
inline int count_children(pid_t parent, char state = 0) {
  int n = 0;
  DIR* d = ::opendir("/proc");
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::ifstream f(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    std::getline(f, line);
    size_t rp = line.rfind(')');
    if (rp == std::string::npos || rp + 2 >= line.size()) continue;
    char st = 0;
    int ppid = 0;
    if (std::sscanf(line.c_str() + rp + 2, "%c %d", &st, &ppid) == 2 && ppid == parent &&
        (state == 0 || st == state))
      ++n;
  }
  ::closedir(d);
  return n;
}

// Children of pid in state Z.
inline int zombies_of(pid_t parent) { return count_children(parent, 'Z'); }

// Children of pid (any state).
inline int children_of(pid_t parent) { return count_children(parent); }

}  // namespace relay_test
