// The socket system calls of the network addresses, each returning an
// Error whose text is socat's ("connect(5, AF=2 127.0.0.1:1, 16)", then
// the errno text): socket creation, bind, connect with a timeout,
// listen, and accept with a timeout.
#pragma once

#include <string>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"
#include "net/sock_addr.hpp"

namespace relay::net {

// socket(family, type|SOCK_CLOEXEC, protocol).
fdscope::Result<fdscope::UniqueFd> open_socket(int family, int type, int protocol);

fdscope::Status bind_to(int fd, const SockAddr& a);

// connect(); timeout_s > 0 bounds the wait (non-blocking connect + poll),
// 0 waits as long as the kernel does.  The fd's O_NONBLOCK flag is restored.
fdscope::Status connect_to(int fd, const SockAddr& a, double timeout_s);

fdscope::Status listen_on(int fd, int backlog);

struct Accepted {
  fdscope::UniqueFd fd;
  SockAddr peer;
  SockAddr local;
};

// Waits for one connection on the listening fd lfd.  timeout_s > 0 bounds
// the wait (socat's accept-timeout): ETIMEDOUT when it expires.
// extra_fd (if >= 0) is polled too; when it becomes readable the call
// returns an Error with err == EINTR so the caller can service it.
// With an O_NONBLOCK lfd a pending connection is taken without polling
// first (a busy fork server saves a poll per connection).  want_local:
// fill Accepted::local (getsockname); otherwise the caller may do it later.
fdscope::Result<Accepted> accept_on(int lfd, double timeout_s, int extra_fd = -1, bool want_local = true);

// Sets or clears O_NONBLOCK.
fdscope::Status set_nonblock(int fd, bool on);

// int-valued setsockopt with socat's error text.
fdscope::Status set_int_opt(int fd, int level, int name, int value, const char* name_text);

}  // namespace relay::net
