// The transfer loop (see engine.hpp).  It follows socat's xioengine: poll the
// reading fd of each direction (or, while a direction holds unwritten data,
// its writing fd for POLLOUT); when a direction reaches EOF, pass the EOF on
// (shutdown(SHUT_WR) on a socket, close on a pipe, per the shut-* option)
// and from then on give the other direction -t seconds of inactivity before
// ending; end after -T seconds without traffic; with -u/-U end when the one
// direction is done.  The data path of each direction is a Flow (flow.cpp).
// Signals are taken only inside ppoll(): SIGUSR1 logs statistics, SIGCHLD
// notes the death of an EXEC child (which starts the closing phase, as in
// socat); SIGPIPE is ignored for the duration so broken pipes are errors.
#include "engine/engine.hpp"

#include "core/syscall_log.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "engine/fd_mode.hpp"
#include "engine/flow.hpp"
#include "engine/probes.hpp"
#include "fdscope/io.hpp"

namespace relay {

namespace {

volatile sig_atomic_t g_usr1 = 0;
volatile sig_atomic_t g_chld = 0;

void on_usr1(int) { g_usr1 = 1; }
void on_chld(int) { g_chld = 1; }

// SIGUSR1 is caught from program start, as in socat 1.8, so that one sent
// while the addresses are still being opened does not kill the process:
// the request is kept and the statistics are logged when the transfer loop
// starts.  A SIGUSR1 ignored by the parent stays ignored.
[[maybe_unused]] const bool kUsr1CaughtFromStart = [] {
  struct sigaction sa {}, old {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  if (sigaction(SIGUSR1, &sa, &old) == 0 && old.sa_handler == SIG_IGN) sigaction(SIGUSR1, &old, nullptr);
  return true;
}();

// Installs the engine's handlers and blocks SIGUSR1/SIGCHLD outside ppoll();
// restores everything on destruction.
class SignalScope {
 public:
  SignalScope() {
    struct sigaction sa {};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, &old_usr1_);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, &old_chld_);
    sa.sa_flags = 0;
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe_);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old_mask_);
    poll_mask_ = old_mask_;
    sigdelset(&poll_mask_, SIGUSR1);
    sigdelset(&poll_mask_, SIGCHLD);
    g_chld = 0;  // g_usr1 is kept: a request from before the transfer is honoured at its start
  }
  ~SignalScope() {
    sigaction(SIGUSR1, &old_usr1_, nullptr);
    sigaction(SIGCHLD, &old_chld_, nullptr);
    sigaction(SIGPIPE, &old_pipe_, nullptr);
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  const sigset_t* poll_mask() const { return &poll_mask_; }

 private:
  struct sigaction old_usr1_ {}, old_chld_ {}, old_pipe_ {};
  sigset_t old_mask_{}, poll_mask_{};
};

double now_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// What became of an endpoint's child process.
struct ChildState {
  pid_t pid = -1;
  bool reaped = false;
  int status = 0;
  bool terminated_by_us = false;
};

bool try_reap(ChildState& c) {
  if (c.pid <= 0 || c.reaped) return c.reaped;
  int st = 0;
  pid_t r = fdscope::retry_eintr([&] { return sys::waitpid(c.pid, &st, WNOHANG); });
  if (r == c.pid || (r < 0 && errno == ECHILD)) {
    c.reaped = true;
    c.status = r == c.pid ? st : 0;
  }
  return c.reaped;
}

// Waits up to `seconds` for the child to exit (pidfd when available).
void wait_child(ChildState& c, double seconds) {
  if (try_reap(c)) return;
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, c.pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    (void)fdscope::retry_eintr([&] { return sys::poll(&p, 1, static_cast<int>(seconds * 1000)); });
    sys::close(pidfd);
    try_reap(c);
    return;
  }
  for (double end = now_seconds() + seconds; now_seconds() < end;) {
    if (try_reap(c)) return;
    usleep(5000);
  }
}

class Engine {
 public:
  Engine(Endpoint& left, Endpoint& right, const TransferOptions& opts)
      : left_(left),
        right_(right),
        opts_(opts),
        log_(opts.log ? *opts.log : fdscope::process_logger()),
        flows_{Flow(0, left, right, opts, log_), Flow(1, right, left, opts, log_)} {}

