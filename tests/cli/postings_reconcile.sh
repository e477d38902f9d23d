#!/usr/bin/env bash
# The ledger's outputs through the real CLI: the bundled example is placed and sent, the
# real `age` and `gpg` play the agency (as in ingest_returns.sh) and return payments, a
# refund and remittances; `dcagw ingest` applies them. Then `dcagw postings write` must
# post each cleared payment and refund once, keyed by our account_ref, to the penny, and
# post nothing again on a rerun; `dcagw reconcile` must reconcile the payout in every
# format (JSON against its schema), and fail loudly, with both figures, on a remittance
# one penny off.
# Usage: postings_reconcile.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
source "$source/tests/support/example_agency.sh"
validate=("/usr/bin/python3" "$source/tests/schemas/validate.py" "$source/schemas")
example_agency_start postings
read -r account1 customer1 < <(awk -F, 'NR == 2 { print $1, $2 }' received.csv)
read -r account2 customer2 < <(awk -F, 'NR == 3 { print $1, $2 }' received.csv)
deliver() { # deliver PLAIN: the agency signs, encrypts and returns it; collect and ingest
  seal "$1" "$server/outgoing/$1.gpg"
  "$dcagw" collect --config gateway.json > /dev/null 2>&1
  "$dcagw" ingest --config gateway.json > "ingest-$1.txt" 2>&1 || true
}

# PAY-1 £12.50 (313 / 63 / 874) and PAY-2 £30.00 (750 / 150 / 2100), both in remittance
# PO-1 with its totals; PAY-3 matches nothing (suspense, never posted).
cat > 20261201-payments.csv <<END
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-1,$account1,$customer1,12.50,2026-12-01,
PAY-2,$account2,$customer2,30.00,2026-12-01,
PAY-3,NOSUCHREFERENCE,NOSUCHCUSTOMER,5.00,2026-12-01,
END
deliver 20261201-payments.csv
cat > 20261202-remittance.csv <<END
payout_id,payout_date,payment_id,account_number,amount,gross,commission,vat,net
PO-1,2026-12-02,PAY-1,$account1,12.50,,,,
PO-1,2026-12-02,PAY-2,$account2,30.00,,,,
PO-1,2026-12-02,,,,42.50,10.63,2.13,29.74
END
deliver 20261202-remittance.csv
check "payout applied" "$(grep -c 'file 20261202-remittance.csv.gpg: applied' ingest-20261202-remittance.csv.txt)" 1

# Posting file 1: our account references, gross pence, file mode 0600.
status=0
"$dcagw" postings write --config gateway.json --format json > postings1.json 2> postings1.err || status=$?
check "postings write exits 0" "$status" 0
check "postings JSON matches its schema" "$("${validate[@]}" postings-summary.schema.json postings1.json > /dev/null 2>&1 && echo valid)" valid
posted=state/postings/postings-example-agency-000001.csv
check "posting file lines" "$(cat "$posted")" "posting_id,agency,account_ref,type,amount_pence,date,agency_transaction_id,payment_id
example-agency-000001-000001,example-agency,FTA-100001,payment,1250,2026-12-01,PAY-1,PAY-1
example-agency-000001-000002,example-agency,FTA-100002,payment,3000,2026-12-01,PAY-2,PAY-2"
check "posting totals" "$(json postings1.json 'd["files_written"], d["lines"], d["total_pence"], d["files"][0]["payments_pence"]')" "1 2 4250 4250"
check "posting file mode" "$(stat -c %a "$posted")" 600
check "no pseudonym posted" "$(grep -c -e "$account1" -e "$account2" "$posted" || true)" 0
check "suspense not posted" "$(grep -c PAY-3 "$posted" || true)" 0

# A rerun posts nothing twice.
status=0
"$dcagw" postings write --config gateway.json --format json > postings2.json || status=$?
check "rerun exits 0" "$status" 0
check "rerun posts nothing" "$(json postings2.json 'd["files_written"], d["lines"]')" "0 0"
# `postings list`: the one file, published, with the hash of its bytes.
"$dcagw" postings list --config gateway.json --format json > postings-list.json
check "postings list JSON matches its schema" "$("${validate[@]}" postings-list.schema.json postings-list.json > /dev/null 2>&1 && echo valid)" valid
check "postings list" "$(json postings-list.json '[(f["agency"], f["sequence"], f["file"], f["state"], f["lines"], f["total_pence"], f["sha256"] == d0) for f in d for d0 in [__import__("hashlib").sha256(open("'"$posted"'", "rb").read()).hexdigest()]]')" "[('example-agency', 1, 'postings-example-agency-000001.csv', 'published', 2, 4250, True)]"
check "postings list CSV" "$("$dcagw" postings list --config gateway.json --format csv | awk -F, 'NR == 2 { print $2, $4, $5, $6, $7 }')" "example-agency postings-example-agency-000001.csv published 2 4250"
check "one posting file" "$(ls state/postings | wc -l)" 1

# A refund of £5.00 of PAY-1 goes to file 2, negative, with its own id; PAY-1 is not posted again.
cat > 20261203-refunds.csv <<END
refund_id,payment_id,account_number,type,reason,amount,refunded_on
REF-1,PAY-1,$account1,REFUND,ERR,5.00,2026-12-03
END
deliver 20261203-refunds.csv
"$dcagw" postings write --config gateway.json > postings3.txt
check "refund posted once, negative" "$(tail -n +2 state/postings/postings-example-agency-000002.csv)" \
  "example-agency-000002-000001,example-agency,FTA-100001,refund,-500,2026-12-03,REF-1,PAY-1"
