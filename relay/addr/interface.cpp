// INTERFACE:<ifname>: raw link-layer frames on one network interface
// through an AF_PACKET SOCK_RAW socket bound to it (ETH_P_ALL), one frame
// per read and per write.  Needs CAP_NET_RAW.  The iff-* options change the
// interface's flags in phase FD (net/opts_interface.cpp).
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include <fmt/format.h>

#include "core/address_type.hpp"

#include "core/syscall_log.hpp"
#include "core/open_context.hpp"
#include "net/opts_interface.hpp"
#include "net/socket_ops.hpp"

namespace relay {
namespace {

using fdscope::Result;

Result<Endpoint> open_interface(const AddressSpec& a, OpenContext& ctx) {
  const std::string& ifname = a.params[0];
  unsigned index = if_nametoindex(ifname.c_str());
  if (!index) return fdscope::sys_error(fmt::format("if_nametoindex(\"{}\")", ifname));
  if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
  if (auto s = ctx.apply_phase(Phase::PRESOCKET); !s) return s.take_error();
  if (auto s = ctx.apply_phase(Phase::SOCKET); !s) return s.take_error();
  auto fd = net::open_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
  if (!fd) return fd.take_error();
  for (Phase p : {Phase::PASTSOCKET, Phase::FD})
    if (auto s = ctx.apply_phase(p, fd->get()); !s) return s.take_error();
  if (auto s = net::apply_interface_flags(ctx, fd->get(), ifname); !s) {
    if (!ctx.settings().sloppy) return s.take_error();
    ctx.log(LogLevel::Warning, s.error().message());
  }
  if (auto s = ctx.apply_phase(Phase::PREBIND, fd->get()); !s) return s.take_error();
  sockaddr_ll ll{};
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = htons(ETH_P_ALL);
  ll.sll_ifindex = static_cast<int>(index);
  net::SockAddr addr = net::SockAddr::from(reinterpret_cast<sockaddr*>(&ll), sizeof ll);
  if (sys::bind(fd->get(), addr.sa(), addr.len) < 0)
    return fdscope::sys_error(fmt::format("bind({}, interface \"{}\" index {})", fd->get(), ifname, index));
  for (Phase p : {Phase::PASTBIND, Phase::CONNECTED, Phase::LATE, Phase::LATE2})
    if (auto s = ctx.apply_phase(p, fd->get()); !s) return s.take_error();
  Endpoint ep = ctx.make_endpoint();
  ep.rfd = ep.wfd = fd->get();
  ep.datagram = true;
  ep.owned.push_back(std::move(*fd));
  if (auto s = ctx.finish(ep); !s) return s.take_error();
  return ep;
}

const AddressType kInterface[] = {
    {.keyword = "INTERFACE", .aliases = {"IF"}, .min_params = 1, .max_params = 1, .usage = "INTERFACE:<interface>",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::SOCKET | grp::INTERFACE, .open = &open_interface,
     .summary = "raw frames on a network interface (AF_PACKET)"},
};
const AddressTypeRegistrar kReg(kInterface);

}  // namespace
}  // namespace relay
