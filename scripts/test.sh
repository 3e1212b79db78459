#!/usr/bin/env bash
# README command 2 (and what .ci/run calls): install dependencies, build with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-asan, run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFDSCOPE_SANITIZE=ON
cmake --build build-asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan --output-on-failure -j2 --timeout 600
