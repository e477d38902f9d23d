// Returns: inbound files, the matching index and placement states (docs/returns-ledger.md).
// Payments, refunds and payouts are in payments.cpp; suspense, trace results and the
// return quarantine in suspense.cpp.
#include "gateway/store/returns.hpp"

#include "gateway/base/enum_names.hpp"
#include "gateway/store/returns_state.hpp"
#include "gateway/store/row_reader.hpp"

#include <algorithm>
#include <array>

namespace dcagw::store {

namespace {

constexpr std::array<std::string_view, 8> placement_states { "open", "on_hold", "returned", "closed_paid", "settled", "recalled", "closed", "rejected" };

constexpr base::EnumNames<InboundState, 2> inbound_state_names { { {
    { InboundState::Applied, "applied" },
    { InboundState::Refused, "refused" },
} } };

#define DCAGW_INBOUND_SELECT                                                                                             \
    "SELECT id, agency, file_name, sha256, kind, state, refusal_reason, coalesce(same_name_as, 0), collected_at,"      \
    " applied_at, line_count, applied_count, duplicate_count, conflict_count, quarantined_count, suspense_count"        \
    " FROM inbound_files "
constexpr char const* select_file_by_hash = DCAGW_INBOUND_SELECT "WHERE agency = ?1 AND sha256 = ?2";
constexpr char const* select_file_by_name = DCAGW_INBOUND_SELECT "WHERE agency = ?1 AND file_name = ?2 ORDER BY id DESC LIMIT 1";
constexpr char const* select_files = DCAGW_INBOUND_SELECT "WHERE ?1 IS NULL OR agency = ?1 ORDER BY id";
constexpr char const* select_file_by_id = DCAGW_INBOUND_SELECT "WHERE id = ?1";
#undef DCAGW_INBOUND_SELECT

std::optional<InboundState> inbound_state_from_string(std::string_view text) { return inbound_state_names.parse(text); }

base::Result<InboundFile> read_file(Statement const& statement)
{
    InboundFile file;
    detail::Columns columns(statement);
    columns.read(file.id, file.agency, file.file_name, file.sha256, file.kind);
    TRY(columns.read_stored(file.state, inbound_state_from_string, "inbound file " + std::to_string(file.id), "state"));
    auto& counts = file.counts;
    columns.read(file.refusal_reason, file.same_name_as, file.collected_at, file.applied_at, counts.lines, counts.applied, counts.duplicates,
        counts.conflicts, counts.quarantined, counts.suspense);
    return file;
}

base::Result<std::optional<InboundFile>> select_one_file(sqlite3* database, char const* sql, std::string_view agency, std::string_view key, std::string const& operation)
{
    auto statement = TRY(Statement::prepare(database, sql, operation));
    statement.bind(1, agency);
    statement.bind(2, key);
    return detail::first_row(statement, operation, read_file);
}

} // namespace

bool is_placement_state(std::string_view state)
{
    return std::find(placement_states.begin(), placement_states.end(), state) != placement_states.end();
}

std::string_view to_string(InboundState state) { return inbound_state_names.name(state); }

Returns::Returns(Ledger& ledger) : m_ledger(ledger), m_state(std::make_unique<State>())
{
    m_state->database = ledger.m_state->database();
    m_state->connection = &ledger.m_state->connection;
    m_state->match_indexes = &ledger.m_state->match_indexes;
}

Returns::~Returns() = default;

base::Result<std::optional<InboundFile>> Returns::find_file(std::string_view agency, std::string_view sha256)
{
    return select_one_file(m_state->database, select_file_by_hash, agency, sha256, "looking up inbound file " + std::string(sha256) + " of " + std::string(agency));
}

base::Result<std::optional<InboundFile>> Returns::find_file_named(std::string_view agency, std::string_view file_name)
{
    return select_one_file(m_state->database, select_file_by_name, agency, file_name, "looking up inbound file " + std::string(file_name) + " of " + std::string(agency));
}

base::Result<std::optional<InboundFile>> Returns::find_file_by_id(std::int64_t id)
{
    std::string const operation = "looking up inbound file " + std::to_string(id);
    auto statement = TRY(Statement::prepare(m_state->database, select_file_by_id, operation));
    statement.bind(1, id);
    return detail::first_row(statement, operation, read_file);
}

base::Result<void> Returns::release_refused_file(std::int64_t id)
{
    std::string const operation = "releasing refused inbound file " + std::to_string(id) + " for a retry";
    // A later file of the same name pointed at this one: it now points where this one did
    // (an even earlier file of the name, or none), so no reference dangles.
    auto repoint = TRY(Statement::prepare(m_state->database,
        "UPDATE inbound_files SET same_name_as = (SELECT same_name_as FROM inbound_files WHERE id = ?1) WHERE same_name_as = ?1", operation));
    repoint.bind(1, id);
    TRY(repoint.run(operation));
    auto remove = TRY(Statement::prepare(m_state->database, "DELETE FROM inbound_files WHERE id = ?1 AND state = 'refused'", operation));
    remove.bind(1, id);
    TRY(remove.run(operation));
    if (sqlite3_changes(m_state->database) == 0)
        return make_error(ErrorCode::Internal, operation + ": it is not a refused file");
    return {};
}

base::Result<std::int64_t> Returns::record_file(InboundFile const& file)
{
    std::string const operation = "recording inbound file " + file.file_name + " of " + file.agency;
    auto statement = TRY(Statement::prepare(m_state->database,
        "INSERT INTO inbound_files (agency, file_name, sha256, kind, state, refusal_reason, same_name_as, collected_at, applied_at,"
        " line_count, applied_count, duplicate_count, conflict_count, quarantined_count, suspense_count)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", operation));
    statement.bind(1, std::string_view(file.agency));
    statement.bind(2, std::string_view(file.file_name));
    statement.bind(3, std::string_view(file.sha256));
    statement.bind(4, std::string_view(file.kind));
    statement.bind(5, to_string(file.state));
    statement.bind(6, std::string_view(file.refusal_reason));
    if (file.same_name_as > 0)
        statement.bind(7, file.same_name_as);
    else
        statement.bind_null(7);
    statement.bind(8, std::string_view(file.collected_at));
    statement.bind(9, detail::utc_now_text());
    auto const& counts = file.counts;
    int index = 10;
    for (auto const count : { counts.lines, counts.applied, counts.duplicates, counts.conflicts, counts.quarantined, counts.suspense })
        statement.bind(index++, count);
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database));
}

