// The PROCESS and ADDR option groups: changes to the process that owns the
// address -- relay itself for plain addresses, the child for EXEC, SYSTEM
// and SHELL (whose open function applies these phases after fork).  Order
// follows socat: chroot and setsid in LATE, dropping privileges (setuid,
// setgid, su) in LATE2 so that everything needing them has happened; the
// *-early variants in EARLY, before the address is opened.  The calls go
// through core/syscall_log.hpp, so -dddd shows them (in an EXEC child too).
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/open_context.hpp"
#include "core/option.hpp"
#include "core/syscall_log.hpp"

namespace relay {
namespace {

using fdscope::Status;

Status apply_chroot(const OptionDesc& d, const OptValue& v, ApplyTarget&) {
  if (sys::chroot(v.text.c_str()) < 0)
    return fdscope::sys_error(fmt::format("chroot(\"{}\") for option \"{}\"", v.text, d.name));
  if (sys::chdir("/") < 0) return fdscope::sys_error("chdir(\"/\") after chroot");
  return {};
}

Status apply_chdir(const OptionDesc& d, const OptValue& v, ApplyTarget&) {
  if (sys::chdir(v.text.c_str()) < 0)
    return fdscope::sys_error(fmt::format("chdir(\"{}\") for option \"{}\"", v.text, d.name));
  return {};
}

Status apply_umask(const OptionDesc&, const OptValue& v, ApplyTarget&) {
  sys::umask(static_cast<mode_t>(v.u));
  return {};
}

Status apply_setsid(const OptionDesc& d, const OptValue& v, ApplyTarget&) {
  if (!v.on) return {};
  // Fails with EPERM when we already lead a process group (e.g. started from
  // an interactive shell without a fork): socat reports the same error.
  if (sys::setsid() < 0) return fdscope::sys_error(fmt::format("setsid() for option \"{}\"", d.name));
  return {};
}

Status apply_setgid(const OptionDesc& d, const OptValue& v, ApplyTarget&) {
  gid_t g = static_cast<gid_t>(v.u);
  if (sys::setgroups(1, &g) < 0 && geteuid() == 0)
    return fdscope::sys_error(fmt::format("setgroups(1, [{}]) for option \"{}\"", g, d.name));
  if (sys::setgid(g) < 0) return fdscope::sys_error(fmt::format("setgid({}) for option \"{}\"", g, d.name));
  return {};
}

Status apply_setuid(const OptionDesc& d, const OptValue& v, ApplyTarget&) {
  if (sys::setuid(static_cast<uid_t>(v.u)) < 0)
    return fdscope::sys_error(fmt::format("setuid({}) for option \"{}\"", v.u, d.name));
  return {};
}

// su: the user's groups (initgroups), primary group, then uid.
Status apply_su(const OptionDesc& d, const OptValue& v, ApplyTarget&) {
  uid_t uid = static_cast<uid_t>(v.u);
  passwd* pw = ::getpwuid(uid);
  gid_t gid = pw != nullptr ? pw->pw_gid : static_cast<gid_t>(uid);
  if (pw != nullptr && ::initgroups(pw->pw_name, gid) < 0)
    return fdscope::sys_error(fmt::format("initgroups(\"{}\") for option \"{}\"", pw->pw_name, d.name));
  if (sys::setgid(gid) < 0) return fdscope::sys_error(fmt::format("setgid({}) for option \"{}\"", gid, d.name));
  if (sys::setuid(uid) < 0) return fdscope::sys_error(fmt::format("setuid({}) for option \"{}\"", uid, d.name));
  return {};
}

constexpr uint64_t kProc = grp::PROCESS;

const OptionDesc kProcessOptions[] = {
    {.name = "chroot", .aliases = {}, .groups = kProc, .phase = Phase::LATE, .type = OptType::String,
     .apply = apply_chroot, .help = "chroot to this directory after opening"},
    {.name = "chroot-early", .aliases = {}, .groups = kProc, .phase = Phase::EARLY, .type = OptType::String,
     .apply = apply_chroot, .help = "chroot before opening"},
    {.name = "setsid", .aliases = {"sid"}, .groups = kProc, .phase = Phase::LATE, .type = OptType::Bool,
     .apply = apply_setsid, .help = "start a new session"},
    {.name = "setgid", .aliases = {}, .groups = kProc, .phase = Phase::LATE2, .type = OptType::Gid,
     .apply = apply_setgid, .help = "change group after opening"},
    {.name = "setgid-early", .aliases = {}, .groups = kProc, .phase = Phase::EARLY, .type = OptType::Gid,
     .apply = apply_setgid, .help = "change group before opening"},
    {.name = "setuid", .aliases = {}, .groups = kProc, .phase = Phase::LATE2, .type = OptType::Uid,
     .apply = apply_setuid, .help = "change user id after opening"},
    {.name = "setuid-early", .aliases = {}, .groups = kProc, .phase = Phase::EARLY, .type = OptType::Uid,
     .apply = apply_setuid, .help = "change user id before opening"},
    {.name = "su", .aliases = {"substuser"}, .groups = kProc, .phase = Phase::LATE2, .type = OptType::Uid,
     .apply = apply_su, .help = "become this user (groups, gid, uid) after opening"},
    {.name = "su-d", .aliases = {"substuser-delayed"}, .groups = kProc, .phase = Phase::LATE2,
     .type = OptType::Uid, .apply = apply_su, .help = "like su, applied once the address is complete"},
    {.name = "su-e", .aliases = {"substuser-early"}, .groups = kProc, .phase = Phase::EARLY,
     .type = OptType::Uid, .apply = apply_su, .help = "become this user before opening"},
    {.name = "chdir", .aliases = {"cd"}, .groups = grp::ADDR, .phase = Phase::INIT, .type = OptType::String,
     .apply = apply_chdir, .help = "change directory (for EXEC: in the child)"},
    {.name = "umask", .aliases = {}, .groups = grp::ADDR, .phase = Phase::INIT, .type = OptType::Mode,
     .apply = apply_umask, .help = "set the umask (for EXEC: in the child)"},
};

const OptionTableRegistrar kRegisterProcess(kProcessOptions);

}  // namespace
}  // namespace relay
