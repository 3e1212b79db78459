// STALL (socat 1.8): an address that never transfers anything -- reading
// never returns data or EOF, writing never makes progress -- for tests of
// timeouts (-T) and of the other side's behaviour.  Reads come from a pipe
// whose write end relay keeps and never writes; writes go to a pipe that is
// filled up at open time and never drained, so it never polls writable.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <vector>

#include "addr/open_steps.hpp"

#include "core/syscall_log.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"

namespace relay {
namespace {

using fdscope::Result;
using fdscope::UniqueFd;

Result<Endpoint> open_stall(const AddressSpec&, OpenContext& ctx) {
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  if (has_read(ctx.access())) {
    int p[2];
    if (sys::pipe2(p, O_CLOEXEC) < 0) return fdscope::sys_error("pipe2()");
    ep.rfd = p[0];
    ep.owned.emplace_back(p[0]);
    ep.owned.emplace_back(p[1]);  // kept open, never written: no data, no EOF
  }
  if (has_write(ctx.access())) {
    int p[2];
    if (sys::pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) return fdscope::sys_error("pipe2()");
    ep.owned.emplace_back(p[0]);  // kept open, never read: writes never complete
    ep.owned.emplace_back(p[1]);
    sys::fcntl(p[1], F_SETPIPE_SZ, 4096);
    std::vector<char> junk(4096, 0);
    while (::write(p[1], junk.data(), junk.size()) > 0) {
    }
    while (::write(p[1], junk.data(), 1) > 0) {
    }
    ep.wfd = p[1];
  }
  ctx.log(LogLevel::Notice, "stalling: no data will be transferred on this address");
  if (auto s = addr::apply_fd_phases(ctx, ep.rfd >= 0 ? ep.rfd : ep.wfd, ep); !s) return s.take_error();
  return ep;
}

const AddressType kStallTypes[] = {
    {.keyword = "STALL", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "STALL",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::FIFO, .open = open_stall,
     .summary = "never transfers data in either direction (for tests)"},
};

const AddressTypeRegistrar kRegisterStall(kStallTypes);

}  // namespace
}  // namespace relay
