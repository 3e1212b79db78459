/* floor.c: user side of the bench floors (see floor.bpf.c).
 *   floor count|latency|latency-pcpu|empty-enter|empty|rb|rb-batch -- CMD ARGS
 * Forks CMD held on a pipe, loads the chosen program with the child's tgid,
 * attaches, releases the child, and for the ring-buffer modes consumes every
 * record (counting them, nothing else) until the child exits.  Prints
 * "calls=N lost=N" on stderr. */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "floor.skel.h"

static unsigned long long records;

static int on_rec(void *ctx, void *data, size_t size) {
  (void)ctx; (void)data; (void)size;
  records++;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: floor count|latency|latency-pcpu|empty-enter|empty|rb|rb-batch -- CMD ARGS\n");
    return 2;
  }
  const char *mode = argv[1];
  int count = !strcmp(mode, "count"), batch = !strcmp(mode, "rb-batch");
  int latency = !strcmp(mode, "latency");
  int empty_enter = !strcmp(mode, "empty-enter"), empty = !strcmp(mode, "empty");
  int rbmode = !strcmp(mode, "rb") || batch;
  int pcpu = !strcmp(mode, "latency-pcpu");
  if (!count && !latency && !empty_enter && !empty && !rbmode && !pcpu) {
    fprintf(stderr, "floor: unknown mode %s\n", mode);
    return 2;
  }
  int p[2];
  if (pipe(p)) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    if (read(p[0], &c, 1) != 1) _exit(127);
    close(p[0]);
    execvp(argv[3], argv + 3);
    _exit(127);
  }
  close(p[0]);
  struct floor_bpf *skel = floor_bpf__open();
  if (!skel) { perror("open"); return 1; }
  skel->rodata->target_tgid = (unsigned)pid;
  skel->rodata->batch = batch;
  bpf_program__set_autoload(skel->progs.floor_count, count);
  bpf_program__set_autoload(skel->progs.floor_rb_enter, rbmode);
  bpf_program__set_autoload(skel->progs.floor_rb_exit, rbmode);
  bpf_program__set_autoload(skel->progs.floor_empty_enter, empty_enter || empty);
  bpf_program__set_autoload(skel->progs.floor_empty_exit, empty);
  bpf_program__set_autoload(skel->progs.floor_pcpu_enter, pcpu);
  bpf_program__set_autoload(skel->progs.floor_pcpu_exit, pcpu);
  bpf_program__set_autoload(skel->progs.floor_lat_enter, latency);
  bpf_program__set_autoload(skel->progs.floor_lat_exit, latency);
  if (floor_bpf__load(skel) || floor_bpf__attach(skel)) { perror("load/attach"); return 1; }
  struct ring_buffer *rb = NULL;
  if (rbmode) rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_rec, NULL, NULL);
  if (write(p[1], "g", 1) != 1) return 1;
  close(p[1]);
  int st = 0;
  for (;;) {
    if (rb) {
      ring_buffer__poll(rb, batch ? 10 : 100);
      ring_buffer__consume(rb);
    } else {
      usleep(10000);
    }
    if (waitpid(pid, &st, WNOHANG) == pid) break;
  }
  if (rb) ring_buffer__consume(rb);
  int ncpu = libbpf_num_possible_cpus();
  unsigned long long v[256] = {0}, calls = 0, lost = 0;
  unsigned k = 0;
  if (!bpf_map_lookup_elem(bpf_map__fd(skel->maps.counts), &k, v))
    for (int i = 0; i < ncpu; i++) calls += v[i];
  k = 1;
  if (!bpf_map_lookup_elem(bpf_map__fd(skel->maps.counts), &k, v))
    for (int i = 0; i < ncpu; i++) lost += v[i];
  fprintf(stderr, "floor %s: calls=%llu records=%llu lost=%llu\n", mode, calls, records, lost);
  if (rb) ring_buffer__free(rb);
  floor_bpf__destroy(skel);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
