#include "gateway/cli/command.hpp"
#include "gateway/cli/render.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/commands_lifecycle.hpp"
#include "gateway/cli/commands_reporting.hpp"
#include "gateway/cli/commands_returns.hpp"

namespace dcagw::cli {

namespace {

OptionSpec const config_option { "config", "FILE", "the gateway configuration (JSON)" };

// The options every operator lifecycle command takes (docs/lifecycle.md, "Operator commands").
std::vector<OptionSpec> lifecycle_options(std::vector<OptionSpec> extra)
{
    std::vector<OptionSpec> options {
        config_option,
        { "account", "ACCOUNT_REF", "our account reference (required)" },
        { "agency", "ID", "the agency holding an open placement of it" },
        { "all-agencies", "", "every agency holding an open placement of it" },
        { "reason", "CODE", "a canonical reason code (BSM, MHCM, DSP, CMP, MCAP, DEC, INS-BKR, PIF, SET, RCL ...)" },
        { "actor", "NAME", "who asks (required; recorded with the message and in the audit log)" },
        { "notice-received-at", "TIME", "when the creditor learnt it (UTC, YYYY-MM-DDThh:mm:ssZ); default now" },
    };
    options.insert(options.end(), extra.begin(), extra.end());
    return options;
}

char const* const lifecycle_details =
    "Recorded with an audit `command` entry in one transaction, or refused with nothing recorded (no\n"
    "open placement, a release with no hold, a hold already in force, a recall not yet confirmed, a\n"
    "kind the agency's mapping has no message layout for). `dcagw messages write` puts it in a file.";

} // namespace

std::vector<Command> const& command_table()
{
    static std::vector<Command> const table {
        { { "place" }, "Validate an export and write each agency's minimised, encrypted placement file", "", 0,
            {
                config_option,
                { "input", "FILE", "the case export (CSV, JSON Lines or XML); default: the configuration's input" },
                { "agency", "ID", "place with this agency only" },
                { "dry-run", "", "decide and write plaintext files to --out, recording nothing" },
                { "out", "FOLDER", "where a dry run writes its plaintext files (mode 0600)" },
                { "as-of", "DATE", "the date to apply the rules on (YYYY-MM-DD); default today" },
                { "confirm-mass-change", "", "go on although more than the configured share of open accounts is missing from the export" },
                { "quiet", "", "no progress line (it is shown only when standard error is a terminal)" },
            },
            "Rejected rows are quarantined (see `dcagw quarantine list`) and never sent; valid rows still go.\n"
            "Running the same export again places nothing twice. A debt an agency holds that the export no\n"
            "longer lists is reported, never closed; more than vanished.max_share_percent of them refuses the run.",
            command_place, { Format::Text, Format::Json } },
        { { "placements", "list" }, "List placements recorded in the ledger", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "status", "STATUS", "only this status (open, closed, recalled, returned)" },
                { "ref", "REF", "only this account_ref or person_ref" },
                { "pseudonym", "P", "only the placement an agency knows by this pseudonym (maps it back)" },
            },
            "", command_placements_list, { Format::Table, Format::Json, Format::Csv } },
        { { "placements", "show" }, "Show one account's placements at every agency: state, reason, money, outstanding balance, returns", "ACCOUNT_REF", 1,
            {
                config_option,
            },
            "Outstanding = placed balance - payments + refunds (gross pence); below zero the placement is\n"
            "overpaid (flagged, and a warning). Read-only. Exit 3 when the account was never placed.",
            command_placements_show, { Format::Table, Format::Json } },
        { { "hold" }, "Tell an agency to pause work on a debt (breathing space, dispute, complaint ...): audited", "", 0,
            lifecycle_options({ { "until", "DATE", "the day the hold ends (YYYY-MM-DD), where the agency's layout has a column for it" } }),
            lifecycle_details, command_hold, { Format::Text, Format::Json } },
        { { "release" }, "Lift the hold in force on a debt at an agency: audited", "", 0, lifecycle_options({}), lifecycle_details, command_release,
            { Format::Text, Format::Json } },
        { { "recall" }, "Take a debt back from an agency (reason default RCL): audited", "", 0,
            lifecycle_options({ { "force", "", "ask the agency to return it even if it would refuse (InDebted's Force column)" } }), lifecycle_details,
            command_recall, { Format::Text, Format::Json } },
        { { "close" }, "Tell an agency the creditor ended a debt (paid or settled direct; --reason required): audited", "", 0, lifecycle_options({}),
            lifecycle_details, command_close, { Format::Text, Format::Json } },
        { { "holds", "list" }, "List the holds sent with their reg 12 evidence: notice received, agent notified, agent acknowledged", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "overdue", "", "only holds not notified on the day of the notice, or not acknowledged in time" },
                { "ack-business-days", "N", "business days after notification an acknowledgement is due (default 1)" },
                { "as-of", "DATE", "the date to judge on (YYYY-MM-DD); default today" },
            },
            "Newest first. overdue says why a hold is overdue (docs/lifecycle.md, \"Holds and reg 12\").", command_holds_list,
            { Format::Table, Format::Json, Format::Csv } },
        { { "quarantine", "list" }, "List rejected rows: file, line, field and reason", "", 0,
            {
                config_option,
                { "run", "N", "only this run" },
            },
            "", command_quarantine_list, { Format::Table, Format::Json, Format::Csv } },
        { { "runs", "list" }, "List runs with their status and exclusion counts per agency and reason", "", 0,
            {
                config_option,
            },
            "", command_runs_list, { Format::Table, Format::Json, Format::Csv } },
        { { "send" }, "Deliver spooled files to each agency's server (temporary name, then the final one; never twice)", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "quiet", "", "no progress line (it is shown only when standard error is a terminal)" },
            },
            "Each transfer is logged on standard error. A transfer interrupted by a crash is checked on the\n"
            "server before anything is sent again. Transient failures are retried with backoff; permanent ones\n"
            "(authentication, host key, permission, a name already taken) are not: see `dcagw transfers retry`.",
            command_send, { Format::Text, Format::Json } },
        { { "collect" }, "Fetch the agencies' files into <state>/inbox/<agency>/ (each file once)", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "quiet", "", "no progress line (it is shown only when standard error is a terminal)" },
            },
            "Remote names are checked before anything is written; refused names are reported and skipped.\n"
            "After a file is recorded it is archived, deleted or left on the server as the agency's profile says.",
            command_collect, { Format::Text, Format::Json } },
        { { "ingest" }, "Apply every collected return file not yet applied: open, check, match, record (one transaction a file)", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency (required with --file)" },
                { "file", "FILE", "a return file that arrived another way, read with the agency's envelope and layouts" },
                { "retry", "ID", "read the refused return file ID (`dcagw returns list`) again, once its cause is mended (audited)" },
                { "quiet", "", "no progress line (it is shown only when standard error is a terminal)" },
            },
            "A file is applied once per agency and SHA-256. A file that does not decrypt, is unsigned where a\n"
            "signature is required, or matches no declared layout is refused whole, recorded and audited; its\n"
            "lines are never applied, and it is read again only with --retry (an applied file cannot be).\n"
            "Exit 1 when a file was refused or lines were quarantined.",
            command_ingest, { Format::Text, Format::Json } },
        { { "returns", "list" }, "List the agencies' return files applied or refused, with their line counts", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "events", "", "list the placement state changes the returns made instead" },
            },
            "A file is applied once per agency and SHA-256; same_name_as names an earlier file of the same\n"
            "name with other content (both are kept).",
            command_returns_list, { Format::Table, Format::Json, Format::Csv } },
        { { "payments", "list" }, "List the payments (or refunds) agencies reported, with gross, commission, VAT and net", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "refunds", "", "list refunds and chargebacks instead" },
            },
            "Amounts are integer pence. Each payment is applied once per agency and payment id; duplicates\n"
            "counts the identical lines seen again.",
            command_payments_list, { Format::Table, Format::Json, Format::Csv } },
        { { "suspense", "list" }, "List return lines that matched no placement: age, amount, file, line, owner", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "all", "", "include resolved and rejected items" },
            },
            "Nothing in suspense is applied or posted until it is resolved (`dcagw suspense resolve`).",
            command_suspense_list, { Format::Table, Format::Json, Format::Csv } },
        { { "suspense", "resolve" }, "Decide a suspense item: it is one of our accounts, or it is rejected (audited)", "ID", 1,
            {
                config_option,
                { "account", "REF", "the item belongs to this account_ref (placed with the item's agency)" },
                { "reject", "", "the item is not ours" },
                { "reason", "TEXT", "why (required; recorded in the audit log with who decided)" },
            },
            "A resolved payment item is applied to the account's placement with its commission from the contract.",
            command_suspense_resolve },
        { { "suspense", "assign" }, "Give an open suspense item an owner: who follows it up (audited)", "ID", 1,
            {
                config_option,
                { "owner", "NAME", "a person or team, at most 64 printable characters (required)" },
            },
            "Items are recorded unassigned. The change, the previous owner and who made it are recorded in\n"
            "the audit log; a resolved or rejected item keeps its owner.",
            command_suspense_assign },
        { { "messages", "write" }, "Write the lifecycle messages owed (updates, holds, releases, recalls) into the agencies' files, encrypted", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "as-of", "DATE", "the run's date, in the files' names (YYYY-MM-DD); default today" },
            },
            "One file per agency and message layout, spooled like a placement file and sent by `dcagw send`.\n"
            "Each message is written once; a rerun writes nothing new. A message the layout cannot say (no\n"
            "code for its reason) is reported and stays owed: exit 1. `dcagw place` runs this after its run.",
            command_messages_write, { Format::Text, Format::Json } },
        { { "postings", "write" }, "Write the housing system's posting files: one line per cleared payment or refund, keyed by our account_ref", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
                { "output", "DIR", "where the files go (default <state>/postings; created mode 0700, files 0600)" },
            },
            "Each payment and refund is in exactly one posting file ever; a rerun writes nothing new for them.\n"
            "A file an interrupted run claimed is written again byte for byte (or, already renamed, only\n"
            "recorded) before anything new is posted. Layout: docs/postings.md.",
            command_postings_write, { Format::Text, Format::Json } },
        { { "postings", "list" }, "List the posting files written for the housing system: lines, total, SHA-256", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
            },
            "A pending file was claimed by a run that did not finish; the next `postings write` finishes it.",
            command_postings_list, { Format::Table, Format::Json, Format::Csv } },
        { { "reconcile" }, "Reconcile an agency's month: payouts to the penny, GL summary, suspense ageing, unmatched items", "", 0,
            {
                config_option,
                { "agency", "ID", "the agency (required)" },
                { "period", "YYYY-MM", "the month: payouts by their date, GL lines by theirs (required)" },
                { "as-of", "DATE", "the date ageing and overdue payouts count from (YYYY-MM-DD); default today" },
            },
            "Per payout: its lines, what they add up to, the agency's stated totals and every difference with\n"
            "both figures. Payments in no payout after the contract's payout_due_days are flagged.\n"
            "Exit 1 when a payout does not reconcile. HTML is one printable page with no external resource.",
            command_reconcile, { Format::Table, Format::Json, Format::Csv, Format::Html } },
        { { "transfers", "list" }, "List the outbox: each delivery's status, attempts, remote name, hash and acknowledgement", "", 0,
            {
                config_option,
                { "agency", "ID", "only this agency" },
            },
            "acknowledgement: not_required, not_delivered, awaiting, overdue (delivered longer ago than the\n"
            "agency's acknowledgement_due_hours without one) or acknowledged.",
            command_transfers_list, { Format::Table, Format::Json, Format::Csv } },
        { { "transfers", "retry" }, "Queue a failed transfer again (after fixing what made it fail)", "", 0,
            { config_option, { "id", "N", "the transfer's id (see `dcagw transfers list`)" } }, "", command_transfers_retry },
        { { "agency", "test" }, "Connect to an agency, verify its server, list its folders; transfers no case data", "", 0,
            { config_option, { "agency", "ID", "the agency to test" } }, "", command_agency_test },
        { { "config", "check" }, "Check a configuration and its mappings, reporting every problem", "", 0, { config_option }, "",
            command_config_check },
        { { "keys", "generate" }, "Generate a key (secret file mode 0600; prints the public part)", "", 0,
            {
                { "type", "TYPE", "age, ed25519 or pseudonym" },
                { "out", "FILE", "where to write the secret key (never replaced)" },
                config_option,
            },
            "With --config, the generation is recorded in the audit log (never the secret).", command_keys_generate },
        { { "encrypt" }, "Encrypt to age recipients (or an OpenPGP key), like `age -e`", "[IN]", 1,
            {
                { "recipient", "RECIPIENT", "an age1... recipient", true, 'r' },
                { "recipients-file", "FILE", "a file of age1... recipients, one per line", true, 'R' },
                { "armor", "", "ASCII-armored output", false, 'a' },
                { "output", "OUT", "write here instead of standard output (published only when complete)", false, 'o' },
                { "pgp-recipient", "KEYFILE", "encrypt with OpenPGP to this public key instead" },
                { "pgp-signer", "KEYFILE", "sign the OpenPGP message with this secret key" },
            },
            "Reads IN, or standard input when IN is missing or '-'.", command_encrypt },
        { { "decrypt" }, "Decrypt an age file (or an OpenPGP message), like `age -d`", "[IN]", 1,
            {
                { "identity", "IDENTITY_FILE", "an age identity file (mode 0600)", true, 'i' },
                { "output", "OUT", "write here; it appears only after the whole file authenticates", false, 'o' },
                { "pgp-identity", "KEYFILE", "decrypt OpenPGP with this secret key instead" },
                { "pgp-signer", "KEYFILE", "require a good signature by this public key" },
            },
            "Reads IN, or standard input when IN is missing or '-'. Failure kinds: header failure, no match,\n"
            "HMAC failure, payload failure, armor failure (exit code 1).",
            command_decrypt },
        { { "sign" }, "Write an Ed25519 detached signature IN.sig", "IN", 1, { { "key", "FILE", "the Ed25519 secret key file" } }, "",
            command_sign },
        { { "verify" }, "Verify a detached signature (default IN.sig)", "IN [SIG]", 2, { { "pub", "FILE", "the Ed25519 public key file" } },
            "", command_verify },
        { { "audit", "verify" }, "Recompute the audit log's hash chain and check every signed checkpoint", "", 0,
            {
                config_option,
                { "checkpoints", "FILE", "the checkpoint file (default: the configuration's audit.checkpoint_file)" },
                { "public-key", "FILE", "the creditor's Ed25519 public key (default: the configuration's signing_public_key)" },
                { "no-checkpoint-file", "", "verify without the checkpoint file (a rollback of the database then goes unnoticed)" },
                { "export", "DIR", "verify an `audit export` folder instead of the database (no --config needed)" },
            },
            "Exit 0 only when every entry, subject list and checkpoint verifies; otherwise says what failed: the first bad\n"
            "entry, or the first other problem (exit 1).\n"
            "A configured checkpoint file that is missing fails the verification unless --no-checkpoint-file is given.\n"
            "Reads only public keys: the secret signing key is never opened.",
            command_audit_verify },
        { { "audit", "checkpoint" }, "Sign the audit log's current head now (for an hourly cron job)", "", 0,
            { config_option, { "if-due", "", "only when the last checkpoint is over an hour old and entries were added since" } }, "",
            command_audit_checkpoint },
        { { "audit", "subject" }, "Every share about one person or account (subject access request)", "", 0,
            {
                config_option,
                { "ref", "REF", "an account_ref or person_ref" },
            },
            "", command_audit_subject, { Format::Table, Format::Json, Format::Csv } },
        { { "audit", "shares" }, "What was shared with each agency in a period (record of processing)", "", 0,
            {
                config_option,
                { "from", "DATE", "first day (YYYY-MM-DD, UTC)" },
                { "to", "DATE", "last day (YYYY-MM-DD, UTC, inclusive)" },
                { "agency", "ID", "only this agency" },
            },
            "", command_audit_shares, { Format::Table, Format::Csv, Format::Json, Format::Html } },
        { { "audit", "export" }, "Export a period's entries with the checkpoints covering them, signed, for a third party", "", 0,
            {
                config_option,
                { "from", "DATE", "first day (YYYY-MM-DD, UTC)" },
                { "to", "DATE", "last day (YYYY-MM-DD, UTC, inclusive)" },
                { "out", "DIR", "a new or empty folder for the export" },
            },
            "Check it with `dcagw audit verify --export DIR [--public-key FILE]`.", command_audit_export },
        { { "audit", "retention" }, "Cases whose agency deletion confirmation is overdue; with --purge, purge expired local data", "", 0,
            {
                config_option,
                { "as-of", "DATE", "the date to judge on (YYYY-MM-DD); default today" },
                { "purge", "", "delete spool files and audit subject data older than audit.creditor_retention_days (recorded as an entry)" },
            },
            "", command_audit_retention, { Format::Table, Format::Json, Format::Csv } },
    };
    return table;
}

} // namespace dcagw::cli
