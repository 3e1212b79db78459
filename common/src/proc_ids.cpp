// Ids and controlling terminal (see proc_ids.hpp).  socat's procan opens
// /dev/tty and prints "/dev/tty"; we take tty_nr from /proc/PID/stat and name
// the real device (/dev/pts/3), and compute the per-fd foreground group the
// way tcgetpgrp() would: the fd must be the controlling tty itself.
#include "fdscope/proc_ids.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fmt/format.h>

#include "fdscope/proc_text.hpp"

namespace fdscope {

Result<ProcStat> parse_proc_stat(std::string_view text) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return plain_error("malformed stat line (no comm)");
  ProcStat st;
  auto pid = parse_i64(trim(text.substr(0, open)));
  if (!pid) return plain_error("malformed stat line (pid)");
  st.pid = static_cast<pid_t>(*pid);
  st.comm = std::string(text.substr(open + 1, close - open - 1));
  auto f = split_ws(text.substr(close + 1));
  // f[0] is field 3 (state); field n is f[n-3].
  if (f.size() < 20) return plain_error("malformed stat line (too few fields)");
  st.state = f[0].empty() ? '?' : f[0][0];
  auto ppid = parse_i64(f[1]), pgrp = parse_i64(f[2]), sid = parse_i64(f[3]), tty = parse_i64(f[4]),
       tpgid = parse_i64(f[5]);
  auto flags = parse_u64(f[6]);
  auto start = parse_u64(f[19]);
  if (!ppid || !pgrp || !sid || !tty || !tpgid || !flags || !start) return plain_error("malformed stat line (number)");
  st.flags = *flags;
  st.ppid = static_cast<pid_t>(*ppid);
  st.pgrp = static_cast<pid_t>(*pgrp);
  st.session = static_cast<pid_t>(*sid);
  st.tty_nr = static_cast<uint32_t>(*tty);
  st.tpgid = static_cast<pid_t>(*tpgid);
  st.starttime = *start;
  return st;
}

bool is_kernel_thread(const ProcStat& st) { return st.flags & 0x00200000; /* PF_KTHREAD */ }

const char* state_name(char state) {
  switch (state) {
    case 'R': return "running";
    case 'S': return "sleeping";
    case 'D': return "disk sleep";
    case 'Z': return "zombie: exited, not yet reaped by its parent";
    case 'T': return "stopped";
    case 't': return "tracing stop";
    case 'X': return "dead";
    case 'I': return "idle";
    case 'P': return "parked";
  }
  return "unknown";
}

// Kernel encoding (new_encode_dev): minor low 8 bits | major << 8 | high minor << 20.
unsigned tty_major(uint32_t nr) { return (nr >> 8) & 0xfff; }
unsigned tty_minor(uint32_t nr) { return (nr & 0xff) | ((nr >> 12) & 0xfff00); }

namespace {

std::optional<std::string> scan_dir_for(const std::string& dir, dev_t want) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return std::nullopt;
  std::optional<std::string> found;
  while (dirent* e = ::readdir(d)) {
    if (e->d_type != DT_CHR && e->d_type != DT_UNKNOWN) continue;
    struct stat sb;
    if (::fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISCHR(sb.st_mode) && sb.st_rdev == want) {
      std::string name = dir + "/" + e->d_name;
      // Deterministic when several nodes share the number: the smallest name.
      if (!found || name < *found) found = name;
    }
  }
  ::closedir(d);
  return found;
}

}  // namespace

std::optional<std::string> tty_device_path(uint32_t tty_nr, const std::string& dev_root) {
  if (tty_nr == 0) return std::nullopt;
  unsigned maj = tty_major(tty_nr), min = tty_minor(tty_nr);
  dev_t want = makedev(maj, min);
  if (maj >= 136 && maj <= 143) {
    std::string p = fmt::format("{}/pts/{}", dev_root, (maj - 136) * 256 + min);
    struct stat sb;
    if (::stat(p.c_str(), &sb) == 0 && S_ISCHR(sb.st_mode) && sb.st_rdev == want) return p;
  }
  if (auto p = scan_dir_for(dev_root + "/pts", want)) return p;
  return scan_dir_for(dev_root, want);
}

Result<ProcIds> read_ids(const ProcSource& src, const std::string& dev_root) {
  auto text = src.read("stat");
  if (!text) return text.take_error();
  auto st = parse_proc_stat(*text);
  if (!st) return st.take_error().context(src.path("stat"));
  ProcIds ids;
  ids.stat = *st;
  ids.has_ctty = ids.stat.tty_nr != 0;
  if (ids.has_ctty) ids.tty_path = tty_device_path(ids.stat.tty_nr, dev_root);
  dev_t ctty = makedev(tty_major(ids.stat.tty_nr), tty_minor(ids.stat.tty_nr));
  for (int fd = 0; fd < 3; ++fd) {
    std::string name = fmt::format("fd/{}", fd);
    struct stat sb;
    if (::fstatat(src.dir_fd(), name.c_str(), &sb, 0) != 0) {
      int e = errno;
      // A closed fd (or one whose target vanished) makes tcgetpgrp fail: -1.
      if (e == ENOENT || e == EBADF) ids.fg_pgid[fd] = pid_t{-1};
      else ids.fg_pgid[fd] = Error{"stat " + src.path(name), e};
      continue;
    }
    bool is_ctty = ids.has_ctty && S_ISCHR(sb.st_mode) && sb.st_rdev == ctty;
    ids.fg_pgid[fd] = is_ctty ? ids.stat.tpgid : pid_t{-1};
  }
  return ids;
}

}  // namespace fdscope
