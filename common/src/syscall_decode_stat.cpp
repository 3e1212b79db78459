// The stat family's buffers in strace's default abbreviated form: struct
// stat of stat/fstat/lstat/newfstatat (`{st_mode=S_IFREG|0644,
// st_size=1234, ...}`, st_rdev for devices) and struct statx (`{stx_mask=...,
// stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1234, ...}`).  Only the
// leading fields these forms show are needed: the tracer copies the first
// 56 (stat) or 48 (statx) bytes.
#include <fmt/format.h>

#include <cstring>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope {

namespace {

template <typename T>
T load_at(std::string_view raw, size_t off) {
  T v;
  std::memcpy(&v, raw.data() + off, sizeof v);
  return v;
}

constexpr uint32_t kIfmt = 0170000, kIsuid = 04000, kIsgid = 02000, kIsvtx = 01000;

constexpr struct {
  uint32_t type;
  std::string_view name;
} kFileTypes[] = {
    {0100000, "S_IFREG"}, {0040000, "S_IFDIR"}, {0020000, "S_IFCHR"}, {0060000, "S_IFBLK"},
    {0010000, "S_IFIFO"}, {0120000, "S_IFLNK"}, {0140000, "S_IFSOCK"},
};

// stx_attributes (STATX_ATTR_*).
constexpr struct {
  uint64_t bit;
  std::string_view name;
} kStatxAttrs[] = {
    {0x4, "STATX_ATTR_COMPRESSED"},  {0x10, "STATX_ATTR_IMMUTABLE"},
    {0x20, "STATX_ATTR_APPEND"},     {0x40, "STATX_ATTR_NODUMP"},
    {0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
    {0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"},
    {0x200000, "STATX_ATTR_DAX"},    {0x400000, "STATX_ATTR_WRITE_ATOMIC"},
};

bool is_device(uint32_t mode) {
  return (mode & kIfmt) == 0020000 || (mode & kIfmt) == 0060000;
}

}  // namespace

void format_file_mode(uint32_t mode, std::string& out) {
  auto o = std::back_inserter(out);
  const uint32_t type = mode & kIfmt;
  if (type) {
    bool known = false;
    for (const auto& t : kFileTypes) {
      if (t.type == type) {
        out.append(t.name);
        known = true;
        break;
      }
    }
    if (!known) {
      fmt::format_to(o, "{:#o}", mode);
      return;
    }
    out.push_back('|');
  }
  if (mode & kIsuid) out.append("S_ISUID|");
  if (mode & kIsgid) out.append("S_ISGID|");
  if (mode & kIsvtx) out.append("S_ISVTX|");
  fmt::format_to(o, "{:#03o}", mode & ~(kIfmt | kIsuid | kIsgid | kIsvtx));
}

bool format_stat(std::string_view raw, std::string& out) {
  // struct stat (x86_64): st_mode at 24, st_rdev at 40, st_size at 48.
  if (raw.size() < 56) return false;
  const uint32_t mode = load_at<uint32_t>(raw, 24);
  out.append("{st_mode=");
  format_file_mode(mode, out);
  if (is_device(mode)) {
    const uint64_t dev = load_at<uint64_t>(raw, 40);
    // glibc's major()/minor() encoding of dev_t.
    const uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~uint64_t{0xfff});
    const uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~uint64_t{0xff});
    fmt::format_to(std::back_inserter(out), ", st_rdev=makedev({:#x}, {:#x})", major, minor);
  } else {
    fmt::format_to(std::back_inserter(out), ", st_size={}", load_at<int64_t>(raw, 48));
  }
  out.append(", ...}");
  return true;
}

bool format_statx(std::string_view raw, std::string& out) {
  // struct statx: stx_mask at 0, stx_attributes at 8, stx_mode at 28,
  // stx_size at 40.
  if (raw.size() < 48) return false;
  out.append("{stx_mask=");
  format_flags(FlagTable::kStatxMask, load_at<uint32_t>(raw, 0), out);
  out.append(", stx_attributes=");
  uint64_t attrs = load_at<uint64_t>(raw, 8);
  bool first = true;
  for (const auto& a : kStatxAttrs) {
    if (!(attrs & a.bit)) continue;
    if (!first) out.push_back('|');
    out.append(a.name);
    attrs &= ~a.bit;
    first = false;
  }
  if (attrs || first) {
    if (!first) out.push_back('|');
    if (attrs)
      fmt::format_to(std::back_inserter(out), "{:#x}", attrs);
    else
      out.push_back('0');
  }
  out.append(", stx_mode=");
  format_file_mode(load_at<uint16_t>(raw, 28), out);
  fmt::format_to(std::back_inserter(out), ", stx_size={}, ...}}", load_at<uint64_t>(raw, 40));
  return true;
}

}  // namespace fdscope
