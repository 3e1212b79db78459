// UNIX peer credentials: who is at the other end of a connected UNIX socket
// (or a socketpair).  SO_PEERCRED gives pid/uid/gid as of connect();
// SO_PEERPIDFD (Linux 6.5+, optname 77) gives a pidfd for that process, from
// which the pid (/proc/self/fdinfo/<pidfd> "Pid:"), exe and cmdline are read
// race-free: after reading /proc/<pid>/..., the pidfd's "Pid:" is checked
// again; if the process died (Pid: -1) or the pid changed, the facts are
// discarded (a reused pid cannot be mistaken for the peer).  SO_PEERSEC gives
// the LSM label, SO_PEERGROUPS the supplementary groups.  relay's peer
// authorization uses the same calls.
//
// JSON keys (peer_info_json; each present only when read):
//   "pid","uid","gid"   numbers (SO_PEERCRED)
//   "groups"            array of numbers (SO_PEERGROUPS)
//   "security"          string (SO_PEERSEC)
//   "pidfd_pid"         number (pid through SO_PEERPIDFD)
//   "alive"             bool   (peer process still running)
//   "exe"               string (peer's /proc/PID/exe)
//   "cmdline"           array of strings
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope {

#ifndef SO_PEERPIDFD
inline constexpr int kSoPeerPidfd = 77;
#else
inline constexpr int kSoPeerPidfd = SO_PEERPIDFD;
#endif

struct PeerCred {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<PeerCred> read_peer_cred(int fd);                 // SO_PEERCRED
Result<std::vector<gid_t>> read_peer_groups(int fd);     // SO_PEERGROUPS
Result<std::string> read_peer_security(int fd);          // SO_PEERSEC
Result<UniqueFd> open_peer_pidfd(int fd);                // SO_PEERPIDFD

// The pid a pidfd refers to, from /proc/self/fdinfo/<pidfd> ("Pid:").
// Returns -1 when the process has exited (the kernel reports Pid: -1), 0 when
// it is in a pid namespace not visible from ours.
Result<pid_t> pidfd_pid(int pidfd);

// The process behind a pidfd: exe and cmdline read from /proc/<pid> and
// validated with the pidfd afterwards (see above).  `proc_root` lets tests
// point at another /proc.
struct PidfdProcess {
  pid_t pid = 0;
  bool alive = false;        // false: exited; exe/cmdline are empty
  std::string exe;           // readlink /proc/PID/exe ("" if unreadable)
  std::vector<std::string> cmdline;
};
Result<PidfdProcess> pidfd_process(int pidfd, const std::string& proc_root = "/proc");

// Everything readable about the peer of fd; each part optional (absent when
// the kernel refuses it or the socket has no peer).
struct PeerInfo {
  std::optional<PeerCred> cred;
  std::optional<std::vector<gid_t>> groups;
  std::optional<std::string> security;
  std::optional<PidfdProcess> process;
};
PeerInfo read_peer_info(int fd);

// "pid=123 uid=0 gid=0 exe=/usr/bin/x cmd=\"x -a\"" (absent parts omitted).
std::string peer_info_text(const PeerInfo& p);
void peer_info_json(JsonWriter& w, const PeerInfo& p);

}  // namespace fdscope
