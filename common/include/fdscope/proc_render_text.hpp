// Text rendering of a ProcessSnapshot in socat procan's order and layout
// (ids, user ids, resource limits, build constants, C type sizes, IP
// interfaces), followed by the sections socat lacks (process state,
// credentials, capabilities, security, namespaces, cgroups, paths, fds, parent chain,
// sysconf).  Unavailable fields print "unavailable (ERRNO: reason)".
#pragma once

#include <string>
#include <string_view>

#include "fdscope/proc_snapshot.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

std::string render_process_text(const ProcessSnapshot& s);

// The compile-time section alone (procan -c): build constants, C type sizes
// and socat's #define list.
std::string render_compile_time_text();

// "unavailable (EACCES: read /proc/1/environ: Permission denied)".
std::string unavailable_text(const Error& e);

// A path or argument made safe for one output line: control bytes and
// backslashes escaped (\n, \t, \\, \xNN); quoted when it holds spaces or
// quotes, or is empty.
std::string escape_text(std::string_view s, bool quote_if_needed);

}  // namespace fdscope
