#!/bin/sh
# Fork-server speed: short connections per second through
#   relay TCP4-LISTEN:<p>,fork,reuseaddr PIPE     vs.
#   socat TCP4-LISTEN:<p>,fork,reuseaddr PIPE
# (PIPE echoes what it reads).  One client (python3) makes COUNT sequential
# connections to each, over loopback: connect, send a short line, read the
# echo, close -- from PAR client processes at once (default 4), so the
# server's accept+fork rate is measured, not one client's latency.  Prints connections/s of both, the ratio (target >= 1.5), and
# checks that no zombie child is left behind by either server.
# The two servers are measured alternately ROUNDS times (default 5) and the
# medians are compared, so load from other work on the machine hits both.
# Also printed: each server's CPU time per connection (its own and its
# children's, from /usr/bin/time), which other load on a shared machine
# disturbs far less than the rate.
#   usage: bench/relay_fork_vs_socat.sh [COUNT] [RELAY_BINARY] [PAR] [ROUNDS]
set -eu
COUNT=${1:-2000}
RELAY=${2:-$(dirname "$0")/../build/bin/relay}
PAR=${3:-4}
ROUNDS=${4:-5}
command -v socat >/dev/null || { echo "socat not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 needed for the client" >&2; exit 1; }
[ -x "$RELAY" ] || { echo "relay binary not found: $RELAY (pass it as 2nd argument)" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

client() {  # port count -> connections per second
  python3 - "$1" "$2" "$PAR" <<'PY'
import os, socket, sys, time
port, n, par = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
msg = b"hello fork server\n"
# wait until the server listens
for _ in range(200):
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
print("%.1f" % (n / dt))
PY
}

zombies() {  # children of $1 in state Z
  n=0
  for st in /proc/[0-9]*/stat; do
    set -- $(sed 's/.*) //' "$st" 2>/dev/null) x x
    if [ "$2" = "$PARENT" ] && [ "$1" = Z ]; then n=$((n + 1)); fi
  done
  echo $n
}

tfile=$(mktemp /tmp/relay-fork-bench.XXXXXX)
trap 'rm -f "$tfile"' EXIT

run() {  # name command...
  name=$1; shift
  port=$(free_port)
  /usr/bin/time -f "%U %S" -o "$tfile" "$@" "TCP4-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" PIPE 2>/dev/null &
  tpid=$!
  rate=$(client "$port" "$COUNT")
  sleep 0.3
  srv=$(pgrep -P "$tpid" || true)  # the server itself, child of time
  PARENT=$srv
  z=$(zombies)
  kill "$srv" 2>/dev/null; wait "$tpid" 2>/dev/null || true
  cpu=$(awk -v n="$COUNT" '/^[0-9.]+ [0-9.]+$/ { printf "%.0f", ($1 + $2) * 1e6 / n }' "$tfile")
  echo "$name: $rate conn/s ($COUNT connections), ${cpu} us CPU per connection, zombies left: $z" >&2
  echo "$rate $z $cpu"
}

socat_rates=""; relay_rates=""; socat_cpu=""; relay_cpu=""; socat_z=0; relay_z=0
i=0
while [ $i -lt "$ROUNDS" ]; do
  set -- $(run "socat" socat); socat_rates="$socat_rates $1"; socat_z=$((socat_z + $2)); socat_cpu="$socat_cpu $3"
  set -- $(run "relay" "$RELAY"); relay_rates="$relay_rates $1"; relay_z=$((relay_z + $2)); relay_cpu="$relay_cpu $3"
  i=$((i + 1))
done
python3 - "$socat_rates" "$relay_rates" "$socat_cpu" "$relay_cpu" <<'PY'
import statistics, sys
s, r, sc, rc = ([float(x) for x in a.split()] for a in sys.argv[1:5])
print("median conn/s: socat %.0f, relay %.0f" % (statistics.median(s), statistics.median(r)))
print("relay/socat fork-server connection rate: %.2fx (target >= 1.5)" % (statistics.median(r) / statistics.median(s)))
print("median CPU per connection: socat %.0f us, relay %.0f us (socat/relay %.2fx)" %
      (statistics.median(sc), statistics.median(rc), statistics.median(sc) / statistics.median(rc)))
PY
echo "zombies left: relay $relay_z, socat $socat_z"
