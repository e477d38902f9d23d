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
    auto statement = TRY(Statement::prepare(m_state->database,
        "SELECT e.id, e.placement, e.agency, e.from_state, e.to_state, e.reason, e.agency_code, e.event_date, e.file, e.line,"
        " e.recorded_at, coalesce(f.file_name, '') FROM return_events e LEFT JOIN inbound_files f ON f.id = e.file"
        " WHERE e.placement = ?1 ORDER BY e.id", operation));
    statement.bind(1, placement);
    std::vector<PlacementEvent> events;
    while (TRY(statement.step(operation)) == Step::Row) {
        PlacementEvent& added = events.emplace_back();
        auto& event = added.event;
        event.id = statement.integer(0);
        event.placement = statement.integer(1);
        event.agency = statement.text(2);
        event.from_state = statement.text(3);
        event.to_state = statement.text(4);
        event.reason = statement.text(5);
        event.agency_code = statement.text(6);
        event.event_date = statement.text(7);
        event.file = statement.integer(8);
        event.line = statement.integer(9);
        event.recorded_at = statement.text(10);
        added.file_name = statement.text(11);
    }
    return events;
}

} // namespace dcagw::store
