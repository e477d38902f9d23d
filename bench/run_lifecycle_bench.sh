#!/usr/bin/env bash
# The lifecycle comparison benchmark (docs/performance.md, "Lifecycle comparison"). For
# each size N, in the same run:
#   A. the yardstick: a plain `dcagw place` of N generated cases into a fresh state;
#   B. `dcagw place` of the next day's export of the same cases (generate_cases ... day2:
#      about 5% of the balances go down, about 1% gain a breathing space) against the state
#      A left, where the placeable cases are open placements: every row of a held debt
#      goes through the comparison, and the messages owed are recorded and written;
#   C. `dcagw place` of A's own file again, against a copy of the state A left: every
#      held row is compared and nothing is owed (the comparison alone).
# Prints wall, CPU (user + system) and peak RSS for each, and the ratios B/A and C/A.
# No row vanishes from the day-2 export, so the vanished-debt guard needs no
# --confirm-mass-change.
# Usage: bench/run_lifecycle_bench.sh [N ...]   (default: 1000000)
# Needs a built tree: DCAGW_BUILD (default build) with dcagw and generate_cases.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${DCAGW_BUILD:-build}
dcagw=$build/gateway/cli/dcagw
generate=$build/bench/generate_cases
sizes=("$@")
((${#sizes[@]})) || sizes=(1000000)
work=${DCAGW_BENCH_DIR:-$(mktemp -d /tmp/dcagw-lifecycle-bench.XXXXXX)}
source bench/bench_config.sh
bench_workspace
seed=1 # day 1 and day 2 come from the same seed, so their rows match

# time_run LABEL SUMMARY COMMAND...: runs COMMAND under GNU time, prints one line and
# leaves "wall cpu peak_kb" in $work/last-time.
time_run()
{
  local label=$1 summary=$2
  shift 2
  # dcagw exits non-zero when it quarantined rows (the generator writes a few invalid
  # dates); GNU time then writes a "Command exited" line before its own.
  /usr/bin/time -o "$work/time.txt" -f "%e %U %S %M" "$@" > "$summary" 2> "$summary.stderr" || true
  read -r wall user system peak < <(tail -n 1 "$work/time.txt")
  local cpu
  cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
  printf '   %-44s: %6.2f s wall, %6.2f s CPU (%s user + %s system), peak %6.1f MB\n' \
    "$label" "$wall" "$cpu" "$user" "$system" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
  echo "   summary: $(head -c 400 "$summary" | tr -d '\n')"
  echo "$wall $cpu $peak" > "$work/last-time"
}

ratio() { awk -v b="$1" -v a="$2" 'BEGIN { printf "%.2f", b / a }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
  day1=$work/cases-$n.csv
  day2=$work/cases-$n-day2.csv
  [[ -f $day1 ]] || "$generate" "$n" "$day1" "$seed"
  [[ -f $day2 ]] || "$generate" "$n" "$day2" "$seed" day2
  for state in state-$n state-$n-same; do
    write_bench_config "$work/gateway-$state.json" "$state" "$day1"
  done
  rm -rf "$work/state-$n" "$work/state-$n-same"
  echo "== $n cases ($(du -h "$day1" | cut -f1); day 2 differs on $(awk -v other="$day2" '{ getline line < other; if (line != $0) changed++ } END { print changed + 0 }' "$day1") rows)"

  cat "$day1" > /dev/null # warm the page cache
  time_run "A. place, fresh state (yardstick)" "$work/summary-$n-A.json" \
    "$dcagw" place --config "$work/gateway-state-$n.json" --as-of 2026-11-23 --format json
  read -r a_wall a_cpu a_peak < "$work/last-time"
  cp -a "$work/state-$n" "$work/state-$n-same"
  sync

  cat "$day2" > /dev/null
  time_run "B. place day 2 against A's open placements" "$work/summary-$n-B.json" \
    "$dcagw" place --config "$work/gateway-state-$n.json" --input "$day2" --as-of 2026-11-24 --format json
  read -r b_wall b_cpu b_peak < "$work/last-time"

  cat "$day1" > /dev/null
  time_run "C. place A's file again (nothing owed)" "$work/summary-$n-C.json" \
    "$dcagw" place --config "$work/gateway-state-$n-same.json" --as-of 2026-11-24 --format json
  read -r c_wall c_cpu c_peak < "$work/last-time"

  echo "   ratio B/A: wall $(ratio "$b_wall" "$a_wall"), CPU $(ratio "$b_cpu" "$a_cpu"), peak RSS $(ratio "$b_peak" "$a_peak")"
  echo "   ratio C/A: wall $(ratio "$c_wall" "$a_wall"), CPU $(ratio "$c_cpu" "$a_cpu"), peak RSS $(ratio "$c_peak" "$a_peak")"
  rm -rf "$work/state-$n-same"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "work folder: $work"
