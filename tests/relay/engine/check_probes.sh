#!/bin/sh
# Checks that BINARY carries every USDT probe of provider "relay" that
# docs/relay-probes.md documents (readelf -n lists the stapsdt notes).
# Usage: check_probes.sh BINARY
set -eu
bin=$1
notes=$(readelf -n "$bin")
status=0
for probe in transfer eof shutdown close; do
  if ! printf '%s\n' "$notes" | grep -A1 'Provider: relay' | grep -q "Name: $probe\$"; then
    echo "missing USDT probe relay:$probe in $bin" >&2
    status=1
  fi
done
exit $status
