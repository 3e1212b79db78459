// trace_child: the scripted program trace's integration tests run under
// trace.  Each mode makes a known sequence of system calls so a test can
// check the lines trace prints for them:
//   files DIR      openat DIR/known.txt (create), write "hello trace\n", close,
//                  openat /nonexistent/trace-test (ENOENT), exit 3
//   connect PORT   TCP connect to 127.0.0.1:PORT, write "ping", read the reply, close
//   flood N        N getppid() calls
//   fork DIR       fork; the child opens DIR/child.txt; the parent waits
//   vectors -      on a UNIX datagram socketpair: writev of 20 iovecs of 3
//                  bytes ("aaa", "bbb", ... "ttt"), readv of it into 12
//                  iovecs of 5 bytes, sendmsg of 16 iovecs of 2 bytes
//                  ("AA" ... "PP"), recvmsg, then sendmmsg of three messages
//                  "first" / "second!" / "third-msg" (the second in two
//                  iovecs "sec" + "ond!") and recvmmsg of them
//   structs DIR    calls whose arguments strace decodes as structs: signal
//                  masks, a sigaction and pselect6's mask, stat/statx of DIR/d/st.txt (5
//                  bytes, 0644) and of a missing file, getrandom, prlimit64
//                  of RLIMIT_CORE, getdents64 of DIR/d, a child reaped by
//                  wait4 (exit 7), SCM_RIGHTS over a UNIX socketpair, then
//                  execve of itself ("done" mode) with a 2-variable
//                  environment
//   done -         exit 0
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) return 64;
  std::string mode = argv[1];
  if (mode == "files") {
    // The expected lines name fd 3: close what ctest or CI left open above 2.
    close_range(3, ~0U, 0);
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
  if (mode == "vectors") {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) return 65;
    char out[20][3];
    iovec wv[20];
    for (int i = 0; i < 20; i++) {
      memset(out[i], 'a' + i, 3);
      wv[i] = {out[i], 3};
    }
    if (writev(sv[0], wv, 20) != 60) return 66;
    char in[12][5];
    iovec rv[12];
    for (int i = 0; i < 12; i++) rv[i] = {in[i], 5};
    if (readv(sv[1], rv, 12) != 60) return 67;
    char pairs[16][2];
    iovec mv[16];
    for (int i = 0; i < 16; i++) {
      memset(pairs[i], 'A' + i, 2);
      mv[i] = {pairs[i], 2};
    }
    msghdr m{};
    m.msg_iov = mv;
    m.msg_iovlen = 16;
    if (sendmsg(sv[0], &m, 0) != 32) return 68;
    char big[64];
    iovec bv{big, sizeof(big)};
    msghdr rm{};
    rm.msg_iov = &bv;
    rm.msg_iovlen = 1;
    if (recvmsg(sv[1], &rm, 0) != 32) return 69;
    char m1[] = "first", m2a[] = "sec", m2b[] = "ond!", m3[] = "third-msg";
    iovec v1{m1, 5}, v2[2] = {{m2a, 3}, {m2b, 4}}, v3{m3, 9};
    mmsghdr mm[3]{};
    mm[0].msg_hdr.msg_iov = &v1;
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = v2;
    mm[1].msg_hdr.msg_iovlen = 2;
    mm[2].msg_hdr.msg_iov = &v3;
    mm[2].msg_hdr.msg_iovlen = 1;
    if (sendmmsg(sv[0], mm, 3, 0) != 3) return 70;
    char r[3][16];
    iovec rr[3];
    mmsghdr rmm[3]{};
    for (int i = 0; i < 3; i++) {
      rr[i] = {r[i], sizeof(r[i])};
      rmm[i].msg_hdr.msg_iov = &rr[i];
      rmm[i].msg_hdr.msg_iovlen = 1;
    }
    if (recvmmsg(sv[1], rmm, 3, 0, nullptr) != 3) return 71;
    return 0;
  }
  if (mode == "structs") {
    close_range(3, ~0U, 0);
    umask(022);
    const std::string dir = std::string(argv[2]) + "/d";
    const std::string file = dir + "/st.txt";
    if (mkdir(dir.c_str(), 0755) != 0) return 65;
    int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);  // fd 3
    if (fd != 3 || write(fd, "12345", 5) != 5) return 66;
    // Raw calls, so the arguments are exactly these (glibc adds its own).
    uint64_t set = (1ull << (SIGINT - 1)) | (1ull << (SIGTERM - 1)), none = 0, old = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, nullptr, 8);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &none, &old, 8);
    struct {
      uint64_t handler, flags, restorer, mask;
    } act{1 /* SIG_IGN */, SA_RESTART, 0, 1ull << (SIGUSR1 - 1)}, oact{};
    syscall(SYS_rt_sigaction, SIGUSR2, &act, &oact, 8);
    struct {
      const void* ss;
      size_t len;
    } psel{&set, 8};
    timespec zero{0, 0};
    syscall(SYS_pselect6, 0, nullptr, nullptr, nullptr, &zero, &psel);
    struct stat st;
    syscall(SYS_newfstatat, AT_FDCWD, file.c_str(), &st, 0);
    syscall(SYS_newfstatat, AT_FDCWD, "/nonexistent/trace-test", &st, 0);
    struct statx sx;
    statx(AT_FDCWD, file.c_str(), 0, STATX_SIZE | STATX_MODE, &sx);
    char rnd[4];
    if (getrandom(rnd, sizeof rnd, 0) != 4) return 67;
    struct {
      uint64_t cur, max;
    } lim{1024, 2048 * 1024}, got{};
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, &lim, nullptr);
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, nullptr, &got);
    int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);  // fd 4
    char ents[4096];
    while (syscall(SYS_getdents64, dfd, ents, sizeof ents) > 0) {
    }
    pid_t p = fork();
    if (p == 0) _exit(7);
    int status = 0;
    syscall(SYS_wait4, p, &status, 0, nullptr);
    syscall(SYS_wait4, -1, &status, WNOHANG, nullptr);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 68;  // fds 5, 6
    char cbuf[CMSG_SPACE(sizeof(int))] = {};
    iovec iv{const_cast<char*>("x"), 1};
    msghdr m{};
    m.msg_iov = &iv;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    cmsghdr* c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    if (sendmsg(sv[0], &m, 0) != 1) return 69;
    char in[8], rc[64];
    iovec riv{in, sizeof in};
    msghdr rm{};
    rm.msg_iov = &riv;
    rm.msg_iovlen = 1;
    rm.msg_control = rc;
    rm.msg_controllen = sizeof rc;
    if (recvmsg(sv[1], &rm, 0) != 1) return 70;
    char self[] = "/proc/self/exe", done[] = "done", dash[] = "-";
    char* args[] = {argv[0], done, dash, nullptr};
    char a[] = "A=1", b[] = "B=2";
    char* env[] = {a, b, nullptr};
    execve(self, args, env);
    return 71;
  }
  if (mode == "done") return 0;
  return 64;
}
