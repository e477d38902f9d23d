// Batches: one row per output file, and the sequence numbers in their names.
#include "gateway/store/ledger.hpp"

#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"
#include "gateway/store/state_files.hpp"

namespace dcagw::store {

namespace {

// Both queries read the columns in the order read_batch expects. The SQL is written out
// in full, never assembled, so every statement the ledger runs can be read in the source.
constexpr char const* select_batches_with_status = "SELECT id, run, agency, file_name, temporary_path, final_path, status, record_count,"
                                                   " size_bytes, sha256, file_date, sequence, created_at, updated_at FROM batches"
                                                   " WHERE status = ?1 ORDER BY id";
constexpr char const* select_batch_by_id = "SELECT id, run, agency, file_name, temporary_path, final_path, status, record_count,"
                                           " size_bytes, sha256, file_date, sequence, created_at, updated_at FROM batches WHERE id = ?1";

bool is_file_date(std::string_view text)
{
    if (text.size() != 8)
        return false;
    for (char const c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

base::Result<Batch> read_batch(Statement const& statement)
{
    Batch batch;
    detail::Columns columns(statement);
    columns.read(batch.id, batch.run, batch.agency, batch.file_name, batch.temporary_path, batch.final_path);
    TRY(columns.read_stored(batch.status, batch_status_from_string, "batch " + std::to_string(batch.id), "status"));
    columns.read(batch.record_count, batch.size_bytes, batch.sha256, batch.file_date, batch.sequence, batch.created_at, batch.updated_at);
    return batch;
}

// The batch state machine (docs/ledger.md): forwards only, and a sealed batch (whose
// placements are committed) can only be published, never abandoned. Staying in the same
// state is allowed so that recovery can repeat an interrupted step.
bool may_move(BatchStatus from, BatchStatus to)
{
    if (from == to)
        return true;
    switch (from) {
    case BatchStatus::Writing: return to == BatchStatus::Sealed || to == BatchStatus::Abandoned;
    case BatchStatus::Sealed: return to == BatchStatus::Spooled;
    case BatchStatus::Spooled: return false;
    case BatchStatus::Abandoned: return false;
    }
    return false;
}

} // namespace

base::Result<std::int64_t> Ledger::next_sequence(std::string_view agency, std::string_view date_yyyymmdd)
{
    std::string const operation = "choosing the next file sequence number for agency " + std::string(agency) + " on " + std::string(date_yyyymmdd);
    if (!is_file_date(date_yyyymmdd))
        return make_error(ErrorCode::Internal, operation + ": the date must be YYYYMMDD");
    // The highest number in use, not a count: one output file is several batches (one
    // per envelope) sharing a number, and an abandoned file's number is free again
    // because the agency never saw it.
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT coalesce(max(sequence), 0) + 1 FROM batches WHERE agency = ?1 AND file_date = ?2 AND status <> 'abandoned'", operation));
    statement.bind(1, agency);
    statement.bind(2, date_yyyymmdd);
    if (TRY(statement.step(operation)) != Step::Row)
        return make_error(ErrorCode::StoreFailure, operation + ": no result");
    auto const sequence = statement.integer(0);
    m_state->reservations[std::string(agency)] = SequenceReservation { std::string(date_yyyymmdd), sequence };
    return sequence;
}

base::Result<bool> Ledger::file_name_in_use(std::string_view agency, std::string_view file_name)
{
    std::string const operation = "checking whether agency " + std::string(agency) + " has a file named " + std::string(file_name);
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT count(*) FROM batches WHERE agency = ?1 AND file_name = ?2 AND status <> 'abandoned'", operation));
    statement.bind(1, agency);
    statement.bind(2, file_name);
    if (TRY(statement.step(operation)) != Step::Row)
        return make_error(ErrorCode::StoreFailure, operation + ": no result");
    return statement.integer(0) > 0;
}

base::Result<std::int64_t> Ledger::create_batch(Batch const& batch)
{
    std::string const operation = "recording output file " + batch.file_name + " of agency " + batch.agency;
    std::string file_date = batch.file_date;
    std::int64_t sequence = batch.sequence;
    if (file_date.empty()) {
        auto const reservation = m_state->reservations.find(batch.agency);
        if (reservation == m_state->reservations.end())
            return make_error(ErrorCode::Internal, operation + ": no file date and sequence given and none reserved by next_sequence");
        file_date = reservation->second.file_date;
        sequence = reservation->second.sequence;
    }
    if (!is_file_date(file_date) || sequence < 1)
        return make_error(ErrorCode::Internal, operation + ": the file date must be YYYYMMDD and the sequence positive");
    // Stored relative to the state directory (docs/ledger.md): a copy of the state
    // directory then names its own files, never the original's.
    // (An empty path stays empty: it names no file, and is refused wherever it is used.)
    auto const state_directory = m_state->path.parent_path();
    auto const stored = [&](std::string const& path) -> base::Result<std::string> {
        if (path.empty())
            return std::string();
        return TRY_CONTEXT(to_ledger_path(state_directory, path, StateArea::Spool, batch.agency), operation);
    };
    auto const temporary_path = TRY(stored(batch.temporary_path));
    auto const final_path = TRY(stored(batch.final_path));
    auto statement = TRY(Statement::prepare(m_state->database(),
        "INSERT INTO batches (run, agency, file_name, file_date, sequence, temporary_path, final_path, status, record_count, size_bytes, sha256,"
        " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        operation));
    statement.bind(1, batch.run);
    statement.bind(2, std::string_view(batch.agency));
    statement.bind(3, std::string_view(batch.file_name));
    statement.bind(4, std::string_view(file_date));
    statement.bind(5, sequence);
    statement.bind(6, std::string_view(temporary_path));
    statement.bind(7, std::string_view(final_path));
    statement.bind(8, to_string(batch.status));
    statement.bind(9, batch.record_count);
    statement.bind(10, batch.size_bytes);
    statement.bind(11, std::string_view(batch.sha256));
    statement.bind(12, detail::utc_now_text());
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database()));
}

base::Result<void> Ledger::update_batch(std::int64_t id, BatchStatus status, std::int64_t record_count, std::int64_t size_bytes, std::string_view sha256)
{
    std::string const operation = "marking batch " + std::to_string(id) + " " + std::string(to_string(status));
    auto scope = TRY(detail::WriteScope::enter(m_state->connection, operation));
    auto const current = TRY(find_batch(id));
    if (!current)
        return make_error(ErrorCode::NotFound, operation + ": no such batch");
    if (!may_move(current->status, status))
        return make_error(ErrorCode::StoreFailure, operation + ": a batch cannot move from " + std::string(to_string(current->status)) + " to "
            + std::string(to_string(status)) + " (file " + current->file_name + ")");
    auto statement = TRY(Statement::prepare(m_state->database(),
        "UPDATE batches SET status = ?2, record_count = ?3, size_bytes = ?4, sha256 = ?5, updated_at = ?6 WHERE id = ?1", operation));
    statement.bind(1, id);
    statement.bind(2, to_string(status));
    statement.bind(3, record_count);
    statement.bind(4, size_bytes);
    statement.bind(5, sha256);
    statement.bind(6, detail::utc_now_text());
    TRY(statement.run(operation));
    TRY(scope.commit(operation));
    return {};
}

base::Result<std::vector<Batch>> Ledger::batches_with_status(BatchStatus status)
{
    std::string const operation = "listing " + std::string(to_string(status)) + " batches";
    auto statement = TRY(Statement::prepare(m_state->database(), select_batches_with_status, operation));
    statement.bind(1, to_string(status));
    return detail::collect_rows(statement, operation, read_batch);
}

base::Result<std::optional<Batch>> Ledger::find_batch(std::int64_t id)
{
    std::string const operation = "reading batch " + std::to_string(id);
    auto statement = TRY(Statement::prepare(m_state->database(), select_batch_by_id, operation));
    statement.bind(1, id);
    return detail::first_row(statement, operation, read_batch);
}

} // namespace dcagw::store
