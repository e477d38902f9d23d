// The audit tables (migration 3). Entries are few per run; subjects are one per placed
// case, so their statements are prepared once and the index rows are sorted before they
// are inserted (random-order inserts into a large B-tree are what makes an index costly).
#include "gateway/store/audit_log.hpp"

#include "gateway/store/audit_log_state.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"

#include <algorithm>

namespace dcagw::store {

namespace {

// Every entry query reads the columns in the order read_entry expects; a literal joined
// at compile time, so the statements stay constant text.
#define DCAGW_AUDIT_ENTRY_SELECT "SELECT sequence, kind, recorded_at, agency, file_name, subject_list, body, entry_hash FROM audit_entries "

AuditEntryRow read_entry(Statement const& statement)
{
    AuditEntryRow row;
    detail::Columns columns(statement);
    columns.read(row.sequence, row.kind, row.recorded_at, row.agency, row.file_name, row.subject_list);
    columns.read_blobs(row.body, row.entry_hash);
    return row;
}

base::Result<void> visit_entries(Statement& statement, std::string_view operation, AuditEntryVisitor const& visit)
{
    while (TRY(statement.step(operation)) == Step::Row)
        if (!visit(read_entry(statement)))
            break;
    return {};
}

// Prepares an entry query, binds `values` to ?1, ?2, ... and visits its rows.
template<typename... Values>
base::Result<void> query_entries(sqlite3* database, char const* sql, std::string_view operation, AuditEntryVisitor const& visit, Values... values)
{
    auto statement = TRY(Statement::prepare(database, sql, operation));
    int index = 0;
    (statement.bind(++index, values), ...);
    return visit_entries(statement, operation, visit);
}

} // namespace

AuditLog::AuditLog(std::unique_ptr<State> state) : m_state(std::move(state)) {}

AuditLog::~AuditLog() = default;

AuditLog& Ledger::audit()
{
    if (!m_state->audit)
        m_state->audit = std::make_unique<AuditLog>(std::make_unique<AuditLog::State>(AuditLog::State { m_state->connection }));
    return *m_state->audit;
}

base::Result<void> AuditLog::begin_snapshot()
{
    TRY(m_state->connection.execute_constant("BEGIN DEFERRED", "starting a read of the audit log"));
    // The snapshot is taken by the first read, so take it now.
    return head().is_error() ? base::Result<void>(make_error(ErrorCode::StoreFailure, "starting a read of the audit log")) : base::Result<void>();
}

void AuditLog::end_snapshot()
{
    if (sqlite3_get_autocommit(m_state->database()) == 0)
        (void)m_state->connection.execute_constant("COMMIT", "ending a read of the audit log");
}

base::Result<std::string> AuditLog::subject_index_key()
{
    constexpr std::string_view operation = "reading the audit subject index key";
    auto statement = TRY(Statement::prepare(m_state->database(), "SELECT value FROM audit_meta WHERE name = 'subject_index_key'", operation));
    if (TRY(statement.step(operation)) != Step::Row || statement.blob(0).size() != 16)
        return make_error(ErrorCode::StoreCorrupt, std::string(operation) + ": missing or not 16 bytes");
    return std::string(statement.blob(0));
}

base::Result<void> AuditLog::append_entry(AuditEntryRow const& row)
{
    auto& state = *m_state;
    auto const last = TRY(head());
    auto const expected = last ? last->first + 1 : 1;
    auto describe = [&] { return "appending audit entry " + std::to_string(row.sequence) + " (" + std::string(row.kind) + ")"; };
    if (row.sequence != expected)
        return make_error(ErrorCode::Internal, describe() + ": the next entry is " + std::to_string(expected));
    if (state.insert_entry.get() == nullptr) {
        state.insert_entry = TRY(Statement::prepare(state.database(),
            "INSERT INTO audit_entries (sequence, kind, recorded_at, agency, file_name, subject_list, body, entry_hash)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "preparing append_entry"));
    }
    auto& statement = state.insert_entry;
    ResetOnExit reset(statement);
    statement.bind(1, row.sequence);
    statement.bind(2, row.kind);
    statement.bind(3, row.recorded_at);
    statement.bind(4, row.agency);
    statement.bind(5, row.file_name);
    if (row.subject_list)
        statement.bind(6, *row.subject_list);
    else
        statement.bind_null(6);
    statement.bind_blob(7, row.body);
    statement.bind_blob(8, row.entry_hash);
    int const code = sqlite3_step(statement.get());
    if (code != SQLITE_DONE)
        return detail::sqlite_error(state.database(), code, describe());
    return {};
}

base::Result<std::optional<std::pair<std::int64_t, std::string>>> AuditLog::head()
{
    constexpr std::string_view operation = "reading the audit log's head";
    auto& state = *m_state;
    if (state.select_head.get() == nullptr)
        state.select_head = TRY(Statement::prepare(state.database(), "SELECT sequence, entry_hash FROM audit_entries ORDER BY sequence DESC LIMIT 1", operation));
    auto& statement = state.select_head;
    ResetOnExit reset(statement);
    if (TRY(statement.step(operation)) != Step::Row)
        return std::optional<std::pair<std::int64_t, std::string>> {};
    return std::optional(std::pair { statement.integer(0), std::string(statement.blob(1)) });
}

base::Result<void> AuditLog::for_each_entry(AuditEntryVisitor const& visit)
{
    constexpr std::string_view operation = "reading the audit log";
    TRY(m_state->connection.execute_constant("PRAGMA mmap_size = 17179869184", "memory-mapping the ledger for a full read"));
    auto statement = TRY(Statement::prepare(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "ORDER BY sequence", operation));
    return visit_entries(statement, operation, visit);
}

base::Result<void> AuditLog::for_each_entry_between(std::string_view from, std::string_view to, AuditEntryVisitor const& visit)
{
    return query_entries(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "WHERE recorded_at >= ?1 AND recorded_at < ?2 ORDER BY sequence",
        "reading audit entries of a period", visit, from, to);
}

base::Result<void> AuditLog::entries_of_list(std::int64_t list, AuditEntryVisitor const& visit)
{
    return query_entries(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "WHERE subject_list = ?1 ORDER BY sequence",
        "reading the disclosures of a subject list", visit, list);
}

base::Result<void> AuditLog::entries_of_file(std::string_view file_name, AuditEntryVisitor const& visit)
{
    return query_entries(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "WHERE file_name = ?1 AND file_name <> '' ORDER BY sequence",
        "reading the audit entries of a file", visit, file_name);
}

base::Result<void> AuditLog::entries_of_kind(std::string_view kind, AuditEntryVisitor const& visit)
{
    return query_entries(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "WHERE kind = ?1 ORDER BY sequence", "reading the audit entries of a kind", visit,
        kind);
}

base::Result<void> AuditLog::last_entry_of_kind(std::string_view kind, AuditEntryVisitor const& visit)
{
    return query_entries(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "WHERE kind = ?1 ORDER BY sequence DESC LIMIT 1",
        "reading the newest audit entry of a kind", visit, kind);
}

base::Result<void> AuditLog::entries_from(std::int64_t first_sequence, std::int64_t last_sequence, AuditEntryVisitor const& visit)
{
    return query_entries(m_state->database(), DCAGW_AUDIT_ENTRY_SELECT "WHERE sequence >= ?1 AND sequence <= ?2 ORDER BY sequence",
        "reading a range of audit entries", visit, first_sequence, last_sequence);
}

base::Result<std::int64_t> AuditLog::next_inbound_list()
{
    constexpr std::string_view operation = "numbering an inbound subject list";
    // max() over the subject_list index: one seek.
    auto statement = TRY(Statement::prepare(m_state->database(), "SELECT coalesce(max(subject_list), 0) FROM audit_entries WHERE subject_list IS NOT NULL", operation));
    if (TRY(statement.step(operation)) != Step::Row)
        return make_error(ErrorCode::StoreFailure, std::string(operation) + ": no result");
    return std::max(inbound_subject_list_base, statement.integer(0) + 1);
}

base::Result<void> AuditLog::for_each_ended_placement(std::function<void(EndedPlacement const&)> const& visit)
{
    constexpr std::string_view operation = "listing closed and returned placements";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT agency, account_ref, person_ref, status, coalesce(status_changed_at, placed_at) FROM placements"
        " WHERE status IN ('closed', 'returned') ORDER BY agency, id", operation));
    while (TRY(statement.step(operation)) == Step::Row)
        visit({ statement.text(0), statement.text(1), statement.text(2), statement.text(3), statement.text(4) });
    return {};
}

base::Result<void> AuditLog::add_checkpoint(AuditCheckpointRow const& checkpoint)
{
    constexpr std::string_view operation = "recording an audit checkpoint";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "INSERT INTO audit_checkpoints (entry_count, head_hash, signed_at, signature) VALUES (?1, ?2, ?3, ?4)", operation));
    statement.bind(1, checkpoint.entry_count);
    statement.bind(2, std::string_view(checkpoint.head_hash));
    statement.bind(3, std::string_view(checkpoint.signed_at));
    statement.bind(4, std::string_view(checkpoint.signature));
    return statement.run(operation);
}

base::Result<std::vector<AuditCheckpointRow>> AuditLog::checkpoints()
{
    constexpr std::string_view operation = "reading the audit checkpoints";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT id, entry_count, head_hash, signed_at, signature FROM audit_checkpoints ORDER BY id", operation));
    return detail::collect_rows(statement, operation, [](Statement const& row) {
        AuditCheckpointRow checkpoint;
        detail::Columns(row).read(checkpoint.id, checkpoint.entry_count, checkpoint.head_hash, checkpoint.signed_at, checkpoint.signature);
        return checkpoint;
    });
}

} // namespace dcagw::store
