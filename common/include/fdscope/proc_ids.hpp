// Process ids and the controlling terminal: the first block of procan's
// output (pid, ppid, process group, session, controlling terminal and the
// foreground process group seen through fds 0, 1 and 2), read from
// /proc/PID/stat and /proc/PID/fd so it works for any process, not only for
// procan itself as in socat.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

// The fields of /proc/PID/stat procan uses.
struct ProcStat {
  pid_t pid = 0;
  std::string comm;  // without the parentheses
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
  pid_t session = 0;
  uint32_t tty_nr = 0;  // kernel-encoded dev_t of the controlling tty, 0 = none
  pid_t tpgid = -1;     // foreground process group of that tty
  uint64_t flags = 0;   // PF_* flags
  uint64_t starttime = 0;
};

// Parses one /proc/PID/stat line; comm may contain spaces and ')' (the last
// ')' ends it).
Result<ProcStat> parse_proc_stat(std::string_view text);

// PF_KTHREAD is set in flags: a kernel thread (no exe, memory, environment).
bool is_kernel_thread(const ProcStat& st);

// "running", "sleeping", "zombie" ... for a stat state letter.
const char* state_name(char state);

// Major/minor from the kernel's stat encoding of tty_nr.
unsigned tty_major(uint32_t tty_nr);
unsigned tty_minor(uint32_t tty_nr);

// The device path of a tty dev_t: /dev/pts/N for Unix98 ptys, otherwise the
// character device under dev_root (or dev_root/pts) with that number; nullopt
// when none matches.
std::optional<std::string> tty_device_path(uint32_t tty_nr, const std::string& dev_root = "/dev");

struct ProcIds {
  ProcStat stat;
  bool has_ctty = false;
  std::optional<std::string> tty_path;  // real device of the controlling tty
  // What tcgetpgrp(fd) would return for fds 0..2 of the process: the
  // foreground group when the fd is the controlling tty, else -1.  Unavailable
  // when /proc/PID/fd/N cannot be examined.
  std::array<Result<pid_t>, 3> fg_pgid{Error{"not read"}, Error{"not read"}, Error{"not read"}};
};

Result<ProcIds> read_ids(const ProcSource& src, const std::string& dev_root = "/dev");

}  // namespace fdscope
