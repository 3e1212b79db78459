// Hardened UNIX socket binding (the rules are listed in unix_listen.hpp).
// All checks go through an O_PATH descriptor of the socket's directory and
// the final name component, never the whole path twice, and the stale
// socket test is a real connect() rather than a guess from file metadata.
#include "net/unix_listen.hpp"

#include "core/syscall_log.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "fdscope/io.hpp"
#include "fdscope/log.hpp"
#include "net/socket_ops.hpp"

namespace relay::net {

using fdscope::Error;
using fdscope::plain_error;
using fdscope::Result;
using fdscope::sys_error;
using fdscope::UniqueFd;

namespace {

struct DirAndName {
  UniqueFd dir;
  std::string name;
};

Result<DirAndName> open_parent(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty() || name == "." || name == "..")
    return plain_error(fmt::format("\"{}\": not a socket path (no file name)", path));
  int fd = sys::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error(fmt::format("open(\"{}\", O_PATH|O_DIRECTORY)", dir));
  return DirAndName{UniqueFd(fd), name};
}

// Path through the directory fd: "/proc/self/fd/N/name", immune to the
// directory being renamed or replaced after open_parent().
std::string via_dirfd(const DirAndName& d) { return fmt::format("/proc/self/fd/{}/{}", d.dir.get(), d.name); }

// Is a socket listening/bound at the name?  Tries the socket types in turn,
// since connect() to a socket of another type fails with EPROTOTYPE.
bool socket_is_live(const DirAndName& d, const std::string& path) {
  std::string p = path.size() < sizeof(sockaddr_un{}.sun_path) ? path : via_dirfd(d);
  auto addr = unix_addr(p, false);
  if (!addr) return false;
  for (int type : {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET}) {
    int fd = sys::socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) continue;
    int rc = sys::connect(fd, addr->sa(), addr->len);
    int err = rc < 0 ? errno : 0;
    sys::close(fd);
    if (rc == 0 || err == EAGAIN || err == EINPROGRESS) return true;
    if (err != EPROTOTYPE) return false;  // ECONNREFUSED: nobody is bound there
  }
  return false;
}

Result<PathState> probe(const DirAndName& d, const std::string& path, struct stat* st) {
  if (::fstatat(d.dir.get(), d.name.c_str(), st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return PathState::Absent;
    return sys_error(fmt::format("lstat(\"{}\")", path));
  }
  if (S_ISLNK(st->st_mode)) return PathState::Symlink;
  if (!S_ISSOCK(st->st_mode)) return PathState::NotSocket;
  return socket_is_live(d, path) ? PathState::LiveSocket : PathState::StaleSocket;
}

struct Registered {
  pid_t pid;
  int dirfd;  // kept open (O_PATH) for the unlinkat at close
  std::string name;
  dev_t dev;
  ino_t ino;
};
std::vector<Registered>& registered() {
  static std::vector<Registered> v;
  return v;
}

void register_unlink(const DirAndName& d, const struct stat& st) {
  static bool hooked = false;
  if (!hooked) {
    // Construct the list first: its destructor then runs after the handler.
    registered();
    std::atexit(unlink_registered_sockets);
    hooked = true;
  }
  int dup = sys::fcntl(d.dir.get(), F_DUPFD_CLOEXEC, 3);
  if (dup < 0) return;
  registered().push_back({::getpid(), dup, d.name, st.st_dev, st.st_ino});
}

}  // namespace

