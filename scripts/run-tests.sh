#!/usr/bin/env bash
# Set-up command 2: install, build, and run the whole test suite, once in a normal build
# and once under AddressSanitizer + UndefinedBehaviorSanitizer; then build every fuzz
# target with clang and run each for a short bounded time (scripts/run-fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh --with-test-tools
jobs=$(nproc)
for variant in release sanitize; do
  folder=build-test-$variant
  # Warnings are errors here (and so in CI); a user's own build only warns.
  options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCAGW_WERROR=ON)
  [[ $variant == sanitize ]] && options=(-DCMAKE_BUILD_TYPE=Debug -DDCAGW_SANITIZE=ON -DDCAGW_WERROR=ON)
  echo "== $variant build"
  cmake -S . -B "$folder" -G Ninja "${options[@]}" >/dev/null
  cmake --build "$folder" -j "$jobs"
  echo "== $variant tests"
  (cd "$folder" && ctest --output-on-failure -j "$jobs" --timeout 1200)
done
echo "== fuzz targets"
scripts/run-fuzz.sh
