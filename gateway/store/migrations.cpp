#include "gateway/store/migrations.hpp"

#include "gateway/store/ledger.hpp"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace dcagw::store::detail {

namespace {

struct Migration {
    int version;
    char const* description;
    // Constant SQL, ending by setting user_version to `version`, so the schema change and
    // its version number commit together or not at all.
    char const* sql;
    // A migration that needs values (the state directory) instead: prepared statements,
    // run inside the same transaction, also ending by setting user_version.
    base::Result<void> (*apply)(Connection& connection, std::filesystem::path const& state_directory) = nullptr;
};

// Migration 1: the first schema. Column meanings are in docs/ledger.md. Times are UTC ISO
// 8601 text with seconds ("2026-11-23T12:34:56Z"), which sorts and compares as text.
constexpr char const* migration_1 = R"sql(
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    command      TEXT NOT NULL,
    input_file   TEXT NOT NULL,
    as_of        TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL DEFAULT 'running',
    summary_json TEXT
);

CREATE TABLE batches (
    id             INTEGER PRIMARY KEY,
    run            INTEGER NOT NULL REFERENCES runs(id),
    agency         TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    file_date      TEXT NOT NULL,
    sequence       INTEGER NOT NULL,
    temporary_path TEXT NOT NULL,
    final_path     TEXT NOT NULL,
    status         TEXT NOT NULL,
    record_count   INTEGER NOT NULL DEFAULT 0,
    size_bytes     INTEGER NOT NULL DEFAULT 0,
    sha256         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- A file name is unique per agency among files that exist or will exist; an abandoned
-- batch's file was never published, so its name (and sequence number) can be reused.
CREATE UNIQUE INDEX batches_file_name ON batches(agency, file_name) WHERE status <> 'abandoned';
CREATE INDEX batches_sequence ON batches(agency, file_date, sequence);

CREATE TABLE field_sets (
    id          INTEGER PRIMARY KEY,
    fields_json TEXT NOT NULL UNIQUE
);

-- placements and exclusions take a million rows per run in one transaction, so they carry
-- no foreign keys (each would cost a lookup per row; the pipeline writes the parents
-- first) and only the one index the run's own checks need. Every further index is paid
-- for with a random B-tree insert per placement (pseudonyms are keyed hashes, so an index
-- on them is written in random order and measured 2-3 us per row here): the rare
-- pseudonym and person_ref lookups scan one agency's rows instead (docs/ledger.md).
CREATE TABLE placements (
    id            INTEGER PRIMARY KEY,
    run           INTEGER NOT NULL,
    batch         INTEGER,
    agency        TEXT NOT NULL,
    account_ref   TEXT NOT NULL,
    person_ref    TEXT NOT NULL,
    pseudonym     TEXT NOT NULL,
    debt_type     TEXT NOT NULL,
    balance_pence INTEGER NOT NULL,
    field_set     INTEGER,
    status        TEXT NOT NULL DEFAULT 'open',
    placed_at     TEXT NOT NULL,
    UNIQUE (account_ref, person_ref, agency)
);
-- The UNIQUE index above also serves open_placements_of (account_ref is its prefix).

CREATE TABLE exclusions (
    id          INTEGER PRIMARY KEY,
    run         INTEGER NOT NULL,
    agency      TEXT NOT NULL,
    account_ref TEXT NOT NULL,
    person_ref  TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX exclusions_run ON exclusions(run);

CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    run         INTEGER NOT NULL REFERENCES runs(id),
    file        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    account_ref TEXT NOT NULL,
    person_ref  TEXT NOT NULL,
    field       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX quarantine_run ON quarantine(run);

PRAGMA application_id = 1684234599;
PRAGMA user_version = 1;
)sql";

// Migration 2: the outbox (one delivery per spooled file) and the files collected from
// agencies. Column meanings and the state machine are in docs/ledger.md.
constexpr char const* migration_2 = R"sql(
CREATE TABLE transfers (
    id                   INTEGER PRIMARY KEY,
    batch                INTEGER NOT NULL UNIQUE REFERENCES batches(id),
    agency               TEXT NOT NULL,
    file_name            TEXT NOT NULL,
    local_path           TEXT NOT NULL,
    size_bytes           INTEGER NOT NULL,
    sha256               TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    remote_name          TEXT,
    remote_size          INTEGER,
    delivered_at         TEXT,
    failure_reason       TEXT,
    last_error           TEXT,
    permanent            INTEGER NOT NULL DEFAULT 0,
    acknowledgement_file TEXT,
    acknowledged_at      TEXT,
    queued_at            TEXT NOT NULL,
    last_attempt_at      TEXT,
    updated_at           TEXT NOT NULL
);
CREATE INDEX transfers_agency_status ON transfers(agency, status);

CREATE TABLE collected_files (
    id           INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    remote_name  TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    local_path   TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    disposal     TEXT NOT NULL DEFAULT 'pending'
                 CHECK (disposal IN ('pending', 'archived', 'deleted', 'left')),
    disposed_at  TEXT,
    acknowledges INTEGER REFERENCES transfers(id),
    UNIQUE (agency, remote_name, size_bytes, sha256)
);

PRAGMA user_version = 2;
)sql";