  fdscope::Result<int> run(TransferStats* stats_out);

 private:
  fdscope::Status setup();
  fdscope::Result<int> loop();
  fdscope::Status finish_children(bool ended_normally);
  void shut_write(Flow& f);
  void close_fd(Endpoint& ep, int fd);
  void note_children();
  TransferStats stats() const;
  bool all_done() const { return done_[0] && done_[1]; }

  Endpoint& left_;
  Endpoint& right_;
  const TransferOptions& opts_;
  fdscope::Logger& log_;
  Flow flows_[2];
  NonBlockingScope nonblocking_;
  struct Known {
    int fd;
    FdKind kind;
    bool nonblocking;
  };
  Known known_[4] = {};  // the transfer fds as setup() found them
  int known_count_ = 0;
  const Known* known(int fd) const {
    for (int i = 0; i < known_count_; ++i)
      if (known_[i].fd == fd) return &known_[i];
    return nullptr;
  }
  bool done_[2] = {false, false};
  bool eof_logged_[2] = {false, false};
  double pause_until_[2] = {0, 0};
  bool closing_ = false;
  double closing_mark_ = 0;
  double last_activity_ = 0;
  ChildState children_[2];
  const sigset_t* signals_mask_ = nullptr;  // unblocks SIGUSR1/SIGCHLD inside ppoll()
};

TransferStats Engine::stats() const {
  TransferStats s;
  for (int i = 0; i < 2; ++i) {
    s.bytes[i] = flows_[i].bytes_written();
    s.transfers[i] = flows_[i].blocks();
  }
  return s;
}

// Each transfer fd is looked at once: its kind (one fstat) and whether it is
// non-blocking.  An fd the endpoint owns is closed with it and no other
// process shares its open file (relay opens them close-on-exec; a fork
// server's parent closes its copy of the accepted socket), so its flags are
// not put back at the end; inherited fds (stdio, FD:n) are restored.
fdscope::Status Engine::setup() {
  if (opts_.direction == Direction::RightToLeft || left_.rfd < 0 || right_.wfd < 0) flows_[0].disable();
  if (opts_.direction == Direction::LeftToRight || right_.rfd < 0 || left_.wfd < 0) flows_[1].disable();
  auto owned_by = [](const Endpoint& ep, int fd) {
    for (const auto& o : ep.owned)
      if (o.get() == fd) return true;
    return false;
  };
  for (Endpoint* ep : {&left_, &right_}) {
    for (int fd : {ep->rfd, ep->wfd}) {
      if (fd < 0 || known(fd)) continue;
      Known k{fd, fd_kind(fd), false};
      k.nonblocking = nonblocking_.add(fd, k.kind, !owned_by(*ep, fd));
      if (!k.nonblocking && k.kind != FdKind::Regular) k.nonblocking = (sys::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
      known_[known_count_++] = k;
    }
  }
  for (Flow& f : flows_) {
    done_[f.index()] = !f.enabled();
    if (!f.enabled()) continue;
    const Known* in = known(f.in_fd());
    bool in_nb = in->kind == FdKind::Regular || in->nonblocking;
    if (auto st = f.start(in_nb, in->kind, known(f.out_fd())->kind); !st) return st;
  }
  children_[0].pid = left_.child;
  children_[1].pid = right_.child;
  return {};
}

void Engine::close_fd(Endpoint& ep, int fd) {
  RELAY_PROBE_CLOSE(fd, flows_[&ep == &left_ ? 0 : 1].bytes_read(), flows_[&ep == &left_ ? 1 : 0].bytes_written());
  nonblocking_.forget(fd);
  for (auto& owned : ep.owned) {
    if (owned.get() == fd) {
      sys::close(owned.release());
      log_.info("close({})", fd);
      return;
    }
  }
  // Not ours to close (stdio): release the file behind it but keep the
  // number taken, so that nothing opened later lands on fd 1 by accident.
  int null = sys::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    sys::dup2(null, fd);
    sys::close(null);
  } else {
    sys::close(fd);
  }
  log_.info("close({})", fd);
}

