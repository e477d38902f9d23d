#!/usr/bin/env bash
# End to end through every kind of return (issue 14 item 12): the bundled example is placed
# and sent; the real `age` plays the agency opening what it received; the agency then writes
# one file of every kind its mapping (mappings/example-agency.json) declares, an
# acknowledgement, activity, closures, trace results, payments, refunds and chargebacks, and
# remittances with gross, commission, VAT and net totals, each signed with the agency's
# OpenPGP key and encrypted to the creditor's by the real `gpg`, as the example's `returns`
# section declares. `dcagw collect` fetches them over the example's transport (a directory
# server) and `dcagw ingest` applies them; the results are checked to the penny: placement
# states, outstanding balances, refunds reversing the payment and its commission, a payout
# that reconciles, a second one a penny off that fails loudly (exit 1), suspense for an
# unknown reference, and the audit log still verifying.
# Usage: returns_e2e.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
source "$source/tests/support/example_agency.sh"
example_agency_start returns-e2e

# The agency reads what it was sent. Our side of each reference comes from the ledger
# (placements list), so the checks below name OUR accounts.
"$dcagw" placements list --config gateway.json --agency example-agency --format csv > placements.csv
reference() { # reference ACCOUNT_REF -> "pseudonym customer_number" as the agency received them
  local pseudonym
  pseudonym=$(awk -F, -v a="$1" '$1 == a { print $4; exit }' placements.csv)
  awk -F, -v p="$pseudonym" '$1 == p { print $1, $2; exit }' received.csv
}
read -r accountA customerA < <(reference FTA-100001)  # placed balance 184532
read -r accountB customerB < <(reference FTA-100002)  # 92050
read -r accountC customerC < <(reference FTA-100003)  # 45000
read -r accountD _ < <(reference FTA-100011)          # joint: two people, one account
check "the agency received the accounts" "$(wc -l < received.csv) ${#accountA} ${#accountD}" "6 25 25"

publish() { # publish PLAIN: signed by the agency, encrypted to the creditor, into outgoing/
  seal "$1" "$server/outgoing/$1.gpg"
}
ingest() { # ingest NAME: collect, then ingest to NAME.json; prints the exit status
  "$dcagw" collect --config gateway.json > /dev/null 2>&1
  local status=0
  "$dcagw" ingest --config gateway.json --format json > "$1.json" 2> "$1.err" || status=$?
  echo "$status"
}
payment() { # payment ID -> "account gross commission vat net payout"
  "$dcagw" payments list --config gateway.json --format json \
    | /usr/bin/python3 -c 'import json,sys; [print(p["account_ref"], p["gross_pence"], p["commission_pence"], p["vat_pence"], p["net_pence"], p["payout_id"] or "-") for p in json.load(sys.stdin) if p["payment_id"] == sys.argv[1]]' "$1"
}
state_of() { # state_of ACCOUNT_REF -> the states of its placements
  "$dcagw" placements list --config gateway.json --agency example-agency --format csv | awk -F, -v a="$1" '$1 == a { print $6 }' | paste -sd' '
}

# 1. The acknowledgement of the placement file (one line for the whole file).
cat > "$placed_file.ack.csv" <<EOF
file_name,account_number,status
$placed_file,,ACCEPTED
EOF
publish "$placed_file.ack.csv"
status=$(ingest ack)
check "acknowledgement: ingest succeeds" "$status" "0"
check "acknowledgement: recorded as an acknowledgement return" "$(json ack.json 'd["files"][0]["kind"], d["files"][0]["outcome"], d["files"][0]["lines"]')" "acknowledgement applied 1"
check "acknowledgement: the one line settles the delivery, no money or state moves" "$(json ack.json 'd["files"][0]["applied"], d["files"][0]["quarantined"], d["files"][0]["state_changes"], d["files"][0]["payments"]["gross_pence"]')" "1 0 0 0"
check "acknowledgement: the delivered file is acknowledged by the signed file" \
  "$("$dcagw" transfers list --config gateway.json --format json | /usr/bin/python3 -c 'import json,sys; [print(t["file"], t["acknowledgement"], bool(t["acknowledged_at"])) for t in json.load(sys.stdin)]')" \
  "$placed_file acknowledged True"
