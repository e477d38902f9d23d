// Files collected from agencies (docs/ledger.md): the record that makes collection
// idempotent, and what was done with each file on the agency's side.
#include "gateway/store/transfers.hpp"

#include "gateway/base/enum_names.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers_support.hpp"

namespace dcagw::store {

namespace {

#define DCAGW_COLLECTED_SELECT \
    "SELECT id, agency, remote_name, size_bytes, sha256, local_path, collected_at, disposal, coalesce(acknowledges, 0),"   \
    " coalesce(same_name_as, 0) FROM collected_files "
constexpr char const* select_by_name_content = DCAGW_COLLECTED_SELECT
    "WHERE agency = ?1 AND remote_name = ?2 AND sha256 = ?3 ORDER BY id LIMIT 1";
constexpr char const* select_newest_by_name = DCAGW_COLLECTED_SELECT
    "WHERE agency = ?1 AND remote_name = ?2 ORDER BY id DESC LIMIT 1";
constexpr char const* select_all = DCAGW_COLLECTED_SELECT "WHERE ?1 IS NULL OR agency = ?1 ORDER BY id";
#undef DCAGW_COLLECTED_SELECT

constexpr base::EnumNames<Disposal, 4> disposal_names { { {
    { Disposal::Pending, "pending" },
    { Disposal::Archived, "archived" },
    { Disposal::Deleted, "deleted" },
    { Disposal::Left, "left" },
} } };

base::Result<CollectedFile> read_collected(Statement const& statement)
{
    CollectedFile file;
    detail::Columns columns(statement);
    columns.read(file.id, file.agency, file.remote_name, file.size_bytes, file.sha256, file.local_path, file.collected_at);
    TRY(columns.read_stored(file.disposal, disposal_from_string, "collected file " + std::to_string(file.id), "disposal"));
    columns.read(file.acknowledges, file.same_name_as);
    return file;
}

} // namespace

std::string_view to_string(Disposal disposal) { return disposal_names.name(disposal); }
std::optional<Disposal> disposal_from_string(std::string_view text) { return disposal_names.parse(text); }

base::Result<std::optional<CollectedFile>> Transfers::find_collected(std::string_view agency, std::string_view remote_name, std::string_view sha256)
{
    std::string const operation = "looking up collected file " + std::string(remote_name) + " of agency " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_by_name_content, operation));
    statement.bind(1, agency);
    statement.bind(2, remote_name);
    statement.bind(3, sha256);
    return detail::first_row(statement, operation, read_collected);
}

base::Result<std::optional<CollectedFile>> Transfers::find_collected_named(std::string_view agency, std::string_view remote_name)
{
    std::string const operation = "looking up collected files named " + std::string(remote_name) + " of agency " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_newest_by_name, operation));
    statement.bind(1, agency);
    statement.bind(2, remote_name);
    return detail::first_row(statement, operation, read_collected);
}

base::Result<std::optional<std::int64_t>> Transfers::record_collected(CollectedFile const& file)
{
    std::string const operation = "recording collected file " + file.remote_name + " of agency " + file.agency;
    std::optional<std::int64_t> id;
    auto const local_path = TRY_CONTEXT(to_ledger_path(m_ledger.m_state->path.parent_path(), file.local_path, StateArea::Inbox, file.agency), operation);
    auto const done = detail::durably(m_ledger, [&]() -> base::Result<void> {
        // The UNIQUE (agency, remote_name, size_bytes, sha256) constraint is what makes a
        // file collected twice (a crash between download and record) count once.
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "INSERT INTO collected_files (agency, remote_name, size_bytes, sha256, local_path, collected_at, disposal, same_name_as)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', nullif(?7, 0)) ON CONFLICT (agency, remote_name, size_bytes, sha256) DO NOTHING",
            operation));
        statement.bind(1, std::string_view(file.agency));
        statement.bind(2, std::string_view(file.remote_name));
        statement.bind(3, file.size_bytes);
        statement.bind(4, std::string_view(file.sha256));
        statement.bind(5, std::string_view(local_path));
        statement.bind(6, detail::utc_now_text());
        statement.bind(7, file.same_name_as);
        TRY(statement.run(operation));
        if (sqlite3_changes(m_ledger.m_state->database()) == 1)
            id = static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_ledger.m_state->database()));
        return {};
    });
    if (done.is_error())
        return done.error();
    return id;
}

base::Result<void> Transfers::mark_disposed(std::int64_t collected_id, Disposal disposal)
{
    std::string const operation = "recording the disposal of collected file " + std::to_string(collected_id);
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE collected_files SET disposal = ?2, disposed_at = ?3 WHERE id = ?1 AND disposal = 'pending'", operation));
        statement.bind(1, collected_id);
        statement.bind(2, to_string(disposal));
        statement.bind(3, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "it is not pending");
    });
}

base::Result<void> Transfers::set_acknowledges(std::int64_t collected_id, std::int64_t transfer_id)
{
    std::string const operation = "linking collected file " + std::to_string(collected_id) + " to transfer " + std::to_string(transfer_id);
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), "UPDATE collected_files SET acknowledges = ?2 WHERE id = ?1", operation));
        statement.bind(1, collected_id);
        statement.bind(2, transfer_id);
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "no such collected file");
    });
}

base::Result<std::vector<CollectedFile>> Transfers::list_collected(std::optional<std::string> const& agency)
{
    constexpr std::string_view operation = "listing collected files";
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_all, operation));
    statement.bind_optional(1, agency);
    return detail::collect_rows(statement, operation, read_collected);
}

} // namespace dcagw::store
