#include "gateway/reporting/account_statement.hpp"

#include <algorithm>

namespace dcagw::reporting {

base::Result<std::vector<PlacementStatement>> account_statement(store::Ledger& ledger, std::string const& account_ref)
{
    std::vector<store::Placement> placements;
    store::PlacementFilter filter;
    filter.reference = account_ref;
    // The filter also matches person_ref: only this account's placements are kept.
    TRY(ledger.for_each_placement(filter, [&](store::Placement const& placement) {
        if (placement.account_ref == account_ref)
            placements.push_back(placement);
    }));
    std::sort(placements.begin(), placements.end(), [](store::Placement const& left, store::Placement const& right) { return left.id < right.id; });
    store::Returns returns(ledger);
    std::vector<PlacementStatement> statements;
    for (auto const& placement : placements) {
        PlacementStatement statement;
        statement.placement = placement.id;
        statement.agency = placement.agency;
        statement.person_ref = placement.person_ref;
        statement.state = placement.status;
        statement.placed_at = placement.placed_at;
        auto const money = TRY(returns.placement_money(placement.id));
        statement.placed_balance_pence = money.balance_pence;
        statement.payments_pence = money.paid_pence;
        statement.refunds_pence = money.refunded_pence;
        statement.outstanding_pence = money.outstanding();
        statement.overpaid = statement.outstanding_pence < 0;
        statement.returns = TRY(returns.events_of_placement(placement.id));
        for (auto const& change : statement.returns)
            if (!change.event.reason.empty() && change.event.from_state != change.event.to_state)
                statement.reason = change.event.reason;
        statements.push_back(std::move(statement));
    }
    return statements;
}

} // namespace dcagw::reporting
