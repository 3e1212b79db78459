// trace_child: the scripted program trace's integration tests run under
// trace.  Each mode makes a known sequence of system calls so a test can
// check the lines trace prints for them:
//   files DIR      openat DIR/known.txt (create), write "hello trace\n", close,
//                  openat /nonexistent/trace-test (ENOENT), exit 3
//   connect PORT   TCP connect to 127.0.0.1:PORT, write "ping", read the reply, close
//   flood N        N getppid() calls
//   fork DIR       fork; the child opens DIR/child.txt; the parent waits
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) return 64;
  std::string mode = argv[1];
  if (mode == "files") {
    std::string path = std::string(argv[2]) + "/known.txt";
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return 65;
    if (write(fd, "hello trace\n", 12) != 12) return 66;
    close(fd);
    if (open("/nonexistent/trace-test", O_RDONLY) >= 0) return 67;
    return 3;
  }
  if (mode == "connect") {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(static_cast<uint16_t>(atoi(argv[2])));
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0) return 65;
    if (write(s, "ping", 4) != 4) return 66;
    char buf[16];
    if (read(s, buf, sizeof(buf)) != 4) return 67;
    // Stay connected a moment, so trace (which reads its ring buffer every
    // 50 ms) names the socket while it still exists.
    usleep(300 * 1000);
    close(s);
    return 0;
  }
  if (mode == "flood") {
    long n = atol(argv[2]);
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    return 0;
  }
  if (mode == "fork") {
    pid_t p = fork();
    if (p == 0) {
      std::string path = std::string(argv[2]) + "/child.txt";
      int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      _exit(fd >= 0 ? 0 : 1);
    }
    int st = 0;
    waitpid(p, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
  }
  return 64;
}
