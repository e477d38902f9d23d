// Returns: one placement's history for `dcagw placements show` (docs/cli.md): its state
// changes, read through the return_events_placement index.
#include "gateway/store/returns.hpp"

#include "gateway/store/returns_state.hpp"

namespace dcagw::store {

using detail::Statement;
using detail::Step;

base::Result<std::vector<PlacementEvent>> Returns::events_of_placement(std::int64_t placement)
{
    std::string const operation = "listing the state changes of placement " + std::to_string(placement);
    std::string const sql = std::string("SELECT ") + detail::return_event_columns
        + ", coalesce(f.file_name, '') FROM return_events e LEFT JOIN inbound_files f ON f.id = e.file WHERE e.placement = ?1 ORDER BY e.id";
    auto statement = TRY(Statement::prepare(m_state->database, sql.c_str(), operation));
    statement.bind(1, placement);
    std::vector<PlacementEvent> events;
    while (TRY(statement.step(operation)) == Step::Row) {
        PlacementEvent& added = events.emplace_back();
        added.event = detail::read_event(statement);
        added.file_name = statement.text(detail::return_event_column_count);
    }
    return events;
}

} // namespace dcagw::store
