/* tcpblast: the two fast ends of the relay benchmarks (bench/*.sh), so that
 * the measured hop, not the source or sink, is the bottleneck.
 *   tcpblast freeport              print a free 127.0.0.1 TCP port
 *   tcpblast sink PORTFILE         listen on 127.0.0.1:0, write the port to
 *                                  PORTFILE, accept one connection, read to
 *                                  EOF; print "<bytes> <seconds>" (first byte
 *                                  to last byte: a hop that ends its side
 *                                  late, like socat's FD addresses, which
 *                                  do not shut down and exit after -t 0.5 s,
 *                                  is not charged for the wait)
 *   tcpblast source PORT BYTES     connect to 127.0.0.1:PORT (retrying for 10 s
 *                                  while nothing listens), send BYTES zero
 *                                  bytes in 1 MiB writes, shut down, wait for
 *                                  the peer to close
 *   tcpblast serve PORTFILE BYTES  the same sender, but listening: write the
 *                                  port to PORTFILE, accept one connection
 * Built by the bench scripts with cc -O2; not part of the product. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/loopback.h"

int main(int argc, char **argv) {
  static char buf[1 << 20];
  if (argc == 2 && !strcmp(argv[1], "freeport")) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) || getsockname(s, (struct sockaddr *)&a, &len)) return 1;
    printf("%d\n", ntohs(a.sin_port));
    return 0;
  }
  if (argc == 3 && !strcmp(argv[1], "sink")) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &len)) {
      perror("sink: listen");
      return 1;
    }
    FILE *f = fopen(argv[2], "w");
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    int c = accept(l, NULL, NULL);
    if (c < 0) return 1;
    unsigned long long total = 0;
    double t0 = 0, t1 = 0;
    for (;;) {
      ssize_t n = read(c, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      t1 = now();
      if (!total) t0 = t1;
      total += (unsigned long long)n;
    }
    printf("%llu %.6f\n", total, t1 - t0);
    return 0;
  }
  if (argc == 4 && (!strcmp(argv[1], "source") || !strcmp(argv[1], "serve"))) {
    unsigned long long left = strtoull(argv[3], NULL, 10);
    int s = -1;
    if (!strcmp(argv[1], "serve")) {
      int l = socket(AF_INET, SOCK_STREAM, 0);
      struct sockaddr_in a = loopback(0);
      socklen_t len = sizeof a;
      if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &len)) {
        perror("serve: listen");
        return 1;
      }
      FILE *f = fopen(argv[2], "w");
      fprintf(f, "%d\n", ntohs(a.sin_port));
      fclose(f);
      s = accept(l, NULL, NULL);
      close(l);
    } else {
      struct sockaddr_in a = loopback(atoi(argv[2]));
      for (int i = 0; i < 1000; i++) {
        s = socket(AF_INET, SOCK_STREAM, 0);
        if (!connect(s, (struct sockaddr *)&a, sizeof a)) break;
        close(s);
        s = -1;
        usleep(10000);
      }
    }
    if (s < 0) {
      perror("source: connect");
      return 1;
    }
    while (left) {
      size_t chunk = left < sizeof buf ? (size_t)left : sizeof buf;
      ssize_t n = write(s, buf, chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        perror("source: write");
        return 1;
      }
      left -= (unsigned long long)n;
    }
    shutdown(s, SHUT_WR);
    while (read(s, buf, sizeof buf) > 0) {
    }
    return 0;
  }
  fprintf(stderr, "usage: tcpblast freeport | sink PORTFILE | source PORT BYTES\n");
  return 2;
}