// Migration 3: the audit log (docs/audit.md).
// - audit_entries: the hash-chained log, one row per entry. `body` is the canonical
//   encoding the chain hashes; the other columns repeat fields of the body for queries and
//   `audit verify` checks that they agree with it. Appended in sequence (and time) order,
//   so its indexes are appended to near their right edges (per time, kind, file).
// - audit_subject_blocks: the subjects of each disclosure (a list per output file,
//   keyed by its first batch id) in the order written, 256 to a row: each row's blob is
//   the subjects' encodings back to back, exactly the bytes the list's digest hashes
//   (docs/audit.md). A row per subject cost more than the placement itself.
// - audit_index_chunks, audit_index_blocks: the per-subject index, a 64-bit keyed hash
//   of every account_ref and person_ref -> (list, ordinal), so a subject-access query
//   never scans the log. The writer sorts a bounded chunk of index entries and stores it
//   as blocks of 512 under a new chunk number: nothing is ever inserted between existing
//   keys. A query seeks once per chunk (a few per run). The key of the keyed hash is made
//   here, per ledger, by SQLite's randomblob().
// - audit_checkpoints: signed (count, head) statements, also appended to the checkpoint
//   file outside the database.
// - placements.status_changed_at: when a case was closed or returned (retention).
constexpr char const* migration_3 = R"sql(
CREATE TABLE audit_meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO audit_meta (name, value) VALUES ('subject_index_key', randomblob(16));

CREATE TABLE audit_entries (
    sequence     INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    agency       TEXT NOT NULL DEFAULT '',
    file_name    TEXT NOT NULL DEFAULT '',
    subject_list INTEGER,
    body         BLOB NOT NULL,
    entry_hash   BLOB NOT NULL
);
CREATE INDEX audit_entries_time ON audit_entries(recorded_at);
CREATE INDEX audit_entries_list ON audit_entries(subject_list) WHERE subject_list IS NOT NULL;
CREATE INDEX audit_entries_file ON audit_entries(file_name) WHERE file_name <> '';
CREATE INDEX audit_entries_kind ON audit_entries(kind, sequence);

CREATE TABLE audit_subject_blocks (
    list          INTEGER NOT NULL,
    block         INTEGER NOT NULL,
    subject_count INTEGER NOT NULL,
    subjects      BLOB NOT NULL,
    PRIMARY KEY (list, block)
) WITHOUT ROWID;

CREATE TABLE audit_index_chunks (
    chunk INTEGER PRIMARY KEY
);
CREATE TABLE audit_index_blocks (
    chunk       INTEGER NOT NULL,
    last_key    INTEGER NOT NULL,
    block       INTEGER NOT NULL,
    first_key   INTEGER NOT NULL,
    entry_count INTEGER NOT NULL,
    entries     BLOB NOT NULL,
    PRIMARY KEY (chunk, last_key, block)
) WITHOUT ROWID;

CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY,
    entry_count INTEGER NOT NULL,
    head_hash   TEXT NOT NULL,
    signed_at   TEXT NOT NULL,
    signature   TEXT NOT NULL
);

-- When a placement last changed status: `audit retention` counts the agency's deletion
-- deadline from the day a case was closed or returned.
ALTER TABLE placements ADD COLUMN status_changed_at TEXT;

PRAGMA user_version = 3;
)sql";

