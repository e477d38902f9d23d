// ingest/placement_states: the placement state machine returns drive
// (docs/returns-ledger.md, "Placement states").
//
// Owns: which state each canonical return reason moves a placement to, and which moves
// are allowed (open and on_hold move anywhere; an ended placement stays ended).
// Must never: touch the ledger (the applier does, with the event).
#pragma once

#include "gateway/model/returns.hpp"

#include <string_view>

namespace dcagw::ingest {

std::string_view state_for(model::ReturnReason reason);
bool may_move(std::string_view from, std::string_view to);

} // namespace dcagw::ingest
