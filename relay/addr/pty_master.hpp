// Pseudo terminals for PTY and for EXEC/SYSTEM/SHELL with the pty option:
// create a master/slave pair, make the link= symbolic link, and wait for a
// program to open the slave (wait-slave).  See pty_master.cpp.
#pragma once

#include <string>

#include "core/open_context.hpp"
#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace relay::addr {

struct PtyPair {
  fdscope::UniqueFd master;
  fdscope::UniqueFd slave;  // open only when asked for (EXEC's child side)
  std::string slave_name;   // "/dev/pts/3"
};

// Opens a pty (posix_openpt, or openpty(3) with the openpty option); the
// master is non-blocking.  With open_slave the slave is opened too (O_NOCTTY).
fdscope::Result<PtyPair> open_pty(OpenContext& ctx, bool open_slave);

// link=: a symbolic link to the slave, replacing an old symbolic link (never
// a file); the link is removed when relay is done.
fdscope::Status make_pty_link(OpenContext& ctx, const PtyPair& pty, Endpoint& ep);

// wait-slave: poll the master until a program opens the slave (no POLLHUP),
// checking every pty-interval seconds.
fdscope::Status wait_for_slave(OpenContext& ctx, int master);

}  // namespace relay::addr