// Migration 4: the file paths of batches, transfers and collected_files relative to the
// state directory ("spool/agency-a/20261123-placement.csv.age"). Earlier versions stored
// them as the configuration named the state directory (usually absolute), so a copy of a
// state directory named, and `audit retention --purge` on it deleted, the original's
// files. A path under the state directory, by any name it is known by here, loses that
// prefix; any other path is left as it was and refused wherever it is used, with the row
// named (docs/ledger.md, "File paths").
constexpr std::array<char const*, 4> relative_path_updates {
    "UPDATE batches SET temporary_path = substr(temporary_path, length(?1) + 1) WHERE substr(temporary_path, 1, length(?1)) = ?1",
    "UPDATE batches SET final_path = substr(final_path, length(?1) + 1) WHERE substr(final_path, 1, length(?1)) = ?1",
    "UPDATE transfers SET local_path = substr(local_path, length(?1) + 1) WHERE substr(local_path, 1, length(?1)) = ?1",
    "UPDATE collected_files SET local_path = substr(local_path, length(?1) + 1) WHERE substr(local_path, 1, length(?1)) = ?1",
};

base::Result<void> apply_migration_4(Connection& connection, std::filesystem::path const& state_directory)
{
    std::vector<std::string> prefixes;
    auto const add = [&](std::filesystem::path const& folder) {
        auto text = folder.lexically_normal().generic_string();
        while (text.size() > 1 && text.back() == '/')
            text.pop_back();
        if (text.empty() || text == ".")
            return;
        text += '/';
        for (auto const& known : prefixes)
            if (known == text)
                return;
        prefixes.push_back(std::move(text));
    };
    std::error_code ignored;
    add(state_directory);
    add(std::filesystem::absolute(state_directory, ignored));
    add(std::filesystem::weakly_canonical(state_directory, ignored));
    constexpr std::string_view operation = "making the ledger's file paths relative to the state directory";
    for (auto const* sql : relative_path_updates) {
        for (auto const& prefix : prefixes) {
            auto statement = TRY(Statement::prepare(connection.get(), sql, operation));
            statement.bind(1, std::string_view(prefix));
            TRY(statement.run(operation));
        }
    }
    // And the flag of a collected file whose name an earlier, different file had.
    TRY(connection.execute_constant("ALTER TABLE collected_files ADD COLUMN same_name_as INTEGER REFERENCES collected_files(id);", operation));
    return connection.execute_constant("PRAGMA user_version = 4;", operation);
}

// Migration 5: when the current attempt of a transfer reached the remote rename (set just
// before the rename, cleared when a new attempt starts), so recovery can tell "published
// and taken by the agency" from "never uploaded" (docs/delivery.md, "Exactly once").
constexpr char const* migration_5 = R"sql(
ALTER TABLE transfers ADD COLUMN rename_reached_at TEXT;
PRAGMA user_version = 5;
)sql";

// Migration 6: returns from agencies (issue 14; column meanings and the placement state
// machine in docs/returns-ledger.md).
// - inbound_files: each return file applied or refused, once per (agency, sha256); a file
//   named like an earlier one with other content points at it through same_name_as.
// - return_events: every placement state change a return caused, with its source line.
// - payments, refunds: once per (agency, payment_id) / (agency, refund_id); content_hash
//   tells a repeated line (a counted duplicate) from a conflicting one.
// - payouts, payout_lines: what the agency says it paid over, and in which payout each
//   payment went.
// - suspense_items: lines whose reference was never placed with that agency; never
//   dropped and never posted until someone resolves them.
// - trace_results: personal data received, kept for the coordinator only.
// - return_quarantine: lines refused, with file, line, field and reason and no personal
//   data (the placements' quarantine table needs a run and names the case).
// - pseudonym_index: (agency, pseudonym) -> placement, filled by ingest from the
//   placements added since the agency's mark (pseudonym_index_marks), so a placement
//   run pays nothing for it (docs/performance.md, "Returns matching index").
constexpr char const* migration_6 = R"sql(
CREATE TABLE inbound_files (
    id                INTEGER PRIMARY KEY,
    agency            TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    kind              TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('applied', 'refused')),
    refusal_reason    TEXT NOT NULL DEFAULT '',
    same_name_as      INTEGER REFERENCES inbound_files(id),
    collected_at      TEXT NOT NULL DEFAULT '',
    applied_at        TEXT NOT NULL,
    line_count        INTEGER NOT NULL DEFAULT 0,
    applied_count     INTEGER NOT NULL DEFAULT 0,
    duplicate_count   INTEGER NOT NULL DEFAULT 0,
    conflict_count    INTEGER NOT NULL DEFAULT 0,
    quarantined_count INTEGER NOT NULL DEFAULT 0,
    suspense_count    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (agency, sha256)
);
CREATE INDEX inbound_files_name ON inbound_files(agency, file_name);

