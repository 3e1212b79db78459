// The iff-* options of the INTERFACE group (net/opts_interface.cpp): the
// IFF_* flags an address sets or clears on its network interface.
#pragma once

#include <string>

#include "core/open_context.hpp"
#include "fdscope/result.hpp"

namespace relay::net {

// Applies the iff-* options of ctx's address to interface ifname through
// fd (any socket), with one SIOCGIFFLAGS/SIOCSIFFLAGS pair; marks them
// applied.  Nothing is done when the address has none.
fdscope::Status apply_interface_flags(OpenContext& ctx, int fd, const std::string& ifname);

}  // namespace relay::net
