#!/usr/bin/env bash
# Every JSON Schema in schemas/ is checked with a real validator (Debian's
# python3-jsonschema): each schema against its metaschema; the bundled configuration and
# mappings; the bundled case export, row by row, against case-export.schema.json (every row
# the schema refuses must be one dcagw quarantined); and the
# JSON output of every command that has one, produced by the real `dcagw` on a copy of the
# bundled example (place, send, the demo agency acknowledges, collect, then every list and
# report).
# Usage: validate_schemas.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
validate=("/usr/bin/python3" "$source/tests/schemas/validate.py" "$source/schemas")
work=$(mktemp -d /tmp/dcagw-schemas.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/keys" "$work/out"
cp "$source"/keys-example/* "$work/keys/"
chmod 600 "$work/keys/"*
cp "$source/docs/example/cases.csv" "$work/cases.csv"
sed -e "s#../../keys-example/#keys/#g; s#../../mappings/#$source/mappings/#g" \
    "$source/docs/example/gateway.json" > "$work/gateway.json"

# The bundled case export as one JSON object per row, every column a string as the CSV
# holds it (the JSON Lines export may also give pence as integers; the schema allows both).
/usr/bin/python3 - "$work/cases.csv" > "$work/out/cases.jsonl" <<'PYTHON'
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as source:
    for row in csv.DictReader(source):
        print(json.dumps(row, ensure_ascii=False))
PYTHON

cd "$work"
run() { # run NAME ARGS...: stdout to out/NAME.json; exit codes 0 and 1 are expected outcomes
  local name=$1 status=0
  shift
  "$dcagw" "$@" > "out/$name.json" 2> "out/$name.err" || status=$?
  if ((status > 1)); then
    echo "FAIL dcagw $*: exit $status"; cat "out/$name.err"; exit 1
  fi
}
run place place --config gateway.json --as-of 2026-11-23 --format json
mkdir -p state/example-agency-server/incoming state/example-agency-server/outgoing
run send send --config gateway.json --format json
# (The example agency's returns must be signed, so collect refuses these bare
# acknowledgements and ingest refuses them as files of no layout: `returns list` then
# holds a refused file of kind unknown.)
for delivered in state/example-agency-server/incoming/*; do
  printf 'received\n' > "state/example-agency-server/outgoing/$(basename "$delivered").ack"
done
run collect collect --config gateway.json --format json
run placements placements list --config gateway.json --format json
run quarantine quarantine list --config gateway.json --format json
run transfers transfers list --config gateway.json --format json
run runs runs list --config gateway.json --format json
run subject audit subject --config gateway.json --ref FTA-100001 --format json
run shares audit shares --config gateway.json --from 2026-01-01 --to 2026-12-31 --format json
run retention audit retention --config gateway.json --format json
run ingest ingest --config gateway.json --format json
run suspense suspense list --config gateway.json --all --format json
run returns returns list --config gateway.json --format json
run return-events returns list --config gateway.json --events --format json
run payments payments list --config gateway.json --format json
run refunds payments list --config gateway.json --refunds --format json
run postings postings write --config gateway.json --format json
run messages messages write --config gateway.json --format json
run postings-list postings list --config gateway.json --format json
run reconcile reconcile --config gateway.json --agency example-agency --period 2026-11 --format json
run hold hold --config gateway.json --account FTA-100001 --agency example-agency --reason BSM --until 2027-01-31 --actor schemas --format json
run holds holds list --config gateway.json --format json
run placement-show placements show FTA-100001 --config gateway.json --format json
run runs-after-ingest runs list --config gateway.json --format json

# The rows dcagw quarantined, as JSON Lines line numbers (the CSV's header is line 1 and
# the example has no multi-line fields): the schema may refuse those and no others.
quarantined=$(/usr/bin/python3 -c 'import json, sys; print(",".join(str(r["line"] - 1) for r in json.load(open(sys.argv[1]))))' out/quarantine.json)

arguments=(--check-schemas config.schema.json "$source/docs/example/gateway.json")
for mapping in "$source"/mappings/*.json; do
  arguments+=(mapping.schema.json "$mapping")
done
# Mappings `dcagw config check` refuses: settings for another format than the one chosen.
columns='"columns": [{"name": "account", "transform": "pseudonym", "source": "account_ref"}]'
printf '{"agency": "x", "format": "json", "file_name_pattern": "{date}.json", "csv": {"delimiter": ";"}, %s}\n' "$columns" > out/json-with-csv.json
printf '{"agency": "x", "format": "csv", "file_name_pattern": "{date}.csv", "xml": {"root": "R"}, %s}\n' "$columns" > out/csv-with-xml.json
arguments+=(mapping.schema.json out/json-with-csv.json --refused mapping.schema.json out/csv-with-xml.json --refused)
# The JSON Lines return layouts of the vector test mapping, and one with CSV settings.
arguments+=(mapping.schema.json "$source/tests/vectors/returns/jsonl/jsonl-agency.json")
/usr/bin/python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); m["returns"][0]["csv"] = {"delimiter": ";"}; print(json.dumps(m))' \
    "$source/tests/vectors/returns/jsonl/jsonl-agency.json" > out/jsonl-return-with-csv.json
arguments+=(mapping.schema.json out/jsonl-return-with-csv.json --refused)
# The XML return layouts of the vector test mapping; one without its xml settings, and a
# CSV layout with an XML column place.
arguments+=(mapping.schema.json "$source/tests/vectors/returns/xml/xml-agency.json")
/usr/bin/python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); del m["returns"][0]["xml"]; print(json.dumps(m))' \
    "$source/tests/vectors/returns/xml/xml-agency.json" > out/xml-return-without-xml.json
/usr/bin/python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); m["returns"][0]["columns"][0]["xml"] = "attribute"; print(json.dumps(m))' \
    "$source/mappings/example-agency.json" > out/csv-return-with-xml-column.json
arguments+=(mapping.schema.json out/xml-return-without-xml.json --refused mapping.schema.json out/csv-return-with-xml-column.json --refused)
arguments+=(case-export.schema.json out/cases.jsonl --jsonl --may-fail "$quarantined"
  place-summary.schema.json out/place.json
  send-summary.schema.json out/send.json
  collect-summary.schema.json out/collect.json
  placements-list.schema.json out/placements.json
  quarantine-list.schema.json out/quarantine.json
  transfers-list.schema.json out/transfers.json
  runs-list.schema.json out/runs.json
  runs-list.schema.json out/runs-after-ingest.json
  placements-show.schema.json out/placement-show.json
  operator-message.schema.json out/hold.json
  holds-list.schema.json out/holds.json
  audit-subject.schema.json out/subject.json
  audit-shares.schema.json out/shares.json
  audit-retention.schema.json out/retention.json
  ingest-summary.schema.json out/ingest.json
  suspense-list.schema.json out/suspense.json
  returns-list.schema.json out/returns.json
  return-events-list.schema.json out/return-events.json
  payments-list.schema.json out/payments.json
  payments-list.schema.json out/refunds.json
  postings-summary.schema.json out/postings.json
  messages-summary.schema.json out/messages.json
  postings-list.schema.json out/postings-list.json
  reconcile-report.schema.json out/reconcile.json)
"${validate[@]}" "${arguments[@]}"
