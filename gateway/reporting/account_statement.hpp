// reporting/account_statement: what `dcagw placements show ACCOUNT_REF` prints: every
// placement of one of our accounts, at every agency, with its state, the reason it got
// there, the money (placed balance, payments, refunds, outstanding) and its return
// history (docs/cli.md).
//
// Owns: gathering one account's placements and adding up their money by the one rule
// (outstanding = placed balance - payments + refunds, all gross, in pence; below zero is
// an overpayment), from store queries.
// Must never: write anything, or show an agency's pseudonym as if it were our reference.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/returns.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dcagw::reporting {

struct PlacementStatement {
    std::int64_t placement { 0 };
    std::string agency;
    std::string person_ref;
    std::string state;             // the placement's state now (docs/returns-ledger.md)
    std::string reason;            // canonical reason of the last state change, or empty
    std::string placed_at;
    std::int64_t placed_balance_pence { 0 };
    std::int64_t payments_pence { 0 };   // gross, payments and direct payments
    std::int64_t refunds_pence { 0 };    // gross, refunds and chargebacks
    std::int64_t outstanding_pence { 0 };
    bool overpaid { false };             // outstanding below zero
    std::vector<store::PlacementEvent> returns;
};

// Oldest placement first; empty when the account was never placed.
base::Result<std::vector<PlacementStatement>> account_statement(store::Ledger& ledger, std::string const& account_ref);

} // namespace dcagw::reporting