base::Result<void> Returns::set_file_counts(std::int64_t file, InboundCounts const& counts)
{
    std::string const operation = "recording the line counts of inbound file " + std::to_string(file);
    auto statement = TRY(Statement::prepare(m_state->database,
        "UPDATE inbound_files SET line_count = ?2, applied_count = ?3, duplicate_count = ?4, conflict_count = ?5,"
        " quarantined_count = ?6, suspense_count = ?7 WHERE id = ?1", operation));
    statement.bind(1, file);
    int index = 2;
    for (auto const count : { counts.lines, counts.applied, counts.duplicates, counts.conflicts, counts.quarantined, counts.suspense })
        statement.bind(index++, count);
    TRY(statement.run(operation));
    if (sqlite3_changes(m_state->database) == 0)
        return make_error(ErrorCode::NotFound, operation + ": no such file");
    return {};
}

base::Result<std::vector<InboundFile>> Returns::list_files(std::optional<std::string> const& agency)
{
    constexpr std::string_view operation = "listing inbound files";
    auto statement = TRY(Statement::prepare(m_state->database, select_files, operation));
    statement.bind_optional(1, agency);
    std::vector<InboundFile> files;
    while (TRY(statement.step(operation)) == Step::Row)
        files.push_back(TRY(read_file(statement)));
    return files;
}

base::Result<std::int64_t> Returns::refresh_pseudonym_index(std::string_view agency)
{
    constexpr std::string_view operation = "bringing the matching index up to date";
    auto& index = (*m_state->match_indexes)[std::string(agency)];
    // Only rows above the mark are read: a range of the rowid B-tree, in order, so the
    // first load is one sequential scan and a later one reads only the new placements.
    auto& scan = *TRY(m_state->cached(ReturnsStatement::IndexScan,
        "SELECT id, pseudonym FROM placements WHERE id > ?2 AND agency = ?1 ORDER BY id", operation));
    ResetOnExit reset(scan);
    scan.bind(1, agency);
    scan.bind(2, index.mark());
    std::int64_t added = 0;
    std::int64_t newest = index.mark();
    while (TRY(scan.step(operation)) == Step::Row) {
        newest = scan.integer(0);
        index.add(scan.text(1), newest);
        ++added;
    }
    index.merge(newest);
    return added;
}

