#!/usr/bin/env bash
# trace_relay.sh [TRACE_BINARY] [RELAY]: throughput of a TCP relay over
# loopback while it is traced, as a fraction of its untraced throughput.
#
# A source (socat reading /dev/zero) sends SIZE_MB through the traced relay
# (socat by default, or RELAY=relay for fdscope's) to a sink (socat to
# /dev/null).  The relay runs under: nothing, the floor programs of
# bench/floor (empty sys_enter+sys_exit programs: the syscall tracepoint slow
# path alone, which every process on the machine then takes; the
# enter+exit latency counter), trace -c, trace with full output to a file,
# and strace -f (for scale).  Median of REPS runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
trace=${1:-$here/../build/bin/trace}
relay=${2:-socat}
size_mb=${SIZE_MB:-1024}
reps=${REPS:-3}
work=$(mktemp -d /tmp/fdscope-relay.XXXXXX)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
bash "$here/floor/build.sh" "$work" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# one_run WRAPPER...: seconds to move size_mb through a relay started under WRAPPER.
one_run() {
  local p_in p_out sink relay_pid s e
  p_in=$(free_port)
  p_out=$(free_port)
  socat -u TCP4-LISTEN:"$p_out",reuseaddr OPEN:/dev/null &
  sink=$!
  "$@" "$relay" TCP4-LISTEN:"$p_in",reuseaddr TCP4:127.0.0.1:"$p_out" &
  relay_pid=$!
  # wait until the relay listens (trace needs a moment to load)
  for _ in $(seq 200); do
    ss -ltn "sport = :$p_in" | grep -q LISTEN && break
    sleep 0.02
  done
  sleep 0.2
  s=$(date +%s.%N)
  dd if=/dev/zero bs=64k count=$((size_mb * 16)) 2>/dev/null | socat -u - TCP4:127.0.0.1:"$p_in"
  wait "$sink"
  e=$(date +%s.%N)
  wait "$relay_pid" || true
  echo "$e - $s" | bc -l
}

best() {  # median of $reps runs
  local ts=()
  for _ in $(seq "$reps"); do ts+=("$(one_run "$@")"); done
  printf '%s\n' "${ts[@]}" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}

base=$(best env)
report() {
  printf '%-36s %8.3f s %9.1f MiB/s %7.3f of untraced\n' "$1" "$2" \
    "$(echo "$size_mb / $2" | bc -l)" "$(echo "$base / $2" | bc -l)"
}
printf 'relay: %s, %d MiB over loopback\n' "$relay" "$size_mb"
report "untraced" "$base"
floor() { "$work/floor" "$@" 2>/dev/null; }  # its call counts are not wanted here
report "floor: empty enter+exit programs" "$(best floor empty --)"
report "floor: enter+exit latency counter" "$(best floor latency --)"
report "trace -c" "$(best "$trace" -c -o "$work/c.out" --)"
report "trace -f (full output to a file)" "$(best "$trace" -f -o "$work/full.out" --)"
report "trace -f -e trace=%network --tcp" "$(best "$trace" -f -e trace=%network --tcp -o "$work/net.out" --)"
if [ "${WITH_STRACE:-0}" = 1 ]; then
  report "strace -f -o /dev/null" "$(REPS=1 best strace -f -o /dev/null)"
fi
