// Network interfaces as socat's procan lists them ("IP INTERFACES": index and
// name), seen from the network namespace of the analysed process, and the
// machine's VSOCK context id when /dev/vsock exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fdscope/proc_source.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

struct NetInterface {
  unsigned index = 0;
  std::string name;
};

// Interfaces of the process's network namespace, sorted by index.  When it is
// not procan's own namespace they are listed from a short-lived thread that
// setns()es into it (needs CAP_SYS_ADMIN; otherwise unavailable with EPERM).
Result<std::vector<NetInterface>> read_interfaces(const ProcSource& src);

// IOCTL_VM_SOCKETS_GET_LOCAL_CID on /dev/vsock.
Result<uint32_t> read_vsock_cid();

}  // namespace fdscope
