/* splice_loop.h: the splice(2) relay loop shared by the floor programs of
 * relay issue 5 (splice_relay.c, the "splice floor" row of
 * bench/relay_vs_socat.sh, and sockmap_relay.c, which falls back to it and
 * compares against it): socket -> pipe -> socket per direction, up to 32
 * rounds per wakeup, one poll(2) loop, nothing else.  Each direction ends
 * as socat's does: EOF on the source, then shutdown(SHUT_WR) on the
 * destination.  Header-only so that each program stays one cc command. */
#pragma once
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

struct splice_dir {
  int from, to;
  int pipe[2];
  size_t in_pipe;
  int eof, done;
  unsigned long long bytes;  /* written to `to` */
};

/* Bytes asked per splice from the socket, and the flags of the write side. */
static size_t splice_len = 1 << 18;
static unsigned splice_out_flags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;

/* Moves what is ready; 0, or -1 with errno on a hard error. */
static int splice_step(struct splice_dir *d) {
  for (int i = 0; i < 32; i++) {
    if (!d->eof) {
      ssize_t n = splice(d->from, NULL, d->pipe[1], NULL, splice_len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n == 0) d->eof = 1;
      else if (n > 0) d->in_pipe += (size_t)n;
      else if (errno != EAGAIN) return -1;
    }
    if (!d->in_pipe) break;
    ssize_t m = splice(d->pipe[0], NULL, d->to, NULL, d->in_pipe, splice_out_flags);
    if (m > 0) {
      d->in_pipe -= (size_t)m;
      d->bytes += (unsigned long long)m;
    } else if (m < 0 && errno != EAGAIN) {
      return -1;
    }
    if (m <= 0) break;
  }
  if (d->eof && !d->in_pipe && !d->done) {
    shutdown(d->to, SHUT_WR);
    d->done = 1;
  }
  return 0;
}

/* Relays both directions between a and b (made non-blocking) until both
 * have ended; pipe_size is each direction's F_SETPIPE_SZ.  d receives the
 * final state (byte counts).  0, or 1 after printing the error. */
static int splice_relay(int a, int b, int pipe_size, struct splice_dir d[2]) {
  d[0] = (struct splice_dir){.from = a, .to = b};
  d[1] = (struct splice_dir){.from = b, .to = a};
  for (int i = 0; i < 2; i++) {
    if (pipe2(d[i].pipe, O_NONBLOCK)) return 1;
    fcntl(d[i].pipe[1], F_SETPIPE_SZ, pipe_size);
  }
  fcntl(a, F_SETFL, O_NONBLOCK);
  fcntl(b, F_SETFL, O_NONBLOCK);
  while (!d[0].done || !d[1].done) {
    struct pollfd p[4];
    int np = 0, idx[4];
    for (int i = 0; i < 2; i++) {
      if (d[i].done) continue;
      if (!d[i].eof && !d[i].in_pipe) { p[np] = (struct pollfd){d[i].from, POLLIN, 0}; idx[np++] = i; }
      if (d[i].in_pipe) { p[np] = (struct pollfd){d[i].to, POLLOUT, 0}; idx[np++] = i; }
    }
    if (poll(p, np, -1) < 0 && errno != EINTR) return 1;
    for (int k = 0; k < np; k++)
      if (p[k].revents && splice_step(&d[idx[k]])) {
        perror("splice");
        return 1;
      }
  }
  return 0;
}
