// The FD option group (socat's xio-fd options): settings that work on any
// open file descriptor -- fcntl flags, ownership and mode through the fd,
// advisory locks, generic ioctls -- plus the FIFO group's pipe size and the
// end-of-transfer behaviour (shut-*, end-close, cool-write) that is stored in
// the Endpoint for the engine.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>

#include "core/address_type.hpp"

#include "core/syscall_log.hpp"
#include "core/endpoint.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"
#include "fdscope/io.hpp"

namespace relay {
namespace {

using fdscope::Status;

Status need_fd(const OptionDesc& d, const ApplyTarget& t) {
  if (t.fd < 0) return fdscope::plain_error(fmt::format("option \"{}\": no file descriptor", d.name));
  return {};
}

// arg1: the O_* flag to set or clear with F_SETFL.
Status apply_fl(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_fd(d, t); !s) return s;
  int fl = sys::fcntl(t.fd, F_GETFL);
  if (fl < 0) return fdscope::sys_error(fmt::format("fcntl({}, F_GETFL)", t.fd));
  fl = v.on ? (fl | static_cast<int>(d.arg1)) : (fl & ~static_cast<int>(d.arg1));
  if (sys::fcntl(t.fd, F_SETFL, fl) < 0)
    return fdscope::sys_error(fmt::format("fcntl({}, F_SETFL, 0x{:x}) for option \"{}\"", t.fd, fl, d.name));
  return {};
}

Status apply_cloexec(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_fd(d, t); !s) return s;
  if (sys::fcntl(t.fd, F_SETFD, v.on ? FD_CLOEXEC : 0) < 0)
    return fdscope::sys_error(fmt::format("fcntl({}, F_SETFD) for option \"{}\"", t.fd, d.name));
  return {};
}

Status apply_fchmod(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_fd(d, t); !s) return s;
  if (::fchmod(t.fd, static_cast<mode_t>(v.u)) < 0)
    return fdscope::sys_error(fmt::format("fchmod({}, 0{:o}) for option \"{}\"", t.fd, v.u, d.name));
  return {};
}

// arg1 = 0: owner, 1: group.
Status apply_fchown(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_fd(d, t); !s) return s;
  uid_t u = d.arg1 == 0 ? static_cast<uid_t>(v.u) : static_cast<uid_t>(-1);
  gid_t g = d.arg1 == 1 ? static_cast<gid_t>(v.u) : static_cast<gid_t>(-1);
  if (::fchown(t.fd, u, g) < 0)
    return fdscope::sys_error(fmt::format("fchown({}, {}) for option \"{}\"", t.fd, v.text, d.name));
  return {};
}

// arg1: LOCK_SH / LOCK_EX (| LOCK_NB).
Status apply_flock(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (!v.on) return {};
  if (auto s = need_fd(d, t); !s) return s;
  if (fdscope::retry_eintr([&] { return ::flock(t.fd, static_cast<int>(d.arg1)); }) < 0)
    return fdscope::sys_error(fmt::format("flock({}) for option \"{}\"", t.fd, d.name));
  return {};
}

// arg1: F_SETLK / F_SETLKW; arg2: F_RDLCK / F_WRLCK.
Status apply_setlk(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (!v.on) return {};
  if (auto s = need_fd(d, t); !s) return s;
  struct flock l{};
  l.l_type = static_cast<short>(d.arg2);
  l.l_whence = SEEK_SET;
  if (fdscope::retry_eintr([&] { return sys::fcntl(t.fd, static_cast<int>(d.arg1), &l); }) < 0)
    return fdscope::sys_error(fmt::format("fcntl({}, F_SETLK*) for option \"{}\"", t.fd, d.name));
  return {};
}

Status apply_pipesz(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_fd(d, t); !s) return s;
  if (sys::fcntl(t.fd, F_SETPIPE_SZ, static_cast<int>(v.u)) < 0)
    return fdscope::sys_error(fmt::format("fcntl({}, F_SETPIPE_SZ, {}) for option \"{}\"", t.fd, v.u, d.name));
  return {};
}

