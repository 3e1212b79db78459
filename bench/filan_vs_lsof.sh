#!/usr/bin/env bash
# bench/filan_vs_lsof.sh [FILAN] [REPS]: how long `filan -p PID` takes on a
# process holding 10,000 fds (5,000 TCP loopback connection ends and 5,000
# regular files) compared with the tools people use for the same question,
# all measured in this one run: lsof -p, lsfd -p (util-linux), ss -tanpi,
# ls -l /proc/PID/fd, and socat's filan (which can only describe its own
# fds, so it runs inside a copy of the holder with the 10,000 fds inherited;
# fdscope's filan is timed the same way for a like-for-like row).
# filan -p runs with both ways of reading the fd table: the BPF iterator
# (--scan=bpf, what the default picks as root) and /proc + pidfd_getfd
# (--scan=proc); the ratios are to the default `filan -p PID`.
# Each command runs once untimed, then REPS times (default 7) in a row, one
# command after another; the median wall time and the median CPU time
# (user + system) are shown with their ratios to `filan -p`.  ORDER=interleaved runs the commands on the
# holder's fds in turns instead (one run of each, REPS rounds): each run
# then follows the other tools' runs, with their memory freed and their
# cache footprint, rather than its own.  On a shared, busy machine the CPU
# column is the steadier comparison.
# The run happens in a network namespace of its own (unshare -n, loopback
# up), so the sockets are the holder's alone: every sock_diag dump, lsof's
# /proc/net reads and ss walk all the namespace's TCP sockets, and TIME_WAIT
# entries left by an earlier run (60 s) or other work on the machine made
# the figures drift.  NETNS=host runs in the current namespace instead.
# Needs root (RLIMIT_NOFILE above 10,000, ptrace rights, unshare); not a
# ctest test.
set -euo pipefail
if [ "${NETNS:-private}" = private ] && [ -z "${FDSCOPE_BENCH_NETNS:-}" ]; then
  export FDSCOPE_BENCH_NETNS=private
  exec unshare -n -- bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
here=$(cd "$(dirname "$0")/.." && pwd)
filan=${1:-$here/build/bin/filan}
reps=${2:-7}
[ -x "$filan" ] || { echo "filan binary not found: $filan (build first or pass its path)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/filan_bench.XXXXXX)
holder_pid=
cleanup() {
  [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The holder: opens the fds, then either waits (serve) or runs a command
# REPS times with the fds inherited and prints each run's wall time in ms.
cat > "$tmp/holder.c" <<'C'
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static void die(const char *w) { perror(w); exit(1); }
int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: holder DIR serve | DIR run REPS CMD...\n"); return 2; }
  /* 10,000 fds plus a few: raise the soft limit (and the hard one when allowed). */
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_max < 10100) {
    rl.rlim_max = 10100;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) die("setrlimit (needs root)");
  }
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &rl) < 0) die("setrlimit");
  int inherit = strcmp(argv[2], "run") == 0;
  int timer_only = strcmp(argv[2], "time") == 0;
  if (timer_only) goto run;
  int cx = inherit ? 0 : O_CLOEXEC;
  char path[4096];
  for (int i = 0; i < 5000; i++) {
    snprintf(path, sizeof path, "%s/f%04d", argv[1], i);
    if (open(path, O_RDWR | O_CREAT | cx, 0644) < 0) die("open");
  }
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET; a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 4096) < 0) die("listen");
  socklen_t al = sizeof a;
  getsockname(l, (struct sockaddr *)&a, &al);
  for (int i = 0; i < 2500; i++) {
    int c = socket(AF_INET, SOCK_STREAM | (inherit ? 0 : SOCK_CLOEXEC), 0);
    if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
    if (accept4(l, NULL, NULL, inherit ? 0 : SOCK_CLOEXEC) < 0) die("accept");
  }
  close(l);
  if (!inherit) {
    printf("%d\n", getpid());
    fflush(stdout);
    for (;;) pause();
  }
