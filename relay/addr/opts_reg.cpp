// The REG option group: settings for regular files -- the start offset
// (seek, seek-cur, seek-end), truncation to a length, and the inode flags
// of ext2-compatible file systems (FS_IOC_SETFLAGS: immutable, append-only,
// nodump ...).  Applied in the LATE phase, once the file is open.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/open_context.hpp"

#include "core/syscall_log.hpp"
#include "core/option.hpp"

namespace relay {
namespace {

using fdscope::Status;

// arg1: SEEK_SET / SEEK_CUR / SEEK_END.
Status apply_seek(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (t.fd < 0) return fdscope::plain_error(fmt::format("option \"{}\": no file descriptor", d.name));
  if (::lseek(t.fd, static_cast<off_t>(v.i), static_cast<int>(d.arg1)) < 0)
    return fdscope::sys_error(fmt::format("lseek({}, {}) for option \"{}\"", t.fd, v.text, d.name));
  return {};
}

Status apply_ftruncate(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (t.fd < 0) return fdscope::plain_error(fmt::format("option \"{}\": no file descriptor", d.name));
  if (::ftruncate(t.fd, static_cast<off_t>(v.u)) < 0)
    return fdscope::sys_error(fmt::format("ftruncate({}, {}) for option \"{}\"", t.fd, v.u, d.name));
  return {};
}

// arg1: the FS_*_FL bit.
Status apply_fsflag(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (t.fd < 0) return fdscope::plain_error(fmt::format("option \"{}\": no file descriptor", d.name));
  int flags = 0;
  if (sys::ioctl(t.fd, FS_IOC_GETFLAGS, &flags) < 0)
    return fdscope::sys_error(fmt::format("ioctl({}, FS_IOC_GETFLAGS) for option \"{}\"", t.fd, d.name));
  flags = v.on ? (flags | static_cast<int>(d.arg1)) : (flags & ~static_cast<int>(d.arg1));
  if (sys::ioctl(t.fd, FS_IOC_SETFLAGS, &flags) < 0)
    return fdscope::sys_error(fmt::format("ioctl({}, FS_IOC_SETFLAGS) for option \"{}\"", t.fd, d.name));
  return {};
}

constexpr uint64_t kReg = grp::REG;

#define RELAY_FS_FLAG(nm, al, bit, text)                                                              \
  {.name = nm, .aliases = {al}, .groups = kReg, .phase = Phase::LATE, .type = OptType::Bool,          \
   .apply = apply_fsflag, .arg1 = bit, .help = text}

const OptionDesc kRegOptions[] = {
    {.name = "seek", .aliases = {"lseek", "seek-set"}, .groups = kReg | grp::BLK, .phase = Phase::LATE,
     .type = OptType::Size, .apply = apply_seek, .arg1 = SEEK_SET, .help = "start at this offset"},
    {.name = "seek-cur", .aliases = {"lseek-cur"}, .groups = kReg | grp::BLK, .phase = Phase::LATE,
     .type = OptType::Int, .apply = apply_seek, .arg1 = SEEK_CUR, .help = "move by this many bytes"},
    {.name = "seek-end", .aliases = {"lseek-end"}, .groups = kReg | grp::BLK, .phase = Phase::LATE,
     .type = OptType::Int, .apply = apply_seek, .arg1 = SEEK_END, .help = "start this far from the end"},
    {.name = "ftruncate", .aliases = {"truncate"}, .groups = kReg, .phase = Phase::LATE, .type = OptType::Size,
     .apply = apply_ftruncate, .help = "truncate the file to this length"},
    RELAY_FS_FLAG("fs-secrm", "ext2-secrm", FS_SECRM_FL, "inode flag: secure deletion"),
    RELAY_FS_FLAG("fs-unrm", "ext2-unrm", FS_UNRM_FL, "inode flag: undelete"),
    RELAY_FS_FLAG("fs-compr", "ext2-compr", FS_COMPR_FL, "inode flag: compress"),
    RELAY_FS_FLAG("fs-sync", "ext2-sync", FS_SYNC_FL, "inode flag: synchronous updates"),
    RELAY_FS_FLAG("fs-immutable", "ext2-immutable", FS_IMMUTABLE_FL, "inode flag: immutable"),
    RELAY_FS_FLAG("fs-append", "ext2-append", FS_APPEND_FL, "inode flag: append only"),
    RELAY_FS_FLAG("fs-nodump", "ext2-nodump", FS_NODUMP_FL, "inode flag: no dump"),
    RELAY_FS_FLAG("fs-noatime", "ext2-noatime", FS_NOATIME_FL, "inode flag: no atime updates"),
    RELAY_FS_FLAG("fs-journal-data", "ext2-journal-data", FS_JOURNAL_DATA_FL, "inode flag: journal data"),
    RELAY_FS_FLAG("fs-notail", "ext2-notail", FS_NOTAIL_FL, "inode flag: no tail merging"),
    RELAY_FS_FLAG("fs-dirsync", "ext2-dirsync", FS_DIRSYNC_FL, "inode flag: synchronous directory"),
    RELAY_FS_FLAG("fs-topdir", "ext2-topdir", FS_TOPDIR_FL, "inode flag: top of directory hierarchy"),
};

#undef RELAY_FS_FLAG

const OptionTableRegistrar kRegisterReg(kRegOptions);

}  // namespace
}  // namespace relay
