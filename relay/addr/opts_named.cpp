// The NAMED option group: settings on the file system entry of an address
// (the file of OPEN/GOPEN/CREATE/PIPE, a PTY's link) rather than on its fd:
// ownership and mode before opening, and removal before, after or at the end
// of the transfer.  The path comes from OpenContext::path(), which the open
// function sets.
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>

#include "core/endpoint.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"

namespace relay {
namespace {

using fdscope::Status;

Status need_path(const OptionDesc& d, const ApplyTarget& t) {
  if (t.ctx == nullptr || t.ctx->path().empty())
    return fdscope::plain_error(fmt::format("option \"{}\": address has no file name", d.name));
  return {};
}

Status apply_unlink(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (!v.on) return {};
  if (auto s = need_path(d, t); !s) return s;
  if (::unlink(t.ctx->path().c_str()) < 0 && errno != ENOENT)
    return fdscope::sys_error(fmt::format("unlink(\"{}\") for option \"{}\"", t.ctx->path(), d.name));
  return {};
}

Status apply_unlink_close(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (!v.on || t.endpoint == nullptr) return {};
  if (auto s = need_path(d, t); !s) return s;
  t.endpoint->unlink_at_close.push_back(t.ctx->path());
  return {};
}

Status apply_chmod(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_path(d, t); !s) return s;
  if (::chmod(t.ctx->path().c_str(), static_cast<mode_t>(v.u)) < 0)
    return fdscope::sys_error(fmt::format("chmod(\"{}\", 0{:o}) for option \"{}\"", t.ctx->path(), v.u, d.name));
  return {};
}

// arg1 = 0: owner, 1: group.
Status apply_chown(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (auto s = need_path(d, t); !s) return s;
  uid_t u = d.arg1 == 0 ? static_cast<uid_t>(v.u) : static_cast<uid_t>(-1);
  gid_t g = d.arg1 == 1 ? static_cast<gid_t>(v.u) : static_cast<gid_t>(-1);
  if (::chown(t.ctx->path().c_str(), u, g) < 0)
    return fdscope::sys_error(fmt::format("chown(\"{}\", {}) for option \"{}\"", t.ctx->path(), v.text, d.name));
  return {};
}

constexpr uint64_t kNamed = grp::NAMED;

const OptionDesc kNamedOptions[] = {
    {.name = "unlink-early", .aliases = {"new"}, .groups = kNamed, .phase = Phase::EARLY, .type = OptType::Bool,
     .apply = apply_unlink, .help = "remove the file before anything else"},
    {.name = "unlink", .aliases = {"remove", "delete"}, .groups = kNamed, .phase = Phase::PREOPEN, .type = OptType::Bool,
     .apply = apply_unlink, .help = "remove the file just before opening it"},
    {.name = "unlink-late", .aliases = {}, .groups = kNamed, .phase = Phase::PASTOPEN, .type = OptType::Bool,
     .apply = apply_unlink, .help = "remove the file right after opening it"},
    {.name = "unlink-close", .aliases = {}, .groups = kNamed, .phase = Phase::OFFSET, .type = OptType::Bool,
     .apply = apply_unlink_close, .help = "remove the file when relay is done"},
    {.name = "perm-early", .aliases = {"mode-early"}, .groups = kNamed, .phase = Phase::PREOPEN,
     .type = OptType::Mode, .apply = apply_chmod, .help = "chmod the file before opening it"},
    {.name = "user-early", .aliases = {"owner-early", "uid-early"}, .groups = kNamed, .phase = Phase::PREOPEN,
     .type = OptType::Uid, .apply = apply_chown, .arg1 = 0, .help = "chown the file before opening it"},
    {.name = "group-early", .aliases = {"gid-early"}, .groups = kNamed, .phase = Phase::PREOPEN,
     .type = OptType::Gid, .apply = apply_chown, .arg1 = 1, .help = "chgrp the file before opening it"},
};

const OptionTableRegistrar kRegisterNamed(kNamedOptions);

}  // namespace
}  // namespace relay