run:;
  int reps = atoi(argv[3]);
  for (int r = 0; r < reps; r++) {
    struct timespec t0, t1;
    struct rusage u0, u1;
    getrusage(RUSAGE_CHILDREN, &u0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t p = fork();
    if (p == 0) {
      int dn = open("/dev/null", O_WRONLY | O_CLOEXEC);
      dup2(dn, 1); dup2(dn, 2);
      execvp(argv[4], argv + 4);
      _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_CHILDREN, &u1);
    double cpu = (u1.ru_utime.tv_sec - u0.ru_utime.tv_sec + u1.ru_stime.tv_sec - u0.ru_stime.tv_sec) * 1e3 +
                 (u1.ru_utime.tv_usec - u0.ru_utime.tv_usec + u1.ru_stime.tv_usec - u0.ru_stime.tv_usec) / 1e3;
    printf("%.2f %.2f\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, cpu);
  }
  return 0;
}
C
cc -O2 -o "$tmp/holder" "$tmp/holder.c"
# The timer: the holder's run loop without any fds of its own.
sed 's/^int main(int argc, char \*\*argv) {$/int holder_main(int argc, char **argv) {/' "$tmp/holder.c" > "$tmp/timer.c"
cat >> "$tmp/timer.c" <<'C'
int main(int argc, char **argv) {
  char *args[argc + 3];
  args[0] = argv[0]; args[1] = "/nonexistent"; args[2] = "time";
  for (int i = 1; i <= argc; i++) args[i + 2] = argv[i];
  return holder_main(argc + 2, args);
}
C
cc -O2 -o "$tmp/timer" "$tmp/timer.c"
mkdir -p "$tmp/files" "$tmp/files2"
"$tmp/holder" "$tmp/files" serve > "$tmp/pid" &
holder_pid=$!
for _ in $(seq 100); do [ -s "$tmp/pid" ] && break; sleep 0.1; done
pid=$(cat "$tmp/pid")
[ -n "$pid" ] || { echo "holder did not start" >&2; exit 1; }
echo "holder pid $pid: $(ls /proc/$pid/fd | wc -l) fds; $reps runs each (order: ${ORDER:-rows}), median wall time"
# The machine's load and the TCP sockets of the namespace (every sock_diag
# dump walks them all, TIME_WAIT included) disturb the figures: shown.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); network namespace: ${FDSCOPE_BENCH_NETNS:-host}, TCP sockets in it: $(($(wc -l < /proc/net/tcp) + $(wc -l < /proc/net/tcp6) - 2))"

# median of column $1 of "wall cpu" lines
median() { awk -v c="$1" '{print $c}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
declare -A wall cpu
order=()
# time_cmd LABEL CMD...: a row of commands on the holder's fds, run by
# run_rows through the timer (output discarded; the timer holds no fds).
nrows=0
time_cmd() {
  local label=$1; shift
  order+=("$label")
  row_label[$nrows]=$label
  printf '%q ' "$@" > "$tmp/row.$nrows"
  : > "$tmp/runs.$nrows"
  nrows=$((nrows + 1))
}
# Row after row, each with one untimed run before its REPS timed runs (as
# hyperfine's --warmup); with ORDER=interleaved one untimed run of every
# row, then one run of every row per round.
run_rows() {
  local r i
  if [ "${ORDER:-rows}" = interleaved ]; then
    for ((i = 0; i < nrows; i++)); do
      eval "\"\$tmp/timer\" 1 $(cat "$tmp/row.$i")" > /dev/null
    done
    for ((r = 0; r < reps; r++)); do
      for ((i = 0; i < nrows; i++)); do
        eval "\"\$tmp/timer\" 1 $(cat "$tmp/row.$i")" >> "$tmp/runs.$i"
      done
    done
  else
    for ((i = 0; i < nrows; i++)); do
      eval "\"\$tmp/timer\" 1 $(cat "$tmp/row.$i")" > /dev/null
      eval "\"\$tmp/timer\" $reps $(cat "$tmp/row.$i")" >> "$tmp/runs.$i"
    done
  fi
  for ((i = 0; i < nrows; i++)); do
    wall[${row_label[$i]}]=$(median 1 < "$tmp/runs.$i")
    cpu[${row_label[$i]}]=$(median 2 < "$tmp/runs.$i")
  done
}
declare -a row_label
# Inherited-fd rows: the holder runs the command with its 10,000 fds.
time_inherited() {
  local label=$1; shift
  local runs
  runs=$("$tmp/holder" "$tmp/files2" run "$reps" "$@")
  wall[$label]=$(median 1 <<<"$runs")
  cpu[$label]=$(median 2 <<<"$runs")
  order+=("$label")
}

lines() { "$@" 2>/dev/null | wc -l; }
echo "scan method of filan -p: $("$filan" -p "$pid" --json -n 1 | sed -n 's/^  \"scan\": \"\(.*\)\",$/\1/p')"
echo "lines printed: filan -p $(lines "$filan" -p "$pid"), lsof -p $(lines lsof -p "$pid"), lsfd -p $(lines lsfd -p "$pid" 2>/dev/null || echo 0), ss -tanpi $(lines ss -tanpi)"

time_cmd "filan -p PID" "$filan" -p "$pid"
time_cmd "filan -p PID --scan=bpf" "$filan" -p "$pid" --scan=bpf
time_cmd "filan -p PID --scan=proc" "$filan" -p "$pid" --scan=proc
time_cmd "filan -p PID -s" "$filan" -p "$pid" -s
time_cmd "filan -p PID --json" "$filan" -p "$pid" --json
time_cmd "filan -p PID -s --scan=proc" "$filan" -p "$pid" -s --scan=proc
time_cmd "lsof -p PID" lsof -p "$pid"
if command -v lsfd > /dev/null; then time_cmd "lsfd -p PID" lsfd -p "$pid"; fi
time_cmd "ss -tanpi" ss -tanpi
time_cmd "ls -l /proc/PID/fd" ls -l "/proc/$pid/fd"
run_rows
time_inherited "filan (own 10k fds)" "$filan"
time_inherited "filan -s (own 10k fds)" "$filan" -s
if command -v filan > /dev/null && [ "$(command -v filan)" != "$filan" ]; then
  time_inherited "socat filan (own, -n1024 default)" filan
  time_inherited "socat filan -n 20000 (own)" filan -n 20000
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
bw=${wall["filan -p PID"]} bc=${cpu["filan -p PID"]}
printf '\n%-36s %9s %10s %9s %10s\n' "command" "wall ms" "x filan -p" "cpu ms" "x filan -p"
for label in "${order[@]}"; do
  printf '%-36s %9s %10s %9s %10s\n' "$label" "${wall[$label]}" \
    "$(awk -v a="${wall[$label]}" -v b="$bw" 'BEGIN {printf "%.1f", a / b}')" "${cpu[$label]}" \
    "$(awk -v a="${cpu[$label]}" -v b="$bc" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}')"
done
