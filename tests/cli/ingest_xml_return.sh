#!/usr/bin/env bash
# An XML return file end to end through the real CLI: the bundled example is placed and
# sent; the agency (the real `age` and `gpg`, tests/support/example_agency.sh) writes its
# payments as XML in the example agency's `example-payments-xml` layout (docs/returns.md,
# "XML returns"), signs and encrypts it to the creditor, and `dcagw ingest --agency A
# --file F` applies the good records to the penny, puts the unknown reference in suspense
# and quarantines the bad amount with the record's line and no value. An XML file whose
# root is not the layout's, and one with a DOCTYPE, are refused whole.
# Usage: ingest_xml_return.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
source "$source/tests/support/example_agency.sh"
example_agency_start ingest-xml

read -r account1 customer1 < <(awk -F, 'NR == 2 { print $1, $2 }' received.csv)
read -r account2 _ < <(awk -F, 'NR == 3 { print $1, $2 }' received.csv)

cat > 20261201-payments.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Payments>
  <Payment payment_id="PAY-X1">
    <account_number>$account1</account_number>
    <customer_number>$customer1</customer_number>
    <amount>12.50</amount>
    <paid_on>2026-12-01</paid_on>
    <paid_at>2026-12-01T08:00:00Z</paid_at>
  </Payment>
  <Payment payment_id="PAY-X2"><account_number>$account2</account_number><amount>30.00</amount><paid_on>2026-12-01</paid_on></Payment>
  <Payment payment_id="PAY-X3"><account_number>NOSUCHREFERENCE</account_number><amount>5.00</amount><paid_on>2026-12-01</paid_on></Payment>
  <Payment payment_id="PAY-X4"><account_number>$account2</account_number><amount>12.3.4</amount><paid_on>2026-12-01</paid_on></Payment>
</Payments>
XML
seal 20261201-payments.xml 20261201-payments.xml.gpg
status=0
"$dcagw" ingest --config gateway.json --agency example-agency --file 20261201-payments.xml.gpg --format json > ingest1.json 2> ingest1.err || status=$?
check "ingest exits 1 (a record quarantined)" "$status" 1
check "ingest JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" ingest-summary.schema.json ingest1.json > /dev/null 2>&1 && echo valid)" valid
check "ingest names the kind and totals" "$(json ingest1.json 'd["files"][0]["outcome"], d["files"][0]["kind"], d["files"][0]["payments"]["gross_pence"]')" "applied payment 4250"
check "ingest counts" "$(json ingest1.json '" ".join(str(d["files"][0][k]) for k in ("lines", "applied", "duplicates", "conflicts", "quarantined", "suspense"))')" "4 2 0 0 1 1"
# 25% of 1250 is 312.5: half up, 313; VAT 20% of 313 is 62.6: 63; net 1250 - 313 - 63.
check "payment 1 to the penny" "$("$dcagw" payments list --config gateway.json --format csv | awk -F, '$3 == "PAY-X1" { print $5, $7, $8, $9, $10 }')" "FTA-100001 1250 313 63 874"
check "payment 2 to the penny" "$("$dcagw" payments list --config gateway.json --format csv | awk -F, '$3 == "PAY-X2" { print $5, $7, $8, $9, $10 }')" "FTA-100002 3000 750 150 2100"
check "unknown reference in suspense" "$("$dcagw" suspense list --config gateway.json --format csv | awk -F, 'NR == 2 { print $4, $5, $6 }')" "NOSUCHREFERENCE PAY-X3 500"
check "bad amount quarantined at the record's line, without its value" \
  "$(sqlite3 state/ledger.sqlite "SELECT line, field FROM return_quarantine WHERE reason LIKE '%two decimals%' AND reason NOT LIKE '%12.3.4%'")" "12|amount"

# The same file again applies nothing.
"$dcagw" ingest --config gateway.json --agency example-agency --file 20261201-payments.xml.gpg > /dev/null 2>&1 || true
check "payments once" "$("$dcagw" payments list --config gateway.json --format csv | grep -c PAY-X)" 2

# A root that is not the layout's, and a DOCTYPE, refuse the whole file: nothing applied.
cat > 20261202-payments.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Refunds>
  <Payment payment_id="PAY-X5"><account_number>$account1</account_number><amount>1.00</amount><paid_on>2026-12-02</paid_on></Payment>
</Refunds>
XML
cat > 20261203-payments.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Payments [ <!ENTITY reference "$account1"> ]>
<Payments>
  <Payment payment_id="PAY-X6"><account_number>&reference;</account_number><amount>1.00</amount><paid_on>2026-12-02</paid_on></Payment>
</Payments>
XML
for day in 2 3; do
  seal "2026120$day-payments.xml" "2026120$day-payments.xml.gpg"
  status=0
  "$dcagw" ingest --config gateway.json --agency example-agency --file "2026120$day-payments.xml.gpg" > "refused$day.txt" 2> "refused$day.err" || status=$?
  check "refused $day: exit 1" "$status" 1
  check "refused $day: refused" "$(grep -c "file 2026120$day-payments.xml.gpg: refused" "refused$day.txt")" 1
done
check "wrong root: says why" "$(grep -c 'the root element must be <Payments>, not <Refunds>' refused2.err)" 1
check "DOCTYPE: says why" "$(grep -c 'DOCTYPE and ENTITY declarations are not accepted in a return file' refused3.err)" 1
check "refused files: nothing applied" "$("$dcagw" payments list --config gateway.json --format csv | grep -c -e PAY-X5 -e PAY-X6 || true)" 0
check "refused files: kept as refused" "$("$dcagw" returns list --config gateway.json --format csv | grep -c ',refused,' || true)" 2

example_agency_finish
