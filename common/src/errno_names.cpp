// errno numbers to names and texts (see errno_names.hpp).  Ordinary errnos
// come from glibc's strerrorname_np()/strerrordesc_np(), which give the
// symbolic name and the untranslated English text without touching the
// locale; the kernel-internal restart codes (512..530), which only a tracer
// sees in raw return values, come from a small table with strace's texts.
#include "fdscope/errno_names.hpp"

#include <cerrno>
#include <cstring>

namespace fdscope {

namespace {

struct InternalErrno {
  int number;
  std::string_view name;
  std::string_view text;
};

// include/linux/errno.h: never returned to user space, but visible in
// sys_exit when a call is interrupted or restarted.
constexpr InternalErrno kInternal[] = {
    {512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
    {513, "ERESTARTNOINTR", "To be restarted"},
    {514, "ERESTARTNOHAND", "To be restarted if no handler"},
    {515, "ENOIOCTLCMD", "No ioctl command"},
    {516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
    {517, "EPROBE_DEFER", "Driver requests probe retry"},
    {518, "EOPENSTALE", "Open found a stale dentry"},
    {519, "ENOPARAM", "Parameter not supported"},
    {521, "EBADHANDLE", "Illegal NFS file handle"},
    {522, "ENOTSYNC", "Update synchronization mismatch"},
    {523, "EBADCOOKIE", "Cookie is stale"},
    {524, "ENOTSUPP", "Operation is not supported"},
    {525, "ETOOSMALL", "Buffer or request is too small"},
    {526, "ESERVERFAULT", "An untranslatable error occurred"},
    {527, "EBADTYPE", "Type not supported by server"},
    {528, "EJUKEBOX", "Request initiated, but will not complete before timeout"},
    {529, "EIOCBQUEUED", "iocb queued, will get completion event"},
    {530, "ERECALLCONFLICT", "Conflict with recalled state"},
};

const InternalErrno* internal(int err) {
  for (const auto& e : kInternal)
    if (e.number == err) return &e;
  return nullptr;
}

constexpr int kMaxUserErrno = 512;

}  // namespace

std::string_view errno_name(int err) {
  if (err <= 0) return {};
  if (err < kMaxUserErrno) {
    const char* n = strerrorname_np(err);
    return n ? std::string_view(n) : std::string_view();
  }
  const InternalErrno* e = internal(err);
  return e ? e->name : std::string_view();
}

std::string_view errno_text(int err) {
  if (err <= 0) return {};
  if (err < kMaxUserErrno) {
    const char* t = strerrordesc_np(err);
    return t ? std::string_view(t) : std::string_view();
  }
  const InternalErrno* e = internal(err);
  return e ? e->text : std::string_view();
}

int errno_from_name(std::string_view name) {
  if (name.empty()) return 0;
  for (int err = 1; err < kMaxUserErrno; ++err) {
    const char* n = strerrorname_np(err);
    // EWOULDBLOCK/EDEADLOCK/ENOTSUP are aliases glibc names by their twin.
    if (n && name == n) return err;
  }
  if (name == "EWOULDBLOCK") return EAGAIN;
  if (name == "EDEADLOCK") return EDEADLK;
  if (name == "ENOTSUP") return EOPNOTSUPP;
  for (const auto& e : kInternal)
    if (e.name == name) return e.number;
  return 0;
}

}  // namespace fdscope
