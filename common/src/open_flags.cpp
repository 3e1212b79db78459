// Open-file status flags decoded to O_* names.  The values are the kernel's
// (x86-64 / asm-generic), written out as numbers: glibc hides O_LARGEFILE
// (0 on 64-bit) and fdinfo reports the kernel's bits, including O_LARGEFILE
// and O_CLOEXEC, so decoding must use the kernel's view.  filan renders an
// fd's flags with this, trace decodes open/fcntl arguments with it.
#include "fdscope/open_flags.hpp"

#include <strings.h>

#include <fmt/format.h>

#include <cstring>

namespace fdscope {
namespace {

constexpr OpenFlag kAccess[] = {
    {"O_RDONLY", 0},
    {"O_WRONLY", 1},
    {"O_RDWR", 2},
    {"O_ACCMODE", 3},
};

// Ascending by value.  O_TMPFILE is handled as a combination (see below).
constexpr OpenFlag kFlags[] = {
    {"O_CREAT", 0100},
    {"O_EXCL", 0200},
    {"O_NOCTTY", 0400},
    {"O_TRUNC", 01000},
    {"O_APPEND", 02000},
    {"O_NONBLOCK", 04000},
    {"O_DSYNC", 010000},
    {"FASYNC", 020000},
    {"O_DIRECT", 040000},
    {"O_LARGEFILE", 0100000},
    {"O_DIRECTORY", 0200000},
    {"O_NOFOLLOW", 0400000},
    {"O_NOATIME", 01000000},
    {"O_CLOEXEC", 02000000},
    {"__O_SYNC", 04000000},
    {"O_PATH", 010000000},
    {"__O_TMPFILE", 020000000},
};

constexpr unsigned kOSync = 04000000 | 010000;  // O_SYNC = __O_SYNC | O_DSYNC

}  // namespace

std::span<const OpenFlag> open_access_modes() { return kAccess; }
std::span<const OpenFlag> open_flag_table() { return kFlags; }

std::string_view open_access_mode_name(unsigned flags) { return kAccess[flags & 3].name; }

std::vector<std::string> open_flag_names(unsigned flags) {
  std::vector<std::string> out;
  unsigned rest = flags & ~3u;
  // O_PATH opens have no access mode (the kernel reports O_RDONLY bits = 0):
  // O_PATH takes the access mode's place.
  if ((flags & kKernelOPath) && !(flags & 3)) {
    out.emplace_back("O_PATH");
    rest &= ~kKernelOPath;
  } else {
    out.emplace_back(open_access_mode_name(flags));
  }
  if ((rest & kKernelOTmpfile) == kKernelOTmpfile) {
    out.emplace_back("O_TMPFILE");
    rest &= ~kKernelOTmpfile;
  }
  if ((rest & kOSync) == kOSync) {
    out.emplace_back("O_SYNC");
    rest &= ~kOSync;
  }
  for (const auto& f : kFlags) {
    if (rest & f.value) {
      out.emplace_back(f.name);
      rest &= ~f.value;
    }
  }
  if (rest) out.push_back(fmt::format("0x{:x}", rest));
  return out;
}

std::string open_flags_text(unsigned flags, char sep) {
  std::string out;
  for (const auto& n : open_flag_names(flags)) {
    if (!out.empty()) out.push_back(sep);
    out += n;
  }
  return out;
}

void open_flags_json(JsonWriter& w, unsigned flags) {
  w.begin_array();
  for (const auto& n : open_flag_names(flags)) w.value(n);
  w.end_array();
}

void append_open_flags_strace(unsigned flags, bool with_access_mode, std::string& out) {
  constexpr unsigned kODirectory = 0200000;
  unsigned rest = flags;
  bool first = true;
  auto name = [&](std::string_view n) {
    if (!first) out.push_back('|');
    out.append(n);
    first = false;
  };
  if (with_access_mode) {
    name(open_access_mode_name(flags));
    rest &= ~3u;
  }
  const bool tmpfile = (rest & kKernelOTmpfile) == kKernelOTmpfile;
  const bool directory = (rest & kODirectory) && !tmpfile;
  rest &= ~kODirectory;
  for (const auto& f : kFlags) {
    if (f.value == 010000 && (rest & kOSync) == kOSync) {
      name("O_SYNC");
      rest &= ~kOSync;
    }
    if (f.value == 020000000 && tmpfile) {
      name("O_TMPFILE");
      rest &= ~020000000u;
      continue;
    }
    if (rest & f.value) {
      name(f.name);
      rest &= ~f.value;
    }
  }
  if (directory) name("O_DIRECTORY");
  if (rest) {
    if (!first) out.push_back('|');
    fmt::format_to(std::back_inserter(out), "{:#x}", rest);
    first = false;
  }
  if (first) out.push_back('0');
}

Result<unsigned> parse_fdinfo_flags(std::string_view octal) {
  while (!octal.empty() && (octal.front() == ' ' || octal.front() == '\t')) octal.remove_prefix(1);
  while (!octal.empty() && (octal.back() == ' ' || octal.back() == '\t' || octal.back() == '\n'))
    octal.remove_suffix(1);
  if (octal.empty() || octal.size() > 11) return plain_error(fmt::format("bad fdinfo flags \"{}\"", octal));
  unsigned v = 0;
  for (char c : octal) {
    if (c < '0' || c > '7') return plain_error(fmt::format("bad fdinfo flags \"{}\"", octal));
    v = v * 8 + static_cast<unsigned>(c - '0');
  }
  return v;
}

bool open_flag_value(std::string_view name, unsigned* value) {
  auto matches = [&](const char* full) {
    std::string_view f = full;
    std::string_view shortname = f.substr(f.find('_') + 1);
    auto eq = [](std::string_view a, std::string_view b) {
      return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
    };
    return eq(name, f) || eq(name, shortname);
  };
  for (const auto& f : kAccess)
    if (matches(f.name)) return *value = f.value, true;
  if (matches("O_TMPFILE")) return *value = kKernelOTmpfile, true;
  if (matches("O_SYNC")) return *value = kOSync, true;
  for (const auto& f : kFlags)
    if (matches(f.name)) return *value = f.value, true;
  return false;
}

std::string fd_flags_text(int fd_flags) { return (fd_flags & 1) ? "FD_CLOEXEC" : ""; }

}  // namespace fdscope