check "acknowledgement: audited as accepted" "$("$dcagw" audit verify --config gateway.json > /dev/null 2>&1 && echo ok)" "ok"

# 2. Activity, trace results and payments on one day.
cat > 20261201-activity.csv <<EOF
account_number,customer_number,activity_date,status
$accountA,$customerA,2026-12-01,CONTACT_MADE
$accountB,$customerB,2026-12-01,DISPUTE
$accountC,$customerC,2026-12-01,BREATHING_SPACE
NOSUCHACCOUNT,NOSUCHCUSTOMER,2026-12-01,LETTER_SENT
EOF
cat > 20261201-trace.csv <<EOF
account_number,customer_number,traced_on,outcome,address1,address2,city,postcode,phone,email
$accountA,$customerA,2026-12-01,TRACED,1 New Street,,Cardiff,CF10 2BB,,
$accountC,$customerC,2026-12-01,GONE_AWAY,,,,,,
EOF
# Commission 25% (a first placement under a year), VAT 20% on commission, half up per line:
#   PAY-1 £12.34: 308.5 -> 309, VAT 61.8 -> 62, net 863
#   PAY-2 £100.00: 2500, 500, 7000     PAY-3 £30.00: 750, 150, 2100
#   PAY-5 £0.01: 0.25 -> 0, 0, net 1   PAY-4: a reference never placed -> suspense
cat > 20261201-payments.csv <<EOF
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-1,$accountA,$customerA,12.34,2026-12-01,2026-12-01T08:00:00Z
PAY-2,$accountA,$customerA,100.00,2026-12-01,
PAY-3,$accountB,$customerB,30.00,2026-12-01,
PAY-4,NOSUCHREFERENCE,NOSUCHCUSTOMER,5.00,2026-12-01,
PAY-5,$accountB,$customerB,0.01,2026-12-01,
EOF
for file in 20261201-activity.csv 20261201-trace.csv 20261201-payments.csv; do publish "$file"; done
status=$(ingest day1)
check "day 1: exit 0" "$status" 0
check "day 1: three files applied" "$(json day1.json 'd["files_applied"], sorted(f["kind"] for f in d["files"])')" "3 ['activity', 'payment', 'trace']"
check "day 1: payments totals" "$(json day1.json '[(f["lines"], f["applied"], f["suspense"], f["payments"]["gross_pence"], f["payments"]["commission_pence"], f["payments"]["vat_pence"], f["payments"]["net_pence"]) for f in d["files"] if f["kind"] == "payment"][0]')" "(5, 4, 1, 14235, 3559, 712, 9964)"
check "day 1: activity" "$(json day1.json '[(f["lines"], f["applied"], f["suspense"], f["state_changes"]) for f in d["files"] if f["kind"] == "activity"][0]')" "(4, 3, 1, 2)"
check "day 1: traces" "$(json day1.json '[(f["lines"], f["traces"]) for f in d["files"] if f["kind"] == "trace"][0]')" "(2, 2)"
check "PAY-1 to the penny" "$(payment PAY-1)" "FTA-100001 1234 309 62 863 -"
check "PAY-2 to the penny" "$(payment PAY-2)" "FTA-100001 10000 2500 500 7000 -"
check "PAY-3 to the penny" "$(payment PAY-3)" "FTA-100002 3000 750 150 2100 -"
check "PAY-5 to the penny" "$(payment PAY-5)" "FTA-100002 1 0 0 1 -"
check "states after activity" "$(state_of FTA-100001)/$(state_of FTA-100002)/$(state_of FTA-100003)" "open/on_hold/on_hold"
check "unknown references in suspense" "$("$dcagw" suspense list --config gateway.json --format json | /usr/bin/python3 -c 'import json,sys; print(sorted((s["reference"], s["payment_id"], s["amount_pence"]) for s in json.load(sys.stdin)))')" \
  "[('NOSUCHACCOUNT', '', 0), ('NOSUCHREFERENCE', 'PAY-4', 500)]"
