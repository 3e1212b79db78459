/* connclient: the client of bench/relay_fork_vs_socat.sh, in C so that the
 * client costs little of the machine's CPU and the fork server, not the
 * client, is what the benchmark measures.
 *   connclient freeport             print a free 127.0.0.1 TCP port
 *   connclient PORT COUNT PAR       make COUNT short connections to
 *                                   127.0.0.1:PORT from PAR processes at once
 *                                   (COUNT/PAR each, one after another): connect,
 *                                   send one short line, read until the whole
 *                                   line has come back (the server echoes),
 *                                   check it, close.  First waits (up to 10 s)
 *                                   until the port accepts connections.
 *                                   Prints "<connections/s> <client CPU us per
 *                                   connection>"; exits 1 on any failure or
 *                                   echo mismatch, naming the connection.
 * Built by the bench script with cc -O2; not part of the product. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/loopback.h"

static const char kMsg[] = "hello fork server\n";

static int free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (s < 0 || bind(s, (struct sockaddr*)&a, sizeof a) < 0 || getsockname(s, (struct sockaddr*)&a, &len) < 0) {
    perror("connclient: free port");
    return 1;
  }
  printf("%d\n", ntohs(a.sin_port));
  close(s);
  return 0;
}

/* One connection: 0 if the echo came back whole and equal. */
static int one_connection(const struct sockaddr_in* to, long index) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    perror("connclient: socket");
    return -1;
  }
  if (connect(s, (const struct sockaddr*)to, sizeof *to) < 0) {
    fprintf(stderr, "connclient: connection %ld: connect: %s\n", index, strerror(errno));
    close(s);
    return -1;
  }
  size_t len = sizeof kMsg - 1;
  if (write(s, kMsg, len) != (ssize_t)len) {
    fprintf(stderr, "connclient: connection %ld: write: %s\n", index, strerror(errno));
    close(s);
    return -1;
  }
  char got[sizeof kMsg];
  size_t have = 0;
  while (have < len) {
    ssize_t n = read(s, got + have, sizeof got - 1 - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += (size_t)n;
  }
  close(s);
  if (have != len || memcmp(got, kMsg, len) != 0) {
    fprintf(stderr, "connclient: connection %ld: echo mismatch (%zu of %zu bytes)\n", index, have, len);
    return -1;
  }
  return 0;
}

static int wait_listening(const struct sockaddr_in* to) {
  for (int i = 0; i < 1000; ++i) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int ok = s >= 0 && connect(s, (const struct sockaddr*)to, sizeof *to) == 0;
    if (s >= 0) close(s);
    if (ok) return 0;
    usleep(10000);
  }
  fprintf(stderr, "connclient: nothing listens on 127.0.0.1:%d\n", ntohs(to->sin_port));
  return -1;
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "freeport") == 0) return free_port();
  if (argc != 4) {
    fprintf(stderr, "usage: connclient freeport | connclient PORT COUNT PAR\n");
    return 2;
  }
  int port = atoi(argv[1]);
  long count = atol(argv[2]);
  int par = atoi(argv[3]);
  if (port <= 0 || port > 65535 || count <= 0 || par <= 0) {
    fprintf(stderr, "connclient: bad arguments\n");
    return 2;
  }
  struct sockaddr_in to = loopback(port);
  if (wait_listening(&to) < 0) return 1;
  long each = count / par;
  if (each == 0) each = 1;
  double t0 = now();
  for (int w = 0; w < par; ++w) {
    pid_t pid = fork();
    if (pid < 0) {
      perror("connclient: fork");
      return 1;
    }
    if (pid == 0) {
      for (long i = 0; i < each; ++i)
        if (one_connection(&to, w * each + i) < 0) _exit(1);
      _exit(0);
    }
  }
  int failed = 0, status;
  for (int w = 0; w < par; ++w) {
    if (wait(&status) < 0) break;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
  }
  double dt = now() - t0;
  if (failed) {
    fprintf(stderr, "connclient: a client process failed\n");
    return 1;
  }
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  long n = each * par;
  printf("%.1f %.0f\n", n / dt, cpu * 1e6 / n);
  return 0;
}
