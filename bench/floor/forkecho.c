/* forkecho: the floor of the fork-server benchmark
 * (bench/relay_fork_vs_socat.sh): the least a forking TCP echo server can
 * do per connection, to show how far relay and socat are from it.
 *   forkecho PORT    listen on 127.0.0.1:PORT (SO_REUSEADDR, backlog 5
 *                    as socat and relay); for each
 *                    connection fork a child that echoes what it reads
 *                    (read/write on one 8 KiB stack buffer) until EOF and
 *                    exits with _exit; the parent only accepts, forks,
 *                    closes its copy of the connection, and reaps exited
 *                    children from a SIGCHLD handler (waitpid WNOHANG loop),
 *                    so no zombie is left.  Runs until killed.
 * A plain C program linked only against libc; built by the bench script with
 * cc -O2; not part of the product. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void reap(int sig) {
  (void)sig;
  int saved = errno;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static void echo(int fd) {
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;
      off += w;
    }
  }
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: forkecho PORT\n");
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = reap;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);

  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (l < 0 || bind(l, (struct sockaddr*)&a, sizeof a) < 0 || listen(l, 5) < 0) {
    perror("forkecho: listen");
    return 1;
  }
  for (;;) {
    int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("forkecho: accept");
      return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(l);
      echo(c);
      _exit(0);
    }
    if (pid < 0) perror("forkecho: fork");
    close(c);
  }
}
