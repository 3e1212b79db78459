// The program fd_names_test traces: it opens, uses and closes fds (so every
// number is reused) and exits at once, usually before trace has read its
// events.  fd_names_child DIR:
//   /dev/null read and closed; DIR/a.txt written and closed; chdir(DIR) and
//   "b.txt" (relative) written and closed; a TCP listener on 127.0.0.1:0,
//   a client connected to it, accepted, "ping" across, all closed; a pipe
//   and a UNIX socketpair used and closed; "a.txt" dup2'ed to 10 and read;
//   an eventfd opened and closed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

int main(int argc, char** argv) {
  if (argc != 2) return 64;
  const std::string dir = argv[1];
  // The expected lines name fds 3, 4, 5: close what ctest or CI left open above 2.
  close_range(3, ~0U, 0);
  char buf[16];
  int fd = open("/dev/null", O_RDONLY);
  if (read(fd, buf, 1) != 0) return 65;
  close(fd);
  fd = open((dir + "/a.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (write(fd, "a", 1) != 1) return 66;
  close(fd);
  if (chdir(dir.c_str()) != 0) return 67;
  fd = openat(AT_FDCWD, "b.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (write(fd, "b", 1) != 1) return 68;
  close(fd);

  int l = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  if (bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(l, reinterpret_cast<sockaddr*>(&a), &al) != 0 || listen(l, 1) != 0)
    return 69;
  int c = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return 70;
  sockaddr_in peer{};
  socklen_t pl = sizeof peer;
  int s = accept(l, reinterpret_cast<sockaddr*>(&peer), &pl);
  if (s < 0 || write(c, "ping", 4) != 4 || read(s, buf, 4) != 4) return 71;
  close(s);
  close(c);
  close(l);

  int p[2];
  if (pipe(p) != 0 || write(p[1], "x", 1) != 1 || read(p[0], buf, 1) != 1) return 72;
  close(p[0]);
  close(p[1]);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 || write(sv[0], "y", 1) != 1 ||
      read(sv[1], buf, 1) != 1)
    return 73;
  close(sv[0]);
  close(sv[1]);

  fd = open("a.txt", O_RDONLY);
  int d = dup2(fd, 10);
  if (read(d, buf, 1) != 1) return 74;
  close(d);
  close(fd);
  fd = eventfd(0, EFD_CLOEXEC);
  close(fd);
  return 0;
}
