# tcp_hop.sh: sourced by the TCP throughput benchmarks (relay_vs_socat.sh,
# floor/run_sockmap_floor.sh).  Needs $tmp (a scratch dir), $blast (a built
# bench/tcpblast.c) and $bytes.
# one_run HOP...: prints MiB/s of one transfer of $bytes through the hop
# command, which runs with fd 3 connected to the sender and fd 4 to the
# sink; "direct" = the sender connects to the sink itself.  A transfer that
# arrives short fails (exit 1).
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
  awk -v want="$bytes" '$1 != want { print "short transfer: " $1 " of " want > "/dev/stderr"; exit 1 }
    { printf "%.0f\n", $1 / 1048576 / $2 }' "$tmp/sink.out"
}
