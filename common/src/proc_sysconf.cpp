// The sysconf table (see proc_sysconf.hpp).  -1 from sysconf means "no
// definite limit" and is reported as such, never as -1.  Only stable values
// are listed (no AVPHYS_PAGES), so two runs on an idle process print the same.
#include "fdscope/proc_sysconf.hpp"

#include <unistd.h>

namespace fdscope {

namespace {
struct Row {
  const char* name;
  int sc;
};
constexpr Row kRows[] = {
    {"ARG_MAX", _SC_ARG_MAX},
    {"CHILD_MAX", _SC_CHILD_MAX},
    {"CLK_TCK", _SC_CLK_TCK},
    {"NGROUPS_MAX", _SC_NGROUPS_MAX},
    {"OPEN_MAX", _SC_OPEN_MAX},
    {"STREAM_MAX", _SC_STREAM_MAX},
    {"TZNAME_MAX", _SC_TZNAME_MAX},
    {"PAGESIZE", _SC_PAGESIZE},
    {"PHYS_PAGES", _SC_PHYS_PAGES},
    {"NPROCESSORS_CONF", _SC_NPROCESSORS_CONF},
    {"NPROCESSORS_ONLN", _SC_NPROCESSORS_ONLN},
    {"LINE_MAX", _SC_LINE_MAX},
    {"LOGIN_NAME_MAX", _SC_LOGIN_NAME_MAX},
    {"HOST_NAME_MAX", _SC_HOST_NAME_MAX},
    {"TTY_NAME_MAX", _SC_TTY_NAME_MAX},
    {"IOV_MAX", _SC_IOV_MAX},
    {"RTSIG_MAX", _SC_RTSIG_MAX},
    {"SIGQUEUE_MAX", _SC_SIGQUEUE_MAX},
    {"SEM_NSEMS_MAX", _SC_SEM_NSEMS_MAX},
    {"MQ_PRIO_MAX", _SC_MQ_PRIO_MAX},
    {"SYMLOOP_MAX", _SC_SYMLOOP_MAX},
    {"GETPW_R_SIZE_MAX", _SC_GETPW_R_SIZE_MAX},
    {"GETGR_R_SIZE_MAX", _SC_GETGR_R_SIZE_MAX},
    {"THREAD_KEYS_MAX", _SC_THREAD_KEYS_MAX},
    {"THREAD_STACK_MIN", _SC_THREAD_STACK_MIN},
    {"JOB_CONTROL", _SC_JOB_CONTROL},
    {"SAVED_IDS", _SC_SAVED_IDS},
    {"VERSION", _SC_VERSION},
};
}  // namespace

std::vector<SysconfValue> read_sysconf() {
  std::vector<SysconfValue> out;
  for (const auto& r : kRows) {
    long v = ::sysconf(r.sc);
    out.push_back(SysconfValue{r.name, v == -1 ? std::nullopt : std::optional<long>(v)});
  }
  return out;
}

}  // namespace fdscope