check "trace results stored, never applied" "$(sqlite3 state/ledger.sqlite 'SELECT traced FROM trace_results ORDER BY traced' | paste -sd' ')" "0 1"

# 3. Refunds and closures the next day. R-1 refunds PAY-2 whole: it reverses exactly its
# gross, commission, VAT and net. R-2 charges back £10.00 of PAY-3's £30.00: commission and
# VAT in proportion (250, 50), net 700.
cat > 20261202-refunds.csv <<EOF
refund_id,payment_id,account_number,type,reason,amount,refunded_on
R-1,PAY-2,$accountA,REFUND,Overpaid,100.00,2026-12-02
R-2,PAY-3,$accountB,CHARGEBACK,Fraudulent,10.00,2026-12-02
EOF
cat > 20261202-closure.csv <<EOF
account_number,customer_number,closed_on,reason
$accountD,,2026-12-02,GNA
$accountB,$customerB,2026-12-02,HOLD
EOF
for file in 20261202-refunds.csv 20261202-closure.csv; do publish "$file"; done
status=$(ingest day2)
check "day 2: exit 0" "$status" 0
check "day 2: refunds totals" "$(json day2.json '[(f["applied"], f["refunds"]["gross_pence"], f["refunds"]["commission_pence"], f["refunds"]["vat_pence"], f["refunds"]["net_pence"]) for f in d["files"] if f["kind"] == "refund"][0]')" "(2, 11000, 2750, 550, 7700)"
refunds=$("$dcagw" payments list --config gateway.json --refunds --format json)
check "R-1 reverses PAY-2 whole" "$(/usr/bin/python3 -c 'import json,sys; [print(r["account_ref"], r["kind"], r["gross_pence"], r["commission_pence"], r["vat_pence"], r["net_pence"]) for r in json.loads(sys.argv[1]) if r["refund_id"] == "R-1"]' "$refunds")" "FTA-100001 refund 10000 2500 500 7000"
check "R-2 reverses part of PAY-3" "$(/usr/bin/python3 -c 'import json,sys; [print(r["account_ref"], r["kind"], r["gross_pence"], r["commission_pence"], r["vat_pence"], r["net_pence"]) for r in json.loads(sys.argv[1]) if r["refund_id"] == "R-2"]' "$refunds")" "FTA-100002 chargeback 1000 250 50 700"
check "closure: both joint debtors returned, HOLD changes nothing" "$(state_of FTA-100011)/$(state_of FTA-100002)" "returned returned/on_hold"
# Outstanding = placed balance - payments (gross) + refunds (gross).
outstanding() { # outstanding ACCOUNT_REF (its lead placement)
  local balance paid refunded
  balance=$(awk -F, -v a="$1" '$1 == a { print $5; exit }' placements.csv)
  paid=$("$dcagw" payments list --config gateway.json --format json \
    | /usr/bin/python3 -c 'import json,sys; print(sum(p["gross_pence"] for p in json.load(sys.stdin) if p["account_ref"] == sys.argv[1]))' "$1")
  refunded=$("$dcagw" payments list --config gateway.json --refunds --format json \
    | /usr/bin/python3 -c 'import json,sys; print(sum(r["gross_pence"] for r in json.load(sys.stdin) if r["account_ref"] == sys.argv[1]))' "$1")
  echo $((balance - paid + refunded))
}
check "outstanding A: 184532 - 1234 - 10000 + 10000" "$(outstanding FTA-100001)" 183298
check "outstanding B: 92050 - 3000 - 1 + 1000" "$(outstanding FTA-100002)" 90049
check "outstanding C: untouched" "$(outstanding FTA-100003)" 45000
# `placements show` adds the same figures up itself, per placement, with its returns.
"$dcagw" placements show FTA-100001 --config gateway.json --format json > showA.json
check "placements show JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" placements-show.schema.json showA.json > /dev/null 2>&1 && echo valid)" valid
check "placements show A: money" "$(json showA.json '[(p["agency"], p["placed_balance_pence"], p["payments_pence"], p["refunds_pence"], p["outstanding_pence"], p["overpaid"]) for p in d]')" "[('example-agency', 184532, 11234, 10000, 183298, 'no')]"
check "placements show A: state and its returns" "$(json showA.json 'd[0]["state"], [(r["from_state"], r["to_state"]) for r in d[0]["returns"]]')" "open [('open', 'open')]"
"$dcagw" placements show FTA-100011 --config gateway.json --format json > showJ.json
check "placements show joint: each debtor returned, with the reason and file" "$(json showJ.json 'sorted(set((p["state"], p["reason"] != "", p["returns"][-1]["file"]) for p in d)), len(d)')" "[('returned', True, '20261202-closure.csv.gpg')] 2"
status=0
"$dcagw" placements show NO-SUCH-ACCOUNT --config gateway.json > /dev/null 2>&1 || status=$?
check "placements show: an account never placed is not found" "$status" 3

