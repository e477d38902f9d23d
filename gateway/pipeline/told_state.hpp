// pipeline/told_state: what an agency holds about a debt, from its ledger placement row.
//
// Owns: the one reading of a placement's told_* columns as a lifecycle::ToldState, shared
// by the placement run's comparison and the operator commands.
// Must never: decide what is owed (lifecycle/ does) or touch the ledger.
#pragma once

#include "gateway/lifecycle/changes.hpp"
#include "gateway/model/returns.hpp"
#include "gateway/store/ledger.hpp"

namespace dcagw::pipeline::detail {

inline lifecycle::ToldState told_state_of(store::OpenPlacement const& placement)
{
    lifecycle::ToldState told;
    // What the agency holds: the placed balance, the updates sent, less its own money the
    // housing system now has (which the export's balance already shows).
    told.balance_pence = placement.balance_pence + placement.told_change_pence - placement.posted_pence;
    if (!placement.told_hold.empty())
        told.hold = model::return_reason_from_string(placement.told_hold);
    return told;
}

} // namespace dcagw::pipeline::detail