// "request" or "request:value": numbers (decimal or 0x).
bool split_ioctl(std::string_view text, unsigned long& req, long& val, bool want_value) {
  std::string s(text);
  char* end = nullptr;
  req = std::strtoul(s.c_str(), &end, 0);
  if (end == s.c_str()) return false;
  if (!want_value) return *end == '\0';
  if (*end != ':') return false;
  const char* vs = end + 1;
  val = std::strtol(vs, &end, 0);
  return end != vs && *end == '\0';
}

Status check_ioctl_void(const OptionDesc&, const OptValue& v) {
  unsigned long r;
  long x;
  if (!split_ioctl(v.text, r, x, false)) return fdscope::plain_error("expected <request>");
  return {};
}
Status check_ioctl_int(const OptionDesc&, const OptValue& v) {
  unsigned long r;
  long x;
  if (!split_ioctl(v.text, r, x, true)) return fdscope::plain_error("expected <request>:<value>");
  return {};
}

// arg1 = 0: ioctl(fd, req); 1: ioctl(fd, req, value); 2: ioctl(fd, req, &value).
Status apply_ioctl(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_fd(d, t); !s) return s;
  unsigned long req = 0;
  long val = 0;
  split_ioctl(v.text, req, val, d.arg1 != 0);
  int rc;
  int ival = static_cast<int>(val);
  if (d.arg1 == 0)
    rc = sys::ioctl(t.fd, req);
  else if (d.arg1 == 1)
    rc = sys::ioctl(t.fd, req, val);
  else
    rc = sys::ioctl(t.fd, req, &ival);
  if (rc < 0) return fdscope::sys_error(fmt::format("ioctl({}, {}) for option \"{}\"", t.fd, v.text, d.name));
  return {};
}

// Endpoint fields (OFFSET phase).
Status apply_shut(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr && v.on) t.endpoint->shut = static_cast<ShutMode>(v.i);
  return {};
}
Status apply_cool_write(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->cool_write = v.on;
  return {};
}

using G = uint64_t;
constexpr G kFd = grp::FD;

