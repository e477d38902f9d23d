# Sourced by the bench scripts: the one benchmark configuration (the example agency, age,
# its pseudonym key under $work/keys), so the contenders of every script place alike.
# Needs $work and the repository root as the current folder.

# bench_workspace: copies the example agency's pseudonym key into $work/keys and reads
# the recipients into $recipient and $archive.
bench_workspace()
{
  mkdir -p "$work/keys"
  cp keys-example/example-agency.pseudonym.key "$work/keys/"
  chmod 600 "$work/keys/"*
  recipient=$(cat keys-example/example-agency.age-recipient.txt)
  archive=$(cat keys-example/creditor-archive.age-recipient.txt)
}

# write_bench_config FILE STATE_DIRECTORY INPUT
write_bench_config()
{
  cat > "$1" <<JSON
{ "state_directory": "$2", "input": "$3", "archive_recipients": ["$archive"],
  "agencies": [ { "id": "example-agency", "name": "Example", "mapping": "$PWD/mappings/example-agency.json",
    "pseudonym_key": "keys/example-agency.pseudonym.key",
    "encryption": { "kind": "age", "age_recipients": ["$recipient"] },
    "agreement": { "reference": "BENCH", "version": "1", "purpose": "benchmark", "lawful_basis": "benchmark" } } ] }
JSON
}
