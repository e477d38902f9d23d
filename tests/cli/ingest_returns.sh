#!/usr/bin/env bash
# End to end through the returns: the bundled example is placed and sent; the real `age`
# plays the agency opening what it received, and the real `gpg` signs its payments file
# with the agency's key and encrypts it to the creditor's, as the example agency's
# profile declares (docs/returns.md). `dcagw collect` then `dcagw ingest` must apply the
# good lines to the penny (commission, VAT, net from the example contract), put the
# unknown reference in suspense, quarantine the bad amount, apply nothing twice, refuse an
# unsigned file whole, and keep the audit log verifiable.
# Usage: ingest_returns.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
source "$source/tests/support/example_agency.sh"
example_agency_start ingest

# The agency reads what it was sent: the references it must quote back.
read -r account1 customer1 < <(awk -F, 'NR == 2 { print $1, $2 }' received.csv)
read -r account2 customer2 < <(awk -F, 'NR == 3 { print $1, $2 }' received.csv)

cat > 20261201-payments.csv <<EOF
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-1,$account1,$customer1,12.50,2026-12-01,2026-12-01T08:00:00Z
PAY-2,$account2,$customer2,30.00,2026-12-01,
PAY-3,NOSUCHREFERENCE,NOSUCHCUSTOMER,5.00,2026-12-01,
PAY-4,$account2,$customer2,12.3.4,2026-12-01,
EOF
seal 20261201-payments.csv "$server/outgoing/20261201-payments.csv.gpg"
"$dcagw" collect --config gateway.json > /dev/null 2>&1
status=0
"$dcagw" ingest --config gateway.json --format json > ingest1.json 2> ingest1.err || status=$?
check "ingest JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" ingest-summary.schema.json ingest1.json > /dev/null 2>&1 && echo valid)" valid
check "ingest JSON names the file" "$(/usr/bin/python3 -c 'import json; f=json.load(open("ingest1.json"))["files"][0]; print(f["outcome"], f["kind"], f["payments"]["gross_pence"], f["payments"]["net_pence"])')" "applied payment 4250 2974"
check "ingest exits 1 (a line quarantined)" "$status" 1
check "ingest counts" "$(/usr/bin/python3 -c 'import json; f=json.load(open("ingest1.json"))["files"][0]; print(f["lines"], f["applied"], f["duplicates"], f["conflicts"], f["quarantined"], f["suspense"])')" "4 2 0 0 1 1"
# 25% of 1250 is 312.5: half up, 313; VAT 20% of 313 is 62.6: 63; net 1250 - 313 - 63.
check "payment 1 to the penny" "$("$dcagw" payments list --config gateway.json --format csv | awk -F, '$3 == "PAY-1" { print $5, $7, $8, $9, $10 }')" "FTA-100001 1250 313 63 874"
check "payment 2 to the penny" "$("$dcagw" payments list --config gateway.json --format csv | awk -F, '$3 == "PAY-2" { print $5, $7, $8, $9, $10 }')" "FTA-100002 3000 750 150 2100"
check "unknown reference in suspense" "$("$dcagw" suspense list --config gateway.json --format csv | awk -F, 'NR == 2 { print $4, $5, $6 }')" "NOSUCHREFERENCE PAY-3 500"
item=$("$dcagw" suspense list --config gateway.json --format csv | awk -F, 'NR == 2 { print $1 }')
check "suspense item recorded unassigned" "$("$dcagw" suspense list --config gateway.json --format json | /usr/bin/python3 -c 'import json,sys; print(repr(json.load(sys.stdin)[0]["owner"]))')" "''"
"$dcagw" suspense assign "$item" --owner income-team --config gateway.json > assign.txt
check "suspense assign" "$(cat assign.txt)" "suspense item $item assigned to income-team (was unassigned)"
check "suspense list shows the owner" "$("$dcagw" suspense list --config gateway.json --format json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["owner"])')" income-team
status=0
"$dcagw" suspense assign 999 --owner x --config gateway.json > /dev/null 2>&1 || status=$?
check "suspense assign: no such item" "$status" 3
check "bad amount quarantined without its value" "$(sqlite3 state/ledger.sqlite "SELECT line, field FROM return_quarantine WHERE reason LIKE '%two decimals%' AND reason NOT LIKE '%12.3.4%'")" "5|amount"