# 4. The remittance: payout PO-1 pays over PAY-1 and PAY-5; its totals line states gross
# 1235, commission 309, VAT 62 and net 864, exactly the sums of its payments' splits.
cat > 20261203-remittance.csv <<EOF
payout_id,payout_date,payment_id,account_number,amount,gross,commission,vat,net
PO-1,2026-12-03,PAY-1,$accountA,12.34,,,,
PO-1,2026-12-03,PAY-5,$accountB,0.01,,,,
PO-1,2026-12-03,,,,12.35,3.09,0.62,8.64
EOF
publish 20261203-remittance.csv
status=$(ingest day3)
check "remittance PO-1: exit 0" "$status" 0
check "remittance PO-1 reconciles" "$(json day3.json 'd["files"][0]["kind"], d["files"][0]["payouts_reconcile"], d["files"][0]["problems"]')" "payout True []"
check "PAY-1 and PAY-5 paid over in PO-1" "$(payment PAY-1 | awk '{ print $6 }') $(payment PAY-5 | awk '{ print $6 }') $(payment PAY-3 | awk '{ print $6 }')" "PO-1 PO-1 -"
check "PO-1 stated totals kept" "$(sqlite3 state/ledger.sqlite "SELECT stated_gross_pence, stated_commission_pence, stated_vat_pence, stated_net_pence FROM payouts WHERE payout_id = 'PO-1'" 2>/dev/null || echo unreadable)" "1235|309|62|864"

# 5. A second payout one penny off: PO-2 pays over PAY-3 (net 2100) but states net £21.01.
cat > 20261204-remittance.csv <<EOF
payout_id,payout_date,payment_id,account_number,amount,gross,commission,vat,net
PO-2,2026-12-04,PAY-3,$accountB,30.00,,,,
PO-2,2026-12-04,,,,30.00,7.50,1.50,21.01
EOF
publish 20261204-remittance.csv
status=$(ingest day4)
check "remittance PO-2 a penny off: exit 1" "$status" 1
check "PO-2 does not reconcile" "$(json day4.json 'd["files"][0]["payouts_reconcile"]')" False
check "PO-2: both figures shown" "$(json day4.json 'd["files"][0]["problems"]' | grep -c 'PO-2.*net.*21.01.*21.00' || true)" 1

# Nothing twice: a rerun applies nothing, and the ledger's totals are unchanged.
status=0
"$dcagw" ingest --config gateway.json --format json > rerun.json 2>/dev/null || status=$?
check "rerun: exit 0, nothing applied" "$status $(json rerun.json 'd["files_applied"], len(d["files"])')" "0 0 0"
check "payments once" "$("$dcagw" payments list --config gateway.json --format json | /usr/bin/python3 -c 'import json,sys; p=json.load(sys.stdin); print(len(p), sum(x["gross_pence"] for x in p), sum(x["net_pence"] for x in p))')" "4 14235 9964"
check "every file recorded once" "$("$dcagw" returns list --config gateway.json --format csv | tail -n +2 | wc -l)" 8

# No plaintext left behind, and the audit log (with the ingest entries) verifies.
example_agency_finish
