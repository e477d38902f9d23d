#!/usr/bin/env bash
# Lifecycle messages end to end over two days of exports (issue #15 item 9, docs/lifecycle.md),
# with the real `age` and `gpg` playing the example agency.
#
# Day 1 (as of 2026-11-23): the bundled example plus seven more debts is placed and sent
# (11 accounts open at the agency), the agency opens the placement file with `age -d` and
# acknowledges it. Day 2 (as of 2026-11-24): the export lowers one balance (the debtor paid
# the creditor direct), raises another, brings a new standard breathing space and a new
# dispute, and no longer lists one debt (1 of 11 accounts, under the vanished-share guard's
# 10%, so no --confirm-mass-change). `place` derives the messages and writes them into the
# example agency's two message layouts; `send` delivers them. The agency decrypts what it
# received with `age -d` and the identity in keys-example/, and the exact lines are checked:
# the two signed pence changes, a BSM hold carrying the breathing space's end date, a DSP
# hold (the example agency has no lifecycle_policy: a dispute holds by default), nothing for
# the debt gone from the export and nothing for the unchanged ones. Rerunning day 2's place
# and send writes and delivers nothing (sent once). The agency acknowledges both message
# files (signed, encrypted returns) and `holds list --format json` shows each hold's three
# reg 12 timestamps: notice received, agent notified, agent acknowledged.
#
# Crash safety: in fresh copies of the state after day 1, day 2's `place` is killed with
# SIGKILL at moments spread evenly over an uninterrupted run's time (starting, reading,
# comparing, committing, writing the message files), then run again to completion: the spooled message files must hold exactly
# the lines of the uninterrupted run, none twice. In fresh copies of the state after day 2's
# place, `send` is killed likewise, then rerun: every file is at the agency exactly once.
#
# `place` records a derived message's notice time from the clock (it offers no option for
# it) and its transaction reference is R<run>-<n>, the run's number differing after a
# killed run; the comparisons therefore check those two fields' form and replace them
# (`processed_at` by TS, R<run>- by R-) before comparing lines across runs.
# Usage: lifecycle_two_days.sh DCAGW SOURCE_DIR [PLACE_KILLS] [SEND_KILLS]
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
place_kills=${3:-12}
send_kills=${4:-8}
started=$(date +%s%N)
source "$source/tests/support/example_agency.sh"

# Day 1's export: the example and seven more simple debts (FTA-100101 ... FTA-100107).
day1_cases=$(mktemp /tmp/dcagw-lifecycle-cases.XXXXXX)
/usr/bin/python3 - "$source/docs/example/cases.csv" > "$day1_cases" <<'PYTHON'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
header, template = rows[0], next(r for r in rows if r[0] == "FTA-100002")
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerows(rows)
for n in range(1, 8):
    row = dict(zip(header, template))
    row.update(account_ref=f"FTA-1001{n:02d}", person_ref=f"P-5001{n:02d}", balance_pence=str(30000 + n),
               principal_pence=str(30000 + n), first_name="Extra", last_name=f"Debtor{n}", tenancy_ref=f"T-91{n:02d}")
    out.writerow([row[h] for h in header])
PYTHON
example_agency_start lifecycle-two-days "$day1_cases"
rm -f "$day1_cases"

"$dcagw" placements list --config gateway.json --agency example-agency --format csv > placements.csv
reference() { # reference ACCOUNT_REF -> "pseudonym,customer" as the agency received them
  local pseudonym
  pseudonym=$(awk -F, -v a="$1" '$1 == a { print $4; exit }' placements.csv)
  awk -F, -v p="$pseudonym" '$1 == p { print $1 "," $2; exit }' received.csv
}
lowered=$(reference FTA-100001)   # 184532 -> 174532: paid £100.00 to the creditor direct
raised=$(reference FTA-100002)    # 92050 -> 93550: £15.00 of costs added
breathing=$(reference FTA-100003) # a standard breathing space from 2026-11-24 to 2027-01-22
disputed=$(reference FTA-100101)  # disputed
check "day 1: the agency received 11 accounts (12 people)" "$(($(wc -l < received.csv) - 1)) $(tail -n +2 placements.csv | cut -d, -f1 | sort -u | wc -l)" "12 11"
check "day 1: the references are known" "${#lowered} ${#raised} ${#breathing} ${#disputed}" "51 51 51 51"

