// USDT probes of relay (provider "relay"), compiled in through <sys/sdt.h>:
// each is a single nop in the binary until a tracer (fdscope trace, bpftrace,
// perf, systemtap) attaches to it.  The engine fires transfer/eof/shutdown/
// close; the network addresses (relay/net/) fire accept and connect.
// docs/relay-probes.md documents every probe and its arguments; keep the two
// in sync (a ctest reads the notes back with readelf -n).
#pragma once

#include <sys/sdt.h>

// A listening socket accepted a connection.
//   arg0 listen fd, arg1 new fd, arg2 peer sockaddr*, arg3 its length
#define RELAY_PROBE_ACCEPT(listen_fd, fd, peer, peer_len) \
  DTRACE_PROBE4(relay, accept, (int)(listen_fd), (int)(fd), (const void*)(peer), (unsigned)(peer_len))

// connect(2) finished on a client socket (also non-blocking ones, when done).
//   arg0 fd, arg1 destination sockaddr*, arg2 its length, arg3 errno (0 = connected)
#define RELAY_PROBE_CONNECT(fd, addr, addr_len, err) \
  DTRACE_PROBE4(relay, connect, (int)(fd), (const void*)(addr), (unsigned)(addr_len), (int)(err))

// One block moved (read+write, or one splice into and out of the pipe).
//   arg0 direction (0 left->right, 1 right->left), arg1 fd read, arg2 fd written,
//   arg3 bytes in this block, arg4 bytes so far in this direction, arg5 1 if spliced
#define RELAY_PROBE_TRANSFER(dir, fd_in, fd_out, bytes, total, spliced)                        \
  DTRACE_PROBE6(relay, transfer, (int)(dir), (int)(fd_in), (int)(fd_out), (long long)(bytes), \
                (unsigned long long)(total), (int)(spliced))

// A read side reached EOF.  arg0 direction, arg1 fd, arg2 bytes read from it
#define RELAY_PROBE_EOF(dir, fd, total) \
  DTRACE_PROBE3(relay, eof, (int)(dir), (int)(fd), (unsigned long long)(total))

// The write side of a direction was shut down (shutdown(SHUT_WR) on a socket).
//   arg0 direction, arg1 fd, arg2 bytes written to it
#define RELAY_PROBE_SHUTDOWN(dir, fd, total) \
  DTRACE_PROBE3(relay, shutdown, (int)(dir), (int)(fd), (unsigned long long)(total))

// The engine closed an fd (shut-close / end of transfer).
//   arg0 fd, arg1 bytes read from it, arg2 bytes written to it
#define RELAY_PROBE_CLOSE(fd, bytes_read, bytes_written) \
  DTRACE_PROBE3(relay, close, (int)(fd), (unsigned long long)(bytes_read), (unsigned long long)(bytes_written))