CREATE TABLE return_events (
    id          INTEGER PRIMARY KEY,
    placement   INTEGER NOT NULL,
    agency      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    agency_code TEXT NOT NULL DEFAULT '',
    event_date  TEXT NOT NULL,
    file        INTEGER NOT NULL REFERENCES inbound_files(id),
    line        INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX return_events_placement ON return_events(placement);

CREATE TABLE payments (
    id               INTEGER PRIMARY KEY,
    agency           TEXT NOT NULL,
    payment_id       TEXT NOT NULL,
    placement        INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    gross_pence      INTEGER NOT NULL,
    commission_pence INTEGER NOT NULL,
    vat_pence        INTEGER NOT NULL,
    net_pence        INTEGER NOT NULL,
    payment_date     TEXT NOT NULL,
    paid_at          TEXT NOT NULL DEFAULT '',
    payout_id        TEXT NOT NULL DEFAULT '',
    content_hash     TEXT NOT NULL,
    file             INTEGER NOT NULL REFERENCES inbound_files(id),
    line             INTEGER NOT NULL,
    duplicate_count  INTEGER NOT NULL DEFAULT 0,
    recorded_at      TEXT NOT NULL,
    UNIQUE (agency, payment_id)
);
CREATE INDEX payments_placement ON payments(placement);

CREATE TABLE refunds (
    id               INTEGER PRIMARY KEY,
    agency           TEXT NOT NULL,
    refund_id        TEXT NOT NULL,
    payment_id       TEXT NOT NULL,
    placement        INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    gross_pence      INTEGER NOT NULL,
    commission_pence INTEGER NOT NULL,
    vat_pence        INTEGER NOT NULL,
    net_pence        INTEGER NOT NULL,
    refund_date      TEXT NOT NULL,
    agency_code      TEXT NOT NULL DEFAULT '',
    content_hash     TEXT NOT NULL,
    file             INTEGER NOT NULL REFERENCES inbound_files(id),
    line             INTEGER NOT NULL,
    duplicate_count  INTEGER NOT NULL DEFAULT 0,
    recorded_at      TEXT NOT NULL,
    UNIQUE (agency, refund_id)
);
CREATE INDEX refunds_placement ON refunds(placement);

CREATE TABLE payouts (
    id                     INTEGER PRIMARY KEY,
    agency                 TEXT NOT NULL,
    payout_id              TEXT NOT NULL,
    payout_date            TEXT NOT NULL,
    stated_gross_pence     INTEGER,
    stated_commission_pence INTEGER,
    stated_vat_pence       INTEGER,
    stated_net_pence       INTEGER,
    file                   INTEGER NOT NULL REFERENCES inbound_files(id),
    line                   INTEGER NOT NULL,
    UNIQUE (agency, payout_id)
);

CREATE TABLE payout_lines (
    id           INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    payout_id    TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    amount_pence INTEGER NOT NULL,
    file         INTEGER NOT NULL REFERENCES inbound_files(id),
    line         INTEGER NOT NULL,
    UNIQUE (agency, payout_id, payment_id)
);

CREATE TABLE suspense_items (
    id                 INTEGER PRIMARY KEY,
    agency             TEXT NOT NULL,
    line_kind          TEXT NOT NULL,
    reference          TEXT NOT NULL,
    customer_reference TEXT NOT NULL DEFAULT '',
    payment_id         TEXT NOT NULL DEFAULT '',
    content_hash       TEXT NOT NULL DEFAULT '',
    amount_pence       INTEGER NOT NULL DEFAULT 0,
    item_date          TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL,
    file               INTEGER NOT NULL REFERENCES inbound_files(id),
    line               INTEGER NOT NULL,
    owner              TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved', 'rejected')),
    resolved_account   TEXT NOT NULL DEFAULT '',
    resolved_by        TEXT NOT NULL DEFAULT '',
    resolved_reason    TEXT NOT NULL DEFAULT '',
    resolved_at        TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL
);
CREATE INDEX suspense_items_state ON suspense_items(agency, state);
CREATE INDEX suspense_items_payment ON suspense_items(agency, payment_id) WHERE payment_id <> '';

CREATE TABLE trace_results (
    id          INTEGER PRIMARY KEY,
    placement   INTEGER NOT NULL,
    agency      TEXT NOT NULL,
    traced      INTEGER NOT NULL,
    fields_json TEXT NOT NULL,
    result_date TEXT NOT NULL,
    file        INTEGER NOT NULL REFERENCES inbound_files(id),
    line        INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX trace_results_placement ON trace_results(placement);

CREATE TABLE return_quarantine (
    id          INTEGER PRIMARY KEY,
    agency      TEXT NOT NULL,
    file        INTEGER NOT NULL REFERENCES inbound_files(id),
    line        INTEGER NOT NULL,
    field       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX return_quarantine_file ON return_quarantine(file);

CREATE TABLE pseudonym_index (
    agency    TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    placement INTEGER NOT NULL,
    PRIMARY KEY (agency, pseudonym, placement)
) WITHOUT ROWID;
CREATE TABLE pseudonym_index_marks (
    agency         TEXT PRIMARY KEY,
    last_placement INTEGER NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 6;
)sql";

// Migration 7: postings to the housing system (issue 14 item 7; docs/postings.md).
// - posting_files: one per posting file, numbered per agency. A file is claimed
//   ('pending', with the highest payment and refund row it may take) before it is written
//   and marked 'published' after its rename; at most one is pending per agency, so a
//   rerun after a crash re-derives the same lines and rewrites the same bytes.
// - posted_money: which posting file took each payment or refund row, written in the
//   same transaction that marks the file published; its key makes "once ever" a
//   constraint.
constexpr char const* migration_7 = R"sql(
CREATE TABLE posting_files (
    id           INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    sequence     INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'published')),
    last_payment INTEGER NOT NULL,
    last_refund  INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    published_at TEXT,
    sha256       TEXT NOT NULL DEFAULT '',
    lines        INTEGER NOT NULL DEFAULT 0,
    total_pence  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (agency, sequence)
);
CREATE UNIQUE INDEX posting_files_one_pending ON posting_files(agency) WHERE state = 'pending';

CREATE TABLE posted_money (
    money_table  TEXT NOT NULL CHECK (money_table IN ('payments', 'refunds')),
    money_row    INTEGER NOT NULL,
    posting_file INTEGER NOT NULL REFERENCES posting_files(id),
    line         INTEGER NOT NULL,
    PRIMARY KEY (money_table, money_row)
) WITHOUT ROWID;
PRAGMA user_version = 7;
)sql";

