// Fork-server process bookkeeping (see child_server.hpp).  SIGCHLD is
// blocked in the server and read from a signalfd; the accept loops poll that
// fd beside the listening socket, so exited children are reaped as soon as
// they exit, even while the server waits for the next client.  socat's log
// texts are kept: "forked off child process N", "childdied(): ...".
// The option children-shutup (socat 1.8) is registered here: the children
// log that many levels less than the parent (errors always show), so a busy server's
// log is not flooded by its children's notices.
#include "net/child_server.hpp"

#include "core/syscall_log.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

#include "core/option.hpp"
#include "engine/engine.hpp"
#include "fdscope/log.hpp"

namespace relay::net {

namespace {

int g_children_shutup = 0;  // log levels the children drop (children-shutup)

fdscope::Status check_shutup(const relay::OptionDesc&, const relay::OptValue& v) {
  if (v.i < 0 || v.i > 5) return fdscope::plain_error("must be from 0 to 5");
  return {};
}

fdscope::Status apply_shutup(const relay::OptionDesc&, const relay::OptValue& v, relay::ApplyTarget&) {
  g_children_shutup = static_cast<int>(v.i);
  return {};
}

const relay::OptionDesc kChildOptions[] = {
    {.name = "children-shutup", .aliases = {"child-shutup"}, .groups = relay::grp::CHILD,
     .phase = relay::Phase::INIT, .type = relay::OptType::Int, .apply = apply_shutup, .check = check_shutup,
     .help = "forked children log this many levels less than the server"},
};

const relay::OptionTableRegistrar kRegisterChild(kChildOptions);

// In a new child: raise the log threshold by children-shutup levels, never
// past errors.
void quiet_child_log() {
  if (g_children_shutup <= 0) return;
  auto& log = fdscope::process_logger();
  int t = std::min(static_cast<int>(log.threshold()) + g_children_shutup, static_cast<int>(fdscope::LogLevel::Error));
  log.set_threshold(static_cast<fdscope::LogLevel>(std::max(t, static_cast<int>(log.threshold()))));
}

// A child's exit() skips the static destructors: tearing down the option
// and address registries frees hundreds of heap blocks, and each page it
// touches is one the child shares with the server and must first copy.
// main() has done all cleanup (lock files, links, reaping) before it
// returns, and relay writes its output with write(2), so only stdio is
// flushed.
void exit_without_destructors(int status, void*) {
  std::fflush(nullptr);
  _exit(status);
}

}  // namespace

ChildServer::ChildServer(unsigned max_children) : max_children_(max_children) {}

ChildServer::~ChildServer() {
  if (blocked_ && !was_blocked_) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigprocmask(SIG_UNBLOCK, &s, nullptr);
  }
}

fdscope::Status ChildServer::start() {
  sigset_t s, old;
  sigemptyset(&s);
  sigaddset(&s, SIGCHLD);
  if (sigprocmask(SIG_BLOCK, &s, &old) < 0) return fdscope::sys_error("sigprocmask(SIG_BLOCK, SIGCHLD)");
  was_blocked_ = sigismember(&old, SIGCHLD) == 1;
  blocked_ = true;
  int fd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return fdscope::sys_error("signalfd(SIGCHLD)");
  sigfd_.reset(fd);
  reap();  // children that exited before the signalfd existed
  return {};
}

unsigned ChildServer::reap() {
  auto& log = fdscope::process_logger();
  signalfd_siginfo si;
  while (sigfd_ && ::read(sigfd_.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
  }
  unsigned n = 0;
  for (;;) {
    int status = 0;
    pid_t pid = sys::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) break;
    ++n;
    if (running_) --running_;
    if (WIFEXITED(status)) {
      if (WEXITSTATUS(status))
        log.warn("waitpid(): child {} exited with status {}", pid, WEXITSTATUS(status));
      else
        log.info("waitpid(): child {} exited with status 0", pid);
    } else if (WIFSIGNALED(status)) {
      log.warn("waitpid(): child {} exited on signal {}", pid, WTERMSIG(status));
    }
  }
  if (n) log.debug("childdied(): {} child(ren) reaped, {} running", n, running_);
  return n;
}

fdscope::Status ChildServer::wait_for_slot() {
  if (!max_children_) return {};  // exits are reaped when the signalfd fires
  reap();
  if (running_ < max_children_) return {};
  fdscope::process_logger().info("max-children={} reached, waiting for a child to exit", max_children_);
  while (running_ >= max_children_) {
    pollfd p{sigfd_.get(), POLLIN, 0};
    int n = sys::poll(&p, 1, 1000);
    if (n < 0 && errno != EINTR) return fdscope::sys_error("poll(signalfd)");
    unsigned before = running_;
    reap();
    // A lost SIGCHLD cannot stall us: waitpid() above ran regardless; if
    // nothing is running any more (children reaped elsewhere), stop waiting.
    if (running_ == before && n == 0) {
      int st;
      if (sys::waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD) running_ = 0;
    }
  }
  return {};
}

fdscope::Result<pid_t> ChildServer::fork_child() {
  pid_t pid = sys::fork();
  if (pid < 0) return fdscope::sys_error("fork()");
  if (pid == 0) {
    sigfd_.reset();
    if (blocked_ && !was_blocked_) {
      sigset_t s;
      sigemptyset(&s);
      sigaddset(&s, SIGCHLD);
      sigprocmask(SIG_UNBLOCK, &s, nullptr);
    }
    blocked_ = false;
    running_ = 0;
    relay::forget_statistics_request();  // a SIGUSR1 to the server is not the child's
    quiet_child_log();
    on_exit(exit_without_destructors, nullptr);
    return pid_t{0};
  }
  ++running_;
  if (fdscope::process_logger().enabled(fdscope::LogLevel::Notice))
    fdscope::process_logger().notice("forked off child process {}", pid);
  return pid;
}

}  // namespace relay::net
