// Helpers for the relay integration tests (see run_relay.hpp): a fork/exec
// runner that feeds stdin and drains stdout/stderr with poll, so
// large data cannot deadlock, and kills the child at the timeout.
#include "run_relay.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace relay_test {

std::string relay_path() { return std::string(FDSCOPE_BIN_DIR) + "/relay"; }

namespace {
double now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Run run_program(const std::vector<std::string>& argv, const std::string& input, double timeout,
                const std::function<void(pid_t)>& during) {
  Run r;
  // relay may exit (on bad input) before reading what is fed to it: that
  // write must fail with EPIPE, not kill the test with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return r;
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);  // what relay inherits is the default, as from a shell
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    execv(a[0], a.data());
    _exit(126);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  std::thread beside;
  if (during) beside = std::thread(during, pid);
  int win = in[1];
  fcntl(win, F_SETFL, O_NONBLOCK);
  size_t sent = 0;
  if (input.empty()) {
    close(win);
    win = -1;
  }
  double deadline = now() + timeout;
  int rout = out[0], rerr = err[0];
  char buf[65536];
  while (rout >= 0 || rerr >= 0) {
    pollfd p[3];
    int n = 0;
    int iw = -1, io = -1, ie = -1;
    if (win >= 0) p[iw = n++] = {win, POLLOUT, 0};
    if (rout >= 0) p[io = n++] = {rout, POLLIN, 0};
    if (rerr >= 0) p[ie = n++] = {rerr, POLLIN, 0};
    double left = deadline - now();
    if (left <= 0) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    int rc = poll(p, n, static_cast<int>(left * 1000) + 1);
    if (rc < 0) continue;
    if (iw >= 0 && p[iw].revents) {
      ssize_t w = write(win, input.data() + sent, input.size() - sent);
      if (w > 0) sent += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN) sent = input.size();
      if (sent >= input.size()) {
        close(win);
        win = -1;
      }
    }
    for (auto [idx, fdp, dst] : {std::tuple{io, &rout, &r.out}, std::tuple{ie, &rerr, &r.err}}) {
      if (idx < 0 || !p[idx].revents) continue;
      ssize_t k = read(*fdp, buf, sizeof buf);
      if (k > 0) {
        dst->append(buf, static_cast<size_t>(k));
      } else if (k == 0 || errno != EINTR) {
        close(*fdp);
        *fdp = -1;
      }
    }
  }
  if (win >= 0) close(win);
  if (rout >= 0) close(rout);
  if (rerr >= 0) close(rerr);
  if (beside.joinable()) beside.join();
  int st = 0;
  // relay may still be exiting after closing its outputs
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}
}  // namespace

Run run_relay(const std::vector<std::string>& args, const std::string& input, double timeout,
              const std::function<void(pid_t)>& during) {
  std::vector<std::string> argv{relay_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, input, timeout, during);
}

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen() & 0xff);
  return s;
}

std::string sha256_hex(const std::string& data) {
  Run r = run_program({"/usr/bin/sha256sum", "-"}, data, 20, {});
  return r.out.substr(0, 64);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/relay-test-XXXXXX";
  path_ = mkdtemp(tmpl);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace relay_test
