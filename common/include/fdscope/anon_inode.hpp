// /proc/PID/fdinfo decoding: the common lines every fd has (pos, flags,
// mnt_id, ino) and the kind-specific lines of anon inodes (eventfd count,
// timerfd clock and expiry, signalfd mask, epoll targets, inotify watches,
// fanotify marks, pidfd pid, io_uring rings, bpf map/prog/link ids,
// userfaultfd counters), of pty masters (tty-index) and of locked files
// (lock:).  Pure functions over text, so tests feed them fixture strings.
//
// The kind of an anon-inode fd comes from its /proc/PID/fd link target:
// "anon_inode:[eventfd]", "anon_inode:inotify", "anon_inode:bpf-map", ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/fd_info.hpp"

namespace fdscope {

struct FdinfoCommon {
  std::optional<int64_t> pos;
  std::optional<unsigned> flags;  // octal in the file; includes O_CLOEXEC for the fd
  std::optional<int> mnt_id;
  std::optional<uint64_t> ino;
};

// Parses the four common lines; the rest of the text is left to
// decode_fdinfo_facts.
FdinfoCommon parse_fdinfo_common(std::string_view text);

// The anon-inode kind named by a link target ("anon_inode:[eventfd]"), or
// "pidfd:[123]" of kernels with pidfs; FdKind::Unknown when `link` is not an
// anon-inode link at all, FdKind::AnonInode for one we have no decoder for.
FdKind classify_anon_link(std::string_view link);

// Kind-specific facts from the whole fdinfo text (the common lines are
// skipped).  Unknown "key: value" lines become text facts with their key.
std::vector<Fact> decode_fdinfo_facts(FdKind kind, std::string_view text);

// Names used by the decoders (exposed for tests and the man page).
std::string signal_set_text(uint64_t mask);      // "SIGUSR1,SIGTERM" ("" when empty)
std::string_view clock_id_name(int clockid);     // "CLOCK_MONOTONIC" or ""
std::string epoll_events_text(uint32_t events);  // "EPOLLIN|EPOLLET"
std::string inotify_mask_text(uint32_t mask);    // "IN_CREATE|IN_DELETE"
std::string fanotify_mask_text(uint64_t mask);   // "FAN_OPEN|FAN_CLOSE_WRITE"
std::string_view bpf_map_type_name(unsigned t);  // "hash", "array", ... or ""
std::string_view bpf_prog_type_name(unsigned t); // "socket_filter", "kprobe", ... or ""

}  // namespace fdscope
