// Returns: suspense items, trace results and quarantined return lines
// (docs/returns-ledger.md, "Suspense").
#include "gateway/store/returns.hpp"

#include "gateway/base/enum_names.hpp"
#include "gateway/store/returns_state.hpp"
#include "gateway/store/row_reader.hpp"

namespace dcagw::store {

namespace {

constexpr base::EnumNames<SuspenseState, 3> suspense_state_names { { {
    { SuspenseState::Open, "open" },
    { SuspenseState::Resolved, "resolved" },
    { SuspenseState::Rejected, "rejected" },
} } };

#define DCAGW_SUSPENSE_SELECT                                                                                            \
    "SELECT s.id, s.agency, s.line_kind, s.reference, s.customer_reference, s.payment_id, s.amount_pence, s.item_date,"  \
    " s.reason, s.file, coalesce(f.file_name, ''), s.line, s.owner, s.state, s.resolved_account, s.resolved_by,"          \
    " s.resolved_reason, s.resolved_at, s.created_at, s.content_hash FROM suspense_items s LEFT JOIN inbound_files f ON f.id = s.file "
constexpr char const* select_suspense_by_id = DCAGW_SUSPENSE_SELECT "WHERE s.id = ?1";
// `payment_id <> ''` lets SQLite use the partial index suspense_items_payment; without it
// every payment line scanned all of the agency's suspense items.
constexpr char const* select_suspense_by_payment =
    DCAGW_SUSPENSE_SELECT "WHERE s.agency = ?1 AND s.payment_id = ?2 AND s.payment_id <> '' AND s.line_kind = 'payment' ORDER BY s.id LIMIT 1";
constexpr char const* select_suspense = DCAGW_SUSPENSE_SELECT "WHERE (?1 IS NULL OR s.agency = ?1) AND (?2 IS NULL OR s.state = ?2) ORDER BY s.id";
#undef DCAGW_SUSPENSE_SELECT

std::optional<SuspenseState> suspense_state_from_string(std::string_view text) { return suspense_state_names.parse(text); }

base::Result<SuspenseItem> read_suspense(Statement const& statement)
{
    SuspenseItem item;
    detail::Columns columns(statement);
    columns.read(item.id, item.agency, item.line_kind, item.reference, item.customer_reference, item.payment_id, item.amount_pence, item.item_date,
        item.reason, item.file, item.file_name, item.line, item.owner);
    TRY(columns.read_stored(item.state, suspense_state_from_string, "suspense item " + std::to_string(item.id), "state"));
    columns.read(item.resolved_account, item.resolved_by, item.resolved_reason, item.resolved_at, item.created_at, item.content_hash);
    return item;
}

} // namespace

std::string_view to_string(SuspenseState state) { return suspense_state_names.name(state); }

base::Result<std::int64_t> Returns::add_suspense(SuspenseItem const& item)
{
    std::string const operation = "putting line " + std::to_string(item.line) + " of inbound file " + std::to_string(item.file) + " in suspense";
    auto& statement = *TRY(m_state->cached(ReturnsStatement::InsertSuspense,
        "INSERT INTO suspense_items (agency, line_kind, reference, customer_reference, payment_id, amount_pence, item_date, reason,"
        " file, line, owner, created_at, content_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", operation));
    ResetOnExit reset(statement);
    statement.bind(1, std::string_view(item.agency));
    statement.bind(2, std::string_view(item.line_kind));
    statement.bind(3, std::string_view(item.reference));
    statement.bind(4, std::string_view(item.customer_reference));
    statement.bind(5, std::string_view(item.payment_id));
    statement.bind(6, item.amount_pence);
    statement.bind(7, std::string_view(item.item_date));
    statement.bind(8, std::string_view(item.reason));
    statement.bind(9, item.file);
    statement.bind(10, item.line);
    statement.bind(11, std::string_view(item.owner));
    statement.bind(12, detail::utc_now_text());
    statement.bind(13, std::string_view(item.content_hash));
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database));
}

base::Result<std::optional<SuspenseItem>> Returns::find_suspense_payment(std::string_view agency, std::string_view payment_id)
{
    constexpr std::string_view operation = "looking up a payment in suspense";
    auto& statement = *TRY(m_state->cached(ReturnsStatement::FindSuspensePayment, select_suspense_by_payment, operation));
    ResetOnExit reset(statement);
    statement.bind(1, agency);
    statement.bind(2, payment_id);
    return detail::first_row(statement, operation, read_suspense);
}

base::Result<std::optional<SuspenseItem>> Returns::find_suspense(std::int64_t id)
{
    std::string const operation = "looking up suspense item " + std::to_string(id);
    auto statement = TRY(Statement::prepare(m_state->database, select_suspense_by_id, operation));
    statement.bind(1, id);
    return detail::first_row(statement, operation, read_suspense);
}

