#!/usr/bin/env bash
# The audit benchmarks (docs/performance.md):
#   1. a placement of N cases (default 1,000,000) with the audit log off and on
#      (bench/place_bench: same file, alternating, fresh state each time);
#   2. a generated log of E entries (default 10,000,000; a disclosure of 10 subjects every
#      10 entries, deliveries between): subject queries, then `audit verify`.
# Usage: bench/run_audit_bench.sh [N] [E]   Needs a built tree (DCAGW_BUILD, default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${DCAGW_BUILD:-build}
n=${1:-1000000}
entries=${2:-10000000}
work=${DCAGW_BENCH_DIR:-$(mktemp -d /tmp/dcagw-audit-bench.XXXXXX)}
source bench/bench_config.sh
bench_workspace
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
input=$work/cases-$n.csv
[[ -f $input ]] || "$build/bench/generate_cases" "$n" "$input"
write_bench_config "$work/gateway.json" "state" "$input"
cat "$input" > /dev/null
echo "== placement of $n cases, audit off / on"
"$build/bench/place_bench" "$work/gateway.json" "${DCAGW_BENCH_ROUNDS:-2}"
echo "== audit log of $entries entries"
"$build/bench/audit_bench" "$work/log-$entries" "$entries"
echo "work folder: $work"