publish() { # publish PLAIN: signed by the agency, encrypted to the creditor, into outgoing/
  seal "$1" "$server/outgoing/$1.gpg"
}
acknowledge() { # acknowledge DELIVERED_FILE...: the agency accepts each file; collect and ingest
  local file
  for file in "$@"; do
    printf 'file_name,account_number,status\n%s,,ACCEPTED\n' "$file" > "$file.ack.csv"
    publish "$file.ack.csv"
  done
  "$dcagw" collect --config gateway.json > /dev/null 2>&1
  "$dcagw" ingest --config gateway.json --format json > ingest.json 2> ingest.err
}
acknowledge "$placed_file"
check "day 1: the placement file acknowledged" "$(json ingest.json 'd["files_applied"], d["files"][0]["kind"]')" "1 acknowledgement"

# Day 2's export, from day 1's.
/usr/bin/python3 - cases.csv > day2.csv <<'PYTHON'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
header = rows[0]
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(header)
for values in rows[1:]:
    row = dict(zip(header, values))
    if row["account_ref"] == "FTA-100102":
        continue  # gone from the export
    if row["account_ref"] == "FTA-100001":
        row.update(balance_pence="174532", last_payment_date="2026-11-23", last_payment_pence="10000")
    if row["account_ref"] == "FTA-100002":
        row.update(balance_pence="93550", charges_pence="1500")
    if row["account_ref"] == "FTA-100003":
        row.update(breathing_space="STANDARD", breathing_space_start="2026-11-24", breathing_space_end="2027-01-22")
    if row["account_ref"] == "FTA-100101":
        row.update(dispute="Y")
    out.writerow([row[h] for h in header])
PYTHON
sed -i 's#"input": "cases.csv"#"input": "day2.csv"#' gateway.json

# A fresh copy of this workspace (for the crash runs): configuration, keys, export, state.
snapshot() { # snapshot DIR
  mkdir -p "$1"
  cp -a gateway.json keys day2.csv received.csv state "$1/"
  [[ -e checkpoints.txt ]] && cp -a checkpoints.txt "$1/"
  return 0
}
snapshot "$work/after-day1"

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
place_day2() { # place_day2 OUT: day 2's placement run, its JSON summary in OUT; prints the exit status
  local status=0
  "$dcagw" place --config gateway.json --as-of 2026-11-24 --format json > "$1" 2> "${1%.json}.err" || status=$?
  echo "$status"
}
before=$(now)
t0=$(date +%s%N)
status=$(place_day2 place2.json)
place_ms=$((($(date +%s%N) - t0) / 1000000))
after=$(now)
check "day 2: place exits 1 (the example's rejected rows)" "$status" 1
check "day 2: 1 of 11 open accounts missing, under the guard's share" "$(json place2.json 'd["open_accounts"], d["open_accounts_listed"]')" "11 10"
check "day 2: nothing new placed, the two message files written" "$(json place2.json 'd["agencies"][0]["placed"], sorted(f.split("/")[-1] for f in d["agencies"][0]["files"])')" \
  "0 ['20261124-example-notices.csv.age', '20261124-example-updates.csv.age']"
check "day 2: messages owed" "$(json place2.json 'sorted((k, v) for k, v in d["agencies"][0]["messages_owed"].items() if v)')" "[('balance_update', 2), ('hold', 2)]"
run2=$(json place2.json 'd["run"]')

status=0
"$dcagw" send --config gateway.json > send2.out 2>&1 || status=$?
check "day 2: send exits 0" "$status" 0
ls "$server/incoming" > incoming.txt
updates_file=20261124-example-updates.csv.age
notices_file=20261124-example-notices.csv.age
check "day 2: the agency has the two message files and nothing else new" "$(grep -v "^$placed_file\$" incoming.txt | paste -sd' ')" "$notices_file $updates_file"

