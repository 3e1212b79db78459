// Builds the per-syscall capture plan the kernel side follows (see
// bpf/trace.h, struct trace_sc_plan) from the argument kinds in the shared
// syscall table: path/string arguments become string captures, sockaddr
// arguments address captures, buffers and iovecs payload captures.  The few
// calls whose payload hides behind a struct (sendmsg/recvmsg, sendmmsg/recvmmsg) or whose memory
// image is replaced (execve) are named here explicitly.  Struct arguments the
// formatter decodes (fdscope::struct_capture: stat buffers, signal sets,
// wait status, rlimits ...) and other memory contents (getrandom's bytes,
// setsockopt's value) become struct captures (st_kind), at most
// TRACE_ST_SLOTS per call; a call without any costs nothing for them.
#include "capture_plan.hpp"

#include <algorithm>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope::trace {

namespace {

trace_sc_plan empty_row() {
  trace_sc_plan r{};
  r.str_arg[0] = r.str_arg[1] = TRACE_NO_ARG;
  r.addr_arg = r.addrlen_arg = TRACE_NO_ARG;
  r.data_kind = TRACE_DATA_NONE;
  r.data_arg = r.len_arg = TRACE_NO_ARG;
  for (int i = 0; i < TRACE_ST_SLOTS; i++) {
    r.st_kind[i] = TRACE_ST_NONE;
    r.st_arg[i] = r.st_lenarg[i] = TRACE_NO_ARG;
    r.st_size[i] = 0;
  }
  return r;
}

// The next free struct-capture slot of a row (false when all are taken).
bool add_struct(trace_sc_plan& r, uint8_t kind, int arg, int len_arg, unsigned size) {
  for (int i = 0; i < TRACE_ST_SLOTS; i++) {
    if (r.st_kind[i] != TRACE_ST_NONE) continue;
    r.st_kind[i] = kind;
    r.st_arg[i] = static_cast<uint8_t>(arg);
    r.st_lenarg[i] = len_arg >= 0 && len_arg < 6 ? static_cast<uint8_t>(len_arg) : TRACE_NO_ARG;
    r.st_size[i] = static_cast<uint8_t>(std::min<unsigned>(size, TRACE_ST_MAX));
    return true;
  }
  return false;
}

uint8_t st_kind_of(StructCapture how) {
  switch (how) {
    case StructCapture::kIn: return TRACE_ST_IN;
    case StructCapture::kOut: return TRACE_ST_OUT;
    case StructCapture::kRet: return TRACE_ST_RET;
    case StructCapture::kCountDirents: return TRACE_ST_DIRENTS;
    case StructCapture::kCountPointers: return TRACE_ST_ENVC;
    case StructCapture::kMsgControl: return TRACE_ST_CMSG;
    case StructCapture::kSigmaskArg: return TRACE_ST_SIGMASK_ARG;
    case StructCapture::kNone: break;
  }
  return TRACE_ST_NONE;
}

}  // namespace

CapturePlan build_capture_plan(const SyscallSet& traced, bool stacks) {
  CapturePlan plan;
  for (auto& r : plan.rows) r = empty_row();
  for (const SyscallInfo& info : all_syscalls()) {
    if (info.number < 0 || info.number >= TRACE_MAX_SYSCALLS) continue;
    if (!traced.test(static_cast<size_t>(info.number))) continue;
    trace_sc_plan& r = plan.rows[static_cast<size_t>(info.number)];
    r.flags = TRACE_PLAN_TRACED;
    if (stacks) r.flags |= TRACE_PLAN_STACK;
    int nstr = 0;
    for (int i = 0; i < info.nargs && i < 6; i++) {
      const ArgSpec& a = info.args[i];
      switch (a.kind) {
        case ArgKind::kPath:
        case ArgKind::kString:
          if (nstr < 2) r.str_arg[nstr++] = static_cast<uint8_t>(i);
          break;
        case ArgKind::kSockaddr:
          r.addr_arg = static_cast<uint8_t>(i);
          r.addrlen_arg = a.aux;
          break;
        case ArgKind::kSockaddrOut:
          r.addr_arg = static_cast<uint8_t>(i);
          r.addrlen_arg = a.aux;
          r.flags |= TRACE_PLAN_ADDR_PTRLEN;
          break;
        case ArgKind::kFdPair:
          r.addr_arg = static_cast<uint8_t>(i);
          r.flags |= TRACE_PLAN_FDPAIR;
          break;
        case ArgKind::kBufIn:
        case ArgKind::kBufOut:
          r.data_kind = TRACE_DATA_BUF;
          r.data_arg = static_cast<uint8_t>(i);
          r.len_arg = a.aux;
          if (a.kind == ArgKind::kBufOut) r.flags |= TRACE_PLAN_DATA_IN;
          break;
        case ArgKind::kIovIn:
        case ArgKind::kIovOut:
          r.data_kind = TRACE_DATA_IOV;
          r.data_arg = static_cast<uint8_t>(i);
          r.len_arg = a.aux;
          if (a.kind == ArgKind::kIovOut) r.flags |= TRACE_PLAN_DATA_IN;
          break;
        case ArgKind::kBytesIn:
          add_struct(r, TRACE_ST_IN, i, a.aux, TRACE_ST_MAX);
          break;
        case ArgKind::kBytesOut:
          add_struct(r, TRACE_ST_RET, i, a.aux, TRACE_ST_MAX);
          break;
        case ArgKind::kStruct:
        case ArgKind::kStructOut: {
          const StructCaptureSpec c = struct_capture(info.number, i);
          if (c.how != StructCapture::kNone) add_struct(r, st_kind_of(c.how), i, c.len_arg, c.size);
          break;
        }
        default:
          break;
      }
    }
    std::string_view name = info.name;
    if (name == "execve" || name == "execveat") {
      const int path = name == "execve" ? 0 : 1;
      r.flags |= TRACE_PLAN_EXEC;
      r.str_arg[0] = static_cast<uint8_t>(path);
      r.str_arg[1] = static_cast<uint8_t>(path + 1);
    } else if (name == "sendmsg" || name == "recvmsg") {
      r.data_kind = TRACE_DATA_MSG;
      r.data_arg = 1;
      if (name == "recvmsg") r.flags |= TRACE_PLAN_DATA_IN;
      add_struct(r, TRACE_ST_CMSG, 1, -1, TRACE_ST_MAX);
    } else if (name == "sendmmsg" || name == "recvmmsg") {
      r.data_kind = TRACE_DATA_MMSG;
      r.data_arg = 1;
      r.len_arg = 2;
      if (name == "recvmmsg") r.flags |= TRACE_PLAN_DATA_IN;
    }
  }
  return plan;
}

bool plan_has_payload(const trace_sc_plan& row) { return row.data_kind != TRACE_DATA_NONE; }

}  // namespace fdscope::trace
