#include "gateway/writeoff/approval.hpp"

#include "gateway/base/text.hpp"

#include <set>

namespace dcagw::writeoff {

using base::ErrorCode;

TierTable TierTable::defaults()
{
    return TierTable({
        { 5'000, "line_manager" },
        { 500'000, "officer" },
        { 1'000'000, "chief_finance_officer" },
        { 5'000'000, "executive_member" },
        { std::nullopt, "cabinet" },
    });
}

base::Result<TierTable> TierTable::make(std::vector<Tier> tiers)
{
    if (tiers.empty())
        return base::Error(ErrorCode::ConfigInvalid, "write-off tiers: at least one tier is needed");
    std::set<std::string> roles;
    std::int64_t previous = 0;
    for (std::size_t index = 0; index < tiers.size(); ++index) {
        auto const& tier = tiers[index];
        auto const where = "write-off tier " + std::to_string(index + 1) + ": ";
        if (tier.role.empty())
            return base::Error(ErrorCode::ConfigInvalid, where + "the role has no name");
        if (!roles.insert(tier.role).second)
            return base::Error(ErrorCode::ConfigInvalid, where + "role '" + tier.role + "' already has a tier; each role approves one band");
        bool const last = index + 1 == tiers.size();
        if (last != !tier.below_pence.has_value())
            return base::Error(ErrorCode::ConfigInvalid, where + (last ? "the last tier must have no upper limit, so that every amount has an approver" : "only the last tier may be unbounded"));
        if (tier.below_pence && *tier.below_pence <= previous)
            return base::Error(ErrorCode::ConfigInvalid, where + "limits must rise: " + base::pence_to_pounds(*tier.below_pence) + " is not above " + base::pence_to_pounds(previous));
        if (tier.below_pence)
            previous = *tier.below_pence;
    }
    return TierTable(std::move(tiers));
}

Tier const& TierTable::tier_for(std::int64_t amount_pence) const
{
    for (auto const& tier : m_tiers)
        if (!tier.below_pence || amount_pence < *tier.below_pence)
            return tier;
    return m_tiers.back(); // unreachable: make() and defaults() end with an unbounded tier
}

base::Result<void> check_decision(TierTable const& tiers, std::int64_t amount_pence, std::string const& proposer, Person const& approver)
{
    if (amount_pence <= 0)
        return base::Error(ErrorCode::Usage, "a write-off is of a positive balance, not " + base::pence_to_pounds(amount_pence));
    if (approver.name == proposer)
        return base::Error(ErrorCode::Usage, approver.name + " proposed this write-off and cannot also decide it");
    auto const& tier = tiers.tier_for(amount_pence);
    if (approver.role != tier.role)
        return base::Error(ErrorCode::Usage,
            "a write-off of £" + base::pence_to_pounds(amount_pence) + " is decided by the " + tier.role + " tier, not by " + approver.role);
    return {};
}

} // namespace dcagw::writeoff
