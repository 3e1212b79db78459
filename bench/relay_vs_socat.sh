#!/bin/bash
# TCP loopback throughput through one relay hop, against socat in the same
# run: source -> [hop] -> sink with 2 GiB (BYTES=...) of data.  Hops:
#   direct             no relay at all (the ceiling)
#   socat              socat FD:3 FD:4 (default options, -b 8192)
#   socat -b 131072    socat with 128 KiB blocks
#   relay              relay FD:3 FD:4 (default options)
# The hop gets two connected TCP loopback sockets (fd 3 from the sender,
# fd 4 to the sink, opened with bash's /dev/tcp), so every hop, socat or
# relay, runs the same transfer loop between two TCP sockets and nothing
# else is measured (no listen/connect address code).
# Each hop runs RUNS times (default 3) and the best run counts, since the
# machine is shared.  Prints MiB/s per hop, the ratios the relay issue asks
# for, and relay's peak resident set size.
# Measured 2026-11-23 on the shared 2-core build VM (load ~3), best of 3:
#   direct 3034, socat 667, socat -b 131072 1179, relay 1480 MiB/s;
#   relay/socat 2.22, relay/socat-b 1.26, relay/direct 0.49; relay RSS 4.1 MiB.
# Usage: bench/relay_vs_socat.sh [path/to/relay]   (default build/bin/relay)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
relay=${1:-$here/../build/bin/relay}
socat=${SOCAT:-socat}
bytes=${BYTES:-$((2 * 1024 * 1024 * 1024))}
runs=${RUNS:-3}
[ -x "$relay" ] || { echo "relay binary not found: $relay" >&2; exit 1; }
command -v "$socat" >/dev/null || { echo "socat not found" >&2; exit 1; }

tmp=$(mktemp -d /tmp/relay-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/tcpblast" "$here/tcpblast.c"
blast=$tmp/tcpblast

# one_run HOP...: prints MiB/s of one transfer through the hop command,
# which runs with fd 3 connected to the sender and fd 4 to the sink;
# "direct" = the sender connects to the sink itself.
one_run() {
  rm -f "$tmp/port" "$tmp/srcport"
  "$blast" sink "$tmp/port" >"$tmp/sink.out" &
  local sink=$!
  while [ ! -s "$tmp/port" ]; do sleep 0.01; done
  local target
  target=$(cat "$tmp/port")
  if [ "$1" = direct ]; then
    "$blast" source "$target" "$bytes"
  else
    "$blast" serve "$tmp/srcport" "$bytes" &
    local src=$!
    while [ ! -s "$tmp/srcport" ]; do sleep 0.01; done
    "$@" 3<>"/dev/tcp/127.0.0.1/$(cat "$tmp/srcport")" 4<>"/dev/tcp/127.0.0.1/$target"
    wait "$src"
  fi
  wait "$sink"
  awk '{ printf "%.0f\n", $1 / 1048576 / $2 }' "$tmp/sink.out"
}

best() {
  local b=0 r
  for _ in $(seq "$runs"); do
    r=$(one_run "$@")
    [ "$r" -gt "$b" ] && b=$r
  done
  echo "$b"
}

hop_socat() { "$socat" FD:3 FD:4; }
hop_socat_b() { "$socat" -b 131072 FD:3 FD:4; }
hop_relay() { "$relay" FD:3 FD:4; }
hop_relay_rss() { /usr/bin/time -f %M -o "$tmp/rss" "$relay" FD:3 FD:4; }

echo "TCP loopback, $((bytes / 1048576)) MiB per run, best of $runs"
direct=$(best direct)
echo "direct            $direct MiB/s"
socat_d=$(best hop_socat)
echo "socat             $socat_d MiB/s"
socat_b=$(best hop_socat_b)
echo "socat -b 131072   $socat_b MiB/s"
relay_d=$(best hop_relay)
echo "relay             $relay_d MiB/s"
one_run hop_relay_rss >/dev/null
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "relay / socat             $(ratio "$relay_d" "$socat_d")  (goal >= 3)"
echo "relay / socat -b 131072   $(ratio "$relay_d" "$socat_b")  (goal >= 1.3)"
echo "relay / direct            $(ratio "$relay_d" "$direct")  (goal >= 0.6)"
echo "socat / direct            $(ratio "$socat_d" "$direct")"
echo "relay max RSS             $(cat "$tmp/rss") KiB  (goal < 8192)"
