#!/bin/bash
# The sockmap relay experiment against the alternatives, in one run, with
# the method of bench/relay_vs_socat.sh: source -> [hop] -> sink over TCP
# loopback, BYTES (default 2 GiB) per transfer, the hop gets fd 3 from the
# sender and fd 4 to the sink, best of RUNS (default 3) per hop.  Hops:
#   direct            no hop at all (the ceiling)
#   socat / socat -b 131072
#   splice            sockmap_relay splice (the floor of a user-space relay)
#   relay             RELAY=path/to/relay, when given (relay FD:3 FD:4)
#   sockmap           sockmap_relay sockmap (in-kernel BPF redirect), with
#                     default socket buffers and with 64 MiB send buffers
#                     (SMR_SNDBUF); the ratios use the better of the two
# Builds the experiment with build_sockmap.sh into a temp dir.  Root needed.
# Usage: bench/floor/run_sockmap_floor.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bytes=${BYTES:-$((2 * 1024 * 1024 * 1024))}
runs=${RUNS:-3}
tmp=$(mktemp -d /tmp/sockmap-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$here/build_sockmap.sh" "$tmp" >/dev/null
blast=$tmp/tcpblast

. "$here/../lib/tcp_hop.sh"

best() {
  local b=0 r
  for _ in $(seq "$runs"); do
    r=$(one_run "$@")
    [ "$r" -gt "$b" ] && b=$r
  done
  echo "$b"
}

hop_socat() { socat FD:3 FD:4; }
hop_socat_b() { socat -b 131072 FD:3 FD:4; }
hop_splice() { "$tmp/sockmap_relay" splice; }
hop_relay() { "$RELAY" FD:3 FD:4; }
hop_sockmap() { "$tmp/sockmap_relay" sockmap; }
hop_sockmap_sb() { SMR_SNDBUF=67108864 "$tmp/sockmap_relay" sockmap; }

echo "TCP loopback, $((bytes / 1048576)) MiB per run, best of $runs, load $(cut -d' ' -f1-3 /proc/loadavg)"
direct=$(best direct);       echo "direct            $direct MiB/s"
so=$(best hop_socat);        echo "socat             $so MiB/s"
sob=$(best hop_socat_b);     echo "socat -b 131072   $sob MiB/s"
sp=$(best hop_splice);       echo "splice relay      $sp MiB/s"
if [ -n "${RELAY:-}" ]; then
  rl=$(best hop_relay);      echo "relay             $rl MiB/s"
fi
sm=$(best hop_sockmap);      echo "sockmap relay     $sm MiB/s"
smb=$(best hop_sockmap_sb);  echo "sockmap, 64M sndbuf $smb MiB/s"
[ "$smb" -gt "$sm" ] && sm=$smb
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "sockmap / splice          $(ratio "$sm" "$sp")  (phase-2 gate >= 1.15)"
echo "sockmap / direct          $(ratio "$sm" "$direct")  (issue goal >= 0.6)"
echo "sockmap / socat           $(ratio "$sm" "$so")  (issue goal >= 3)"
echo "splice / direct           $(ratio "$sp" "$direct")"
echo "splice / socat            $(ratio "$sp" "$so")"
