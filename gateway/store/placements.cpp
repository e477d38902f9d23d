// The hot path: field sets, placements, exclusions and quarantined rows. A run calls
// these once or more per case, so the statements are prepared once at open (see
// ledger.cpp), reset and unbound after each use, and error text is built only on error.
#include "gateway/store/ledger.hpp"

#include "gateway/store/field_list.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"

#include <algorithm>

namespace dcagw::store {

namespace {

std::string describe_case(std::string_view account_ref, std::string_view person_ref, std::string_view agency)
{
    return "account " + std::string(account_ref) + " person " + std::string(person_ref) + " agency " + std::string(agency);
}

// Steps an INSERT to completion; the operation text is built by `describe` only when
// SQLite reports an error.
template<typename Describe>
base::Result<void> run_insert(Statement& statement, Describe const& describe)
{
    int const code = sqlite3_step(statement.get());
    if (code == SQLITE_DONE)
        return {};
    return detail::sqlite_error(sqlite3_db_handle(statement.get()), code, describe());
}

} // namespace

base::Result<std::int64_t> Ledger::intern_field_set(std::vector<std::string> const& fields)
{
    constexpr std::string_view operation = "recording the field set shared with an agency";
    auto const json = TRY_CONTEXT(detail::encode_field_list(fields), operation);
    auto scope = TRY(detail::WriteScope::enter(m_state->connection, operation));
    auto insert = TRY(Statement::prepare(m_state->database(),
        "INSERT INTO field_sets (fields_json) VALUES (?1) ON CONFLICT (fields_json) DO NOTHING", operation));
    insert.bind(1, std::string_view(json));
    TRY(insert.run(operation));
    auto select = TRY(Statement::prepare(m_state->database(), "SELECT id FROM field_sets WHERE fields_json = ?1", operation));
    select.bind(1, std::string_view(json));
    if (TRY(select.step(operation)) != Step::Row)
        return make_error(ErrorCode::StoreFailure, std::string(operation) + ": the field set vanished after it was recorded");
    auto const id = select.integer(0);
    TRY(scope.commit(operation));
    return id;
}

base::Result<void> Ledger::open_placements_of(std::string_view account_ref, std::vector<OpenPlacement>& out)
{
    AccountPlacements placements;
    TRY(placements_of(account_ref, placements));
    out = std::move(placements.open);
    return {};
}

base::Result<void> Ledger::placements_of(std::string_view account_ref, AccountPlacements& out)
{
    out.clear();
    auto& statement = m_state->select_placements_of;
    ResetOnExit reset(statement);
    statement.bind(1, account_ref);
    for (;;) {
        int const code = sqlite3_step(statement.get());
        if (code == SQLITE_DONE)
            break;
        if (code != SQLITE_ROW)
            return detail::sqlite_error(m_state->database(), code, "looking up the placements of account " + std::string(account_ref));
        if (statement.integer(9) == 0) {
            out.ended.push_back(EndedPlacement { std::string(statement.text(0)), std::string(statement.text(1)) });
            continue;
        }
        OpenPlacement open;
        open.agency = std::string(statement.text(0));
        open.person_ref = std::string(statement.text(1));
        open.id = statement.integer(2);
        open.balance_pence = statement.integer(3);
        open.told_change_pence = statement.integer(4);
        open.told_hold = std::string(statement.text(5));
        open.told_recall = std::string(statement.text(6));
        open.posted_pence = statement.integer(7);
        open.posted_at = std::string(statement.text(8));
        out.open.push_back(std::move(open));
    }
    // Oldest first, sorted here rather than with ORDER BY: an account has a handful of
    // placements at most, and SQLite would open a sorter on every one of a million calls.
    if (out.open.size() > 1)
        std::sort(out.open.begin(), out.open.end(), [](OpenPlacement const& left, OpenPlacement const& right) { return left.id < right.id; });
    return {};
}

base::Result<bool> Ledger::has_placements()
{
    constexpr std::string_view operation = "checking for placements";
    auto statement = TRY(Statement::prepare(m_state->database(), "SELECT 1 FROM placements LIMIT 1", operation));
    return TRY(statement.step(operation)) == Step::Row;
}

base::Result<std::int64_t> Ledger::count_open_accounts()
{
    constexpr std::string_view operation = "counting the accounts with open placements";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT COUNT(DISTINCT account_ref) FROM placements WHERE status IN ('open', 'on_hold')", operation));
    if (TRY(statement.step(operation)) != Step::Row)
        return make_error(ErrorCode::StoreFailure, std::string(operation) + ": no count");
    return statement.integer(0);
}

base::Result<void> Ledger::add_placement(PlacementRow const& row)
{
    auto& statement = m_state->insert_placement;
    ResetOnExit reset(statement);
    statement.bind(1, row.run);
    // A dry run writes no batch and records nothing in the end; 0 means "no batch".
    if (row.batch > 0)
        statement.bind(2, row.batch);
    else
        statement.bind_null(2);
    statement.bind(3, row.agency);
    statement.bind(4, row.account_ref);
    statement.bind(5, row.person_ref);
    statement.bind(6, row.pseudonym);
    statement.bind(7, row.debt_type);
    statement.bind(8, row.balance_pence);
    if (row.field_set > 0)
        statement.bind(9, row.field_set);
    else
        statement.bind_null(9);
    statement.bind(10, detail::utc_now_text());
    return run_insert(statement, [&] { return "adding placement for " + describe_case(row.account_ref, row.person_ref, row.agency); });
}

base::Result<void> Ledger::set_placement_status(std::string_view agency, std::string_view account_ref, std::string_view person_ref,
    std::string_view status)
{
    std::string const operation = "marking the placement of " + describe_case(account_ref, person_ref, agency) + " " + std::string(status);
    if (status != "open" && status != "closed" && status != "recalled" && status != "returned")
        return make_error(ErrorCode::Internal, operation + ": a placement's status is open, closed, recalled or returned");
    auto statement = TRY(Statement::prepare(m_state->database(),
        "UPDATE placements SET status = ?4, status_changed_at = ?5 WHERE account_ref = ?1 AND person_ref = ?2 AND agency = ?3", operation));
    statement.bind(1, account_ref);
    statement.bind(2, person_ref);
    statement.bind(3, agency);
    statement.bind(4, status);
    statement.bind(5, detail::utc_now_text());
    TRY(statement.run(operation));
    if (sqlite3_changes(m_state->database()) == 0)
        return make_error(ErrorCode::NotFound, operation + ": no such placement");
    return {};
}

base::Result<void> Ledger::add_exclusion(std::int64_t run, std::string_view agency, std::string_view account_ref, std::string_view person_ref,
    model::ExclusionReason reason)
{
    auto& statement = m_state->insert_exclusion;
    ResetOnExit reset(statement);
    statement.bind(1, run);
    statement.bind(2, agency);
    statement.bind(3, account_ref);
    statement.bind(4, person_ref);
    // The stable name, not the enum's number: the ledger outlives any reordering of the
    // enum, and an auditor reading the table sees "statute_barred".
    statement.bind(5, model::to_string(reason));
    return run_insert(statement, [&] { return "adding exclusion for " + describe_case(account_ref, person_ref, agency); });
}

base::Result<void> Ledger::add_quarantine(std::int64_t run, model::Rejection const& rejection)
{
    auto& statement = m_state->insert_quarantine;
    ResetOnExit reset(statement);
    statement.bind(1, run);
    statement.bind(2, std::string_view(rejection.file));
    statement.bind(3, static_cast<std::int64_t>(rejection.line));
    statement.bind(4, std::string_view(rejection.account_ref));
    statement.bind(5, std::string_view(rejection.person_ref));
    statement.bind(6, std::string_view(rejection.field));
    statement.bind(7, std::string_view(rejection.reason));
    statement.bind(8, detail::utc_now_text());
    return run_insert(statement, [&] {
        return "quarantining line " + std::to_string(rejection.line) + " of " + rejection.file + " (account " + rejection.account_ref + ")";
    });
}

} // namespace dcagw::store
