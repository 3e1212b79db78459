/* loopback.h: shared by the C helpers of the benchmarks (bench/tcpblast.c,
 * bench/connclient.c, bench/floor/sockmap_relay.c), each built with one cc
 * command: a monotonic clock in seconds and a 127.0.0.1 address. */
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* 127.0.0.1:port (0: any free port, for bind). */
static inline struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}
