#!/usr/bin/env bash
# run_fuzz.sh SOURCE_DIR BUILD_DIR SECONDS: build the address-parser fuzzer
# with clang++ (libFuzzer + ASan + UBSan; CI compiles everything else with
# gcc, so this script builds just the parser sources itself) and run it for
# SECONDS on a copy of tests/relay/fuzz/corpus.  Any crash, sanitizer report
# or broken invariant fails the test.  Skips (exit 77) without clang++.
set -eu
src=$1 build=$2 secs=${3:-20}
CXX=${FUZZ_CXX:-clang++}
if ! command -v "$CXX" >/dev/null; then echo "no $CXX: fuzzer skipped"; exit 77; fi
mkdir -p "$build"; out=$(cd "$build" && pwd)/relay-fuzz
mkdir -p "$out"
srcs=("$src/tests/relay/fuzz/address_parser_fuzz.cpp"
      "$src/relay/core/address_parser.cpp" "$src/relay/core/address_type.cpp"
      "$src/relay/core/nestlex.cpp" "$src/relay/core/option.cpp" "$src/relay/core/registry.cpp"
      "$src/common/src/result.cpp")
bin=$out/address_parser_fuzz
# Rebuild only when a source is newer than the binary.
rebuild=0
[ -x "$bin" ] || rebuild=1
for f in "${srcs[@]}" "$src"/relay/core/*.hpp; do [ "$f" -nt "$bin" ] && rebuild=1; done
if [ $rebuild = 1 ]; then
  "$CXX" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I "$src/relay" -I "$src/common/include" "${srcs[@]}" -lfmt -o "$bin"
fi
corpus=$out/corpus
rm -rf "$corpus" && mkdir -p "$corpus" && cp "$src"/tests/relay/fuzz/corpus/* "$corpus"/
cd "$out"
exec "$bin" -max_total_time="$secs" -max_len=512 -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 "$corpus"