# Nothing twice: the same file again (a second collect finds it collected) and a rerun.
status=0
"$dcagw" ingest --config gateway.json --format json > ingest2.json || status=$?
check "rerun exits 0" "$status" 0
check "rerun applies nothing" "$(python3 -c 'import json,sys; d=json.load(open("ingest2.json")); print(d["files_applied"], len(d["files"]))')" "0 0"
# Each ingest is a run of its own in the ledger (`dcagw runs list`): partial when lines were
# quarantined, succeeded when nothing was wrong, with its summary.
"$dcagw" runs list --config gateway.json --format json > runs.json
check "runs list JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" runs-list.schema.json runs.json > /dev/null 2>&1 && echo valid)" valid
check "ingest runs recorded" "$(python3 -c 'import json; print(" ".join(r["command"] + ":" + r["status"] + ":" + str(bool(r["finished_at"])) for r in json.load(open("runs.json")) if r["command"] == "ingest"))')" "ingest:partial:True ingest:succeeded:True"
check "ingest run keeps its summary" "$(sqlite3 state/ledger.sqlite "SELECT json_extract(summary_json, '$.files_applied') FROM runs WHERE command = 'ingest' ORDER BY id LIMIT 1")" 1
# The same content under another name is the same file (agency + SHA-256).
cp "$server/outgoing/archive/20261201-payments.csv.gpg" "$server/outgoing/20261202-payments.csv.gpg" 2>/dev/null \
  || cp "$(ls state/inbox/example-agency/20261201-payments.csv.gpg)" "$server/outgoing/20261202-payments.csv.gpg"
"$dcagw" collect --config gateway.json > /dev/null 2>&1 || true
"$dcagw" ingest --config gateway.json > /dev/null 2>&1 || true
check "payments once" "$("$dcagw" payments list --config gateway.json --format csv | tail -n +2 | wc -l)" 2

# An unsigned file is refused whole: nothing in it is applied.
cat > 20261203-payments.csv <<EOF
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-9,$account1,$customer1,99.00,2026-12-02,
EOF
seal 20261203-payments.csv "$server/outgoing/20261203-payments.csv.gpg" --unsigned
"$dcagw" collect --config gateway.json > /dev/null 2>&1
status=0
"$dcagw" ingest --config gateway.json > ingest3.txt 2> ingest3.err || status=$?
check "unsigned: exit 1" "$status" 1
check "unsigned: refused" "$(grep -c 'file 20261203-payments.csv.gpg: refused' ingest3.txt)" 1
check "unsigned: says why" "$(grep -c 'dcagw: rejected: .*signature' ingest3.err)" 1
check "unsigned: nothing applied" "$("$dcagw" payments list --config gateway.json --format csv | grep -c PAY-9 || true)" 0
check "unsigned: kept as refused" "$("$dcagw" returns list --config gateway.json --format csv | grep -c ',refused,' || true)" 1

# A file that arrived another way: --file with --agency.
cat > 20261204-payments.csv <<EOF
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-5,$account1,$customer1,1.00,2026-12-03,
EOF
seal 20261204-payments.csv by-hand.csv.gpg
mv by-hand.csv.gpg 20261204-payments.csv.gpg
status=0
"$dcagw" ingest --config gateway.json --agency example-agency --file 20261204-payments.csv.gpg > /dev/null 2>&1 || status=$?
check "--file: exit 0" "$status" 0
check "--file: applied" "$("$dcagw" payments list --config gateway.json --format csv | awk -F, '$3 == "PAY-5" { print $7, $8 }')" "100 25"
status=0
"$dcagw" ingest --config gateway.json --file 20261204-payments.csv.gpg > /dev/null 2> nofile.err || status=$?
check "--file without --agency: usage" "$status" 2