# The agency opens them with the real age and its identity.
age -d -i keys/example-agency.age-identity.key "$server/incoming/$updates_file" > updates.csv
age -d -i keys/example-agency.age-identity.key "$server/incoming/$notices_file" > notices.csv
# processed_at is when place learnt the change (the clock, between $before and $after);
# the transaction reference is R<run>-<n>, n in the export's order.
in_window() { # in_window FILE COLUMN: every timestamp of the column within [before, after]
  /usr/bin/python3 -c '
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
print(sum(not (stamp.fullmatch(r[int(sys.argv[2]) - 1]) and sys.argv[3] <= r[int(sys.argv[2]) - 1] <= sys.argv[4]) for r in rows))' "$1" "$2" "$before" "$after"
}
check "updates: processed_at is the notice time (RFC3339, during the run)" "$(in_window updates.csv 4)" 0
check "notices: processed_at is the notice time (RFC3339, during the run)" "$(in_window notices.csv 6)" 0
normalise() { # normalise FILE COLUMN: the file with that timestamp column as TS, R<run>- as R-
  awk -F, -v OFS=, -v c="$2" 'NR > 1 { $c = "TS" } { print }' "$1" | sed -E 's/,R[0-9]+-([0-9]+),/,R-\1,/'
}
check "updates: the exact lines" "$(awk -F, 'NR > 1 { $4 = "TS" } { print }' OFS=, updates.csv)" \
"reference,customer,transaction_ref,processed_at,change_pence
$lowered,R$run2-1,TS,-10000
$raised,R$run2-2,TS,1500"
check "notices: the exact lines (the BSM hold with its end date, the dispute held)" "$(awk -F, 'NR > 1 { $6 = "TS" } { print }' OFS=, notices.csv)" \
"reference,customer,action,reason,until,processed_at
$breathing,hold,BSM,2027-01-22,TS
$disputed,hold,DSP,,TS"
gone=$(reference FTA-100102)
unchanged=$(reference FTA-100011)
check "nothing for the debt gone from the export, nor the unchanged debts" "$(cat updates.csv notices.csv | grep -c -e "${gone%%,*}" -e "${unchanged%%,*}" || true)" 0
check "the debt gone from the export is not closed" "$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM lifecycle_messages WHERE account_ref = 'FTA-100102'") $(awk -F, '$1 == "FTA-100102" { print $6 }' <("$dcagw" placements list --config gateway.json --agency example-agency --format csv))" "0 open"
check "placements show: the timeline of the lowered debt" "$("$dcagw" placements show FTA-100001 --config gateway.json --format json | /usr/bin/python3 -c 'import json,sys; print([(m["kind"], m["change_pence"], m["origin"], m["file"]) for p in json.load(sys.stdin) for m in p["messages"]])')" \
  "[('balance_update', -10000, 'export', '$updates_file')]"

# Sent once: rerunning day 2's place and send writes and delivers nothing.
(cd state/spool/example-agency && ls) > spool.txt
status=$(place_day2 place2-again.json)
check "rerun of day 2's place: nothing owed" "$status $(json place2-again.json 'sum(d["agencies"][0]["messages_owed"].values()), d["agencies"][0]["placed"], d["agencies"][0]["files"]')" "1 0 0 []"
check "rerun of day 2's place: no new spool file" "$(cd state/spool/example-agency && ls)" "$(cat spool.txt)"
check "messages write: nothing owed either" "$("$dcagw" messages write --config gateway.json --as-of 2026-11-24 --format json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')" 0
status=0
"$dcagw" send --config gateway.json > send2-again.out 2>&1 || status=$?
check "rerun of send: exit 0, nothing delivered" "$status $(grep -c ': delivered' send2-again.out || true)" "0 0"
check "rerun of send: the agency's folder unchanged" "$(ls "$server/incoming")" "$(cat incoming.txt)"
check "each message recorded once" "$(sqlite3 state/ledger.sqlite "SELECT count(*), count(DISTINCT transaction_ref), count(batch) FROM lifecycle_messages")" "4|4|4"

