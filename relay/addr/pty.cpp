// PTY: relay creates a pseudo terminal and transfers data over its master;
// another program opens the slave (found through link= or the log line).
// TERMIOS options (raw, echo=0, b115200 ...) are applied to the master, which
// shares its line discipline with the slave.  When the last program holding
// the slave closes it, reading the master fails with EIO, which the engine
// takes as EOF (as socat); sitout-eio=SECONDS (socat 1.8), registered here,
// makes it wait that long for a new opener first.
#include <fmt/format.h>

#include "addr/open_steps.hpp"
#include "addr/pty_master.hpp"
#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"

namespace relay {
namespace {

using fdscope::Result;

fdscope::Status apply_sitout_eio(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->read_rules.sitout_eio = v.d;
  return {};
}

const OptionDesc kPtyEngineOptions[] = {
    {.name = "sitout-eio", .aliases = {}, .groups = grp::PTY, .phase = Phase::OFFSET, .type = OptType::Timeval,
     .apply = apply_sitout_eio,
     .help = "after EIO on the pty master (slave closed) wait this many seconds for a new opener before EOF"},
};

const OptionTableRegistrar kRegisterPtyEngine(kPtyEngineOptions);

Result<Endpoint> open_pty_address(const AddressSpec&, OpenContext& ctx) {
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  auto pty = addr::open_pty(ctx, false);
  if (!pty) return pty.take_error();
  ctx.log(LogLevel::Notice, fmt::format("PTY is {}", pty->slave_name));
  if (auto link = ctx.spec().find("link")) ctx.set_path(link->value.text);
  for (Phase p : {Phase::EARLY, Phase::PREOPEN})
    if (auto s = ctx.apply_phase(p); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  int raw = pty->master.get();
  if (auto s = addr::make_pty_link(ctx, *pty, ep); !s) return s.take_error();
  ep.rfd = has_read(ctx.access()) ? raw : -1;
  ep.wfd = has_write(ctx.access()) ? raw : -1;
  ep.owned.push_back(std::move(pty->master));
  if (auto s = addr::apply_fd_phases(ctx, raw, ep); !s) return s.take_error();
  if (auto s = addr::wait_for_slave(ctx, raw); !s) return s.take_error();
  return ep;
}

const AddressType kPtyTypes[] = {
    {.keyword = "PTY", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "PTY", .dir = Dir::ReadWrite,
     .groups = grp::FD | grp::NAMED | grp::TERMIOS | grp::PTY, .open = open_pty_address,
     .summary = "a new pseudo terminal; relay holds the master"},
};

const AddressTypeRegistrar kRegisterPty(kPtyTypes);

}  // namespace
}  // namespace relay
