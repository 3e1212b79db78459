// errno numbers to their symbolic names (ENOENT) and texts ("No such file or
// directory"), including the kernel-internal restart codes (ERESTARTSYS 512
// ...) that a tracer sees in raw syscall return values but libc never
// returns.  The syscall formatter prints `= -1 ENOENT (No such file or
// directory)` from these; trace's JSON carries the name.
#pragma once

#include <string_view>

namespace fdscope {

// "ENOENT" for 2; empty view when the number has no name.
std::string_view errno_name(int err);

// "No such file or directory" for 2 (glibc's English text, independent of
// the locale); for the kernel-internal codes strace's texts ("To be
// restarted if SA_RESTART is set"); empty view when unknown.
std::string_view errno_text(int err);

// Number for "ENOENT"; 0 when unknown.
int errno_from_name(std::string_view name);

}  // namespace fdscope