# The agency acknowledges both files; each hold then has its three reg 12 timestamps.
acknowledge "$updates_file" "$notices_file"
check "day 2: both message files acknowledged" "$(json ingest.json 'd["files_applied"], sorted(f["kind"] for f in d["files"])')" "2 ['acknowledgement', 'acknowledgement']"
"$dcagw" holds list --config gateway.json --format json > holds.json
check "holds list JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" holds-list.schema.json holds.json > /dev/null 2>&1 && echo valid)" valid
check "holds list: the two holds, newest first, with the file that carried them" "$(json holds.json '[(h["account_ref"], h["reason"], h["until"], h["origin"], h["file"], h["overdue"]) for h in d]')" \
  "[('FTA-100101', 'DSP', '', 'export', '$notices_file', ''), ('FTA-100003', 'BSM', '2027-01-22', 'export', '$notices_file', '')]"
check "holds list: notice received <= agent notified <= agent acknowledged, all set" "$(/usr/bin/python3 - holds.json "$before" <<'PYTHON'
import json, re, sys
stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
for h in json.load(open(sys.argv[1])):
    times = [h["notice_received_at"], h["notified_at"], h["acknowledged_at"]]
    print(h["reason"], all(stamp.match(t) for t in times), sys.argv[2] <= times[0][:19] + "Z" and times == sorted(times))
PYTHON
)" "DSP True True
BSM True True"

# The message lines any run must end with, normalised.
{ normalise updates.csv 4; normalise notices.csv 6; } > expected-lines.txt

