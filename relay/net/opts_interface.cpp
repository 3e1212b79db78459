// The INTERFACE option group's interface flags (socat's iff-* options):
// iff-up, iff-broadcast, iff-debug, iff-loopback, iff-pointopoint,
// iff-notrailers, iff-running, iff-noarp, iff-promisc, iff-allmulti,
// iff-master, iff-slave, iff-multicast, iff-portsel, iff-automedia and
// iff-dynamic set (or with "=0" clear) the IFF_* flag of the network
// interface an address works on.  They are consumed options of phase FD:
// apply_interface_flags() folds them, in written order, into one mask to
// set and one to clear, and changes the interface with a single
// SIOCGIFFLAGS / SIOCSIFFLAGS pair (the kernel ignores the flags it keeps
// itself, such as IFF_RUNNING and IFF_LOOPBACK).
#include "net/opts_interface.hpp"

#include <net/if.h>
#include <sys/ioctl.h>

#include <cstring>

#include <fmt/format.h>

#include "core/flag_options.hpp"
#include "core/option.hpp"
#include "core/syscall_log.hpp"

namespace relay {
namespace {

#define IFF(nm, al, flag, text)                                                                                  \
  {.name = nm, .aliases = al, .groups = grp::INTERFACE, .phase = Phase::FD, .type = OptType::Bool, .arg1 = flag, \
   .help = text}
using A = std::array<std::string_view, 5>;

const OptionDesc kInterfaceOptions[] = {
    IFF("iff-up", (A{"up"}), IFF_UP, "set the interface up"),
    IFF("iff-broadcast", A{}, IFF_BROADCAST, "IFF_BROADCAST"),
    IFF("iff-debug", A{}, IFF_DEBUG, "IFF_DEBUG"),
    IFF("iff-loopback", (A{"loopback"}), IFF_LOOPBACK, "IFF_LOOPBACK"),
    IFF("iff-pointopoint", (A{"pointopoint"}), IFF_POINTOPOINT, "IFF_POINTOPOINT"),
    IFF("iff-notrailers", (A{"notrailers"}), IFF_NOTRAILERS, "IFF_NOTRAILERS"),
    IFF("iff-running", (A{"running"}), IFF_RUNNING, "IFF_RUNNING"),
    IFF("iff-noarp", (A{"noarp"}), IFF_NOARP, "IFF_NOARP: no ARP on the interface"),
    IFF("iff-promisc", (A{"promisc"}), IFF_PROMISC, "IFF_PROMISC: receive all packets"),
    IFF("iff-allmulti", (A{"allmulti"}), IFF_ALLMULTI, "IFF_ALLMULTI: receive all multicast packets"),
    IFF("iff-master", (A{"master"}), IFF_MASTER, "IFF_MASTER"),
    IFF("iff-slave", (A{"slave"}), IFF_SLAVE, "IFF_SLAVE"),
    IFF("iff-multicast", (A{"multicast"}), IFF_MULTICAST, "IFF_MULTICAST"),
    IFF("iff-portsel", (A{"portsel"}), IFF_PORTSEL, "IFF_PORTSEL"),
    IFF("iff-automedia", (A{"automedia"}), IFF_AUTOMEDIA, "IFF_AUTOMEDIA"),
    IFF("iff-dynamic", A{}, IFF_DYNAMIC, "IFF_DYNAMIC"),
};
#undef IFF

const OptionTableRegistrar kReg(kInterfaceOptions);

}  // namespace

namespace net {

fdscope::Status apply_interface_flags(OpenContext& ctx, int fd, const std::string& ifname) {
  FlagMasks m = flag_options(ctx, kInterfaceOptions);
  auto set = static_cast<unsigned>(m.on), clear = static_cast<unsigned>(m.off);
  if (set == 0 && clear == 0) return {};
  if (ifname.size() >= IFNAMSIZ) return fdscope::plain_error(fmt::format("interface name \"{}\" too long", ifname));
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, ifname.data(), ifname.size());
  if (sys::ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
    return fdscope::sys_error(fmt::format("ioctl({}, SIOCGIFFLAGS, \"{}\")", fd, ifname));
  auto flags = static_cast<unsigned short>(ifr.ifr_flags);
  flags = static_cast<unsigned short>((flags | set) & ~clear);
  ifr.ifr_flags = static_cast<short>(flags);
  if (sys::ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
    return fdscope::sys_error(fmt::format("ioctl({}, SIOCSIFFLAGS, \"{}\", 0x{:x})", fd, ifname, flags));
  return {};
}

}  // namespace net
}  // namespace relay
