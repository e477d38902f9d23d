// cli/commands_returns: the handlers of what agencies sent back: `dcagw ingest`, `dcagw suspense list`,
// `dcagw suspense resolve` and `assign`, `dcagw returns list` and `dcagw payments list`.
//
// Owns: reading their options and rendering the ledger's returns tables.
// Must never: hold a business rule (the resolution is ingest::decide_suspense's).
#pragma once

#include "gateway/cli/commands.hpp"

namespace dcagw::cli {

Outcome command_ingest(Arguments const& arguments);
Outcome command_suspense_list(Arguments const& arguments);
Outcome command_suspense_resolve(Arguments const& arguments);
Outcome command_suspense_assign(Arguments const& arguments);
Outcome command_returns_list(Arguments const& arguments);
Outcome command_payments_list(Arguments const& arguments);

} // namespace dcagw::cli