const OptionDesc kFdOptions[] = {
    {.name = "cloexec", .aliases = {"o-cloexec"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_cloexec,
     .help = "set FD_CLOEXEC"},
    {.name = "nonblock", .aliases = {"o-nonblock", "ndelay", "o-ndelay", "nonblocking"}, .groups = kFd | grp::OPEN, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_fl, .arg1 = O_NONBLOCK, .help = "set O_NONBLOCK"},
    {.name = "append", .aliases = {"o-append"}, .groups = kFd | grp::OPEN, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_fl,
     .arg1 = O_APPEND, .help = "set O_APPEND: every write goes to the end"},
    {.name = "async", .aliases = {"o-async"}, .groups = kFd | grp::OPEN, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_fl,
     .arg1 = O_ASYNC, .help = "set O_ASYNC (SIGIO)"},
    {.name = "perm", .aliases = {"mode"}, .groups = kFd | grp::NAMED, .phase = Phase::FD, .type = OptType::Mode, .apply = apply_fchmod,
     .help = "fchmod the fd"},
    {.name = "perm-late", .aliases = {}, .groups = kFd, .phase = Phase::LATE, .type = OptType::Mode, .apply = apply_fchmod,
     .help = "fchmod the fd when the address is complete"},
    {.name = "user", .aliases = {"owner", "uid"}, .groups = kFd | grp::NAMED, .phase = Phase::FD, .type = OptType::Uid, .apply = apply_fchown,
     .arg1 = 0, .help = "fchown the fd to this user"},
    {.name = "user-late", .aliases = {"owner-late", "uid-late"}, .groups = kFd, .phase = Phase::LATE, .type = OptType::Uid, .apply = apply_fchown,
     .arg1 = 0, .help = "fchown when the address is complete"},
    {.name = "group", .aliases = {"gid"}, .groups = kFd | grp::NAMED, .phase = Phase::FD, .type = OptType::Gid, .apply = apply_fchown, .arg1 = 1,
     .help = "fchown the fd to this group"},
    {.name = "group-late", .aliases = {"gid-late"}, .groups = kFd, .phase = Phase::LATE, .type = OptType::Gid, .apply = apply_fchown, .arg1 = 1,
     .help = "fchown (group) when the address is complete"},
    {.name = "flock-sh", .aliases = {"flock-shared"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_flock, .arg1 = LOCK_SH,
     .help = "flock(LOCK_SH), waiting"},
    {.name = "flock-sh-nb", .aliases = {"flock-shared-nb"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_flock,
     .arg1 = LOCK_SH | LOCK_NB, .help = "flock(LOCK_SH|LOCK_NB)"},
    {.name = "flock-ex", .aliases = {"flock", "flock-exclusive"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_flock,
     .arg1 = LOCK_EX, .help = "flock(LOCK_EX), waiting"},
    {.name = "flock-ex-nb", .aliases = {"flock-nb", "lock", "flock-exclusive-nb"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool,
     .apply = apply_flock, .arg1 = LOCK_EX | LOCK_NB, .help = "flock(LOCK_EX|LOCK_NB)"},
    {.name = "f-setlk", .aliases = {"setlk", "f-setlk-wr", "setlk-wr"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool,
     .apply = apply_setlk, .arg1 = F_SETLK, .arg2 = F_WRLCK, .help = "fcntl F_SETLK write lock"},
    {.name = "f-setlk-rd", .aliases = {"setlk-rd"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_setlk,
     .arg1 = F_SETLK, .arg2 = F_RDLCK, .help = "fcntl F_SETLK read lock"},
    {.name = "f-setlkw", .aliases = {"setlkw", "f-setlkw-wr", "setlkw-wr"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool,
     .apply = apply_setlk, .arg1 = F_SETLKW, .arg2 = F_WRLCK, .help = "fcntl F_SETLKW write lock, waiting"},
    {.name = "f-setlkw-rd", .aliases = {"setlkw-rd"}, .groups = kFd, .phase = Phase::FD, .type = OptType::Bool, .apply = apply_setlk,
     .arg1 = F_SETLKW, .arg2 = F_RDLCK, .help = "fcntl F_SETLKW read lock, waiting"},
    {.name = "ioctl-void", .aliases = {}, .groups = kFd, .phase = Phase::FD, .type = OptType::Custom, .apply = apply_ioctl, .arg1 = 0,
     .check = check_ioctl_void, .help = "ioctl(fd, request)"},
    {.name = "ioctl-int", .aliases = {}, .groups = kFd, .phase = Phase::FD, .type = OptType::Custom, .apply = apply_ioctl, .arg1 = 1,
     .check = check_ioctl_int, .help = "ioctl(fd, request, value)"},
    {.name = "ioctl-intp", .aliases = {}, .groups = kFd, .phase = Phase::FD, .type = OptType::Custom, .apply = apply_ioctl, .arg1 = 2,
     .check = check_ioctl_int, .help = "ioctl(fd, request, &value)"},
    {.name = "f-setpipe-sz", .aliases = {"pipesz", "setpipe-sz"}, .groups = kFd | grp::FIFO, .phase = Phase::FD, .type = OptType::Size,
     .apply = apply_pipesz, .help = "fcntl F_SETPIPE_SZ: pipe buffer size"},
    {.name = "cool-write", .aliases = {"coolwrite"}, .groups = kFd, .phase = Phase::OFFSET, .type = OptType::Bool, .apply = apply_cool_write,
     .help = "EPIPE/ECONNRESET on write are notices, not errors"},
    {.name = "shut-none", .aliases = {}, .groups = kFd, .phase = Phase::OFFSET, .type = OptType::Const, .apply = apply_shut,
     .arg1 = static_cast<int64_t>(ShutMode::None), .help = "at EOF of the other side do nothing"},
    {.name = "shut-down", .aliases = {}, .groups = kFd, .phase = Phase::OFFSET, .type = OptType::Const, .apply = apply_shut,
     .arg1 = static_cast<int64_t>(ShutMode::Down), .help = "at EOF of the other side shutdown(SHUT_WR)"},
    {.name = "shut-close", .aliases = {}, .groups = kFd, .phase = Phase::OFFSET, .type = OptType::Const, .apply = apply_shut,
     .arg1 = static_cast<int64_t>(ShutMode::Close), .help = "at EOF of the other side close the fd"},
    {.name = "end-close", .aliases = {"close"}, .groups = kFd, .phase = Phase::OFFSET, .type = OptType::Const, .apply = apply_shut,
     .arg1 = static_cast<int64_t>(ShutMode::Close), .help = "close (not shut down) when done"},
};

const OptionTableRegistrar kRegisterFd(kFdOptions);

}  // namespace
}  // namespace relay
