/* splice_relay.c: the floor of a user-space TCP relay for relay issue 5 --
 * the least a relay can do per block: socket -> pipe -> socket with
 * splice(2), both directions, one poll(2) loop, nothing else (no timers, no
 * statistics, no probes).  bench/relay_vs_socat.sh runs it as the "splice
 * floor" row, so that the closing note can say how far relay is from it.
 *   splice_relay [FD_A FD_B]      (default 3 and 4, as the bench hands them)
 * The loop is splice_loop.h's (shared with bench/floor/sockmap_relay.c):
 * 1 MiB pipe, 256 KiB per splice, up to 32 rounds per wakeup; no libbpf,
 * so the bench builds it with plain cc.  Knobs for experiments:
 *   SPL_PIPE=N   pipe size (F_SETPIPE_SZ), default 1048576
 *   SPL_LEN=N    bytes asked per splice from the socket, default 262144
 *   SPL_MORE=1   SPLICE_F_MORE on the write side
 *   SPL_NODELAY=1  TCP_NODELAY on both sockets
 * Each direction ends as socat's does: EOF on the source, then
 * shutdown(SHUT_WR) on the destination; exits when both have ended.
 * Measured 2026-11-23 (load 12-14, 1-2 GiB, 4-5 alternating rounds, CPU ms
 * per GiB of source + hop + sink): default 636-727, SPL_PIPE=262144 645-650,
 * SPL_PIPE=131072 SPL_LEN=131072 682, SPL_LEN=1048576 618-650,
 * SPL_PIPE=SPL_LEN=4194304 724, SPL_MORE=1 678, SPL_NODELAY=1 671; relay
 * itself 652-690.  Everything but the 4 MiB pipe is within the run-to-run
 * noise: the cost is the kernel's TCP work on both connections (about 60%
 * of the hop's time is splice into the sending socket, including the
 * loopback receive it triggers, 26% the splice out of the receiving one),
 * which no user-space choice here changes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "splice_loop.h"

static long env_long(const char *name, long dflt) {
  const char *v = getenv(name);
  return v && *v ? atol(v) : dflt;
}

int main(int argc, char **argv) {
  int a = argc > 2 ? atoi(argv[1]) : 3, b = argc > 2 ? atoi(argv[2]) : 4;
  splice_len = (size_t)env_long("SPL_LEN", 1 << 18);
  if (env_long("SPL_MORE", 0)) splice_out_flags |= SPLICE_F_MORE;
  if (env_long("SPL_NODELAY", 0)) {
    int one = 1;
    setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  struct splice_dir d[2];
  return splice_relay(a, b, (int)env_long("SPL_PIPE", 1 << 20), d);
}
