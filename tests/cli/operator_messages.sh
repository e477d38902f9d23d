#!/usr/bin/env bash
# The operator's lifecycle commands through the real CLI (issue #15 item 1(b), docs/lifecycle.md
# "Operator commands"): place the bundled example, hold a debt, list the hold, refuse a second
# identical hold and a release with nothing to release, release it, show the timeline in
# `placements show`, and verify the audit log.
# Usage: operator_messages.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d /tmp/dcagw-operator.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
check() { # check NAME ACTUAL EXPECTED
  if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: got '$2', expected '$3'"; failures=$((failures + 1)); fi
}
contains() { # contains NAME TEXT NEEDLE
  if [[ "$2" == *"$3"* ]]; then echo "ok   $1"; else echo "FAIL $1: '$3' not in: $2"; failures=$((failures + 1)); fi
}

mkdir -p "$work/keys"
cp "$source"/keys-example/* "$work/keys/"
chmod 600 "$work/keys/"*
cp "$source/docs/example/cases.csv" "$work/cases.csv"
sed -e "s#../../keys-example/#keys/#g; s#../../mappings/#$source/mappings/#g" \
    "$source/docs/example/gateway.json" > "$work/gateway.json"
cd "$work"
status=0
"$dcagw" place --config gateway.json --as-of 2026-11-23 > place.out 2>&1 || status=$?
check "place runs (0 or 1: the example has rejected rows)" "$((status <= 1))" 1

hold=(hold --config gateway.json --account FTA-100001 --agency example-agency --reason BSM --until 2027-01-31 --actor jbloggs
  --notice-received-at 2026-11-23T09:00:00Z)
out=$("$dcagw" "${hold[@]}" 2>&1) && status=0 || status=$?
check "hold exits 0" "$status" 0
contains "hold names the agency, reason and end" "$out" "hold of account FTA-100001 recorded for example-agency, reason BSM, until 2027-01-31"

"$dcagw" holds list --config gateway.json --format json > holds.json
check "holds list has the hold" "$(/usr/bin/python3 -c 'import json,sys; h=json.load(open("holds.json")); print(len(h), h[0]["account_ref"], h[0]["reason"], h[0]["until"], h[0]["actor"], h[0]["notice_received_at"])')" \
  "1 FTA-100001 BSM 2027-01-31 jbloggs 2026-11-23T09:00:00Z"
check "holds list JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" holds-list.schema.json holds.json > /dev/null 2>&1 && echo valid)" valid
overdue=$("$dcagw" holds list --config gateway.json --overdue --as-of 2026-11-24 --format json)
contains "an unsent hold is overdue the next day" "$overdue" "not notified on the day of the notice"
check "it is not overdue on the day of the notice" "$("$dcagw" holds list --config gateway.json --overdue --as-of 2026-11-23 --format json)" "[]"

out=$("$dcagw" "${hold[@]}" 2>&1) && status=0 || status=$?
check "a second identical hold exits 2 (usage)" "$status" 2
contains "and says why" "$out" "dcagw: error: hold of account FTA-100001: agency example-agency: a BSM hold is already in force"
check "nothing more recorded" "$("$dcagw" holds list --config gateway.json --format csv | wc -l)" 2

out=$("$dcagw" hold --config gateway.json --account FTA-999999 --agency example-agency --reason DSP --actor jbloggs 2>&1) && status=0 || status=$?
check "a hold of an account never placed exits 2" "$status" 2
contains "and says why" "$out" "holds no open placement"
out=$("$dcagw" hold --config gateway.json --account FTA-100001 --agency example-agency --reason DSP 2>&1) && status=0 || status=$?
check "a hold without --actor exits 2" "$status" 2

out=$("$dcagw" release --config gateway.json --account FTA-100001 --all-agencies --actor jbloggs --format json 2>&1) && status=0 || status=$?
check "release exits 0" "$status" 0
check "the release lifts the BSM hold" "$(/usr/bin/python3 -c 'import json,sys; m=json.loads(sys.argv[1])["messages"]; print(len(m), m[0]["kind"], m[0]["reason"])' "$out")" "1 release BSM"
check "release JSON matches its schema" "$(printf '%s' "$out" > release.json; /usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" operator-message.schema.json release.json > /dev/null 2>&1 && echo valid)" valid
out=$("$dcagw" release --config gateway.json --account FTA-100001 --agency example-agency --actor jbloggs 2>&1) && status=0 || status=$?
check "a release with no hold exits 2" "$status" 2
contains "and says why" "$out" "there is no hold in force to release"

"$dcagw" placements show FTA-100001 --config gateway.json --format json > show.json
check "placements show has the timeline" "$(/usr/bin/python3 -c 'import json; r=json.load(open("show.json")); print(" ".join(m["kind"] + ":" + m["reason"] + ":" + m["origin"] + ":" + m["actor"] for p in r for m in p["messages"]))')" \
  "hold:BSM:operator:jbloggs release:BSM:operator:jbloggs"
check "placements show JSON matches its schema" "$(/usr/bin/python3 "$source/tests/schemas/validate.py" "$source/schemas" placements-show.schema.json show.json > /dev/null 2>&1 && echo valid)" valid

check "audit verify passes" "$("$dcagw" audit verify --config gateway.json --no-checkpoint-file > /dev/null 2>&1 && echo ok)" ok
"$dcagw" audit subject --config gateway.json --ref FTA-100001 --format json > /dev/null
check "the audit log has the two command entries" "$(sqlite3 state/ledger.sqlite "SELECT count(*) FROM audit_entries WHERE kind = 'command' AND instr(body, CAST('of account FTA-100001 by jbloggs' AS BLOB)) > 0" 2>/dev/null || echo unknown)" 2

# config check refuses an InDebted agency whose policy holds: its mapping publishes only recalls.
/usr/bin/python3 - "$source" <<'PYTHON' > indebted.json
import json, sys
config = json.load(open("gateway.json"))
agency = dict(config["agencies"][0], id="indebted", name="InDebted", mapping=sys.argv[1] + "/mappings/indebted.json")
config["agencies"].append(agency)
print(json.dumps(config))
PYTHON
out=$("$dcagw" config check --config indebted.json 2>&1) && status=0 || status=$?
check "config check refuses InDebted holding (exit 2)" "$status" 2
contains "naming the agency and the concern" "$out" "agency indebted: the policy holds on dispute"
/usr/bin/python3 -c 'import json; c = json.load(open("indebted.json")); c["agencies"][1]["lifecycle_policy"] = {k: "recall" for k in ("breathing_space", "mental_health_crisis", "dispute", "complaint", "mental_capacity")}; print(json.dumps(c))' > indebted-recall.json
out=$("$dcagw" config check --config indebted-recall.json 2>&1) && status=0 || status=$?
contains "an InDebted policy that recalls has no lifecycle problem" "$out$status" ""
check "and no policy problem is reported" "$(grep -c lifecycle_policy <<< "$out" || true)" 0

((failures == 0)) || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