# No plaintext left behind, and the audit log (with the ingest entries) verifies.
check "no plaintext left" "$(find state -name '*.plain' | wc -l)" 0
check "ingest audited" "$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM audit_entries WHERE kind = 'command' AND instr(body, CAST('ingest' AS BLOB)) > 0")" 3
status=0
"$dcagw" audit verify --config gateway.json > /dev/null 2>&1 || status=$?
check "audit verify" "$status" 0

# Personal data received is audited per subject (docs/audit.md, "Inbound entries"): a
# trace result, and a per-account rejection in the signed acknowledgement file.
cat > 20261205-trace.csv <<EOF
account_number,customer_number,traced_on,outcome,address1,address2,city,postcode,phone,email
$account1,$customer1,2026-12-04,TRACED,1 Hidden Lane,,Sometown,ZZ9 9ZZ,,
EOF
seal 20261205-trace.csv "$server/outgoing/20261205-trace.csv.gpg"
cat > "$placed_file.ack.csv" <<EOF
file_name,account_number,status
$placed_file,,ACCEPTED
$placed_file,$account2,ACCOUNT_REJECTED_DECEASED
EOF
seal "$placed_file.ack.csv" "$server/outgoing/$placed_file.ack.csv.gpg"
"$dcagw" collect --config gateway.json > /dev/null 2>&1
status=0
"$dcagw" ingest --config gateway.json --format json > ingest4.json 2> ingest4.err || status=$?
check "trace and acknowledgement applied" "$(json ingest4.json '" ".join(sorted(f["kind"] + ":" + f["outcome"] for f in d["files"]))')" "acknowledgement:applied trace:applied"
check "rejected account: placement rejected" "$("$dcagw" placements list --config gateway.json --agency example-agency --format csv | awk -F, '$1 == "FTA-100002" { print $6 }' | paste -sd' ')" "rejected"
"$dcagw" returns list --config gateway.json --events --format json > events.json
check "rejected account: listed with reason and code" "$(json events.json '[(e["account_ref"], e["to_state"], e["reason"], e["agency_code"]) for e in d if e["to_state"] == "rejected"]')" \
  "[('FTA-100002', 'rejected', 'DEC', 'ACCOUNT_REJECTED_DECEASED')]"
check "returns list --events JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" return-events-list.schema.json events.json > /dev/null 2>&1 && echo valid)" valid
"$dcagw" audit subject --config gateway.json --ref FTA-100001 --format json > subject1.json
check "audit subject JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" audit-subject.schema.json subject1.json > /dev/null 2>&1 && echo valid)" valid
check "audit subject: sent and received" "$(json subject1.json '" ".join(sorted(set(s["direction"] for s in d)))')" "inbound outbound"
check "audit subject: the trace result received" "$(json subject1.json '[(s["agency"], s["action"], s["file"], s["line"], ",".join(s["fields"])) for s in d if s["action"] == "trace"]')" \
  "[('example-agency', 'trace', '20261205-trace.csv.gpg', 2, 'account_reference,customer_reference,date,code,address_line_1,town,postcode')]"
check "audit subject: the payments received" "$(json subject1.json '[(s["file"], ",".join(s["fields"])) for s in d if s["action"] == "payment"]')" \
  "[('20261201-payments.csv.gpg', 'payment_id,account_reference,customer_reference,amount,date,paid_at'), ('20261204-payments.csv.gpg', 'payment_id,account_reference,customer_reference,amount,date,paid_at')]"
check "audit subject: our references, signed" "$(json subject1.json 'sorted(set((s["account_ref"], "signed by" in s["detail"]) for s in d if s["direction"] == "inbound"))')" "[('FTA-100001', True)]"
check "audit subject: no received value copied" "$(grep -c 'Hidden Lane\|ZZ9 9ZZ\|Sometown' subject1.json || true)" 0
check "audit log: no received value copied" "$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM audit_entries WHERE instr(body, CAST('Hidden Lane' AS BLOB)) > 0 OR instr(body, CAST('ZZ9 9ZZ' AS BLOB)) > 0")" 0
"$dcagw" audit subject --config gateway.json --ref FTA-100002 --format json > subject2.json
check "audit subject: the rejection received" "$(json subject2.json '[(s["action"], s["file"], ",".join(s["fields"])) for s in d if s["direction"] == "inbound" and s["action"] == "acknowledgement"]')" \
  "[('acknowledgement', '$placed_file.ack.csv.gpg', 'file_name,account_reference,code')]"
