// ingest/suspense_resolution: an operator's decision about a suspense item: it belongs to
// one of our accounts (`--account REF`), or it is rejected (`--reject`), always with who
// and why, in the audit log.
//
// Owns: the checks (the item is open; the account was placed with the item's agency; a
// payment item's id is not applied already), applying a resolved payment item to the
// account's placement with its split from the contract, and the audit entry, all in one
// transaction.
// Also: assigning an open item to an owner (who follows it up), audited.
// Must never: resolve without a reason, or apply an item to an account that agency never
// had.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace dcagw::ingest {

struct SuspenseDecision {
    std::int64_t item { 0 };
    std::optional<std::string> account;  // our account_ref; none: reject
    std::string reason;
    std::string actor;                   // audit::current_actor()
};

struct SuspenseOutcome {
    std::string agency;
    std::string state;                   // resolved | rejected
    std::int64_t placement { 0 };        // resolved: the placement the item now belongs to
    bool payment_applied { false };      // a payment item became a payment
};

base::Result<SuspenseOutcome> decide_suspense(store::Ledger& ledger, model::GatewayConfig const& config, SuspenseDecision const& decision);

// Gives an open item a new owner (who follows it up), with the previous owner and the
// actor in an audit `command` entry, in one transaction. Returns the previous owner.
struct SuspenseAssignment {
    std::int64_t item { 0 };
    std::string owner;                   // at most 64 printable ASCII characters, not empty
    std::string actor;
};
base::Result<std::string> assign_suspense(store::Ledger& ledger, SuspenseAssignment const& assignment);

} // namespace dcagw::ingest
