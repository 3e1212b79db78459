#!/usr/bin/env bash
# Builds the sockmap relay experiment (sockmap_relay.bpf.c + sockmap_relay.c,
# relay issue 5) and tcpblast into $1 (default /tmp/fdscope-sockmap):
# vmlinux.h from the running kernel, the BPF object with clang -target bpf,
# its skeleton with bpftool, the user side with cc.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/fdscope-sockmap}
mkdir -p "$out"
[ -s "$out/vmlinux.h" ] || bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$out/vmlinux.h"
clang -target bpf -g -O2 -D__TARGET_ARCH_x86 -I"$out" -I/usr/include/x86_64-linux-gnu \
  -c "$here/sockmap_relay.bpf.c" -o "$out/sockmap_relay.bpf.o"
bpftool gen skeleton "$out/sockmap_relay.bpf.o" name sockmap_relay_bpf > "$out/sockmap_relay.skel.h"
cc -O2 -Wall -I"$out" "$here/sockmap_relay.c" -o "$out/sockmap_relay" -lbpf -lelf -lz
cc -O2 "$here/../tcpblast.c" -o "$out/tcpblast"
