// Shared steps of the non-network open functions in relay/addr/: applying
// the usual phase sequence to an fd that exists, and the log line socat
// prints when it opens a file ("opening character device ... for reading
// and writing").  Kept small: each address file still reads top to bottom.
#pragma once

#include <string>

#include "core/address_type.hpp"
#include "core/endpoint.hpp"
#include "core/open_context.hpp"

namespace relay::addr {

// Applies the phases an already open fd goes through (FD, PASTSOCKET,
// CONNECTED, LATE, LATE2) and then the OFFSET options into ep.
fdscope::Status apply_fd_phases(OpenContext& ctx, int fd, Endpoint& ep);

// "for reading", "for writing", "for reading and writing".
std::string access_text(Dir d);

// "regular file", "character device", "directory", "FIFO", "socket" ... of
// the file at path (or of fd when fd >= 0), for log lines.
std::string file_kind_text(const std::string& path, int fd = -1);

}  // namespace relay::addr
