// writeoff/approval: the approval tiers of a write-off and who may decide one (issue #16,
// docs/writeoff.md).
//
// Owns: the tier table (an amount band per named role, checked once when it is built),
// the tier an amount falls in, and the rules of a decision: the approver holds the tier's
// role and is not the proposer.
// Must never: read the configuration or the ledger, or let a decision through on a
// partial match (a role is compared whole; an amount at a band's limit belongs to the
// band above).
#pragma once

#include "gateway/base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::writeoff {

struct Tier {
    // The band is amounts below this many pence; nullopt for the last, unbounded band.
    std::optional<std::int64_t> below_pence;
    std::string role;
};

class TierTable {
public:
    // The domain's defaults: under £50 a line manager, under £5,000 an officer, under
    // £10,000 the chief finance officer, under £50,000 an executive member, above that
    // the cabinet.
    static TierTable defaults();
    // Refused (ConfigInvalid) unless the limits rise strictly, only the last band is
    // unbounded, and every role is named once.
    static base::Result<TierTable> make(std::vector<Tier> tiers);

    // The band of a positive amount.
    Tier const& tier_for(std::int64_t amount_pence) const;
    std::vector<Tier> const& tiers() const { return m_tiers; }

private:
    explicit TierTable(std::vector<Tier> tiers) : m_tiers(std::move(tiers)) {}
    std::vector<Tier> m_tiers;
};

struct Person {
    std::string name;
    std::string role;
};

// Whether `approver` may approve (or reject) a proposal of `amount_pence` made by
// `proposer`. Refused (Usage, naming the rule) when the amount is not positive, the
// approver proposed it, or the approver's role is not the tier's.
base::Result<void> check_decision(TierTable const& tiers, std::int64_t amount_pence, std::string const& proposer, Person const& approver);

} // namespace dcagw::writeoff