void unlink_registered_sockets() {
  pid_t me = ::getpid();
  for (auto& r : registered()) {
    if (r.pid != me || r.dirfd < 0) continue;  // forked children leave it to the server
    struct stat st;
    if (::fstatat(r.dirfd, r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISSOCK(st.st_mode) &&
        st.st_dev == r.dev && st.st_ino == r.ino)
      ::unlinkat(r.dirfd, r.name.c_str(), 0);
    ::close(r.dirfd);
    r.dirfd = -1;
  }
}

Result<PathState> probe_unix_path(const std::string& path) {
  auto d = open_parent(path);
  if (!d) return d.take_error();
  struct stat st;
  return probe(*d, path, &st);
}

Result<UnixBound> bind_unix_path(const UnixBindSpec& spec) {
  auto& log = fdscope::process_logger();
  const std::string& path = spec.path;
  auto d = open_parent(path);
  if (!d) return d.take_error();
  struct stat st;
  auto state = probe(*d, path, &st);
  if (!state) return state.take_error();
  switch (*state) {
    case PathState::Absent:
      break;
    case PathState::Symlink:
      return plain_error(fmt::format("\"{}\" exists and is a symbolic link; refusing to follow or remove it", path));
    case PathState::NotSocket:
      // socat's text; relay never removes a non-socket, even with unlink-early.
      return plain_error(fmt::format("\"{}\" exists", path));
    case PathState::LiveSocket:
      return sys_error(fmt::format("\"{}\" is a socket in use by another process", path), EADDRINUSE);
    case PathState::StaleSocket: {
      // Still the inode we probed?  Then remove it; anything else: refuse.
      struct stat again;
      if (::fstatat(d->dir.get(), d->name.c_str(), &again, AT_SYMLINK_NOFOLLOW) < 0 ||
          again.st_ino != st.st_ino || again.st_dev != st.st_dev || !S_ISSOCK(again.st_mode))
        return plain_error(fmt::format("\"{}\" changed while it was checked; refusing to remove it", path));
      if (::unlinkat(d->dir.get(), d->name.c_str(), 0) < 0 && errno != ENOENT)
        return sys_error(fmt::format("unlink(\"{}\")", path));
      if (spec.unlink_early) log.info("unlinked stale socket \"{}\"", path);
      else log.notice("removed stale socket \"{}\" (no process listens on it)", path);
      break;
    }
  }

  auto sock = open_socket(AF_UNIX, spec.type, 0);
  if (!sock) return sock.take_error();
  // Bind by the path as given when it fits (peers then see the real name);
  // the /proc/self/fd route only serves names too long for sun_path.
  bool fits = path.size() < sizeof(sockaddr_un{}.sun_path);
  auto addr = unix_addr(fits ? path : via_dirfd(*d), false);
  if (!addr) return addr.take_error();
  mode_t old_umask = 0;
  if (spec.mode) old_umask = ::umask(static_cast<mode_t>(~*spec.mode & 0777));
  int rc = sys::bind(sock->get(), addr->sa(), addr->len);
  int err = errno;
  if (spec.mode) ::umask(old_umask);
  if (rc < 0) {
    SockAddr shown = fits ? *addr : *unix_addr(path.substr(0, 100), false);
    return sys_error(fmt::format("bind({}, {}, {})", sock->get(), to_string(shown), addr->len), err);
  }
  if (::fstatat(d->dir.get(), d->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
    return sys_error(fmt::format("lstat(\"{}\") after bind", path));
  if (spec.owner || spec.group) {
    uid_t u = spec.owner ? *spec.owner : static_cast<uid_t>(-1);
    gid_t g = spec.group ? *spec.group : static_cast<gid_t>(-1);
    if (::fchownat(d->dir.get(), d->name.c_str(), u, g, AT_SYMLINK_NOFOLLOW) < 0) {
      int e = errno;
      ::unlinkat(d->dir.get(), d->name.c_str(), 0);
      return sys_error(fmt::format("chown(\"{}\", {}, {})", path, static_cast<int>(u), static_cast<int>(g)), e);
    }
  }
  if (spec.unlink_close) register_unlink(*d, st);
  UnixBound out;
  out.fd = std::move(*sock);
  auto shown = unix_addr(fits ? path : path.substr(0, sizeof(sockaddr_un{}.sun_path) - 1), false);
  out.addr = shown ? *shown : *addr;
  return out;
}

}  // namespace relay::net
