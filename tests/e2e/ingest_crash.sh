#!/usr/bin/env bash
# Crash safety of `dcagw ingest` (issue 14 items 4 and 12), modelled on test_send_crash.cpp
# and test_place_crash.cpp: the bundled example is placed and sent; the agency returns many
# payment files (signed and encrypted by the real gpg, as the example's `returns` section
# declares), some repeating payments of earlier files; `dcagw collect` fetches them. Then
# `dcagw ingest` is killed with SIGKILL at random moments, many times, and finally run to
# the end. Afterwards every file must be applied exactly once and every payment exactly
# once: the ledger's counts, pence sums (gross, commission, VAT, net, from `dcagw payments
# list --format json`) and duplicate counts must equal what the files hold, no plaintext
# may be left, and the audit log must verify.
# Usage: ingest_crash.sh DCAGW SOURCE_DIR [FILES] [LINES_PER_FILE]
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
file_count=${3:-50}
lines_per_file=${4:-20}
source "$source/tests/support/example_agency.sh"
example_agency_start ingest-crash

# The payment files, and what the ledger must hold afterwards. Payments go round-robin to
# the five people received (their account and customer numbers, so the joint debtors are
# told apart); amounts are 1p to 300p so no account is overpaid. The last file repeats the
# first file's first five payments with the same content: counted duplicates, not new
# payments. Commission 25%, VAT 20% on commission, half up per line (docs/returns-ledger.md).
/usr/bin/python3 - "$file_count" "$lines_per_file" > expected.txt <<'EOF'
import csv, sys
files, per_file = int(sys.argv[1]), int(sys.argv[2])
people = list(csv.reader(open("received.csv")))[1:]
def half_up(numerator, denominator):
    return (numerator * 2 + denominator) // (2 * denominator)
count = gross = commission = vat = 0
first = []
for f in range(files):
    name = "2026%02d%02d-payments.csv" % (1 + f // 28, 1 + f % 28)  # any ????????-payments.csv
    rows = []
    for line in range(per_file):
        index = f * per_file + line
        person = people[index % len(people)]
        pence = 1 + (index * 37) % 300
        rows.append((f"PAY-{index:06d}", person[0], person[1], f"{pence // 100}.{pence % 100:02d}", "2026-12-01"))
        c = half_up(pence * 2500, 10000)
        v = half_up(c * 2000, 10000)
        count, gross, commission, vat = count + 1, gross + pence, commission + c, vat + v
    if f == 0:
        first = rows[:5]
    if f == files - 1:
        rows += first
    with open(name, "w") as out:
        out.write("payment_id,account_number,customer_number,amount,paid_on,paid_at\n")
        for row in rows:
            out.write(",".join(row) + ",\n")
print(count, gross, commission, vat, gross - commission - vat, len(first))
EOF
read -r want_count want_gross want_commission want_vat want_net want_duplicates < expected.txt
for plain in ????????-payments.csv; do
  seal "$plain" "$server/outgoing/$plain.gpg"
done
"$dcagw" collect --config gateway.json > /dev/null 2>&1
check "collected every file" "$(ls state/inbox/example-agency/*-payments.csv.gpg | wc -l)" "$file_count"

# How long a whole run takes differs a hundredfold between builds and machines (well under
# a second in a release build, seconds under AddressSanitizer or load), so the kill delay
# adapts: each run is killed after a random 5 ms up to a window that starts at 80 ms,
# grows by half whenever a killed run applied nothing and halves (down to 20 ms) whenever
# one applied some files, so it stays near the time a run needs to get going. Kills so land
# before, inside and after a file's transaction (during decryption, between lines, at the
# commit, during the plaintext's removal). Every round either applies files or widens the
# window, so the loop ends with every file applied. The run is killed by its own pid and
# reaped, so it has let go of the run lock before the next starts; the flock is a second
# guard, as the C++ crash tests wait for it.
# A quick machine can apply the last files before the tenth kill lands; the history is
# then started again from the collected state (kept here, with the checkpoint file the
# runs append to), so every history counted is one of kills and a final run.
cp -a state pristine-state
cp -a checkpoints.txt pristine-checkpoints.txt 2>/dev/null || true
killed=0
finished=0
plaintext_left=0        # kills that left a decrypted file behind (the next run removes it)
killed_after_progress=0 # killed runs that had applied some files but not all
applied_before=0
window=75 # ms above the 5 ms minimum
for round in $(seq 1 200); do
  delay_ms=$((5 + ((RANDOM << 15) | RANDOM) % window))
  delay=$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))
  "$dcagw" ingest --config gateway.json > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  was_killed=0
  if kill -KILL "$pid" 2>/dev/null; then killed=$((killed + 1)); was_killed=1; fi
  wait "$pid" 2>/dev/null || true
  flock -w 30 state/run.lock true
  plaintext_left=$((plaintext_left + $(find state -name '*.plain' | wc -l)))
  applied=$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM inbound_files WHERE state = 'applied'")
  ((applied > applied_before && applied < file_count)) && killed_after_progress=$((killed_after_progress + 1))
  if ((was_killed && applied == applied_before && window < 20000)); then window=$((window + window / 2 + 1)); fi
  if ((was_killed && applied > applied_before && window > 20)); then window=$((window / 2)); fi
  applied_before=$applied
  if ((applied == file_count)); then finished=$((finished + 1)); fi
  ((finished >= 1 && killed >= 10)) && break
  if ((finished >= 1)); then
    rm -rf state checkpoints.txt
    cp -a pristine-state state
    cp -a pristine-checkpoints.txt checkpoints.txt 2>/dev/null || true
    finished=0
    applied_before=0
  fi
