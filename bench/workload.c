/* workload.c: the syscall benchmark load of bench/trace_syscalls.sh.
 * 2,000,000 getppid() and 1,000,000 64-byte write() calls to /dev/null
 * (counts can be scaled with argv[1] = factor in percent).  Raw syscall(2)
 * so libc caching can't skip any call.  Prints nothing. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long pct = argc > 1 ? atol(argv[1]) : 100;
  long n_getppid = 2000000 * pct / 100, n_write = 1000000 * pct / 100;
  int fd = open("/dev/null", O_WRONLY);
  if (fd < 0) return 1;
  char buf[64];
  for (int i = 0; i < 64; i++) buf[i] = (char)('a' + i % 26);
  for (long i = 0; i < n_getppid; i++) syscall(SYS_getppid);
  for (long i = 0; i < n_write; i++)
    if (syscall(SYS_write, fd, buf, sizeof buf) != 64) return 2;
  return 0;
}
