#!/usr/bin/env bash
# Builds every libFuzzer target with the packaged clang (Debian 12: clang 14) and runs
# each for a short, bounded time from its seed corpus; fails on the first crash, leak,
# timeout or broken property (the targets trap on those). The seed corpora are also
# replayed as ordinary tests in every build (tests/fuzz/CMakeLists.txt); this step is the
# one that searches beyond them.
#
#   scripts/run-fuzz.sh [SECONDS_PER_TARGET]    (default 10, or $DCAGW_FUZZ_SECONDS)
#   DCAGW_FUZZ_BUILD=FOLDER to build in another folder than build-test-fuzz
#
# New inputs found go to a scratch folder, never into the committed corpora; a crashing
# input is kept as build-test-fuzz/artifacts/<target>-crash-... and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${DCAGW_FUZZ_SECONDS:-10}}
folder=${DCAGW_FUZZ_BUILD:-build-test-fuzz}
jobs=$(nproc)

echo "== fuzz build (clang, -DDCAGW_FUZZ=ON)"
CC=clang CXX=clang++ cmake -S . -B "$folder" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCAGW_FUZZ=ON >/dev/null
cmake --build "$folder" -j "$jobs" --target fuzz_targets

artifacts=$folder/artifacts
# Targets whose parser reads a file write each input to a scratch folder: on tmpfs that is
# ten times faster than on disk.
if [[ -d /dev/shm && -w /dev/shm ]]; then
  export TMPDIR=/dev/shm
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
failed=()
shopt -s nullglob
targets=("$folder"/tests/fuzz/fuzz_*)
[[ ${#targets[@]} -gt 0 ]] || { echo "no fuzz targets were built" >&2; exit 1; }
for binary in "${targets[@]}"; do
  [[ -f $binary && -x $binary ]] || continue
  name=${binary##*/fuzz_}
  corpus=tests/fuzz/corpus/$name
  mkdir -p "$scratch/$name"
  echo "== fuzz_$name for ${seconds}s"
  # The first folder is where libFuzzer adds what it finds; the seed corpus is read only.
  if ! "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$name-" "$scratch/$name" "$corpus" </dev/null >"$scratch/$name.log" 2>&1; then
    tail -n 40 "$scratch/$name.log"
    failed+=("$name")
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$scratch/$name.log" | tail -n 1 || true
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $artifacts/)" >&2
  exit 1
fi
echo "== fuzzing: ${#targets[@]} targets, ${seconds}s each, no problem found"
