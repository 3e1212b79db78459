// Opening a process for analysis (see proc_source.hpp).  The order pidfd ->
// directory -> liveness check is what makes `procan -p PID` race-free; the
// messages here are the ones users see for dead, invalid and hidden pids.
#include "fdscope/proc_source.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

#include "fdscope/io.hpp"

namespace fdscope {

namespace {

// Raw syscalls: glibc 2.36's <sys/pidfd.h> lacks extern "C" guards, so its
// declarations do not link from C++.
int sys_pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
int sys_pidfd_send_signal(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

// ESRCH from pidfd_send_signal(sig 0) means the process is gone; EPERM means
// it exists but we may not signal it, which is still "alive".
bool pidfd_alive(int pidfd) {
  if (sys_pidfd_send_signal(pidfd, 0) == 0) return true;
  return errno != ESRCH;
}

}  // namespace

Result<ProcSource> ProcSource::open(pid_t pid, const std::string& proc_root) {
  if (pid <= 0) return Error{fmt::format("pid {}: not a valid process id", pid), EINVAL};
  ProcSource src;
  src.pid_ = pid;
  src.root_ = proc_root;
  bool live = proc_root == "/proc";
  if (live) {
    int fd = sys_pidfd_open(pid);
    if (fd < 0) {
      int e = errno;
      if (e == ESRCH) return Error{fmt::format("pid {}", pid), e};
      // Kernels answer ENOENT (6.9+) or EINVAL for a thread that is not a
      // thread-group leader; name its process so the user can retry.
      if (e == EINVAL || e == ENOENT) {
        std::string tgid;
        if (auto st = read_file(fmt::format("{}/{}/status", proc_root, pid)))
          if (auto p = st->find("\nTgid:\t"); p != std::string::npos) tgid = st->substr(p + 7, st->find('\n', p + 7) - p - 7);
        if (!tgid.empty() && tgid != std::to_string(pid))
          return Error{fmt::format("pid {} is a thread of process {}, not a process (try -p {})", pid, tgid, tgid), 0};
        return Error{fmt::format("pidfd_open(pid {}): not a process", pid), e};
      }
      return Error{fmt::format("pidfd_open(pid {})", pid), e};
    }
    src.pidfd_.reset(fd);
  }
  std::string dir = fmt::format("{}/{}", proc_root, pid);
  int dfd = retry_eintr([&] { return ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); });
  if (dfd < 0) {
    int e = errno;
    if (e == ENOENT && live && pidfd_alive(src.pidfd_.get()))
      return Error{fmt::format("pid {}: process exists but {} is not visible (hidepid mount?)", pid, dir), e};
    if (e == ENOENT) return Error{fmt::format("pid {} ({} missing)", pid, dir), ESRCH};
    return Error{fmt::format("open {}", dir), e};
  }
  src.dir_.reset(dfd);
  if (live && !pidfd_alive(src.pidfd_.get()))
    return Error{fmt::format("pid {} (exited while being opened)", pid), ESRCH};
  return src;
}

bool ProcSource::self() const { return live() && pid_ == ::getpid(); }

std::string ProcSource::path(const std::string& name) const {
  return fmt::format("{}/{}/{}", root_, pid_, name);
}

Result<std::string> ProcSource::read(const std::string& name) const {
  auto r = read_file(name, dir_.get());
  if (!r) return Error{"read " + path(name), r.error().err};
  return r;
}

Result<std::string> ProcSource::readlink(const std::string& name) const {
  char buf[4096];
  ssize_t n = ::readlinkat(dir_.get(), name.c_str(), buf, sizeof buf);
  if (n < 0) return sys_error("readlink " + path(name));
  return std::string(buf, static_cast<size_t>(n));
}

Status ProcSource::still_alive() const {
  if (!live()) return {};
  if (!pidfd_alive(pidfd_.get()))
    return Error{fmt::format("pid {}: exited while being read", pid_), ESRCH};
  return {};
}

Result<std::string> read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  if (n < 0) return sys_error("readlink " + path);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace fdscope
