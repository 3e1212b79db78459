// Starting a command under trace without losing its first system calls: the
// child forks, waits on a pipe (its read and the pipe close happen before any
// traced call that matters), then execs.  The parent attaches the BPF
// programs with the child's pid in the target set and only then releases it.
// If the tracer dies first, the pipe reads EOF and the child exits without
// running the command, so nothing ever runs untraced.
#include "launcher.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fdscope/io.hpp"

namespace fdscope::trace {

Launcher::~Launcher() {
  if (pid_ > 0 && !reaped_ && go_) {
    // Never leave a held child behind: closing go_ makes it exit unrun.
    go_.reset();
    int st;
    waitpid(pid_, &st, 0);
  }
}

Result<Launcher> Launcher::start(const std::vector<std::string>& argv) {
  if (argv.empty()) return plain_error("no command to run");
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe2");
  UniqueFd rd(p[0]), wr(p[1]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return sys_error("fork");
  if (pid == 0) {
    wr.reset();
    char c;
    ssize_t n = retry_eintr([&] { return ::read(rd.get(), &c, 1); });
    if (n != 1) _exit(127);  // tracer went away before releasing us
    execvp(args[0], args.data());
    int err = errno;
    std::string msg = "trace: cannot run \"" + argv[0] + "\": " + strerror(err) + "\n";
    (void)!::write(2, msg.data(), msg.size());
    _exit(127);
  }
  Launcher l;
  l.pid_ = pid;
  l.go_ = std::move(wr);
  return l;
}

Status Launcher::release() {
  char c = 'g';
  if (auto s = write_all(go_.get(), &c, 1); !s) return s.take_error().context("release child");
  go_.reset();
  return {};
}

bool Launcher::reap(int* status) {
  if (reaped_) return true;
  pid_t r = waitpid(pid_, status, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    return true;
  }
  return false;
}

}  // namespace fdscope::trace
