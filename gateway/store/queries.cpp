// Read-side queries. Each prepares its statement per call (they are not on the hot path),
// which also lets a visitor call back into the ledger while a query is streaming.
#include "gateway/store/ledger.hpp"

#include "gateway/store/field_list.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"

#include <unordered_map>

namespace dcagw::store {

namespace {

// The common head of every placement query, joined with the file name and the field
// list. Spliced by the preprocessor into constant SQL literals: nothing is assembled at
// run time. Filters are bound as ?1 agency, ?2 status, ?3 reference, ?4 pseudonym;
// "?N IS NULL OR ..." makes an absent filter match everything.
#define DCAGW_PLACEMENT_SELECT                                                                                              \
    "SELECT p.id, p.run, p.account_ref, p.person_ref, p.agency, p.pseudonym, p.debt_type, p.balance_pence, p.status,"     \
    " coalesce(p.field_set, 0), coalesce(f.fields_json, '[]'), coalesce(b.file_name, ''), p.placed_at"                    \
    " FROM placements AS p LEFT JOIN batches AS b ON b.id = p.batch LEFT JOIN field_sets AS f ON f.id = p.field_set "
#define DCAGW_PLACEMENT_OPTIONAL_FILTERS                                                                                    \
    " AND (?1 IS NULL OR p.agency = ?1) AND (?2 IS NULL OR p.status = ?2)"                                                \
    " AND (?3 IS NULL OR p.account_ref = ?3 OR p.person_ref = ?3) AND (?4 IS NULL OR p.pseudonym = ?4)"

// By reference: the UNIQUE (account_ref, ...) and person_ref indexes, merged by SQLite's
// OR optimisation.
constexpr char const* placements_by_reference = DCAGW_PLACEMENT_SELECT
    "WHERE (p.account_ref = ?3 OR p.person_ref = ?3)" DCAGW_PLACEMENT_OPTIONAL_FILTERS " ORDER BY p.id";
// By agency and pseudonym: the (agency, pseudonym) index.
constexpr char const* placements_by_pseudonym = DCAGW_PLACEMENT_SELECT
    "WHERE p.agency = ?1 AND p.pseudonym = ?4" DCAGW_PLACEMENT_OPTIONAL_FILTERS " ORDER BY p.id";
// Anything else walks the table in id order, which streams without sorting.
constexpr char const* placements_scan = DCAGW_PLACEMENT_SELECT "WHERE 1" DCAGW_PLACEMENT_OPTIONAL_FILTERS " ORDER BY p.id";
constexpr char const* placement_by_pseudonym_first = DCAGW_PLACEMENT_SELECT "WHERE p.agency = ?1 AND p.pseudonym = ?2 ORDER BY p.id LIMIT 1";

#undef DCAGW_PLACEMENT_SELECT
#undef DCAGW_PLACEMENT_OPTIONAL_FILTERS

// Field lists repeat on every row of a field set; each distinct one is parsed once per query.
class FieldListCache {
public:
    base::Result<std::vector<std::string> const*> get(std::int64_t id, std::string_view json)
    {
        auto found = m_lists.find(id);
        if (found == m_lists.end())
            found = m_lists.emplace(id, TRY_CONTEXT(detail::parse_field_list(json), "field set " + std::to_string(id))).first;
        return &found->second;
    }

private:
    std::unordered_map<std::int64_t, std::vector<std::string>> m_lists;
};

base::Result<void> read_placement(Statement const& statement, FieldListCache& cache, Placement& placement)
{
    detail::Columns columns(statement);
    columns.read(placement.id, placement.run, placement.account_ref, placement.person_ref, placement.agency, placement.pseudonym,
        placement.debt_type, placement.balance_pence, placement.status);
    std::int64_t field_set = 0;
    std::string_view fields_json;
    columns.read(field_set, fields_json);
    placement.fields = *TRY(cache.get(field_set, fields_json));
    columns.read(placement.file, placement.placed_at);
    return {};
}

} // namespace

base::Result<void> Ledger::for_each_placement(PlacementFilter const& filter, std::function<void(Placement const&)> const& visit)
{
    constexpr std::string_view operation = "listing placements";
    char const* sql = placements_scan;
    if (filter.reference)
        sql = placements_by_reference;
    else if (filter.agency && filter.pseudonym)
        sql = placements_by_pseudonym;
    auto statement = TRY(Statement::prepare(m_state->database(), sql, operation));
    statement.bind_optional(1, filter.agency);
    statement.bind_optional(2, filter.status);
    statement.bind_optional(3, filter.reference);
    statement.bind_optional(4, filter.pseudonym);
    FieldListCache cache;
    Placement placement;
    while (TRY(statement.step(operation)) == Step::Row) {
        TRY_CONTEXT(read_placement(statement, cache, placement), operation);
        visit(placement);
    }
    return {};
}

base::Result<std::optional<Placement>> Ledger::find_by_pseudonym(std::string_view agency, std::string_view pseudonym)
{
    std::string const operation = "finding the placement with pseudonym " + std::string(pseudonym) + " at agency " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_state->database(), placement_by_pseudonym_first, operation));
    statement.bind(1, agency);
    statement.bind(2, pseudonym);
    if (TRY(statement.step(operation)) != Step::Row)
        return std::optional<Placement> {};
    FieldListCache cache;
    Placement placement;
    TRY_CONTEXT(read_placement(statement, cache, placement), operation);
    return std::optional<Placement>(std::move(placement));
}

base::Result<void> Ledger::for_each_quarantine(std::optional<std::int64_t> run, std::function<void(QuarantineEntry const&)> const& visit)
{
    constexpr std::string_view operation = "listing quarantined rows";
    auto statement = TRY(Statement::prepare(m_state->database(),
        run ? "SELECT run, file, line, account_ref, person_ref, field, reason, recorded_at FROM quarantine WHERE run = ?1 ORDER BY id"
            : "SELECT run, file, line, account_ref, person_ref, field, reason, recorded_at FROM quarantine ORDER BY id",
        operation));
    if (run)
        statement.bind(1, *run);
    QuarantineEntry entry;
    while (TRY(statement.step(operation)) == Step::Row) {
        auto& row = entry.row;
        detail::Columns(statement).read(entry.run, row.file, row.line, row.account_ref, row.person_ref, row.field, row.reason, entry.recorded_at);
        visit(entry);
    }
    return {};
}

base::Result<std::vector<ExclusionCount>> Ledger::exclusion_counts(std::int64_t run)
{
    std::string const operation = "counting exclusions of run " + std::to_string(run);
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT agency, reason, count(*) FROM exclusions WHERE run = ?1 GROUP BY agency, reason ORDER BY agency, reason", operation));
    statement.bind(1, run);
    return detail::collect_rows(statement, operation, [](Statement const& row) {
        ExclusionCount count;
        detail::Columns(row).read(count.agency, count.reason, count.count);
        return count;
    });
}

} // namespace dcagw::store
