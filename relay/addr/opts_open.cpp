// The OPEN option group: open(2) flags for OPEN, CREATE, GOPEN and named
// PIPE addresses.  Most rows are flags that OpenContext::open_flags() ORs
// into the open call (arg1 = the O_* bit); rdonly/wronly/rdwr choose the
// access mode and are read by the open function itself.
#include <fcntl.h>

#include "core/option.hpp"

namespace relay {
namespace {

constexpr uint64_t kOpen = grp::OPEN;

#define RELAY_OPEN_FLAG(nm, al, flag, text)                                                           \
  {.name = nm, .aliases = al, .groups = kOpen, .phase = Phase::OPEN, .type = OptType::Bool, .arg1 = flag, \
   .help = text}

const OptionDesc kOpenOptions[] = {
    RELAY_OPEN_FLAG("creat", (std::array<std::string_view, 5>{"create", "o-creat"}), O_CREAT,
                    "create the file if it does not exist"),
    RELAY_OPEN_FLAG("excl", (std::array<std::string_view, 5>{"o-excl"}), O_EXCL,
                    "with creat: fail if the file exists"),
    RELAY_OPEN_FLAG("trunc", (std::array<std::string_view, 5>{"o-trunc"}), O_TRUNC,
                    "truncate the file to length 0"),
    RELAY_OPEN_FLAG("noctty", (std::array<std::string_view, 5>{"o-noctty"}), O_NOCTTY,
                    "do not make a tty the controlling terminal"),
    RELAY_OPEN_FLAG("sync", (std::array<std::string_view, 5>{"o-sync"}), O_SYNC, "O_SYNC writes"),
    RELAY_OPEN_FLAG("dsync", (std::array<std::string_view, 5>{"o-dsync"}), O_DSYNC, "O_DSYNC writes"),
    RELAY_OPEN_FLAG("rsync", (std::array<std::string_view, 5>{"o-rsync"}), O_RSYNC, "O_RSYNC reads"),
    RELAY_OPEN_FLAG("nofollow", (std::array<std::string_view, 5>{"o-nofollow"}), O_NOFOLLOW,
                    "fail if the path is a symbolic link"),
    RELAY_OPEN_FLAG("directory", (std::array<std::string_view, 5>{"o-directory"}), O_DIRECTORY,
                    "fail unless the path is a directory"),
    RELAY_OPEN_FLAG("noatime", (std::array<std::string_view, 5>{"o-noatime"}), O_NOATIME,
                    "do not update the access time"),
    RELAY_OPEN_FLAG("direct", (std::array<std::string_view, 5>{"o-direct"}), O_DIRECT,
                    "O_DIRECT: bypass the page cache"),
    RELAY_OPEN_FLAG("largefile", (std::array<std::string_view, 5>{"o-largefile"}), O_LARGEFILE,
                    "O_LARGEFILE (always on for 64-bit)"),
    {.name = "rdonly", .aliases = {"o-rdonly"}, .groups = kOpen, .phase = Phase::OPEN, .type = OptType::Bool,
     .help = "open read-only"},
    {.name = "wronly", .aliases = {"o-wronly"}, .groups = kOpen, .phase = Phase::OPEN, .type = OptType::Bool,
     .help = "open write-only"},
    {.name = "rdwr", .aliases = {"o-rdwr"}, .groups = kOpen, .phase = Phase::OPEN, .type = OptType::Bool,
     .help = "open for reading and writing"},
};

#undef RELAY_OPEN_FLAG

const OptionTableRegistrar kRegisterOpen(kOpenOptions);

}  // namespace
}  // namespace relay