// Migration 11: lifecycle messages to agencies (issue #15; docs/lifecycle.md, "What the
// ledger keeps").
// - placements gain what we told the agency about the debt, kept on the placement row so
//   the comparison of an export with the ledger costs no probe beyond open_placements_of:
//   told_change_pence (the sum of the balance updates sent), told_hold (the canonical
//   reason of the hold in force, '' for none), told_recall (the reason of a recall asked
//   for and not yet confirmed, '' for none), posted_pence (the agency's money posted to
//   the housing system: payments less refunds) and posted_at (when the last of it was
//   posted: a posting newer than an export is not in its balance yet). The defaults cost
//   an existing or new row nothing to write.
// - lifecycle_messages: every message owed, with its unique transaction reference, where
//   it came from (an export run or an operator) and, once written, the batch (file) that
//   carries it; the delivery and acknowledgement of that batch are the outbox's.
constexpr char const* migration_11 = R"sql(
ALTER TABLE placements ADD COLUMN told_change_pence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE placements ADD COLUMN told_hold TEXT NOT NULL DEFAULT '';
ALTER TABLE placements ADD COLUMN told_recall TEXT NOT NULL DEFAULT '';
ALTER TABLE placements ADD COLUMN posted_pence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE placements ADD COLUMN posted_at TEXT NOT NULL DEFAULT '';

CREATE TABLE lifecycle_messages (
    id                 INTEGER PRIMARY KEY,
    agency             TEXT NOT NULL,
    account_ref        TEXT NOT NULL,
    placement          INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('balance_update', 'hold', 'release', 'recall', 'close')),
    reason             TEXT NOT NULL DEFAULT '',
    change_pence       INTEGER NOT NULL DEFAULT 0,
    until              TEXT NOT NULL DEFAULT '',
    force              INTEGER NOT NULL DEFAULT 0 CHECK (force IN (0, 1)),
    transaction_ref    TEXT NOT NULL,
    origin             TEXT NOT NULL CHECK (origin IN ('export', 'operator')),
    run                INTEGER NOT NULL DEFAULT 0,
    actor              TEXT NOT NULL,
    notice_received_at TEXT NOT NULL,
    recorded_at        TEXT NOT NULL,
    batch              INTEGER,
    UNIQUE (agency, transaction_ref)
);
CREATE INDEX lifecycle_messages_account ON lifecycle_messages(account_ref, agency);
CREATE INDEX lifecycle_messages_unwritten ON lifecycle_messages(agency, id) WHERE batch IS NULL;
PRAGMA user_version = 11;
)sql";