check "audit subject: the rejection against the disclosure" "$(json subject2.json '[a for s in d if s["direction"] == "outbound" for a in s["acknowledged"] if "ACCOUNT_REJECTED" in a]' | grep -c 'rejected (ACCOUNT_REJECTED_DECEASED)')" 1
check "audit subject: not shown for another account" "$(grep -c ACCOUNT_REJECTED subject1.json || true)" 0
status=0
"$dcagw" audit verify --config gateway.json > verify2.txt 2>&1 || status=$?
check "audit verify with inbound entries" "$status" 0

# A refused file is read again only with --retry. Unmended, it is refused again (a new id);
# once the cause is mended (here the creditor stops requiring signatures, as if the agency
# had been allowed to send through an authenticated channel), it is applied exactly once,
# and a retry of the applied file is refused.
refused_id=$("$dcagw" returns list --config gateway.json --format csv | awk -F, '$5 == "refused" { print $1 }')
status=0
"$dcagw" ingest --config gateway.json > /dev/null 2>&1 || status=$?
check "refused: a plain rerun does not read it" "$("$dcagw" returns list --config gateway.json --format csv | awk -F, '$5 == "refused" { print $1 }')" "$refused_id"
status=0
"$dcagw" ingest --config gateway.json --retry "$refused_id" > retry1.txt 2>&1 || status=$?
check "retry unmended: exit 1" "$status" 1
check "retry unmended: refused again" "$(grep -c 'file 20261203-payments.csv.gpg: refused' retry1.txt)" 1
again_id=$("$dcagw" returns list --config gateway.json --format csv | awk -F, '$5 == "refused" { print $1 }')
check "retry unmended: one refusal, a new id" "$([[ $again_id != "$refused_id" && $again_id =~ ^[0-9]+$ ]] && echo yes)" yes
status=0
"$dcagw" ingest --config gateway.json --retry "$refused_id" > /dev/null 2> retry-gone.err || status=$?
check "retry of a released refusal: not found" "$status" 3
python3 - <<'PY'
import json, re
text = open("gateway.json").read()
text = text.replace('"require_signature": true,', '"require_signature": false,')
text = re.sub(r'"signature_keys": \[[^]]*\],\s*', '', text)
open("gateway-unsigned.json", "w").write(text)
PY
status=0
"$dcagw" ingest --config gateway-unsigned.json --retry "$again_id" --format json > retry2.json 2> retry2.err || status=$?
check "retry mended: exit 0" "$status" 0
check "retry mended: applied" "$(json retry2.json 'd["files"][0]["outcome"], d["files"][0]["applied"]')" "applied 1"
check "retry mended: PAY-9 once" "$("$dcagw" payments list --config gateway.json --format csv | grep -c PAY-9)" 1
check "retry mended: no refusal left" "$("$dcagw" returns list --config gateway.json --format csv | grep -c ',refused,' || true)" 0
applied_id=$("$dcagw" returns list --config gateway.json --format csv | awk -F, '$3 == "20261203-payments.csv.gpg" { print $1 }')
status=0
"$dcagw" ingest --config gateway-unsigned.json --retry "$applied_id" > /dev/null 2> retry3.err || status=$?
check "retry of an applied file: usage" "$status" 2
check "retry of an applied file: says why" "$(grep -c 'a retry of an applied file is refused' retry3.err)" 1
"$dcagw" ingest --config gateway-unsigned.json > /dev/null 2>&1 || true
check "retry mended: still once" "$("$dcagw" payments list --config gateway.json --format csv | grep -c PAY-9)" 1
check "retry audited" "$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM audit_entries WHERE kind = 'command' AND instr(body, CAST('released for a retry' AS BLOB)) > 0")" 2
status=0
"$dcagw" audit verify --config gateway.json > /dev/null 2>&1 || status=$?
check "audit verify after retries" "$status" 0

if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
echo "all passed"
