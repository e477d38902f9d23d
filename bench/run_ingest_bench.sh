#!/usr/bin/env bash
# The returns ingest benchmark (docs/performance.md, "Returns ingest"). In one run, on the
# same ledger and the same files:
#   1. the yardstick: the sqlite3 CLI imports every payment file into a table and joins it
#      to the placements on the agency's reference (the matching alone: no exactly-once
#      checks, no commission, no per-file transaction), on a copy of the ledger;
#   2. ingest_bench run: every file through ingest::ingest (what `dcagw ingest --agency A
#      --file F` runs), with lines/s and peak resident memory at 25/50/100% of the lines.
# Usage: bench/run_ingest_bench.sh [PLACEMENTS FILES LINES]   (default 1000000 1000 1000)
# Needs a built tree: DCAGW_BUILD (default build) with bench/ingest_bench; sqlite3 (the CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${DCAGW_BUILD:-build}
bench=$build/bench/ingest_bench
placements=${1:-1000000}
files=${2:-1000}
lines=${3:-1000}
work=${DCAGW_BENCH_DIR:-$(mktemp -d /tmp/dcagw-ingest-bench.XXXXXX)}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" setup "$work" "$placements" "$files" "$lines"
cat "$work"/returns/*.csv > /dev/null # warm the page cache for both contenders alike

# The yardstick, on a copy of the freshly set up ledger.
cp "$work/state/ledger.sqlite" "$work/yardstick.sqlite"
{
  echo "CREATE TABLE lines (payment_id TEXT, account_number TEXT, customer_number TEXT, amount TEXT, paid_on TEXT, paid_at TEXT);"
  echo "BEGIN;"
  for file in "$work"/returns/*.csv; do echo ".import --csv --skip 1 '$file' lines"; done
  echo "COMMIT;"
  echo "SELECT count(*), sum(p.id IS NOT NULL) FROM lines l LEFT JOIN placements p ON p.agency = 'example-agency' AND p.pseudonym = l.account_number;"
} > "$work/yardstick.sql"
/usr/bin/time -f "   sqlite3 .import + join (yardstick): %e s wall (%U s user, %S s system), peak %M KB" \
  sqlite3 "$work/yardstick.sqlite" < "$work/yardstick.sql" | sed 's/^/   lines, matched: /'
rm -f "$work/yardstick.sqlite"

/usr/bin/time -f "   ingest_bench run: %e s wall (%U s user, %S s system), peak %M KB" "$bench" run "$work"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "work folder: $work"
