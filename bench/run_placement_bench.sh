#!/usr/bin/env bash
# The placement benchmark (docs/performance.md): generates N synthetic cases, then in the
# same run on the same file measures
#   1. what a user would script instead: mlr --csv cut -f <the mapping's source fields> | age -r <recipient>
#   2. a bare column cut (cut -d, -f), the parse floor
#   3. dcagw place (validation, duplicates, eligibility, minimisation, pseudonyms, age
#      encryption, the SQLite ledger), with its peak resident memory.
# Usage: bench/run_placement_bench.sh [N ...]   (default: 1000000 10000000)
# Needs a built tree: DCAGW_BUILD (default build) with dcagw and generate_cases.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${DCAGW_BUILD:-build}
dcagw=$build/gateway/cli/dcagw
generate=$build/bench/generate_cases
sizes=("$@")
((${#sizes[@]})) || sizes=(1000000 10000000)
work=${DCAGW_BENCH_DIR:-$(mktemp -d /tmp/dcagw-bench.XXXXXX)}
source bench/bench_config.sh
bench_workspace
# The canonical fields the example agency's mapping reads: what the user's cut keeps.
fields=account_ref,person_ref,balance_pence,first_name,last_name,date_of_birth,address_line1,address_line2,town,postcode,email,phone_mobile,last_payment_date,vulnerability_code

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
  input=$work/cases-$n.csv
  [[ -f $input ]] || "$generate" "$n" "$input"
  write_bench_config "$work/gateway-$n.json" "state-$n" "$input"
  rm -rf "$work/state-$n"
  cat "$input" > /dev/null # warm the page cache for every contender alike
  echo "== $n cases ($(du -h "$input" | cut -f1))"
  # The comparison runs up to 1,000,000 cases; beyond that only dcagw's time and peak
  # memory are measured (the point of the 10,000,000 run is that memory stays flat).
  if ((n <= ${DCAGW_BENCH_COMPARE_MAX:-1000000})) && command -v mlr >/dev/null && command -v age >/dev/null; then
    /usr/bin/time -f "   mlr cut | age -r : %e s, peak %M KB" bash -c "mlr --csv cut -f $fields '$input' | age -r $recipient > '$work/mlr.age'"
  fi
  if ((n <= ${DCAGW_BENCH_COMPARE_MAX:-1000000})); then
    /usr/bin/time -f "   cut -f (parse floor): %e s, peak %M KB" bash -c "cut -d, -f1,2,5,10,12,13,18,19,21,23,17,16,31,36 '$input' > /dev/null"
  fi
  /usr/bin/time -f "   dcagw place         : %e s, peak %M KB" "$dcagw" place --config "$work/gateway-$n.json" --as-of 2026-11-23 --format json > "$work/summary-$n.json" || true
  echo "   summary: $(head -c 300 "$work/summary-$n.json")"
  rm -f "$work/mlr.age"
done
echo "work folder: $work"