check "text summary" "$(tail -n 1 postings3.txt)" "1 posting file(s), 1 line(s), total -500 pence"
check "PAY-1 posted once, then reversed once" "$(cat state/postings/*.csv | grep -c ',PAY-1$')" 2
check "pence across the files" "$(cat state/postings/*.csv | awk -F, 'NR > 1 && $5 ~ /^-?[0-9]+$/ { total += $5 } END { print total }')" 3750

# Reconcile December 2026 in every format.
for format in table json csv html; do
  status=0
  "$dcagw" reconcile --config gateway.json --agency example-agency --period 2026-12 --as-of 2026-12-07 --format $format \
    > reconcile.$format 2> reconcile.$format.err || status=$?
  check "reconcile $format exits 0" "$status" 0
done
check "reconcile JSON matches its schema" "$("${validate[@]}" reconcile-report.schema.json reconcile.json > /dev/null 2>&1 && echo valid)" valid
check "reconcile JSON payout" "$(json reconcile.json 'd["reconciles"], d["payouts"][0]["payout_id"], len(d["payouts"][0]["lines"]), d["payouts"][0]["computed"]["net_pence"], d["payouts"][0]["stated"]["net_pence"], len(d["payouts"][0]["differences"])')" \
  "True PO-1 2 2974 2974 0"
check "reconcile JSON GL" "$(json reconcile.json 'd["gl"]["payments"]["count"], d["gl"]["payments"]["split"]["gross_pence"], d["gl"]["refunds"]["split"]["gross_pence"], d["gl"]["total"]["gross_pence"]')" \
  "2 4250 500 3750"
check "reconcile JSON unmatched" "$(json reconcile.json 'len(d["unmatched"]), d["unmatched"][0]["source"], d["unmatched"][0]["reference"], d["unmatched"][0]["amount_pence"]')" \
  "1 suspense NOSUCHREFERENCE 500"
check "reconcile table" "$(grep -c 'payout PO-1 of 2026-12-02: 2 line(s), gross £42.50, commission £10.63, VAT £2.13, net £29.74: reconciles' reconcile.table)" 1
check "reconcile CSV GL line" "$(grep '^gl,,,,payments,' reconcile.csv)" "gl,,,,payments,,,,4250,1063,213,2974,2,"
check "reconcile HTML self-contained" "$(grep -c -i -e '<script' -e 'src=' -e 'href=' reconcile.html || true)" 0
check "reconcile HTML payout" "$(grep -c 'Payout PO-1 (2026-12-02)' reconcile.html)" 1

# One penny off: remittance PO-2 states net £8.75 for PAY-4 (£12.50: net £8.74).
cat > 20261204-payments.csv <<END
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-4,$account2,$customer2,12.50,2026-12-04,
END
deliver 20261204-payments.csv
cat > 20261205-remittance.csv <<END
payout_id,payout_date,payment_id,account_number,amount,gross,commission,vat,net
PO-2,2026-12-05,PAY-4,$account2,12.50,,,,
PO-2,2026-12-05,,,,12.50,3.13,0.63,8.75
END
deliver 20261205-remittance.csv
status=0
"$dcagw" reconcile --config gateway.json --agency example-agency --period 2026-12 --as-of 2026-12-07 > off.txt 2> off.err || status=$?
check "penny off: exit 1" "$status" 1
check "penny off: both figures" "$(grep -c 'payout PO-2: stated net £8.75 but its lines add up to £8.74 (difference £0.01)' off.err)" 1
check "penny off: table says so" "$(grep -c 'payout PO-2 .*DOES NOT RECONCILE' off.txt)" 1
"$dcagw" reconcile --config gateway.json --agency example-agency --period 2026-12 --as-of 2026-12-07 --format json > off.json 2> /dev/null || true
check "penny off: JSON difference" "$(json off.json '[(d["reconciles"], x["part"], x["stated_pence"], x["computed_pence"], x["difference_pence"]) for p in d["payouts"] if p["payout_id"] == "PO-2" for x in p["differences"]]')" \
  "[(False, 'net', 875, 874, 1)]"

# Not paid over: a payment in no payout is flagged after payout_due_days (14).
cat > 20261206-payments.csv <<END
payment_id,account_number,customer_number,amount,paid_on,paid_at
PAY-5,$account1,$customer1,1.00,2026-12-06,
END
deliver 20261206-payments.csv
"$dcagw" reconcile --config gateway.json --agency example-agency --period 2026-12 --as-of 2026-12-31 --format json > late.json 2> late.err || true
check "not paid over flagged" "$(json late.json '[(n["payment_id"], n["account_ref"], n["gross_pence"]) for n in d["not_paid_over"]]')" "[('PAY-5', 'FTA-100001', 100)]"
check "not paid over warned" "$(grep -c 'payment PAY-5 (£1.00) is in no payout yet' late.err)" 1

# Usage errors.
status=0
"$dcagw" reconcile --config gateway.json --agency example-agency --period 2026-13 > /dev/null 2>&1 || status=$?
check "bad period: usage" "$status" 2
status=0
"$dcagw" reconcile --config gateway.json --period 2026-12 > /dev/null 2>&1 || status=$?
check "no agency: usage" "$status" 2

if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
echo "all passed"
