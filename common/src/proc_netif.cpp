// Interface listing per network namespace and the VSOCK CID (see
// proc_netif.hpp).  setns(CLONE_NEWNET) changes only the calling thread, so
// the foreign namespace is entered by a helper thread that exits afterwards:
// procan's own namespace never changes, even in a multithreaded program.
#include "fdscope/proc_netif.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/vm_sockets.h>

#include <algorithm>
#include <thread>

#include "fdscope/io.hpp"

namespace fdscope {

namespace {

Result<std::vector<NetInterface>> list_here() {
  struct if_nameindex* ifs = ::if_nameindex();
  if (!ifs) return sys_error("if_nameindex");
  std::vector<NetInterface> out;
  for (auto* p = ifs; p->if_index != 0; ++p) out.push_back(NetInterface{p->if_index, p->if_name});
  ::if_freenameindex(ifs);
  std::sort(out.begin(), out.end(), [](const NetInterface& a, const NetInterface& b) { return a.index < b.index; });
  return out;
}

}  // namespace

Result<std::vector<NetInterface>> read_interfaces(const ProcSource& src) {
  auto nsfd = open_fd("ns/net", O_RDONLY, src.dir_fd());
  if (!nsfd) return Error{"open " + src.path("ns/net"), nsfd.error().err};
  struct stat theirs, ours;
  if (::fstat(nsfd->get(), &theirs) != 0) return sys_error("fstat " + src.path("ns/net"));
  if (::stat("/proc/thread-self/ns/net", &ours) == 0 && ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev)
    return list_here();
  Result<std::vector<NetInterface>> result = Error{"not read"};
  std::thread t([&] {
    if (::setns(nsfd->get(), CLONE_NEWNET) != 0) {
      result = sys_error("setns into the network namespace of " + src.path("ns/net"));
      return;
    }
    result = list_here();
  });
  t.join();
  return result;
}

Result<uint32_t> read_vsock_cid() {
  auto fd = open_fd("/dev/vsock", O_RDONLY);
  if (!fd) return fd.take_error();
  unsigned int cid = 0;
  if (::ioctl(fd->get(), IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid) != 0) return sys_error("ioctl(/dev/vsock, GET_LOCAL_CID)");
  return static_cast<uint32_t>(cid);
}

}  // namespace fdscope
