#!/usr/bin/env bash
# The progress line of `send`, `collect` and `ingest` (issue 13 item 7): drawn on standard
# error when it is a terminal, never otherwise, never with --quiet. Each command runs
# under util-linux's `script`, which gives it a pseudo-terminal and copies what it drew
# to our standard output; then without a terminal (standard error to a file) and with
# --quiet on the terminal. The example agency's returns are signed and encrypted by the
# real gpg, as its profile declares, so ingest applies them.
# Usage: progress_tty.sh DCAGW SOURCE_DIR
set -euo pipefail
dcagw=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d /tmp/dcagw-progress.XXXXXX)
export GNUPGHOME="$work/gnupg"
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
failures=0

check() { # check NAME ACTUAL EXPECTED
  if [[ $2 == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: got '$2', wanted '$3'"; failures=$((failures + 1)); fi
}
on_terminal() { # on_terminal OUT COMMAND...: run on a pseudo-terminal; what it drew goes to OUT
  local out=$1 quoted
  shift
  printf -v quoted '%q ' "$@"
  script --quiet --return --command "$quoted" /dev/null > "$out.tty" 2>&1 < /dev/null || true
}

mkdir -p "$work/keys" "$GNUPGHOME"
chmod 700 "$GNUPGHOME"
cp "$source"/keys-example/* "$work/keys/"
chmod 600 "$work/keys/"*
sed -e "s#../../keys-example/#keys/#g; s#../../mappings/#$source/mappings/#g" \
    -e 's#"state/audit-checkpoints.log"#"checkpoints.txt"#' -e 's#"input": "cases.csv"#"input": "part.csv"#' \
    "$source/docs/example/gateway.json" > "$work/gateway.json"
cd "$work"
server=state/example-agency-server
mkdir -p "$server/incoming" "$server/outgoing"
# Three placement runs of one account each, so each send below has a file to deliver
# (each export lists one debt, so the earlier ones are missing by design: confirmed).
place() { # place LINE DATE: the example's header and one of its rows
  sed -n "1p;$1p" "$source/docs/example/cases.csv" > part.csv
  "$dcagw" place --config gateway.json --as-of "$2" --quiet --confirm-mass-change > /dev/null 2>&1 || true
}

place 2 2026-11-23
on_terminal send "$dcagw" send --config gateway.json
check "send on a terminal: progress drawn" "$(grep -c 'dcagw: progress: sending example-agency: file 1 of 1 20261123-placement.csv.age ([0-9,]* bytes)' send.tty || true)" 1
check "send on a terminal: delivered" "$(grep -c ': 1 newly queued, 1 delivered' send.tty || true)" 1
place 3 2026-11-24
status=0
"$dcagw" send --config gateway.json > send-pipe.out 2> send-pipe.err || status=$?
check "send without a terminal: exit 0" "$status" 0
check "send without a terminal: no progress" "$(cat send-pipe.out send-pipe.err | grep -c 'dcagw: progress:' || true)" 0
check "send without a terminal: the transfer logged" "$(grep -c 'transfer: send example-agency 20261124-placement.csv.age' send-pipe.err || true)" 1
place 4 2026-11-25
on_terminal send-quiet "$dcagw" send --config gateway.json --quiet
check "send --quiet on a terminal: no progress" "$(grep -c 'dcagw: progress:' send-quiet.tty || true)" 0
check "send --quiet on a terminal: delivered" "$(grep -c ': 1 newly queued, 1 delivered' send-quiet.tty || true)" 1

# The agency's returns: payment files signed and encrypted to the creditor.
age -d -i keys/example-agency.age-identity.key "$server"/incoming/20261123-placement.csv.age > received.csv
read -r account customer < <(awk -F, 'NR == 2 { print $1, $2 }' received.csv)
gpg --batch --quiet --import keys/example-agency.pgp-secret.asc keys/creditor.pgp-public.asc 2>/dev/null
creditor=$(gpg --with-colons --list-keys keys@example-creditor.invalid | awk -F: '/^fpr/ { print $10; exit }')
agency=$(gpg --with-colons --list-secret-keys keys@example-agency.invalid | awk -F: '/^fpr/ { print $10; exit }')
returns() { # returns DAY COUNT: COUNT payment files dated 202612DD, one payment each
  for n in $(seq 1 "$2"); do
    local name
    name=$(printf '202612%02d-payments.csv' $(($1 + n - 1)))
    printf 'payment_id,account_number,customer_number,amount,paid_on,paid_at\nPAY-%s,%s,%s,1.00,2026-12-01,\n' "$name" "$account" "$customer" > "$name"
    gpg --batch --yes --quiet --trust-model always --pinentry-mode loopback --passphrase '' \
        --sign -u "$agency" -r "$creditor" --encrypt -o "$server/outgoing/$name.gpg" "$name"
  done
}

returns 1 3
on_terminal collect "$dcagw" collect --config gateway.json
check "collect on a terminal: progress drawn" "$(grep -c 'dcagw: progress: collecting example-agency: file 1 of 3 2026120[1-3]-payments.csv.gpg ([0-9,]* bytes), 0 done' collect.tty || true)" 1
check "collect on a terminal: collected" "$(grep -c ': 3 listed, 3 collected' collect.tty || true)" 1
on_terminal ingest "$dcagw" ingest --config gateway.json
check "ingest on a terminal: progress drawn" "$(grep -c 'dcagw: progress: ingesting example-agency: file 1 of 3 2026120[1-3]-payments.csv.gpg ([0-9,]* bytes), 0 done' ingest.tty || true)" 1
check "ingest on a terminal: applied" "$(grep -c '^3 applied, 0 already applied' ingest.tty || true)" 1
check "the line is erased before a transfer line" "$(grep -c $'\r\x1b\\[Kdcagw: transfer: collect' collect.tty || true)" 1
check "the line is erased before the summary" "$(grep -c $'\r\x1b\\[Kagency example-agency file' ingest.tty || true)" 1

returns 4 2
status=0
"$dcagw" collect --config gateway.json > collect-pipe.out 2> collect-pipe.err || status=$?
check "collect without a terminal: exit 0, no progress" "$status $(cat collect-pipe.out collect-pipe.err | grep -c 'dcagw: progress:' || true)" "0 0"
"$dcagw" ingest --config gateway.json > ingest-pipe.out 2> ingest-pipe.err || status=$?
check "ingest without a terminal: exit 0, no progress" "$status $(cat ingest-pipe.out ingest-pipe.err | grep -c 'dcagw: progress:' || true)" "0 0"

returns 6 2
on_terminal collect-quiet "$dcagw" collect --config gateway.json --quiet
check "collect --quiet on a terminal: no progress" "$(grep -c 'dcagw: progress:' collect-quiet.tty || true) $(grep -c ': 2 listed, 2 collected' collect-quiet.tty || true)" "0 1"
on_terminal ingest-quiet "$dcagw" ingest --config gateway.json --quiet
check "ingest --quiet on a terminal: no progress" "$(grep -c 'dcagw: progress:' ingest-quiet.tty || true) $(grep -c '^2 applied' ingest-quiet.tty || true)" "0 1"
check "every payment applied" "$("$dcagw" payments list --config gateway.json --format csv | tail -n +2 | wc -l)" 7

if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
echo "all passed"
