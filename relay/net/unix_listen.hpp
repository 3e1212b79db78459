// Hardened binding of a UNIX-domain socket to a file system path, used by
// UNIX-LISTEN, UNIX-RECV and UNIX-RECVFROM (see DESIGN.md, Security):
//   - the directory is opened once (O_PATH) and every later step works
//     relative to it (fstatat, unlinkat), so a renamed directory cannot
//     redirect a check;
//   - a symlink at the path is never followed nor removed; any other
//     non-socket is refused with socat's text "\"<path>\" exists";
//   - an existing socket is probed by connecting to it: a live one is
//     refused ("in use"), a dead (stale) one is unlinked, after checking that
//     it is still the same inode;
//   - the socket's mode comes from the umask in force during bind(2) (the
//     perm/mode option sets it), never from chmod after bind, so there is no
//     moment where the socket is more open than requested;
//   - unlink-close removes the socket when the listener closes, only if the
//     path still names the inode this process created.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"
#include "net/sock_addr.hpp"

namespace relay::net {

struct UnixBindSpec {
  std::string path;
  int type = SOCK_STREAM;
  bool unlink_early = false;          // remove a stale socket without logging it as unusual
  std::optional<mode_t> mode;         // perm=/mode=: socket mode, via umask at bind
  std::optional<uid_t> owner;         // user=: fchownat after bind
  std::optional<gid_t> group;         // group=
  bool unlink_close = true;           // remove at close (socat default for UNIX listeners)
};

struct UnixBound {
  fdscope::UniqueFd fd;   // bound socket (not yet listening)
  SockAddr addr;
};

// Prepares the path (checks above) and binds a new socket of spec.type to it.
fdscope::Result<UnixBound> bind_unix_path(const UnixBindSpec& spec);

// What is at a path, as the hardening sees it (exposed for tests).
enum class PathState { Absent, Symlink, NotSocket, LiveSocket, StaleSocket };
fdscope::Result<PathState> probe_unix_path(const std::string& path);

// Removes the registered unlink-close paths created by this process
// (also run at exit).  Exposed for tests.
void unlink_registered_sockets();

}  // namespace relay::net
