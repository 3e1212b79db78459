// Credentials of a process from /proc/PID/status: real, effective, saved and
// filesystem uid and gid, supplementary groups and umask.  socat's procan
// shows only real and effective ids of itself; these are read for any pid.
#pragma once

#include <cstdint>
#include <vector>

#include "fdscope/proc_status.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct IdQuad {
  uint32_t real = 0, effective = 0, saved = 0, fs = 0;
};

struct Creds {
  IdQuad uid, gid;
  std::vector<uint32_t> groups;  // in the kernel's order (sorted)
};

// From the Uid:, Gid: and Groups: fields.
Result<Creds> creds_from_status(const ProcStatus& st);

// From the Umask: field (kernel 4.7+): the mask, e.g. 022.
Result<unsigned> umask_from_status(const ProcStatus& st);

}  // namespace fdscope