# Crash safety of day 2's place: a fresh copy of the state after day 1 each time, killed
# with SIGKILL after 5 ms up to an uninterrupted run's time, then run to completion.
spooled_lines() { # spooled_lines DIR: the normalised lines of every spooled message file
  local file
  for file in "$1"/state/spool/example-agency/*-example-updates*.age; do
    [[ -e $file ]] && normalise <(age -d -i "$1/keys/example-agency.age-identity.key" "$file") 4
  done
  for file in "$1"/state/spool/example-agency/*-example-notices*.age; do
    [[ -e $file ]] && normalise <(age -d -i "$1/keys/example-agency.age-identity.key" "$file") 6
  done
  return 0
}
kill_after() { # kill_after MS COMMAND...: runs it, SIGKILL after MS; prints 1 if it was killed
  local ms=$1
  shift
  "$@" > /dev/null 2>&1 &
  local pid=$! killed=0
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null && killed=1
  wait "$pid" 2>/dev/null || true
  flock -w 30 state/run.lock true
  echo "$killed"
}
# The first run above is slower (cold caches), so the window is an uninterrupted run in a copy.
cp -a "$work/after-day1" "$work/place-timing"
t0=$(date +%s%N)
(cd "$work/place-timing" && place_day2 place.json > /dev/null)
window=$((($(date +%s%N) - t0) / 1000000))
rm -rf "$work/place-timing"
killed=0
killed_after_commit=0 # kills that left the messages recorded (in the ledger) for the rerun to write
for round in $(seq 1 "$place_kills"); do
  copy="$work/place-crash-$round"
  cp -a "$work/after-day1" "$copy"
  delay=$((5 + (round - 1) * window / place_kills))
  was_killed=$(cd "$copy" && kill_after "$delay" "$dcagw" place --config gateway.json --as-of 2026-11-24 --quiet)
  killed=$((killed + was_killed))
  recorded=$(sqlite3 "$copy/state/ledger.sqlite" "SELECT count(*) FROM lifecycle_messages")
  ((was_killed && recorded > 0)) && killed_after_commit=$((killed_after_commit + 1))
  status=$(cd "$copy" && place_day2 rerun.json)
  check "place killed after ${delay} ms (killed $was_killed, $recorded recorded): the rerun completes" "$((status <= 1))" 1
  check "place killed after ${delay} ms: exactly the uninterrupted run's lines, none twice" "$(spooled_lines "$copy" | sort)" "$(sort expected-lines.txt)"
  check "place killed after ${delay} ms: four messages recorded, each in a file" "$(sqlite3 "$copy/state/ledger.sqlite" "SELECT count(*), count(DISTINCT transaction_ref), count(batch) FROM lifecycle_messages")" "4|4|4"
  check "place killed after ${delay} ms: no temporary file left" "$(find "$copy/state/spool" -name '.*' -type f | wc -l)" 0
  check "place killed after ${delay} ms: audit verify" "$(cd "$copy" && "$dcagw" audit verify --config gateway.json > /dev/null 2>&1 && echo ok)" ok
  rm -rf "$copy"
done
echo "     day 2's place: an uninterrupted run took $place_ms ms ($window ms in a copy); $killed of $place_kills runs killed, $killed_after_commit of them after the messages were recorded"
check "place runs were killed" "$((killed >= place_kills / 3))" 1

# Crash safety of send: a fresh copy of the state after day 2's place (its messages spooled,
# nothing of day 2 delivered) each time, killed with SIGKILL during the send, then rerun.
snapshot_send="$work/after-day2-place"
cp -a "$work/after-day1" "$snapshot_send"
(cd "$snapshot_send" && place_day2 place.json > /dev/null)
cp -a "$snapshot_send" "$work/send-timing"
t0=$(date +%s%N)
(cd "$work/send-timing" && "$dcagw" send --config gateway.json > /dev/null 2>&1)
send_ms=$((($(date +%s%N) - t0) / 1000000))
check "send: an uninterrupted run delivers the day 1 file and the two message files" "$(ls "$work/send-timing/$server/incoming" | wc -l)" 3
rm -rf "$work/send-timing"
window=$send_ms
killed=0
for round in $(seq 1 "$send_kills"); do
  copy="$work/send-crash-$round"
  cp -a "$snapshot_send" "$copy"
  delay=$((5 + (round - 1) * window / send_kills))
  was_killed=$(cd "$copy" && kill_after "$delay" "$dcagw" send --config gateway.json --quiet)
  killed=$((killed + was_killed))
  status=0
  (cd "$copy" && "$dcagw" send --config gateway.json > send.out 2>&1) || status=$?
  check "send killed after ${delay} ms (killed $was_killed): the rerun exits 0" "$status" 0
  check "send killed after ${delay} ms: each file at the agency exactly once" "$(ls -A "$copy/$server/incoming" | paste -sd' ')" "$(ls "$snapshot_send/state/spool/example-agency" | grep -v '^\.' | paste -sd' ')"
  check "send killed after ${delay} ms: the files are the spooled ones, byte for byte" "$(cd "$copy/$server/incoming" && sha256sum * | sort)" "$(cd "$snapshot_send/state/spool/example-agency" && sha256sum -- * | sort)"
  check "send killed after ${delay} ms: every transfer delivered once" "$(sqlite3 "$copy/state/ledger.sqlite" "SELECT count(*), count(DISTINCT batch), sum(status = 'delivered') FROM transfers")" "3|3|3"
  check "send killed after ${delay} ms: the agency opens the message lines" "$(for f in "$copy/$server/incoming"/*-example-updates*.age; do normalise <(age -d -i "$copy/keys/example-agency.age-identity.key" "$f") 4; done; for f in "$copy/$server/incoming"/*-example-notices*.age; do normalise <(age -d -i "$copy/keys/example-agency.age-identity.key" "$f") 6; done)" "$(cat expected-lines.txt)"
  rm -rf "$copy"
done
echo "     send: an uninterrupted run took $send_ms ms; $killed of $send_kills runs killed"
check "send runs were killed" "$((killed >= send_kills / 3))" 1

echo "     took $((($(date +%s%N) - started) / 1000000)) ms"
example_agency_finish
