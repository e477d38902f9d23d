// cli/commands_reporting: the handlers of the ledger's outputs for the creditor:
// `dcagw postings write|list`, `dcagw reconcile` and `dcagw placements show`.
//
// Owns: reading their options and printing what reporting/ builds.
// Must never: hold a business rule (what is posted, and what reconciles, is reporting/'s).
#pragma once

#include "gateway/cli/commands.hpp"

namespace dcagw::cli {

Outcome command_postings_write(Arguments const& arguments);
Outcome command_reconcile(Arguments const& arguments);
Outcome command_placements_show(Arguments const& arguments);
Outcome command_postings_list(Arguments const& arguments);

} // namespace dcagw::cli
