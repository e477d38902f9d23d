// cli/commands_lifecycle: the handlers of the operator's lifecycle commands (`hold`,
// `release`, `recall`, `close`, `holds list`) and the message timeline of `placements
// show` (docs/lifecycle.md).
// Must never: decide what is owed or refused (pipeline/operator_messages does).
#pragma once

#include "gateway/cli/commands.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dcagw::cli {

Outcome command_hold(Arguments const& arguments);
Outcome command_release(Arguments const& arguments);
Outcome command_recall(Arguments const& arguments);
Outcome command_close(Arguments const& arguments);
Outcome command_holds_list(Arguments const& arguments);

// For each placement (by id), the lifecycle messages that name it, oldest first, as the
// records of the `messages` cell of `placements show`.
base::Result<std::vector<std::vector<Record>>> message_timelines(store::Ledger& ledger, std::string const& account_ref, std::vector<std::int64_t> const& placements);

} // namespace dcagw::cli