base::Result<void> Returns::placements_with_pseudonym(std::string_view agency, std::string_view pseudonym, std::vector<MatchedPlacement>& out)
{
    out.clear();
    auto const index = m_state->match_indexes->find(std::string(agency));
    if (index == m_state->match_indexes->end())
        return {};
    index->second.candidates(pseudonym, m_state->candidate_ids);
    if (m_state->candidate_ids.empty())
        return {};
    constexpr std::string_view operation = "matching a returned reference to its placements";
    auto& statement = *TRY(m_state->cached(ReturnsStatement::IndexLookup,
        "SELECT p.id, p.account_ref, p.person_ref, p.status, p.balance_pence, p.placed_at, p.agency, p.pseudonym,"
        " (SELECT count(*) FROM placements o WHERE o.account_ref = p.account_ref AND o.person_ref = p.person_ref AND o.id <= p.id),"
        " (SELECT coalesce(sum(gross_pence), 0) FROM payments WHERE placement = p.id),"
        " (SELECT coalesce(sum(gross_pence), 0) FROM refunds WHERE placement = p.id)"
        " FROM placements p WHERE p.id = ?1", operation));
    for (auto const placement : m_state->candidate_ids) {
        ResetOnExit reset(statement);
        statement.bind(1, placement);
        if (TRY(statement.step(operation)) != Step::Row)
            continue;
        // The hash only proposes a placement: the pseudonym itself decides.
        if (statement.text(6) != agency || statement.text(7) != pseudonym)
            continue;
        out.push_back({ statement.integer(0), std::string(statement.text(1)), std::string(statement.text(2)), std::string(statement.text(3)),
            statement.integer(4), std::string(statement.text(5)), statement.integer(8), statement.integer(9), statement.integer(10) });
    }
    return {};
}

base::Result<void> Returns::move_placement(ReturnEvent const& event)
{
    std::string const operation = "moving placement " + std::to_string(event.placement) + " to " + event.to_state;
    if (!is_placement_state(event.to_state))
        return make_error(ErrorCode::Internal, operation + ": not a placement state");
    auto& update = *TRY(m_state->cached(ReturnsStatement::UpdatePlacement,
        "UPDATE placements SET status = ?2, status_changed_at = ?3 WHERE id = ?1", operation));
    {
        ResetOnExit reset(update);
        update.bind(1, event.placement);
        update.bind(2, std::string_view(event.to_state));
        update.bind(3, detail::utc_now_text());
        TRY(update.run(operation));
        if (sqlite3_changes(m_state->database) == 0)
            return make_error(ErrorCode::NotFound, operation + ": no such placement");
    }
    auto& insert = *TRY(m_state->cached(ReturnsStatement::InsertEvent,
        "INSERT INTO return_events (placement, agency, from_state, to_state, reason, agency_code, event_date, file, line, recorded_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", operation));
    ResetOnExit reset(insert);
    insert.bind_all(event.placement, event.agency, event.from_state, event.to_state, event.reason, event.agency_code, event.event_date,
        event.file, event.line, detail::utc_now_text());
    return insert.run(operation);
}

base::Result<void> Returns::for_each_event(std::optional<std::string> const& agency, std::function<void(ReturnEvent const&)> const& visit)
{
    constexpr std::string_view operation = "listing placement state changes";
    std::string const sql = std::string("SELECT ") + detail::return_event_columns
        + ", coalesce(p.account_ref, '') FROM return_events e LEFT JOIN placements p ON p.id = e.placement WHERE ?1 IS NULL OR e.agency = ?1 ORDER BY e.id";
    auto statement = TRY(Statement::prepare(m_state->database, sql.c_str(), operation));
    statement.bind_optional(1, agency);
    while (TRY(statement.step(operation)) == Step::Row) {
        auto event = detail::read_event(statement);
        event.account_ref = std::string(statement.text(detail::return_event_column_count));
        visit(event);
    }
    return {};
}

} // namespace dcagw::store
