#!/bin/sh
# Fork-server speed: short connections per second through
#   relay TCP4-LISTEN:<p>,fork,reuseaddr PIPE     vs.
#   socat TCP4-LISTEN:<p>,fork,reuseaddr PIPE     vs.
#   the floor: bench/floor/forkecho.c, a minimal C fork server (accept, fork,
#   the child echoes with read/write and _exits, SIGCHLD handler reaps)
# (PIPE echoes what it reads).  The client, bench/connclient.c (built here
# with cc -O2 into a temp dir, so it costs the 2 cores little), makes COUNT
# connections to each server over loopback from PAR processes at once
# (default 4): connect, send a short line, read and check the echo, close --
# so the server's accept+fork rate is measured, not one client's latency.
# Without cc, a python3 client is used instead and the floor is skipped.
# Prints connections/s of each, the ratio relay/socat (target >= 1.5), how
# far each is from the floor, and checks that no zombie child is left behind
# by any server.  The servers are measured in turn ROUNDS times (default 5)
# and the medians compared, so load from other work on the machine hits all.
# Also printed: each server's CPU time per connection (its own and its
# children's, from /usr/bin/time), which other load on a shared machine
# disturbs far less than the rate, and the client's.
# Keep PAR below socat's and relay's default backlog (5) + 1: with more
# clients than the accept queue holds, handshakes are dropped and retried
# after about a second, and the rates measure that instead.
# Measured 2026-11-23 on the shared 2-core VM (load ~5), 2000 connections,
# PAR 4, median of 5: socat 1942, relay 2522, floor 3127 conn/s; relay/socat
# 1.30x; CPU per connection socat 565, relay 360, floor 175 us (1.57x).
# At PAR 4 even the floor is far from using both cores, so the rates are
# bound by per-connection latency as much as by CPU.
#   usage: bench/relay_fork_vs_socat.sh [COUNT] [RELAY_BINARY] [PAR] [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
COUNT=${1:-2000}
RELAY=${2:-$here/../build/bin/relay}
PAR=${3:-4}
ROUNDS=${4:-5}
command -v socat >/dev/null || { echo "socat not installed" >&2; exit 1; }
[ -x "$RELAY" ] || { echo "relay binary not found: $RELAY (pass it as 2nd argument)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time needed (Debian package time)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/relay-fork-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
tfile=$tmp/time.out

if command -v cc >/dev/null; then
  cc -O2 -o "$tmp/connclient" "$here/connclient.c"
  cc -O2 -o "$tmp/forkecho" "$here/floor/forkecho.c"
  free_port() { "$tmp/connclient" freeport; }
  client() { "$tmp/connclient" "$1" "$2" "$PAR"; }  # port count -> "conn/s client-us/conn"
  servers="socat relay floor"
else
  command -v python3 >/dev/null || { echo "cc or python3 needed for the client" >&2; exit 1; }
  echo "no cc: python3 client (costs much more CPU), no floor" >&2
  free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  }
  client() {
    python3 - "$1" "$2" "$PAR" <<'PY'
import os, resource, socket, sys, time
port, n, par = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
msg = b"hello fork server\n"
for _ in range(500):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
    except OSError:
        time.sleep(0.02)
def worker(count):
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            b = s.recv(4096)
            if not b: break
            got += b
        if got != msg:
            sys.stderr.write("connection %d: echo mismatch %r\n" % (i, got))
            os._exit(1)
        s.close()
    os._exit(0)
t0 = time.perf_counter()
pids = []
for w in range(par):
    pid = os.fork()
    if pid == 0:
        worker(n // par)
    pids.append(pid)
failed = 0
for pid in pids:
    failed |= os.waitpid(pid, 0)[1]
dt = time.perf_counter() - t0
if failed:
    sys.exit("a client failed")
n = (n // par) * par
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.1f %.0f" % (n / dt, (ru.ru_utime + ru.ru_stime) * 1e6 / n))
PY
  }
  servers="socat relay"
fi

zombies() {  # children of $1 in state Z
  n=0
  for st in /proc/[0-9]*/stat; do
    set -- $(sed 's/.*) //' "$st" 2>/dev/null) x x
    if [ "$2" = "$PARENT" ] && [ "$1" = Z ]; then n=$((n + 1)); fi
  done
  echo $n
}

run() {  # name -> "rate zombies server-us/conn client-us/conn"
  name=$1
  port=$(free_port)
  case $name in
    socat) set -- socat "TCP4-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" PIPE ;;
    relay) set -- "$RELAY" "TCP4-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" PIPE ;;
    floor) set -- "$tmp/forkecho" "$port" ;;
  esac
  /usr/bin/time -f "%U %S" -o "$tfile" "$@" 2>/dev/null &
  tpid=$!
  ok=1
  out=$(client "$port" "$COUNT") || ok=0
  sleep 0.3
  srv=$(pgrep -P "$tpid" || true)  # the server itself, child of time
  if [ $ok = 0 ]; then
    kill "$srv" 2>/dev/null; wait "$tpid" 2>/dev/null || true
    echo "$name: the client failed (see above)" >&2
    exit 1
  fi
  set -- $out
  rate=$1 ccpu=$2
  PARENT=$srv
  z=$(zombies)
  kill "$srv" 2>/dev/null; wait "$tpid" 2>/dev/null || true
  cpu=$(awk -v n="$COUNT" '/^[0-9.]+ [0-9.]+$/ { printf "%.0f", ($1 + $2) * 1e6 / n }' "$tfile")
  echo "$name: $rate conn/s ($COUNT connections), ${cpu} us CPU per connection (client ${ccpu} us), zombies left: $z" >&2
  echo "$rate $z $cpu $ccpu"
}

