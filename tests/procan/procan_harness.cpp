// Implementation of the procan test harness (see procan_harness.hpp).  fork +
// exec with the child's stdout/stderr on memfds; setup errors are reported by
// exit code 99 (run_procan) or through the close-on-exec sync pipe (Target).
#include "procan_harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

extern char** environ;

namespace procan_test {

namespace {

std::string slurp(int fd) {
  std::string s;
  char buf[65536];
  off_t off = 0;
  for (;;) {
    ssize_t n = pread(fd, buf, sizeof buf, off);
    if (n <= 0) break;
    s.append(buf, static_cast<size_t>(n));
    off += n;
  }
  return s;
}

std::vector<char*> cargv(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// waitpid bounded to 30 s; kills the child when it does not finish.
int wait_bounded(pid_t pid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// In a fresh child: close every fd >= 3 except keep_a and keep_b, so the
// process under test holds exactly what the test gives it.
void close_inherited(int keep_a, int keep_b) {
  int keep[2] = {std::min(keep_a, keep_b), std::max(keep_a, keep_b)};
  unsigned from = 3;
  for (int k : keep) {
    if (k < 3) continue;
    if (static_cast<unsigned>(k) > from) syscall(SYS_close_range, from, static_cast<unsigned>(k) - 1, 0u);
    from = static_cast<unsigned>(k) + 1;
  }
  syscall(SYS_close_range, from, ~0u, 0u);
}

}  // namespace

std::string procan_path() { return std::string(FDSCOPE_BIN_DIR) + "/procan"; }

bool ProcanRun::has_line(const std::string& line) const {
  return out.rfind(line + "\n", 0) == 0 || out.find("\n" + line + "\n") != std::string::npos;
}

int memfd_copy_of(const std::string& path) {
  int in = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return -1;
  int mfd = memfd_create("payload", MFD_CLOEXEC);
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(mfd, buf, static_cast<size_t>(n)) != n) n = -1;
  close(in);
  if (n < 0) {
    close(mfd);
    return -1;
  }
  return mfd;
}

ProcanRun run_procan(const std::vector<std::string>& args, const ChildSetup& setup, int exec_fd) {
  ProcanRun run;
  int out = memfd_create("procan-out", MFD_CLOEXEC), err = memfd_create("procan-err", MFD_CLOEXEC);
  std::vector<std::string> argv{procan_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto av = cargv(argv);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out, 1);
    dup2(err, 2);
    int nul = open("/dev/null", O_RDONLY);
    dup2(nul, 0);
    close(nul);
    close_inherited(exec_fd, -1);
    if (setup && !setup()) {
      dprintf(2, "test setup failed: %s\n", strerror(errno));
      _exit(99);
    }
    if (exec_fd >= 0) fexecve(exec_fd, av.data(), environ);
    else execv(av[0], av.data());
    _exit(98);
  }
  run.pid = pid;
  int status = wait_bounded(pid);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = slurp(out);
  run.err = slurp(err);
  close(out);
  close(err);
  return run;
}

Target::Target(const ChildSetup& setup, std::vector<std::string> argv, std::vector<std::string> env, int exec_fd) {
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) != 0) {
    error_ = "pipe2 failed";
    return;
  }
  auto av = cargv(argv);
  auto ev = cargv(env);
  pid_ = fork();
  if (pid_ == 0) {
    close(sync[0]);
    int nul = open("/dev/null", O_RDWR);
    dup2(nul, 0);
    dup2(nul, 1);
    dup2(nul, 2);
    close(nul);
    close_inherited(sync[1], exec_fd);
    int e = 0;
    if (setup && !setup()) e = errno ? errno : EINVAL;
    if (e == 0) {
      char** envp = env.empty() ? environ : ev.data();
      if (exec_fd >= 0) fexecve(exec_fd, av.data(), envp);
      else execve(av[0], av.data(), envp);
      e = errno;
    }
    (void)!write(sync[1], &e, sizeof e);
    _exit(99);
  }
  if (pid_ < 0) {
    error_ = "fork failed";
    close(sync[0]);
    close(sync[1]);
    return;
  }
  close(sync[1]);
  int e = 0;
  ssize_t n;
  do n = read(sync[0], &e, sizeof e);
  while (n < 0 && errno == EINTR);
  close(sync[0]);
  if (n > 0) error_ = std::string("target setup/exec failed: ") + strerror(e);
}

Target::~Target() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int st;
    waitpid(pid_, &st, 0);
  }
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/procan-test-XXXXXX";
  if (mkdtemp(tmpl)) path_ = tmpl;
  chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace procan_test
