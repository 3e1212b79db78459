/* sockmap_relay.c: experiment for relay issue 5 -- can an in-kernel BPF
 * sockmap relay beat the splice(2) relay between two TCP sockets?
 *   sockmap_relay splice  [FD_A FD_B]   minimal splice relay (socket -> pipe
 *                                       -> socket, both directions)
 *   sockmap_relay sockmap [FD_A FD_B]   both sockets in a SOCKMAP, every skb
 *                                       redirected by sockmap_relay.bpf.c
 *   sockmap_relay cookie FD             print the socket's SO_COOKIE
 * FD_A/FD_B default to 3 and 4 (how bench/relay_vs_socat.sh hands a hop its
 * two connected sockets).  Each direction ends as socat's does: EOF on the
 * source, then shutdown(SHUT_WR) on the destination; the program exits when
 * both directions have ended (or a socket reports an error / reset).
 *
 * sockmap mode, environment knobs for the correctness experiments:
 *   SMR_KICK=0   do not set SO_RCVLOWAT after the map insert (the kick that
 *                makes the verdict consume data queued before the insert)
 *   SMR_DRAIN=0  shut the destination down as soon as EOF is seen, without
 *                waiting for the redirected bytes to reach its send queue
 *   SMR_UNI=1    relay A -> B only (B stays out of `socks`: its data stays
 *                in its receive queue)
 *   SMR_SNDBUF=N SO_SNDBUFFORCE N on both sockets (the egress worker backs
 *                off a whole jiffy whenever the target's send buffer is
 *                full, so its size bounds the throughput)
 *   SMR_STATS=1  print byte counts and drain figures on stderr at exit
 *   SMR_WATCH=MS every MS milliseconds print A's SIOCINQ, B's SIOCOUTQ and
 *                the kernel's TCP memory (pages, /proc/net/sockstat)
 * The drain condition before shutdown(B, SHUT_WR) after EOF on A:
 *   bytes[A] == tcpi_bytes_received(A) - 1     every received byte went
 *                                              through the verdict (the -1 is
 *                                              the FIN, counted in rcv_nxt)
 *   tcpi_bytes_acked(B) + SIOCOUTQ(B) - base == bytes[A]
 *                                              and every redirected byte is
 *                                              in B's send queue; base is the
 *                                              same sum taken before A went
 *                                              into the map (1 on a connecting
 *                                              socket: bytes_acked counts the
 *                                              SYN there)
 *   (the relay never writes to B itself, so B's byte stream is exactly the
 *   redirected bytes; acked is read before OUTQ, so the sum can only lag).
 *   SMR_DEBUG=1  print each drain check
 *   SMR_READY=1  print "ready" on stderr once the sockets are in the maps
 *
 * RESULT (2026-11-23, kernel 6.18, 2 cores shared with compiles; one run of
 * run_sockmap_floor.sh, 2 GiB, best of 3, load ~5):
 *   direct 3314, socat 595, socat -b 131072 1069, splice relay 1670,
 *   relay 1244, sockmap relay 476 MiB/s (946 with 64 MiB send buffers).
 *   sockmap / splice = 0.57 at best: the in-kernel path is SLOWER, so it
 *   was not integrated into relay.  Why: every redirected skb is queued on
 *   the target's psock and sent by a kworker bound to the CPU that received
 *   it; when the target's send buffer is half full the worker retries after
 *   a whole jiffy (4 ms at HZ=250; write_space cannot advance an already
 *   armed delayed work), so throughput ~ (sndbuf/2) per jiffy, and a larger
 *   sndbuf only helps up to the per-CPU kworker's share of a busy core.
 * Correctness findings (sockmap_checks.py, all reproduced):
 *  (a) data queued before the insert is not seen by the verdict until the
 *      next data_ready; with a full receive window none comes, a permanent
 *      stall.  setsockopt(SO_RCVLOWAT) after the insert runs the verdict on
 *      it (in order, sha256 ok).  A socket whose peer's FIN already arrived
 *      (CLOSE_WAIT) is refused by the map (EOPNOTSUPP), so inserting into a
 *      program-less map first (`peers`) and redirecting through it makes
 *      every socket a valid target before any verdict runs; a refusal there
 *      means plain splice, later refusal splices that one direction.
 *  (b) POLLRDHUP on A can be seen before the verdict has run on A's last
 *      skb (tcp_fin sets RCV_SHUTDOWN before data_ready); the FIN itself
 *      reaches the verdict as a zero-length skb, which must be dropped (its
 *      redirect makes the worker's 0-byte send a hard EPIPE).  The drain
 *      condition above was lossless in 160 transfers of 1 B..64 MiB, both
 *      directions; without it 9-14 of 20 lost their tail.
 *  (c) NO backpressure: the verdict advances A's copied_seq and uncharges
 *      the skb at once, the psock queue of B is unbounded and not counted in
 *      tcp_mem: a 64 MiB transfer to a 3 MB/s reader had 61.7 MiB queued in
 *      the kernel 0.4 s in (A's peer finished writing at once).  Lossless,
 *      but memory is bounded only by the transfer size.
 *  (d) an RST from B's peer shows as POLLERR/EPIPE on B (the worker's hard
 *      error replaces ECONNRESET); everything A's peer sent meanwhile was
 *      accepted and is discarded.  An RST from A's peer is POLLERR
 *      ECONNRESET on A.  The verdict's per-direction byte counters are exact
 *      (5000000/3000000 for a 5 MB/3 MB exchange). */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* struct tcp_info with the byte counters */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../lib/loopback.h"

