// TEXT:<string> (socat 1.8): reading yields the string, then EOF; what is
// written to the address is discarded.  The text is put into a memfd (any
// length, readable and spliceable like a file) and writes go to /dev/null.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include "addr/open_steps.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "fdscope/io.hpp"

namespace relay {
namespace {

using fdscope::Result;
using fdscope::UniqueFd;

Result<Endpoint> open_text(const AddressSpec& a, OpenContext& ctx) {
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  if (has_read(ctx.access())) {
    UniqueFd mem(::memfd_create("relay-text", MFD_CLOEXEC));
    if (!mem) return fdscope::sys_error("memfd_create(\"relay-text\")");
    if (auto s = fdscope::write_all(mem.get(), a.params[0]); !s) return s.take_error();
    if (::lseek(mem.get(), 0, SEEK_SET) < 0) return fdscope::sys_error("lseek(memfd, 0)");
    ep.rfd = mem.get();
    ep.owned.push_back(std::move(mem));
  }
  if (has_write(ctx.access())) {
    auto null = fdscope::open_fd("/dev/null", O_WRONLY);
    if (!null) return null.take_error();
    ep.wfd = null->get();
    ep.owned.push_back(std::move(*null));
  }
  ctx.log(LogLevel::Notice, fmt::format("text of {} bytes", a.params[0].size()));
  if (auto s = addr::apply_fd_phases(ctx, ep.rfd >= 0 ? ep.rfd : ep.wfd, ep); !s) return s.take_error();
  return ep;
}

const AddressType kTextTypes[] = {
    {.keyword = "TEXT", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "TEXT:<string>",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::FIFO, .open = open_text,
     .summary = "read the given text, then EOF; writes are discarded"},
};

const AddressTypeRegistrar kRegisterText(kTextTypes);

}  // namespace
}  // namespace relay
