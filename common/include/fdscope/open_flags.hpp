// File status flags: the O_* access mode and flags as fcntl(F_GETFL) returns
// them or /proc/PID/fdinfo shows them ("flags:\t02100002", octal, with the
// kernel's O_LARGEFILE and O_CLOEXEC bits), decoded to names, plus the fd
// flag FD_CLOEXEC.  Values are the kernel's x86-64/generic ones (glibc defines
// O_LARGEFILE as 0 on 64-bit; the kernel reports 0100000).
//
// JSON (open_flags_json): an array of names, access mode first:
//   ["O_RDWR", "O_NONBLOCK", "O_CLOEXEC"]; unknown bits as "0x..." strings.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct OpenFlag {
  const char* name;  // "O_NONBLOCK"
  unsigned value;    // kernel value
};

// Access modes (O_RDONLY, O_WRONLY, O_RDWR, and 3 = "O_ACCMODE" as fdinfo
// may show for O_PATH-less special opens) and the other flags, ascending.
std::span<const OpenFlag> open_access_modes();
std::span<const OpenFlag> open_flag_table();

inline constexpr unsigned kKernelOLargefile = 0100000;
inline constexpr unsigned kKernelOPath = 010000000;
inline constexpr unsigned kKernelOTmpfile = 020000000 | 0200000;  // __O_TMPFILE | O_DIRECTORY

std::string_view open_access_mode_name(unsigned flags);  // "O_RDWR"
// Names of every flag in `flags` (access mode first); O_TMPFILE shown as
// one name when both its bits are set; unknown bits collected as "0x...".
std::vector<std::string> open_flag_names(unsigned flags);
std::string open_flags_text(unsigned flags, char sep = '|');  // "O_RDWR|O_NONBLOCK"
void open_flags_json(JsonWriter& w, unsigned flags);
// strace's rendering, for the syscall formatter (open/openat flags, fcntl
// F_SETFL/F_GETFL; pipe2/dup3 without the access mode): the same names in
// strace's order (ascending, O_SYNC before O_DSYNC, O_TMPFILE whole,
// O_DIRECTORY last) with the access mode always named ("O_RDONLY|O_PATH"),
// unknown bits as one "0x..." term, appended to out.  Without the access
// mode, no flag at all is "0".
void append_open_flags_strace(unsigned flags, bool with_access_mode, std::string& out);

// fdinfo's "flags:" value (octal digits, optional leading 0).
Result<unsigned> parse_fdinfo_flags(std::string_view octal);

// Name -> value for one flag ("O_APPEND" or "append"); false when unknown.
bool open_flag_value(std::string_view name, unsigned* value);

// fcntl(F_GETFD) flags: "FD_CLOEXEC" or "".
std::string fd_flags_text(int fd_flags);

}  // namespace fdscope
