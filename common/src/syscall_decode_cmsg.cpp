// The ancillary data of sendmsg/recvmsg (msg_control) as strace shows it:
// one `{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
// cmsg_data=[5]}` per cmsghdr, SCM_RIGHTS as fds (decorated like every other
// fd), SCM_CREDENTIALS as `{pid=12, uid=0, gid=0}`, anything else as a hex
// string.  The walk follows CMSG_NXTHDR's alignment and stops at the end of
// the captured bytes or of msg_controllen, whichever comes first; a
// capture that stopped early ends the cmsghdr or the list with `...`.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope {

namespace {

constexpr size_t kHdr = 16;  // struct cmsghdr: u64 len, int level, int type
constexpr int kSolSocket = 1, kScmRights = 1, kScmCredentials = 2;

template <typename T>
T load_at(std::string_view raw, size_t off) {
  T v;
  std::memcpy(&v, raw.data() + off, sizeof v);
  return v;
}

size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

void cmsg_data(int level, int type, std::string_view data, int32_t pid,
               const FdDecorator* decorate, std::string& out) {
  auto o = std::back_inserter(out);
  if (level == kSolSocket && type == kScmRights) {
    out.push_back('[');
    for (size_t i = 0; i + 4 <= data.size(); i += 4) {
      if (i) out.append(", ");
      const int32_t fd = load_at<int32_t>(data, i);
      fmt::format_to(o, "{}", fd);
      if (fd >= 0 && decorate && *decorate) {
        std::string name = (*decorate)(pid, fd);
        if (!name.empty()) fmt::format_to(o, "<{}>", name);
      }
    }
    out.push_back(']');
    return;
  }
  if (level == kSolSocket && type == kScmCredentials && data.size() >= 12) {
    fmt::format_to(o, "{{pid={}, uid={}, gid={}}}", load_at<int32_t>(data, 0),
                   load_at<uint32_t>(data, 4), load_at<uint32_t>(data, 8));
    return;
  }
  format_quoted_hex(data, data.size(), false, out);
}

}  // namespace

void format_cmsgs(std::string_view raw, uint64_t controllen, int32_t pid,
                  const FdDecorator* decorate, std::string& out) {
  auto o = std::back_inserter(out);
  if (raw.size() > controllen) raw = raw.substr(0, controllen);
  out.push_back('[');
  size_t at = 0;
  bool first = true, cut = false;
  while (at + kHdr <= raw.size()) {
    const uint64_t len = load_at<uint64_t>(raw, at);
    const int level = load_at<int32_t>(raw, at + 8);
    const int type = load_at<int32_t>(raw, at + 12);
    if (len < kHdr) break;
    if (!first) out.append(", ");
    first = false;
    fmt::format_to(o, "{{cmsg_len={}, cmsg_level=", len);
    if (level == kSolSocket)
      out.append("SOL_SOCKET");
    else
      fmt::format_to(o, "{}", level);
    out.append(", cmsg_type=");
    if (level == kSolSocket && type == kScmRights)
      out.append("SCM_RIGHTS");
    else if (level == kSolSocket && type == kScmCredentials)
      out.append("SCM_CREDENTIALS");
    else
      fmt::format_to(o, "{:#x}", type);
    if (at + len > raw.size()) {
      // The capture ends inside this one (or the length runs past the data).
      out.append(", ...}");
      cut = true;
      break;
    }
    out.append(", cmsg_data=");
    cmsg_data(level, type, raw.substr(at + kHdr, len - kHdr), pid, decorate, out);
    out.push_back('}');
    at += align8(len);
  }
  if (!cut && raw.size() < controllen && at < controllen) out.append(first ? "..." : ", ...");
  out.push_back(']');
}

}  // namespace fdscope
