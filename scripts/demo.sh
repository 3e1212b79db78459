#!/usr/bin/env bash
# A short demo of the suite, run by scripts/setup.sh: what each built program
# says about this shell and itself.
set -euo pipefail
bin=${1:-build/bin}
run() { echo; echo "\$ $*"; "$@"; }
if [ -x "$bin/filan" ]; then
  exec 7</etc/hostname
  run "$bin/filan" -s
  run "$bin/filan" -i 7
  exec 7<&-
fi
[ -x "$bin/procan" ] && run "$bin/procan"
[ -x "$bin/relay" ] && { echo; echo "\$ echo hello | relay -v - -"; echo hello | "$bin/relay" -v - -; }
[ -x "$bin/trace" ] && run "$bin/trace" --version
exit 0