base::Result<std::vector<SuspenseItem>> Returns::list_suspense(std::optional<std::string> const& agency, std::optional<SuspenseState> state)
{
    constexpr std::string_view operation = "listing suspense items";
    auto statement = TRY(Statement::prepare(m_state->database, select_suspense, operation));
    statement.bind_optional(1, agency);
    if (state)
        statement.bind(2, to_string(*state));
    return detail::collect_rows(statement, operation, read_suspense);
}

base::Result<void> Returns::resolve_suspense(std::int64_t id, SuspenseState outcome, std::string_view account, std::string_view by, std::string_view reason)
{
    std::string const operation = "resolving suspense item " + std::to_string(id);
    if (outcome == SuspenseState::Open)
        return make_error(ErrorCode::Internal, operation + ": an item is resolved or rejected, not reopened");
    auto statement = TRY(Statement::prepare(m_state->database,
        "UPDATE suspense_items SET state = ?2, resolved_account = ?3, resolved_by = ?4, resolved_reason = ?5, resolved_at = ?6"
        " WHERE id = ?1 AND state = 'open'", operation));
    statement.bind(1, id);
    statement.bind(2, to_string(outcome));
    statement.bind(3, account);
    statement.bind(4, by);
    statement.bind(5, reason);
    statement.bind(6, detail::utc_now_text());
    TRY(statement.run(operation));
    if (sqlite3_changes(m_state->database) > 0)
        return {};
    auto const existing = TRY(decided_suspense(id, operation));
    return make_error(ErrorCode::Usage, operation + ": it is already " + std::string(to_string(existing.state)) + " (by "
        + existing.resolved_by + " at " + existing.resolved_at + ")");
}

base::Result<void> Returns::assign_suspense(std::int64_t id, std::string_view owner)
{
    std::string const operation = "assigning suspense item " + std::to_string(id);
    auto statement = TRY(Statement::prepare(m_state->database, "UPDATE suspense_items SET owner = ?2 WHERE id = ?1 AND state = 'open'", operation));
    statement.bind(1, id);
    statement.bind(2, owner);
    TRY(statement.run(operation));
    if (sqlite3_changes(m_state->database) > 0)
        return {};
    auto const existing = TRY(decided_suspense(id, operation));
    return make_error(ErrorCode::Usage, operation + ": it is already " + std::string(to_string(existing.state)) + "; only an open item has an owner to change");
}

base::Result<SuspenseItem> Returns::decided_suspense(std::int64_t id, std::string const& operation)
{
    auto existing = TRY(find_suspense(id));
    if (!existing)
        return make_error(ErrorCode::NotFound, operation + ": no such suspense item");
    return std::move(*existing);
}

base::Result<std::int64_t> Returns::add_trace(TraceResult const& trace)
{
    std::string const operation = "recording the trace result of placement " + std::to_string(trace.placement);
    auto statement = TRY(Statement::prepare(m_state->database,
        "INSERT INTO trace_results (placement, agency, traced, fields_json, result_date, file, line, recorded_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", operation));
    statement.bind_all(trace.placement, trace.agency, std::int64_t { trace.traced ? 1 : 0 }, trace.fields_json, trace.result_date, trace.file,
        trace.line, detail::utc_now_text());
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database));
}

base::Result<std::int64_t> Returns::count_traces(std::int64_t placement)
{
    constexpr std::string_view operation = "counting trace results";
    auto statement = TRY(Statement::prepare(m_state->database, "SELECT count(*) FROM trace_results WHERE placement = ?1", operation));
    statement.bind(1, placement);
    TRY(statement.step(operation));
    return statement.integer(0);
}

base::Result<void> Returns::add_quarantine(std::string_view agency, std::int64_t file, std::int64_t line, std::string_view field, std::string_view reason)
{
    std::string const operation = "quarantining line " + std::to_string(line) + " of inbound file " + std::to_string(file);
    auto& statement = *TRY(m_state->cached(ReturnsStatement::InsertQuarantine,
        "INSERT INTO return_quarantine (agency, file, line, field, reason, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", operation));
    ResetOnExit reset(statement);
    statement.bind(1, agency);
    statement.bind(2, file);
    statement.bind(3, line);
    statement.bind(4, field);
    statement.bind(5, reason);
    statement.bind(6, detail::utc_now_text());
    return statement.run(operation);
}

base::Result<std::int64_t> Returns::count_quarantine(std::int64_t file)
{
    constexpr std::string_view operation = "counting quarantined return lines";
    auto statement = TRY(Statement::prepare(m_state->database, "SELECT count(*) FROM return_quarantine WHERE file = ?1", operation));
    statement.bind(1, file);
    TRY(statement.step(operation));
    return statement.integer(0);
}

} // namespace dcagw::store