#include "sockmap_relay.skel.h"
#include "splice_loop.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

static int env_int(const char *name, int dflt) {
  const char *v = getenv(name);
  return v && *v ? atoi(v) : dflt;
}

/* ---- splice relay (splice_loop.h) ----------------------------------- */

static int run_splice(int a, int b) {
  struct splice_dir d[2];
  if (splice_relay(a, b, 1 << 20, d)) return 1;
  if (env_int("SMR_STATS", 0))
    fprintf(stderr, "splice a2b=%llu b2a=%llu\n", d[0].bytes, d[1].bytes);
  return 0;
}

/* ---- sockmap relay --------------------------------------------------- */

static unsigned long long cookie_of(int fd) {
  unsigned long long c = 0;
  socklen_t len = sizeof c;
  if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len)) return 0;
  return c;
}

static int tcp_info_of(int fd, struct tcp_info *ti) {
  socklen_t len = sizeof *ti;
  memset(ti, 0, sizeof *ti);
  return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

static unsigned long long counter(int map_fd, unsigned key) {
  unsigned long long v = 0;
  bpf_map_lookup_elem(map_fd, &key, &v);
  return v;
}

static long tcp_mem_pages(void) {
  FILE *f = fopen("/proc/net/sockstat", "r");
  char line[256];
  long mem = -1;
  while (f && fgets(line, sizeof line, f)) {
    char *m = strstr(line, " mem ");
    if (!strncmp(line, "TCP:", 4) && m) mem = atol(m + 5);
  }
  if (f) fclose(f);
  return mem;
}

struct sdir {
  int from, to;
  unsigned key;
  int kernel;       /* relayed by the verdict (source in `socks`) */
  struct splice_dir sp;    /* otherwise: the splice state */
  int eof, done;
  double eof_at;
  long drain_polls;
  unsigned long long base;  /* acked + SIOCOUTQ of `to` before the insert */
};

/* Bytes written into fd's send queue so far, as TCP sees it: acked plus
 * still queued.  On a connecting socket tcpi_bytes_acked also counts the
 * SYN (it starts at 1, on an accepted one at 0), hence the baseline. */
static int written_to(int fd, unsigned long long *out) {
  struct tcp_info ti;
  int outq = 0;
  if (tcp_info_of(fd, &ti) || ioctl(fd, SIOCOUTQ, &outq)) return -1;
  *out = ti.tcpi_bytes_acked + (unsigned long long)outq;
  return 0;
}

/* 1 when every byte that arrived on d->from has been redirected into
 * d->to's send queue (see the header comment), 0 when not yet, -1 on an
 * error of either socket. */
static int drained(const struct sdir *d, int bytes_fd) {
  struct tcp_info ta;
  int err = 0;
  socklen_t el = sizeof err;
  if (getsockopt(d->to, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err) {
    errno = err;
    return -1;
  }
  unsigned long long redirected = counter(bytes_fd, d->key), written;
  if (tcp_info_of(d->from, &ta)) return -1;
  if (redirected + 1 < ta.tcpi_bytes_received) return 0;
  if (written_to(d->to, &written)) return -1;
  if (env_int("SMR_DEBUG", 0))
    fprintf(stderr, "drain? redirected=%llu rcvd=%llu written=%llu base=%llu\n", redirected,
            (unsigned long long)ta.tcpi_bytes_received, written, d->base);
  return written - d->base >= redirected;
}

static int run_sockmap(int a, int b) {
  int kick = env_int("SMR_KICK", 1), drain = env_int("SMR_DRAIN", 1);
  int uni = env_int("SMR_UNI", 0), watch = env_int("SMR_WATCH", 0);
  double t0 = now();
  libbpf_set_print(NULL);
  struct sockmap_relay_bpf *skel = sockmap_relay_bpf__open_and_load();
  if (!skel) {
    perror("sockmap: load");
    return 1;
  }
  int socks = bpf_map__fd(skel->maps.socks), peers = bpf_map__fd(skel->maps.peers);
  int bytes_fd = bpf_map__fd(skel->maps.bytes), cookies = bpf_map__fd(skel->maps.cookies);
  int fds[2] = {a, b};
  int sndbuf = env_int("SMR_SNDBUF", 0);
  for (unsigned k = 0; k < 2; k++) {
    if (sndbuf) setsockopt(fds[k], SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
    unsigned long long c = cookie_of(fds[k]);
    bpf_map_update_elem(cookies, &k, &c, BPF_ANY);
  }
  if (bpf_prog_attach(bpf_program__fd(skel->progs.relay_verdict), socks, BPF_SK_SKB_VERDICT, 0)) {
    perror("sockmap: attach verdict");
    return 1;
  }
  /* Step 1: both sockets into `peers` (no program: nothing is consumed).
   * A socket that is not ESTABLISHED (e.g. CLOSE_WAIT: its peer's FIN has
   * already arrived) is refused with EOPNOTSUPP; then nothing has been
   * touched yet and the plain splice relay takes over. */
  for (unsigned k = 0; k < 2; k++) {
    unsigned long long fd = (unsigned long long)fds[k];
    if (bpf_map_update_elem(peers, &k, &fd, BPF_ANY)) {
      fprintf(stderr, "sockmap: fd %d not accepted by the sockmap (%s): splice relay instead\n", fds[k],
              strerror(errno));
      sockmap_relay_bpf__destroy(skel);
      return run_splice(a, b);
    }
  }
  /* Step 2: each direction's source into `socks`; its verdict redirects
   * via `peers`, where the target already is.  A refused source (its FIN
   * arrived meanwhile) leaves that direction to splice. */
  struct sdir d[2] = {{.from = a, .to = b, .key = 0}, {.from = b, .to = a, .key = 1}};
  for (unsigned k = 0; k < 2; k++) {
    d[k].sp = (struct splice_dir){.from = d[k].from, .to = d[k].to};
    if (uni && k == 1) {
      d[k].done = 1;
      continue;
    }
    unsigned long long fd = (unsigned long long)d[k].from;
    if (written_to(d[k].to, &d[k].base)) return 1;
    d[k].kernel = bpf_map_update_elem(socks, &k, &fd, BPF_ANY) == 0;
    if (!d[k].kernel) {
      fprintf(stderr, "sockmap: fd %d refused (%s): that direction by splice\n", d[k].from, strerror(errno));
      if (pipe2(d[k].sp.pipe, O_NONBLOCK)) return 1;
      fcntl(d[k].from, F_SETFL, fcntl(d[k].from, F_GETFL) | O_NONBLOCK);
      fcntl(d[k].to, F_SETFL, fcntl(d[k].to, F_GETFL) | O_NONBLOCK);
    }
  }
  /* Data queued on a socket before its insert is only seen by the verdict
   * on the next data_ready; SO_RCVLOWAT's setter calls it (tcp_set_rcvlowat
   * -> tcp_data_ready) when the receive queue is non-empty. */
  if (kick)
    for (int k = 0; k < 2; k++)
      if (d[k].kernel) {
        int one = 1;
        setsockopt(d[k].from, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
      }
  double setup = now() - t0;
  if (env_int("SMR_READY", 0)) fprintf(stderr, "ready\n");
  double last_watch = now();
  int rc = 0;
  while (!d[0].done || !d[1].done) {
    struct pollfd p[4];
    int np = 0, idx[4], draining = 0;
    for (int i = 0; i < 2; i++) {
      struct sdir *x = &d[i];
      if (x->done) continue;
      if (!x->kernel) {
        if (!x->sp.eof && !x->sp.in_pipe) { p[np] = (struct pollfd){x->from, POLLIN, 0}; idx[np++] = i; }
        if (x->sp.in_pipe) { p[np] = (struct pollfd){x->to, POLLOUT, 0}; idx[np++] = i; }
      } else if (x->eof) {
        draining = 1;
      } else {
        p[np] = (struct pollfd){x->from, POLLRDHUP, 0};
        idx[np++] = i;
      }
    }
    /* unidirectional: B is not polled as a source; watch it for errors */
    if (uni && !d[0].done) {
      p[np] = (struct pollfd){b, 0, 0};
      idx[np++] = 1;
    }
    int timeout = draining ? 1 : watch ? watch : -1;
    if (poll(p, np, timeout) < 0 && errno != EINTR) return 1;
    for (int k = 0; k < np; k++) {
      struct sdir *x = &d[idx[k]];
      if (!p[k].revents) continue;
      if (uni && p[k].fd == b && (p[k].revents & POLLERR)) {
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(b, SOL_SOCKET, SO_ERROR, &err, &el);
        fprintf(stderr, "sockmap: fd %d: %s\n", b, strerror(err));
        rc = 1;
        goto out;
      }
      if (uni && p[k].fd == b) continue;
      if (!x->kernel) {
        if (splice_step(&x->sp)) {
          fprintf(stderr, "sockmap: splice fd %d -> %d: %s\n", x->from, x->to, strerror(errno));
          rc = 1;
          goto out;
        }
        x->done = x->sp.done;
        continue;
      }
      if (p[k].revents & (POLLERR | POLLHUP)) {
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(x->from, SOL_SOCKET, SO_ERROR, &err, &el);
        /* POLLHUP without an error: both directions of the socket are shut
         * (our SHUT_WR and the peer's FIN), i.e. EOF. */
        if (!err && !(p[k].revents & POLLERR)) {
          x->eof = 1;
          x->eof_at = now();
          continue;
        }
        fprintf(stderr, "sockmap: fd %d: revents 0x%x: %s\n", x->from, p[k].revents, strerror(err));
        rc = 1;
        goto out;
      }
      if (p[k].revents & POLLRDHUP) {
        x->eof = 1;
        x->eof_at = now();
      }
    }
    for (int i = 0; i < 2; i++) {
      struct sdir *x = &d[i];
      if (!x->kernel || !x->eof || x->done) continue;
      int r = drain ? drained(x, bytes_fd) : 1;
      if (r < 0) {
        fprintf(stderr, "sockmap: fd %d: %s\n", x->to, strerror(errno));
        rc = 1;
        goto out;
      }
      if (!r) {
        x->drain_polls++;
        continue;
      }
      shutdown(x->to, SHUT_WR);
      x->done = 1;
      x->eof_at = now() - x->eof_at;
    }
    if (watch && now() - last_watch >= watch / 1000.0) {
      int inq = 0, outq = 0;
      struct tcp_info tb;
      unsigned long long a2b = counter(bytes_fd, 0);
      ioctl(a, SIOCINQ, &inq);
      tcp_info_of(b, &tb);
      ioctl(b, SIOCOUTQ, &outq);
      /* psock queue: redirected by the verdict, not yet in B's send queue */
      fprintf(stderr, "watch t=%.1f a2b=%llu inq(A)=%d outq(B)=%d psock_queue=%lld tcp_mem_pages=%ld\n",
              now() - t0, a2b, inq, outq, (long long)(a2b - tb.tcpi_bytes_acked - (unsigned long long)outq),
              tcp_mem_pages());
      last_watch = now();
    }
  }
out:
  if (env_int("SMR_STATS", 0)) {
    struct tcp_info ta, tb;
    tcp_info_of(a, &ta);
    tcp_info_of(b, &tb);
    fprintf(stderr,
            "sockmap setup=%.1fms a2b=%llu%s b2a=%llu%s rcvd(A)=%llu rcvd(B)=%llu drain a2b %ld polls %.3fms, "
            "b2a %ld polls %.3fms\n",
            setup * 1e3, d[0].kernel ? counter(bytes_fd, 0) : d[0].sp.bytes, d[0].kernel ? "" : "(splice)",
            d[1].kernel ? counter(bytes_fd, 1) : d[1].sp.bytes, d[1].kernel ? "" : "(splice)",
            (unsigned long long)ta.tcpi_bytes_received, (unsigned long long)tb.tcpi_bytes_received,
            d[0].drain_polls, d[0].eof_at * 1e3, d[1].drain_polls, d[1].eof_at * 1e3);
  }
  sockmap_relay_bpf__destroy(skel);
  return rc;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "cookie")) {
    printf("%llu\n", cookie_of(atoi(argv[2])));
    return 0;
  }
  if (argc != 2 && argc != 4) {
    fprintf(stderr, "usage: sockmap_relay splice|sockmap [FD_A FD_B]\n");
    return 2;
  }
  int a = argc == 4 ? atoi(argv[2]) : 3, b = argc == 4 ? atoi(argv[3]) : 4;
  if (!strcmp(argv[1], "splice")) return run_splice(a, b);
  if (!strcmp(argv[1], "sockmap")) return run_sockmap(a, b);
  fprintf(stderr, "usage: sockmap_relay splice|sockmap [FD_A FD_B]\n");
  return 2;
}
