#!/usr/bin/env bash
# trace_syscalls.sh [TRACE_BINARY]: the cost of tracing a syscall-heavy
# program, trace against its floors and peers, measured in one run.
#
# Workload (bench/workload.c): 2M getppid() + 1M 64-byte write() to
# /dev/null.  Each configuration runs REPS times (default 3); the median CPU
# time (tracer + tracee) counts, the median wall time is shown beside it.  Ratios are against the untraced run.  strace and perf trace
# are so slow that they run a 5% workload (SCALE_SLOW) and are compared with
# 5% of the untraced time (the per-call cost is what matters; startup is
# negligible at that size).
#
# Floors (bench/floor/): the cheapest programs of this design: a sys_enter
# counter (what `trace -c` is held against), empty sys_enter and
# sys_enter+sys_exit programs (the syscall tracepoint slow path alone: the
# floor of any tracepoint design; a latency summary needs both hooks), the
# least a latency summary needs (entry time in task storage, one add at
# exit), the same with a per-CPU slot instead of task storage, a per-call
# ring-buffer record with a wake-up per record, and the same with batched
# wake-ups (what full output is held against).  Needs root, clang, bpftool,
# libbpf-dev.
#
# trace hooks only sys_exit when no output needs entry times (no -c, -T,
# -t/-tt/-r, --json): the "-T" rows show the same runs with both hooks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
trace=${1:-$here/../build/bin/trace}
reps=${REPS:-3}
slow=${SCALE_SLOW:-5}
work=$(mktemp -d /tmp/fdscope-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash "$here/floor/build.sh" "$work" >/dev/null
W=$work/workload

# cputime ERRFILE CMD...: runs CMD (stdout to /dev/null, stderr to ERRFILE)
# and prints "wall user system" in seconds from wait4's rusage, to the
# microsecond (/usr/bin/time prints hundredths: 2.6% of the untraced run, as
# much as the start-up costs some rows compare).
cat >"$work/cputime.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t p = fork();
  if (p == 0) {
    int o = open("/dev/null", O_WRONLY), e = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int st = 0;
  struct rusage ru;
  if (p < 0 || wait4(p, &st, 0, &ru) != p) return 1;
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.4f %ld.%06ld %ld.%06ld\n", (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
         (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
C
cc -O2 -o "$work/cputime" "$work/cputime.c"

# best "$@": the median CPU time (user + system, the command and all its
# children: tracer and tracee) and the median wall time of $reps runs, as
# "cpu wall".  CPU time is the ratio's basis: these VMs are shared, and wall
# time swings with other load while the CPU a run burns does not.
best() {
  local cs=() ws=()
  for _ in $(seq "$reps"); do
    "$work/cputime" "$work/err" "$@" >"$work/time" ||
      { echo "FAILED: $*" >&2; cat "$work/err" >&2; return 1; }
    local w u s
    read -r w u s <"$work/time"
    cs+=("$(echo "$u + $s" | bc -l)")
    ws+=("$w")
  done
  echo "$(median "${cs[@]}") $(median "${ws[@]}")"
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

declare -A T
declare -A R
row() {  # name "cpu wall" scale(%)
  local cpu wall ratio
  read -r cpu wall <<<"$2"
  ratio=$(echo "$cpu / (${T[untraced]} * $3 / 100)" | bc -l)
  printf '%-48s %8.3f s %8.3f s %9.2fx\n' "$1" "$cpu" "$wall" "$ratio"
  R[$1]=$ratio
}

u=$(best "$W")
T[untraced]=${u%% *}
printf '%-48s %10s %10s %10s\n' "configuration" "cpu" "wall" "cpu ratio"
row "untraced" "$u" 100
row "floor: sys_enter counter" "$(best "$work/floor" count -- "$W")" 100
row "floor: empty sys_enter program" "$(best "$work/floor" empty-enter -- "$W")" 100
row "floor: empty sys_enter+sys_exit programs" "$(best "$work/floor" empty -- "$W")" 100
row "floor: enter+exit latency counter" "$(best "$work/floor" latency -- "$W")" 100
row "floor: latency counter, per-CPU slot" "$(best "$work/floor" latency-pcpu -- "$W")" 100
row "floor: ring buffer, wake-up per record" "$(best "$work/floor" rb -- "$W")" 100
row "floor: ring buffer, batched wake-ups" "$(best "$work/floor" rb-batch -- "$W")" 100
row "trace -c" "$(best "$trace" -c -o "$work/summary" -- "$W")" 100
row "trace (full output to a file)" "$(best "$trace" -o "$work/trace.out" -- "$W")" 100
row "trace -T (full output, both hooks)" "$(best "$trace" -T -o "$work/trace.out" -- "$W")" 100
row "trace --json (to a file)" "$(best "$trace" --json -o "$work/trace.json" -- "$W")" 100
row "trace -e trace=openat (per-syscall tracepoints)" "$(best "$trace" -e trace=openat -o "$work/trace.openat" -- "$W")" 100
row "trace -e trace=openat --hook raw" "$(best "$trace" --hook raw -e trace=openat -o "$work/trace.openat" -- "$W")" 100
row "trace -T -e trace=openat (tracepoints, both)" "$(best "$trace" -T -e trace=openat -o "$work/trace.openat" -- "$W")" 100
row "trace -T -e trace=openat --hook raw (both)" "$(best "$trace" -T --hook raw -e trace=openat -o "$work/trace.openat" -- "$W")" 100
if command -v strace >/dev/null; then
  row "strace --seccomp-bpf -f -e trace=openat" \
    "$(best strace --seccomp-bpf -f -e trace=openat -o /dev/null "$W")" 100
  row "strace -f -o /dev/null (${slow}% workload)" "$(best strace -f -o /dev/null "$W" "$slow")" "$slow"
fi
if command -v perf >/dev/null && perf trace -o /dev/null true >/dev/null 2>&1; then
  row "perf trace -o /dev/null (${slow}% workload)" "$(best perf trace -o /dev/null -- "$W" "$slow")" "$slow"
fi
if command -v bpftrace >/dev/null; then
  row "bpftrace printing every call (${slow}% workload)" \
    "$(best bpftrace -o /dev/null -e "tracepoint:raw_syscalls:sys_exit /comm == \"workload\"/ { printf(\"%d %d\\n\", args->id, args->ret); }" -c "$W $slow")" "$slow"
  row "bpftrace counting in a map" \
    "$(best bpftrace -o /dev/null -e "tracepoint:raw_syscalls:sys_enter /comm == \"workload\"/ { @[args->id] = count(); }" -c "$W")" 100
fi
echo
printf 'trace -c vs counting floor:            %.2fx (target <= 1.2)\n' \
  "$(echo "${R[trace -c]} / ${R[floor: sys_enter counter]}" | bc -l)"
printf 'trace -c vs enter+exit latency floor:  %.2fx\n' \
  "$(echo "${R[trace -c]} / ${R[floor: enter+exit latency counter]}" | bc -l)"
printf 'empty enter+exit floor vs counting floor: %.2fx (the least any -c with latencies costs)\n' \
  "$(echo "${R[floor: empty sys_enter+sys_exit programs]} / ${R[floor: sys_enter counter]}" | bc -l)"
printf 'trace full output vs batched rb floor: %.2fx (target <= 2)\n' \
  "$(echo "${R[trace (full output to a file)]} / ${R[floor: ring buffer, batched wake-ups]}" | bc -l)"
if [ -n "${R[strace --seccomp-bpf -f -e trace=openat]:-}" ]; then
  printf 'trace -e trace=openat vs strace --seccomp-bpf: %.2fx (raw hook %.2fx; both hooks: tracepoints %.2fx, raw %.2fx) vs %.2fx\n' \
    "${R[trace -e trace=openat (per-syscall tracepoints)]}" "${R[trace -e trace=openat --hook raw]}" \
    "${R[trace -T -e trace=openat (tracepoints, both)]}" "${R[trace -T -e trace=openat --hook raw (both)]}" \
    "${R[strace --seccomp-bpf -f -e trace=openat]}"
fi