median() {  # numbers... -> median
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for s in $servers; do
  eval "${s}_rates=''; ${s}_cpu=''; ${s}_ccpu=''; ${s}_z=0"
done
i=0
while [ $i -lt "$ROUNDS" ]; do
  for s in $servers; do
    r=$(run "$s") || exit 1
    set -- $r
    eval "${s}_rates=\"\$${s}_rates $1\"; ${s}_z=\$((${s}_z + $2)); ${s}_cpu=\"\$${s}_cpu $3\"; ${s}_ccpu=\"\$${s}_ccpu $4\""
  done
  i=$((i + 1))
done

for s in $servers; do
  eval "r=\$${s}_rates c=\$${s}_cpu cc=\$${s}_ccpu"
  eval "${s}_rate=$(median $r) ${s}_cpum=$(median $c) ${s}_ccpum=$(median $cc)"
done
# shellcheck disable=SC2154
{
  printf 'median conn/s: socat %.0f, relay %.0f' "$socat_rate" "$relay_rate"
  case $servers in *floor*) printf ', floor %.0f' "$floor_rate" ;; esac
  echo
  awk -v r="$relay_rate" -v s="$socat_rate" 'BEGIN { printf "relay/socat fork-server connection rate: %.2fx (target >= 1.5)\n", r / s }'
  case $servers in *floor*)
    awk -v r="$relay_rate" -v s="$socat_rate" -v f="$floor_rate" \
      'BEGIN { printf "fraction of the floor'"'"'s rate: relay %.2f, socat %.2f\n", r / f, s / f }' ;;
  esac
  printf 'median server CPU per connection: socat %.0f us, relay %.0f us' "$socat_cpum" "$relay_cpum"
  case $servers in *floor*) printf ', floor %.0f us' "$floor_cpum" ;; esac
  awk -v r="$relay_cpum" -v s="$socat_cpum" 'BEGIN { printf " (socat/relay %.2fx)\n", s / r }'
  printf 'median client CPU per connection: %.0f us (with relay)\n' "$relay_ccpum"
  printf 'zombies left: relay %d, socat %d' "$relay_z" "$socat_z"
  case $servers in *floor*) printf ', floor %d' "$floor_z" ;; esac
  echo
}
