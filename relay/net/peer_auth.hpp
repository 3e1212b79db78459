// Peer authorization for UNIX-domain connections: the allow-uid, allow-gid
// (aliases allow-user, allow-group) and allow-exe options.  Each option
// takes a ':'-separated list and may be repeated; the peer must match at
// least one entry of every kind that is given (uid AND gid AND exe, any entry
// within a kind).  Credentials come from SO_PEERCRED / SO_PEERGROUPS and the
// executable from SO_PEERPIDFD, checked against the pidfd afterwards so a
// reused pid is never mistaken for the peer.  A refused peer gets its
// connection closed without a byte of data and a log line names it.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "fdscope/result.hpp"

namespace relay::net {

struct PeerPolicy {
  std::vector<uid_t> uids;
  std::vector<gid_t> gids;
  std::vector<std::string> exes;  // absolute, canonical paths

  bool empty() const { return uids.empty() && gids.empty() && exes.empty(); }

  // Adds the entries of one option value.  kind: "uid", "gid" or "exe".
  // Users and groups may be names or numbers; executables must be absolute
  // paths (symlinks resolved).  Errors quote the bad entry.
  fdscope::Status add(std::string_view kind, std::string_view list);
};

// Validates an option value at parse time (same rules as PeerPolicy::add).
fdscope::Status check_peer_list(std::string_view kind, std::string_view list);

// Checks the peer of a connected UNIX socket; the Error says why it was
// refused: "peer pid=12 uid=1000 gid=1000 refused: uid 1000 not in allow-uid".
fdscope::Status check_peer(int fd, const PeerPolicy& policy);

}  // namespace relay::net