constexpr std::array migrations {
    Migration { 1, "create runs, batches, field_sets, placements, exclusions, quarantine", migration_1 },
    Migration { 2, "create transfers and collected_files (the outbox and collection)", migration_2 },
    Migration { 3, "create the audit log: audit_meta, audit_entries, audit_subject_blocks, audit_index_chunks, audit_index_blocks, audit_checkpoints", migration_3 },
    Migration { 4, "file paths relative to the state directory; collected_files.same_name_as", nullptr, apply_migration_4 },
    Migration { 5, "transfers.rename_reached_at (the attempt reached the remote rename)", migration_5 },
    Migration { 6, "returns: inbound_files, return_events, payments, refunds, payouts, payout_lines, suspense_items, trace_results, return_quarantine, pseudonym_index", migration_6 },
    Migration { 7, "postings: posting_files, posted_money", migration_7 },
    Migration { 11, "lifecycle: what each agency was told (placements.told_*, posted_*), lifecycle_messages", migration_11 },
};

static_assert(migrations.back().version == ledger_schema_version, "ledger_schema_version must name the last migration");
static_assert(ledger_application_id == 1684234599, "migration 1 spells the application id in decimal");

base::Result<std::int64_t> read_integer_pragma(Connection& connection, char const* sql, std::string_view operation)
{
    auto statement = TRY(Statement::prepare(connection.get(), sql, operation));
    if (TRY(statement.step(operation)) != Step::Row)
        return base::make_error(base::ErrorCode::StoreFailure, std::string(operation) + ": no value");
    return statement.integer(0);
}

base::Result<void> check_recognised(Connection& connection)
{
    auto const application_id = TRY(read_integer_pragma(connection, "PRAGMA application_id", "reading the ledger's application id"));
    auto const version = TRY(read_integer_pragma(connection, "PRAGMA user_version", "reading the ledger's schema version"));
    if (application_id != 0 && application_id != ledger_application_id)
        return base::make_error(base::ErrorCode::StoreCorrupt, "the file is an SQLite database of another application (application_id "
            + std::to_string(application_id) + "), not a dcagw ledger");
    if (version > ledger_schema_version)
        return base::make_error(base::ErrorCode::StoreFailure, "the ledger has schema version " + std::to_string(version)
            + " but this build of dcagw knows versions up to " + std::to_string(ledger_schema_version)
            + ": it was written by a newer dcagw; run that version (downgrading a ledger is not supported)");
    if (version == 0) {
        // A fresh file has no schema at all; a file with tables but no version is not ours
        // and must not receive our tables next to its own.
        auto const objects = TRY(read_integer_pragma(connection, "SELECT count(*) FROM sqlite_schema", "inspecting a new ledger"));
        if (objects != 0)
            return base::make_error(base::ErrorCode::StoreCorrupt, "the file is an SQLite database with tables but no dcagw schema version");
    }
    return {};
}

} // namespace

base::Result<int> migrate(Connection& connection, std::filesystem::path const& state_directory)
{
    TRY(check_recognised(connection));
    for (auto const& migration : migrations) {
        // Each migration re-reads the version inside its own write transaction: another
        // process opening the same ledger at the same moment may have applied it already.
        TRY(connection.execute_constant("BEGIN IMMEDIATE", "starting a schema migration"));
        auto const version = read_integer_pragma(connection, "PRAGMA user_version", "reading the ledger's schema version");
        if (version.is_error() || version.value() >= migration.version) {
            (void)connection.execute_constant("ROLLBACK", "ending a schema migration");
            if (version.is_error())
                return base::Error(version.error());
            continue;
        }
        std::string const operation = "applying schema migration " + std::to_string(migration.version) + " (" + migration.description + ")";
        base::Result<void> applied = {};
        if (migration.sql != nullptr)
            applied = connection.execute_constant(migration.sql, operation);
        else if (auto done = migration.apply(connection, state_directory); done.is_error())
            applied = done.release_error().with_context(operation);
        if (applied.is_error()) {
            (void)connection.execute_constant("ROLLBACK", "undoing a failed schema migration");
            return base::Error(applied.error());
        }
        TRY(connection.execute_constant("COMMIT", "committing schema migration " + std::to_string(migration.version)));
    }
    auto const version = TRY(read_integer_pragma(connection, "PRAGMA user_version", "reading the ledger's schema version"));
    return static_cast<int>(version);
}

} // namespace dcagw::store::detail
