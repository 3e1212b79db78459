#!/usr/bin/env bash
# Builds the bench floor programs and the workload into $1 (default
# /tmp/fdscope-bench): vmlinux.h from the running kernel, floor.bpf.c with
# clang -target bpf, its skeleton with bpftool, floor.c and workload.c with cc.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/fdscope-bench}
mkdir -p "$out"
[ -s "$out/vmlinux.h" ] || bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$out/vmlinux.h"
clang -target bpf -g -O2 -D__TARGET_ARCH_x86 -I"$out" -I/usr/include/x86_64-linux-gnu \
  -c "$here/floor.bpf.c" -o "$out/floor.bpf.o"
bpftool gen skeleton "$out/floor.bpf.o" name floor_bpf > "$out/floor.skel.h"
cc -O2 -I"$out" "$here/floor.c" -o "$out/floor" -lbpf -lelf -lz
cc -O2 "$here/../workload.c" -o "$out/workload"
