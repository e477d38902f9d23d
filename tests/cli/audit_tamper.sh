#!/usr/bin/env bash
# Tamper tests for the audit log (docs/audit.md, "Verification rules"): two placement runs
# build a log of seven entries (config, pseudonym key, disclosure, signing key,
# checkpoint, disclosure, checkpoint),
# then each case edits a fresh copy of the state directly with the sqlite3 CLI (or rolls
# it back to an earlier copy) and `dcagw audit verify` must exit 1 naming the first bad
# entry and what is wrong. An untouched copy must verify (exit 0).
# Usage: audit_tamper.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d /tmp/dcagw-audit-tamper.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

mkdir -p "$work/base/keys"
cp "$source"/keys-example/* "$work/base/keys/"
chmod 600 "$work/base/keys/"*
cp "$source/docs/example/cases.csv" "$work/base/cases.csv"
sed -e 's/FTA-1000/FTA-2000/g; s/P-5000/P-6000/g' "$source/docs/example/cases.csv" > "$work/base/cases2.csv"
sed -e "s#../../keys-example/#keys/#g; s#../../mappings/#$source/mappings/#g" \
    -e 's#"state/audit-checkpoints.log"#"checkpoints.txt"#' \
    "$source/docs/example/gateway.json" > "$work/base/gateway.json"
(
  cd "$work/base"
  "$dcagw" place --config gateway.json --as-of 2026-11-23 > /dev/null 2>&1 || true
  cp -r state early-state
  cp checkpoints.txt early-checkpoints.txt
  # A second export of other debts: the first run's accounts are missing from it by design.
  "$dcagw" place --config gateway.json --input cases2.csv --as-of 2026-11-23 --confirm-mass-change > /dev/null 2>&1 || true
)
entries=$(sqlite3 "$work/base/state/ledger.sqlite" "SELECT count(*) FROM audit_entries WHERE kind = 'disclosure'")
[[ $entries == 2 ]] || { echo "setup: expected 2 disclosure entries, found $entries"; exit 1; }

# fresh NAME: a copy of the base workspace in $work/NAME, and cd there.
fresh() {
  rm -rf "${work:?}/$1"
  cp -r "$work/base" "$work/$1"
  cd "$work/$1"
}

# expect NAME EXIT STDOUT_TEXT STDERR_TEXT: runs verify in $work/NAME and checks it.
expect() {
  local name=$1 code=$2 out_text=$3 err_text=$4 actual=0
  "$dcagw" audit verify --config gateway.json > out.txt 2> err.txt || actual=$?
  if [[ $actual != "$code" ]] || ! grep -qF -- "$out_text" out.txt || { [[ -n $err_text ]] && ! grep -qF -- "$err_text" err.txt; }; then
    echo "FAIL $name: exit $actual (wanted $code), wanted stdout '$out_text' and stderr '$err_text'"
    sed 's/^/  stdout: /' out.txt
    sed 's/^/  stderr: /' err.txt
    failures=$((failures + 1))
  else
    echo "ok   $name: $(head -1 out.txt)"
  fi
}

sql() { sqlite3 state/ledger.sqlite "$@" > /dev/null; }

fresh intact
expect intact 0 "ok: 7 entries, 10 subjects, 4 checkpoint(s) verified" ""

fresh edited-body
sql "SELECT writefile('body.bin', body) FROM audit_entries WHERE sequence = 3"
sed -i 's/DSA-EXAMPLE-001/DSA-EXAMPLE-002/' body.bin
sql "UPDATE audit_entries SET body = readfile('body.bin') WHERE sequence = 3"
expect edited-body 1 "the first bad entry is 3" "entry 3: its content or position does not match its stored hash"

fresh edited-column
sql "UPDATE audit_entries SET file_name = 'other.csv.age' WHERE sequence = 6"
expect edited-column 1 "the first bad entry is 6" "entry 6: its kind, time, agency or file_name column differs from its hashed body"

fresh edited-and-rehashed
# An editor who recomputes every later hash still cannot match the signed checkpoints.
sql "SELECT writefile('body.bin', body) FROM audit_entries WHERE sequence = 3"
sed -i 's/DSA-EXAMPLE-001/DSA-EXAMPLE-002/' body.bin
sql "UPDATE audit_entries SET body = readfile('body.bin') WHERE sequence = 3"
previous=$(sqlite3 state/ledger.sqlite "SELECT hex(entry_hash) FROM audit_entries WHERE sequence = 2")
for sequence in 3 4 5 6 7; do
  sql "SELECT writefile('body.bin', body) FROM audit_entries WHERE sequence = $sequence"
  hash=$( { printf 'dcagw-audit-entry-v1\0'; echo -n "$previous" | xxd -r -p; cat body.bin; } | sha256sum | cut -d' ' -f1)
  sql "UPDATE audit_entries SET entry_hash = X'$hash' WHERE sequence = $sequence"
  previous=$hash
done
expect edited-and-rehashed 1 "FAILED" "was altered, removed or inserted and the stored hashes were rewritten"

fresh deleted
sql "DELETE FROM audit_entries WHERE sequence = 3"
expect deleted 1 "the first bad entry is 3" "entry 3: missing: the log goes from entry 2 to entry 4 (deleted)"

fresh inserted
# Shift entries 6 and 7 up by one and put a copy of entry 3 (a disclosure) at 6.
sql "UPDATE audit_entries SET sequence = sequence + 100 WHERE sequence >= 6; UPDATE audit_entries SET sequence = sequence - 99 WHERE sequence >= 106;
     INSERT INTO audit_entries (sequence, kind, recorded_at, agency, file_name, subject_list, body, entry_hash)
       SELECT 6, kind, recorded_at, agency, file_name, 1000, body, entry_hash FROM audit_entries WHERE sequence = 3"
expect inserted 1 "the first bad entry is 6" "entry 6: its content or position does not match its stored hash"

fresh appended
sql "INSERT INTO audit_entries (sequence, kind, recorded_at, agency, file_name, subject_list, body, entry_hash)
       SELECT 8, kind, recorded_at, agency, file_name, subject_list, body, entry_hash FROM audit_entries WHERE sequence = 5"
expect appended 1 "the first bad entry is 8" "entry 8: its body is entry 5 (moved or reordered)"

fresh reordered
sql "UPDATE audit_entries SET sequence = 100 WHERE sequence = 3; UPDATE audit_entries SET sequence = 3 WHERE sequence = 6;
     UPDATE audit_entries SET sequence = 6 WHERE sequence = 100"
expect reordered 1 "the first bad entry is 3" "entry 3: its content or position does not match its stored hash"

fresh subject-edited
sql "SELECT writefile('subjects.bin', subjects) FROM audit_subject_blocks WHERE list = 1 AND block = 0"
sed -i 's/P-500002/P-500009/' subjects.bin
sql "UPDATE audit_subject_blocks SET subjects = readfile('subjects.bin') WHERE list = 1 AND block = 0"
expect subject-edited 1 "the first bad entry is 3" "entry 3: subject list 1 has 5 subjects with digest"

# One more subject: u32be lengths and "FTA-999999", "P-999999", "PX".
extra="X'0000000a4654412d39393939393900000008502d393939393939000000025058'"

fresh subject-deleted
sql "DELETE FROM audit_subject_blocks WHERE list = 1"
expect subject-deleted 1 "the first bad entry is 3" "entry 3: subject list 1 has 0 subjects"

fresh subject-inserted
sql "INSERT INTO audit_subject_blocks VALUES (1, 1, 1, $extra)"
expect subject-inserted 1 "the first bad entry is 3" "entry 3: subject list 1 has 6 subjects"

fresh subject-appended-to-block
sql "UPDATE audit_subject_blocks SET subjects = subjects || $extra, subject_count = 6 WHERE list = 1 AND block = 0"
expect subject-appended-to-block 1 "the first bad entry is 3" "(subject rows edited, deleted or inserted)"

fresh subject-list-invented
sql "INSERT INTO audit_subject_blocks VALUES (77, 0, 1, $extra)"
expect subject-list-invented 1 "FAILED" "subject list 77 is in the subject table but no disclosure entry commits to it"

fresh index-deleted
sql "DELETE FROM audit_index_blocks WHERE chunk = 1"
expect index-deleted 1 "FAILED" "the subject index has 10 entries for the stored subjects but the subjects need 20"

fresh index-entry-changed-count-kept
# The first entry of the first index block now names ordinal 4 of its list instead of its
# own subject: as many entries as before, but a query for that reference finds another
# subject's disclosure. (Ordinal 3 when it already named 4: the edit must change a byte,
# whatever order the keyed index put the subjects in.)
sql "UPDATE audit_index_blocks SET entries = substr(entries, 1, 16) || CASE WHEN substr(entries, 17, 8) = X'0000000000000004' THEN X'0000000000000003' ELSE X'0000000000000004' END || substr(entries, 25) WHERE chunk = 1 AND block = 0"
expect index-entry-changed-count-kept 1 "FAILED" "the subject index has the 20 entries the stored subjects need, but not the same ones"

fresh index-entry-moved-to-other-list
# An entry of list 1 re-pointed at list 2 (which exists): counts stay, content does not.
sql "UPDATE audit_index_blocks SET entries = substr(entries, 1, 8) || CASE WHEN substr(entries, 9, 8) = X'0000000000000002' THEN X'0000000000000001' ELSE X'0000000000000002' END || substr(entries, 17) WHERE chunk = 1 AND block = 0"
expect index-entry-moved-to-other-list 1 "FAILED" "but not the same ones"

fresh index-entry-to-missing-list
# An index entry naming a list that has no subjects and no purge ever emptied.
sql "UPDATE audit_index_blocks SET entries = substr(entries, 1, 8) || X'00000000000003e7' || substr(entries, 17) WHERE chunk = 1 AND block = 0"
expect index-entry-to-missing-list 1 "FAILED" "entries naming subject lists that have no subjects and were not purged"

# field NAME VALUE: one field of the canonical encoding (docs/audit.md), to stdout.
field() { printf '%08x' "${#1}" | xxd -r -p; printf '%s' "$1"; printf '%08x' "${#2}" | xxd -r -p; printf '%s' "$2"; }
# forge_purge THROUGH DELETED: appends a purge entry 8 naming subject lists up to THROUGH,
# with a valid chain continuation (what anyone who can write the database can do; only
# the signing key is out of reach).
forge_purge() {
  { field sequence 8; field kind purge; field time 2026-11-23T12:00:00Z; field actor scheduler; field retention_days 1
    field cutoff 2026-11-22T00:00:00Z; field files ""; field subject_lists_through "$1"; field subjects_deleted "$2"; } > purge.bin
  local previous hash
  previous=$(sqlite3 state/ledger.sqlite "SELECT hex(entry_hash) FROM audit_entries WHERE sequence = 7")
  hash=$( { printf 'dcagw-audit-entry-v1\0'; echo -n "$previous" | xxd -r -p; cat purge.bin; } | sha256sum | cut -d' ' -f1)
  sql "INSERT INTO audit_entries (sequence, kind, recorded_at, agency, file_name, subject_list, body, entry_hash)
         VALUES (8, 'purge', '2026-11-23T12:00:00Z', '', '', NULL, readfile('purge.bin'), X'$hash')"
}

fresh forged-purge
# A purge entry appended after the last checkpoint, consistent with the chain and with
# the count list 1 committed to, then list 1's subjects deleted: no checkpoint signs the
# purge, so it exempts nothing.
forge_purge 1 5
sql "DELETE FROM audit_subject_blocks WHERE list = 1"
expect forged-purge 1 "the first bad entry is 3" "entry 8: a purge entry that no verified checkpoint covers exempts nothing"

fresh forged-purge-hides-an-edit
# A purge entry cannot hide subjects that are still there: they are checked whatever it says.
forge_purge 1 5
sql "SELECT writefile('subjects.bin', subjects) FROM audit_subject_blocks WHERE list = 1 AND block = 0"
sed -i 's/P-500002/P-500009/' subjects.bin
sql "UPDATE audit_subject_blocks SET subjects = readfile('subjects.bin') WHERE list = 1 AND block = 0"
expect forged-purge-hides-an-edit 1 "the first bad entry is 3" "entry 3: subject list 1 has 5 subjects with digest"

fresh forged-purge-wrong-count
forge_purge 1 4
sql "DELETE FROM audit_subject_blocks WHERE list = 1"
expect forged-purge-wrong-count 1 "FAILED" "entry 8: the purge records 4 subjects deleted, but the disclosures before it in lists up to 1 committed to 5"


fresh truncated
sql "DELETE FROM audit_entries WHERE sequence >= 6"
expect truncated 1 "the first bad entry is 6" "signed for 6 entries, but the log ends at entry 5"

fresh rolled-back
# The database restored from a copy taken after the first run; the checkpoint file lives on.
rm -rf state && cp -r early-state state
expect rolled-back 1 "the first bad entry is 6" "checkpoints.txt line 2: signed for 6 entries, but the log ends at entry 5: entries 6 to 6 are missing (the database was truncated or rolled back behind a published checkpoint)"

fresh rolled-back-with-its-checkpoints
# ... and the checkpoint table with it: the file outside the database still names the lost entries.
rm -rf state && cp -r early-state state
sql "DELETE FROM audit_checkpoints"
expect rolled-back-with-its-checkpoints 1 "FAILED" "rolled back behind a published checkpoint"

fresh checkpoint-file-removed
rm checkpoints.txt
expect checkpoint-file-removed 1 "FAILED" "checkpoints.txt is missing, but the database has 2 checkpoint(s)"

fresh checkpoint-file-edited
sed -i '1s/ 4 / 3 /' checkpoints.txt
expect checkpoint-file-edited 1 "FAILED" "checkpoints.txt line 1: the signature does not verify"

fresh checkpoint-row-edited
sql "UPDATE audit_checkpoints SET entry_count = 1 WHERE id = 1"
expect checkpoint-row-edited 1 "FAILED" "database checkpoint line 1: the signature does not verify"

# An export verifies on its own, and fails once anything in it changes.
fresh export
"$dcagw" audit export --config gateway.json --from 2026-01-01 --to 2099-12-31 --out exported > /dev/null
check_export() {
  local name=$1 code=$2 text=$3 actual=0
  "$dcagw" audit verify --export exported --public-key keys/creditor-signing.ed25519.pub > out.txt 2> err.txt || actual=$?
  if [[ $actual != "$code" ]] || ! grep -qF -- "$text" out.txt err.txt; then
    echo "FAIL $name: exit $actual (wanted $code), wanted '$text'"
    cat out.txt err.txt
    failures=$((failures + 1))
  else
    echo "ok   $name: $(head -1 out.txt)"
  fi
}
# 7: this copy's signing key sits at the same path relative to its configuration, so
# loading it for the export's checkpoint is no new key entry (docs/audit.md, "Key entries").
check_export export-intact 0 "ok: 7 entries, 10 subjects"
sed -i 's/^entry 3 /entry 9 /' exported/audit-export.txt
check_export export-edited 1 "content changed since it was signed"

fresh purged
# (Last: until the ledger stores paths relative to the state directory, a purge run on a
# copy deletes the spool files the base copy's ledger names.)
# A real purge (every list is past a one-day retention by 2099) verifies: the purge is
# signed by the checkpoint that follows it, and the emptied lists' index entries, left in
# place, are not counted.
sed -i 's#"audit": { "checkpoint_file": "checkpoints.txt" }#"audit": { "checkpoint_file": "checkpoints.txt", "creditor_retention_days": 1 }#' gateway.json
"$dcagw" audit retention --config gateway.json --purge --as-of 2099-01-01 > /dev/null 2> purge.txt
grep -q "recorded as audit entry" purge.txt || { echo "FAIL purged: setup: $(cat purge.txt)"; failures=$((failures + 1)); }
expect purged 0 "ok: " ""

if ((failures > 0)); then
  echo "$failures tamper case(s) not detected as expected"
  exit 1
fi
echo "every tamper case detected"
