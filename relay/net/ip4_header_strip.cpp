// Removing the IPv4 header from packets read on raw IPv4 sockets, as socat
// does (see ip4_header_strip.hpp).  The pump thread owns a duplicate of the
// raw socket and the write end of a SOCK_SEQPACKET pair: it receives one
// packet at a time into a buffer allocated before it starts (so it never
// takes the allocator's lock, and a fork of the main thread for EXEC stays
// safe), and sends the payload as one packet.  Header-only packets are
// dropped: an empty SEQPACKET message would read as end of file.  It makes
// plain system calls and logs nothing, since the process logger belongs to
// the main thread.  The duplicate shares O_NONBLOCK with relay's own fd, so
// the pump waits with poll() when the socket says EAGAIN.
#include "net/ip4_header_strip.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "core/syscall_log.hpp"

namespace relay::net {

using fdscope::Result;
using fdscope::UniqueFd;

size_t ip4_header_length(const char* packet, size_t len) {
  if (len < 20) return 0;
  auto first = static_cast<unsigned char>(packet[0]);
  if ((first >> 4) != 4) return 0;
  size_t hl = static_cast<size_t>(first & 0x0f) * 4;
  if (hl < 20 || hl > len) return 0;
  return hl;
}

namespace {

constexpr size_t kMaxPacket = 65536;

void pump(UniqueFd raw, UniqueFd out, std::unique_ptr<char[]> buf) {
  for (;;) {
    ssize_t n = ::recv(raw.get(), buf.get(), kMaxPacket, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        // The duplicate shares the file's flags: the engine may have made
        // the socket non-blocking for its own (sending) use.
        pollfd p{raw.get(), POLLIN, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      return;
    }
    size_t hl = ip4_header_length(buf.get(), static_cast<size_t>(n));
    if (hl == 0 || static_cast<size_t>(n) == hl) continue;
    ssize_t w;
    do {
      w = ::send(out.get(), buf.get() + hl, static_cast<size_t>(n) - hl, MSG_NOSIGNAL);
    } while (w < 0 && errno == EINTR);
    if (w < 0) return;  // the reader is gone
  }
}

}  // namespace

Result<UniqueFd> start_ip4_header_stripper(int raw_fd) {
  int dup = sys::fcntl(raw_fd, F_DUPFD_CLOEXEC, 0L);
  if (dup < 0) return fdscope::sys_error(fmt::format("fcntl({}, F_DUPFD_CLOEXEC)", raw_fd));
  UniqueFd raw(dup);
  int pair[2];
  if (sys::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
    return fdscope::sys_error("socketpair(AF_UNIX, SOCK_SEQPACKET)");
  UniqueFd rd(pair[0]), wr(pair[1]);
  int sz = static_cast<int>(kMaxPacket) * 4;
  sys::setsockopt(wr.get(), SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
  std::thread(pump, std::move(raw), std::move(wr), std::make_unique<char[]>(kMaxPacket)).detach();
  return rd;
}

}  // namespace relay::net
