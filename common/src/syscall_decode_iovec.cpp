// The vectors of the scatter/gather calls in strace's form: iovec arrays of
// readv/writev/preadv/pwritev(2) (`[{iov_base="ab", iov_len=2}, ...]`), the
// struct msghdr of sendmsg/recvmsg and the mmsghdr arrays of
// sendmmsg/recvmmsg.  The tracer captures the payload of all iovecs back to
// back plus, per message, its header fields and the iov_len values as passed
// (SyscallRecord::msgs / iov_lens); this file splits the payload again.  A
// record without that layout keeps the older one-string form (see
// syscall_format.cpp).
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope {

namespace {

constexpr uint64_t kAll = UINT64_MAX;
constexpr int kNrSendmsg = 46, kNrRecvmsg = 47, kNrRecvmmsg = 299, kNrSendmmsg = 307;

bool is_error(int64_t ret) { return ret < 0 && ret >= -4095; }

void append_u(uint64_t v, std::string& out) { out.append(std::to_string(v)); }

// The iov_len values of message k (messages own consecutive runs).
std::span<const uint64_t> lens_of(const SyscallRecord& rec, size_t k) {
  size_t at = 0;
  for (size_t i = 0; i < k && i < rec.msgs.size(); ++i) at += rec.msgs[i].iov_cnt;
  if (k >= rec.msgs.size() || at > rec.iov_lens.size()) return {};
  size_t n = std::min<size_t>(rec.msgs[k].iov_cnt, rec.iov_lens.size() - at);
  return rec.iov_lens.subspan(at, n);
}

}  // namespace

void format_iovec_array(std::string_view bytes, std::span<const uint64_t> lens, uint64_t count,
                        uint64_t shown, size_t limit, std::string& out) {
  out.push_back('[');
  size_t at = 0;
  uint64_t left = shown;
  size_t i = 0;
  for (; i < lens.size() && i < count; ++i) {
    if (i) out.append(", ");
    if (i == limit) {
      out.append("...");
      break;
    }
    const uint64_t share = std::min(lens[i], left);
    left -= share;
    const size_t have = std::min<uint64_t>(share, bytes.size() - at);
    out.append("{iov_base=");
    format_quoted(bytes.substr(at, have), limit, have < share, out);
    at += have;
    out.append(", iov_len=");
    append_u(lens[i], out);
    out.push_back('}');
  }
  // More iovecs than were recorded.
  if (i == std::min<uint64_t>(lens.size(), count) && i < count) out.append(i ? ", ..." : "...");
  out.push_back(']');
}

void format_msghdr(const CapturedMsg& m, std::string_view bytes, std::span<const uint64_t> lens,
                   uint64_t shown, size_t limit, std::string& out, const FdDecorator* decorate,
                   int32_t pid) {
  out.append("{msg_name=");
  if (!m.name.empty())
    format_sockaddr(m.name, out);
  else if (m.namelen == 0)
    out.append("NULL");
  else
    out.append("?");  // a name the capture did not reach
  out.append(", msg_namelen=");
  append_u(m.namelen, out);
  out.append(", msg_iov=");
  format_iovec_array(bytes, lens, m.iovlen, shown, limit, out);
  out.append(", msg_iovlen=");
  append_u(m.iovlen, out);
  // strace names msg_control only when there is some (syscall_decode_cmsg.cpp).
  if (m.controllen && m.control_present) {
    out.append(", msg_control=");
    format_cmsgs(m.control, m.controllen, pid, decorate, out);
  }
  out.append(", msg_controllen=");
  append_u(m.controllen, out);
  out.append(", msg_flags=");
  format_flags(FlagTable::kMsgFlags, static_cast<uint32_t>(m.flags), out);
  out.push_back('}');
}

bool format_vector_arg(const SyscallRecord& rec, int arg, size_t limit, std::string& out,
                       const FdDecorator* decorate) {
  const SyscallInfo* info = syscall_by_number(rec.nr);
  if (!info || arg < 0 || arg >= info->nargs) return false;
  if (!rec.has_ret || is_error(rec.ret)) return false;
  const uint64_t ret = static_cast<uint64_t>(rec.ret);
  const CapturedArg& cap = rec.data[static_cast<size_t>(arg)];
  const std::string_view bytes = cap.present ? cap.bytes : std::string_view();
  const ArgSpec& spec = info->args[arg];

  if (spec.kind == ArgKind::kIovIn || spec.kind == ArgKind::kIovOut) {
    std::span<const uint64_t> lens = rec.msgs.empty() ? rec.iov_lens : lens_of(rec, 0);
    if (lens.empty()) return false;
    const uint64_t count = rec.args[spec.aux];
    format_iovec_array(bytes, lens, count, spec.kind == ArgKind::kIovOut ? ret : kAll, limit, out);
    return true;
  }
  if (arg != 1 || rec.msgs.empty()) return false;
  if (rec.nr == kNrSendmsg || rec.nr == kNrRecvmsg) {
    const CapturedMsg& m = rec.msgs[0];
    format_msghdr(m, bytes.substr(0, std::min<size_t>(m.data_len, bytes.size())), lens_of(rec, 0),
                  rec.nr == kNrRecvmsg ? ret : kAll, limit, out, decorate, rec.pid);
    return true;
  }
  if (rec.nr == kNrSendmmsg || rec.nr == kNrRecvmmsg) {
    // sendmmsg: the messages sent; recvmmsg: the messages received (its
    // return value).  Each message's payload follows the previous one's.
    const bool recv = rec.nr == kNrRecvmmsg;
    const uint64_t wanted = recv ? ret : rec.args[2];
    out.push_back('[');
    size_t at = 0, k = 0;
    for (; k < rec.msgs.size() && k < wanted; ++k) {
      if (k) out.append(", ");
      if (k == limit) {
        out.append("...");
        break;
      }
      const CapturedMsg& m = rec.msgs[k];
      const size_t have = std::min<size_t>(m.data_len, bytes.size() - at);
      out.append("{msg_hdr=");
      format_msghdr(m, bytes.substr(at, have), lens_of(rec, k), recv ? m.msg_len : kAll, limit, out);
      at += have;
      if (recv || k < ret) {
        out.append(", msg_len=");
        append_u(m.msg_len, out);
      }
      out.push_back('}');
    }
    if (k == std::min<uint64_t>(rec.msgs.size(), wanted) && k < wanted) out.append(k ? ", ..." : "...");
    out.push_back(']');
    return true;
  }
  return false;
}

}  // namespace fdscope