void Engine::shut_write(Flow& f) {
  Endpoint& out = f.out();
  int fd = out.wfd;
  if (fd < 0 || out.shut == ShutMode::None) return;
  const Known* k = known(fd);  // still the file found at setup: closed fds are -1
  bool socket = (k ? k->kind : fd_kind(fd)) == FdKind::Socket;
  if (out.shut == ShutMode::Down || (out.shut == ShutMode::Default && socket)) {
    if (!socket) return;  // nothing to half-close on a non-socket
    if (sys::shutdown(fd, SHUT_WR) != 0 && errno != ENOTCONN)
      log_.info("shutdown({}, SHUT_WR): {}", fd, strerror(errno));
    else
      log_.info("shutdown({}, SHUT_WR)", fd);
    RELAY_PROBE_SHUTDOWN(f.index(), fd, f.bytes_written());
    return;
  }
  // Close: explicitly asked for, or the default for a write-only fd (a pipe).
  if (out.shut == ShutMode::Default && fd == out.rfd) return;
  close_fd(out, fd);
  out.wfd = -1;
  if (out.rfd == fd) {
    out.rfd = -1;
    Flow& other = flows_[1 - f.index()];
    other.stop_reading();
  }
}

void Engine::note_children() {
  if (!g_chld) return;
  g_chld = 0;
  Endpoint* eps[2] = {&left_, &right_};
  for (int i = 0; i < 2; ++i) {
    ChildState& c = children_[i];
    if (c.pid <= 0 || c.reaped) continue;
    if (try_reap(c)) {
      log_.info("child {} of \"{}\" has ended", c.pid, eps[i]->text);
      // As socat: the death of an EXEC child starts the closing phase,
      // unless the address asked to ignore EOF.
      if (!eps[i]->ignoreeof && !closing_) {
        closing_ = true;
        closing_mark_ = now_seconds();
      }
    }
  }
}

fdscope::Status Engine::finish_children(bool ended_normally) {
  Endpoint* eps[2] = {&left_, &right_};
  fdscope::Status result;
  for (int i = 0; i < 2; ++i) {
    ChildState& c = children_[i];
    if (c.pid <= 0) continue;
    // A child whose output has ended is usually just exiting: give it a
    // moment before terminating it, as socat does at close.
    if (!try_reap(c)) wait_child(c, ended_normally ? 0.1 : 0.0);
    if (!c.reaped) {
      ::kill(c.pid, SIGTERM);
      c.terminated_by_us = true;
      wait_child(c, 1.0);
    }
    eps[i]->child = -1;
    if (!c.reaped) {
      log_.warn("child {} did not exit after SIGTERM", c.pid);
      continue;
    }
    if (WIFEXITED(c.status) && WEXITSTATUS(c.status) != 0) {
      if (result.ok())
        result = fdscope::plain_error(fmt::format("waitpid(): child {} exited with status {}", c.pid,
                                                  WEXITSTATUS(c.status)));
    } else if (WIFSIGNALED(c.status)) {
      if (c.terminated_by_us && WTERMSIG(c.status) == SIGTERM)
        log_.info("waitpid(): child {} exited on signal {}", c.pid, WTERMSIG(c.status));
      else
        log_.warn("waitpid(): child {} exited on signal {}", c.pid, WTERMSIG(c.status));
    }
  }
  return result;
}

