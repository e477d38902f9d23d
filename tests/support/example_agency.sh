# Sourced by the scripts that play the example agency through the real CLI
# (tests/cli/ingest_returns.sh, postings_reconcile.sh, returns_e2e.sh,
# tests/e2e/ingest_crash.sh): one copy of the workspace, the placement and delivery of the
# bundled example, the agency opening what it received with the real `age`, and the
# agency's OpenPGP keys in a private keyring for the real `gpg`.
# Needs $dcagw and $source set; defines check, json, seal, example_agency_start and
# example_agency_finish.

failures=0

check() { # check NAME ACTUAL EXPECTED
  if [[ $2 == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: got '$2', wanted '$3'"; failures=$((failures + 1)); fi
}

json() { # json FILE EXPRESSION: prints the Python expression over the document d
  /usr/bin/python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"
}

# example_agency_start NAME [CASES]: a fresh workspace /tmp/dcagw-NAME.* (removed on exit)
# holding the example's keys, cases (CASES, default docs/example/cases.csv) and
# configuration; places (as of 2026-11-23) and sends them, and leaves
# the shell in it with $work, $server, $placed_file (the file the agency received),
# received.csv (its plaintext) and the $creditor and $agency key fingerprints.
example_agency_start() {
  work=$(mktemp -d "/tmp/dcagw-$1.XXXXXX")
  export GNUPGHOME="$work/gnupg"
  trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  mkdir -p "$work/keys" "$GNUPGHOME"
  chmod 700 "$GNUPGHOME"
  cp "$source"/keys-example/* "$work/keys/"
  chmod 600 "$work/keys/"*
  cp "${2:-$source/docs/example/cases.csv}" "$work/cases.csv"
  sed -e "s#../../keys-example/#keys/#g; s#../../mappings/#$source/mappings/#g" \
      -e 's#"state/audit-checkpoints.log"#"checkpoints.txt"#' \
      "$source/docs/example/gateway.json" > "$work/gateway.json"
  cd "$work"
  server=state/example-agency-server
  "$dcagw" place --config gateway.json --as-of 2026-11-23 > /dev/null 2>&1 || true
  mkdir -p "$server/incoming" "$server/outgoing"
  "$dcagw" send --config gateway.json > /dev/null 2>&1
  placed_file=$(basename "$server"/incoming/*.age)
  age -d -i keys/example-agency.age-identity.key "$server/incoming/$placed_file" > received.csv
  gpg --batch --quiet --import keys/example-agency.pgp-secret.asc keys/creditor.pgp-public.asc 2>/dev/null
  creditor=$(gpg --with-colons --list-keys keys@example-creditor.invalid | awk -F: '/^fpr/ { print $10; exit }')
  agency=$(gpg --with-colons --list-secret-keys keys@example-agency.invalid | awk -F: '/^fpr/ { print $10; exit }')
}

seal() { # seal PLAIN OUT [--unsigned]: encrypt to the creditor, signed by the agency unless told not to
  local sign=(--sign -u "$agency")
  [[ ${3:-} == --unsigned ]] && sign=()
  gpg --batch --yes --quiet --trust-model always --pinentry-mode loopback --passphrase '' "${sign[@]}" -r "$creditor" --encrypt -o "$2" "$1"
}

# example_agency_finish: the checks such a script ends with, in the workspace: no
# plaintext left in the state directory, the audit log verifies; then the verdict.
example_agency_finish() {
  check "no plaintext left" "$(find state -name '*.plain' | wc -l)" 0
  local status=0
  "$dcagw" audit verify --config gateway.json > /dev/null 2>&1 || status=$?
  check "audit verify" "$status" 0
  if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
  echo "all passed"
}