done
echo "     $killed runs killed, $killed_after_progress of them after applying some files; $plaintext_left left a plaintext"
check "runs were killed" "$((killed >= 10))" 1
status=0
"$dcagw" ingest --config gateway.json --format json > final.json 2> final.err || status=$?
check "final run: exit 0" "$status" 0
check "final run: nothing left to apply" "$(/usr/bin/python3 -c 'import json; d=json.load(open("final.json")); print(d["files_applied"], d["files_refused"], d["files_with_problems"])')" "0 0 0"

# Every file exactly once, applied with all its lines.
check "every file applied once" "$("$dcagw" returns list --config gateway.json --format json | /usr/bin/python3 -c '
import json, sys
files = json.load(sys.stdin)
print(len(files), len({f["sha256"] for f in files}), sum(f["state"] == "applied" for f in files), sum(f["lines"] for f in files), sum(f["applied"] for f in files), sum(f["duplicates"] for f in files))')" \
  "$file_count $file_count $file_count $((want_count + want_duplicates)) $want_count $want_duplicates"

# Every payment exactly once, to the penny.
check "every payment once, to the penny" "$("$dcagw" payments list --config gateway.json --format json | /usr/bin/python3 -c '
import json, sys
p = json.load(sys.stdin)
print(len(p), len({x["payment_id"] for x in p}), sum(x["gross_pence"] for x in p), sum(x["commission_pence"] for x in p), sum(x["vat_pence"] for x in p), sum(x["net_pence"] for x in p), sum(x["duplicates"] for x in p))')" \
  "$want_count $want_count $want_gross $want_commission $want_vat $want_net $want_duplicates"
check "nothing quarantined, nothing in suspense" "$(sqlite3 state/ledger.sqlite 'SELECT (SELECT count(*) FROM return_quarantine), (SELECT count(*) FROM suspense_items)')" "0|0"
check "one audit entry per applied file" "$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM audit_entries WHERE kind = 'command' AND instr(body, CAST('-payments.csv.gpg' AS BLOB)) > 0")" "$file_count"
example_agency_finish