fdscope::Result<int> Engine::loop() {
  last_activity_ = now_seconds();
  const bool one_way = opts_.direction != Direction::Both;
  for (;;) {
    double now = now_seconds();
    // Pass on EOFs and finished directions.
    for (Flow& f : flows_) {
      int i = f.index();
      if (done_[i]) continue;
      if (f.at_eof() && !eof_logged_[i]) {
        eof_logged_[i] = true;
        log_.notice("socket {} (fd {}) is at EOF", i + 1, f.in_fd());
        if (!closing_) closing_mark_ = now;
        closing_ = true;
      }
      if ((f.at_eof() && !f.has_pending()) || f.output_gone()) {
        shut_write(f);
        done_[i] = true;
        if (!closing_) closing_mark_ = now;
        closing_ = true;
        if (one_way) return 0;
      }
      if (f.eof_paused() && pause_until_[i] == 0) pause_until_[i] = now + f.pause_interval(opts_.ignoreeof_interval);
    }
    if (all_done()) return 0;
    note_children();
    if (g_usr1) {
      g_usr1 = 0;
      log_statistics(log_, stats(), opts_.direction);
    }

    pollfd pfds[2];
    int owner[2];
    nfds_t n = 0;
    for (Flow& f : flows_) {
      if (done_[f.index()]) continue;
      if (f.wants_write()) {
        pfds[n] = {f.out_fd(), POLLOUT, 0};
      } else if (f.wants_read()) {
        pfds[n] = {f.in_fd(), POLLIN, 0};
      } else {
        continue;
      }
      owner[n++] = f.index();
    }

    double timeout = -1;
    auto limit = [&](double t) { timeout = timeout < 0 ? std::max(t, 0.0) : std::min(timeout, std::max(t, 0.0)); };
    if (opts_.idle_timeout > 0) limit(last_activity_ + opts_.idle_timeout - now);
    if (closing_) limit(closing_mark_ + opts_.eof_wait - now);
    for (int i = 0; i < 2; ++i)
      if (pause_until_[i] > 0) limit(pause_until_[i] - now);
    if (n == 0 && timeout < 0) return 0;  // nothing left that could happen

    timespec ts{};
    if (timeout >= 0) {
      ts.tv_sec = static_cast<time_t>(timeout);
      ts.tv_nsec = static_cast<long>((timeout - std::floor(timeout)) * 1e9);
    }
    int r = ::ppoll(pfds, n, timeout >= 0 ? &ts : nullptr, signals_mask_);
    if (r < 0) {
      if (errno != EINTR) return fdscope::sys_error("ppoll()");
      if (g_usr1) {
        g_usr1 = 0;
        log_statistics(log_, stats(), opts_.direction);
      }
      continue;
    }
    now = now_seconds();
    if (r == 0) {
      if (opts_.idle_timeout > 0 && now - last_activity_ >= opts_.idle_timeout) {
        log_.notice("inactivity timeout triggered");
        return 0;
      }
      if (closing_ && now - closing_mark_ >= opts_.eof_wait) return 0;
      for (Flow& f : flows_) {
        if (pause_until_[f.index()] > 0 && now >= pause_until_[f.index()]) {
          pause_until_[f.index()] = 0;
          f.resume_after_eof();
        }
      }
      continue;
    }
    for (nfds_t k = 0; k < n; ++k) {
      if (!pfds[k].revents) continue;
      Flow& f = flows_[owner[k]];
      if (pfds[k].revents & POLLNVAL) return fdscope::plain_error(fmt::format("poll(...[{}]: invalid request", pfds[k].fd));
      bool moved = false;
      if (pfds[k].events & POLLOUT) {
        auto w = f.on_writable();
        if (!w) return w.take_error();
        moved = *w;
        // Drained: read on right away instead of waiting for another poll.
        if (f.wants_read()) {
          auto rd = f.on_readable(closing_);
          if (!rd) return rd.take_error();
          moved = moved || *rd;
        }
      } else {
        auto rd = f.on_readable(closing_);
        if (!rd) return rd.take_error();
        moved = *rd;
      }
      if (moved) {
        last_activity_ = now;
        if (closing_) closing_mark_ = now;
      }
    }
  }
}

fdscope::Result<int> Engine::run(TransferStats* stats_out) {
  log_.notice("starting data transfer loop with FDs [{},{}] and [{},{}]", left_.rfd, left_.wfd, right_.rfd,
              right_.wfd);
  SignalScope signals;
  signals_mask_ = signals.poll_mask();
  fdscope::Result<int> result = 0;
  if (auto st = setup(); !st)
    result = st.take_error();
  else
    result = loop();
  fdscope::Status children = finish_children(result.ok());
  if (result.ok() && !children.ok()) result = children.take_error();
  if (stats_out) *stats_out = stats();
  if (opts_.statistics) log_statistics(log_, stats(), opts_.direction);
  return result;
}

}  // namespace

void forget_statistics_request() { g_usr1 = 0; }

fdscope::Result<int> run_transfer(Endpoint& left, Endpoint& right, const TransferOptions& opts,
                                  TransferStats* stats) {
  Engine engine(left, right, opts);
  return engine.run(stats);
}

}  // namespace relay
