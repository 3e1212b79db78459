#!/usr/bin/env bash
# README command 1: install dependencies, build the suite into build/bin, and
# run a short demo (filan on this shell's fds, procan of itself, and the
# others' --version).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
bash scripts/demo.sh build/bin
