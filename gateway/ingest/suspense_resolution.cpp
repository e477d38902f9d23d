#include "gateway/ingest/suspense_resolution.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/money/commission.hpp"
#include "gateway/store/returns.hpp"

#include <algorithm>

namespace dcagw::ingest {

using base::ErrorCode;
using base::make_error;

namespace {

// The oldest placement of `account_ref` with the agency (joint debtors: the lead).
base::Result<std::optional<store::Placement>> placement_of(store::Ledger& ledger, std::string const& agency, std::string const& account_ref)
{
    std::optional<store::Placement> found;
    store::PlacementFilter filter;
    filter.agency = agency;
    filter.reference = account_ref;
    TRY(ledger.for_each_placement(filter, [&](store::Placement const& placement) {
        if (placement.account_ref == account_ref && (!found || placement.id < found->id))
            found = placement;
    }));
    return found;
}

base::Result<void> apply_payment_item(store::Returns& returns, model::AgencyConfig const& agency, store::SuspenseItem const& item,
    store::Placement const& placement)
{
    if (item.payment_id.empty() || item.amount_pence <= 0)
        return {};
    if (TRY(returns.find_payment(item.agency, item.payment_id)))
        return make_error(ErrorCode::Usage, "payment " + item.payment_id + " of " + item.agency + " is already applied: reject this item instead");
    if (!agency.contract)
        return make_error(ErrorCode::ConfigInvalid, "agency " + agency.id + " has no contract in the configuration: commission cannot be computed");
    auto const date = base::Date::parse(item.item_date);
    auto const placed = base::Date::parse(std::string_view(placement.placed_at).substr(0, 10));
    if (!date || !placed)
        return make_error(ErrorCode::StoreCorrupt, "suspense item " + std::to_string(item.id) + " or its placement has no readable date");
    auto const age = date->to_days() - placed->to_days();
    money::CommissionBasis const basis { TRY(returns.placement_number(placement.id)), age < 0 ? 0 : age };
    store::MoneyRecord record;
    record.agency = item.agency;
    record.money_id = item.payment_id;
    record.payment_id = item.payment_id;
    record.placement = placement.id;
    record.kind = "payment";
    record.split = TRY(money::split_payment(*agency.contract, model::MoneyKind::Payment, item.amount_pence, basis));
    record.date = item.item_date;
    // The suspended line's own hash: the agency sending the line again is a duplicate.
    record.content_hash = item.content_hash.empty() ? "suspense:" + std::to_string(item.id) : item.content_hash;
    record.file = item.file;
    record.line = item.line;
    TRY(returns.add_payment(record));
    return {};
}

} // namespace

base::Result<SuspenseOutcome> decide_suspense(store::Ledger& ledger, model::GatewayConfig const& config, SuspenseDecision const& decision)
{
    std::string const what = "suspense item " + std::to_string(decision.item);
    if (decision.reason.empty())
        return make_error(ErrorCode::Usage, what + ": a decision needs a reason (--reason TEXT)");
    store::Returns returns(ledger);
    audit::Journal journal(ledger, decision.actor);
    return ledger.transaction([&]() -> base::Result<SuspenseOutcome> {
        auto const item = TRY(returns.find_suspense(decision.item));
        if (!item)
            return make_error(ErrorCode::NotFound, "no " + what);
        auto const* agency = config.find_agency(item->agency);
        if (agency == nullptr)
            return make_error(ErrorCode::ConfigInvalid, what + " is of agency " + item->agency + ", which the configuration no longer has");
        SuspenseOutcome outcome;
        outcome.agency = item->agency;
        std::string detail;
        if (decision.account) {
            auto const placement = TRY(placement_of(ledger, item->agency, *decision.account));
            if (!placement)
                return make_error(ErrorCode::Usage, what + ": account " + *decision.account + " was never placed with " + item->agency);
            TRY(returns.resolve_suspense(item->id, store::SuspenseState::Resolved, *decision.account, decision.actor, decision.reason));
            if (item->line_kind == "payment") {
                TRY(apply_payment_item(returns, *agency, *item, *placement));
                outcome.payment_applied = !item->payment_id.empty();
            }
            outcome.state = "resolved";
            outcome.placement = placement->id;
            detail = what + " (" + item->agency + " " + item->line_kind + ", reference " + item->reference + ") resolved to account "
                + *decision.account + ": " + decision.reason;
        } else {
            TRY(returns.resolve_suspense(item->id, store::SuspenseState::Rejected, "", decision.actor, decision.reason));
            outcome.state = "rejected";
            detail = what + " (" + item->agency + " " + item->line_kind + ", reference " + item->reference + ") rejected: " + decision.reason;
        }
        TRY(journal.record_command("suspense resolve", detail));
        return outcome;
    });
}

base::Result<std::string> assign_suspense(store::Ledger& ledger, SuspenseAssignment const& assignment)
{
    std::string const what = "suspense item " + std::to_string(assignment.item);
    bool const printable = std::all_of(assignment.owner.begin(), assignment.owner.end(), [](char character) { return character >= 0x20 && character < 0x7f; });
    if (assignment.owner.empty() || assignment.owner.size() > 64 || !printable)
        return make_error(ErrorCode::Usage, what + ": --owner must be 1 to 64 printable ASCII characters (a person or team)");
    store::Returns returns(ledger);
    audit::Journal journal(ledger, assignment.actor);
    return ledger.transaction([&]() -> base::Result<std::string> {
        auto const item = TRY(returns.find_suspense(assignment.item));
        if (!item)
            return make_error(ErrorCode::NotFound, "no " + what);
        TRY(returns.assign_suspense(item->id, assignment.owner));
        TRY(journal.record_command("suspense assign", what + " (" + item->agency + " " + item->line_kind + ", reference " + item->reference + ") assigned to "
            + assignment.owner + (item->owner.empty() ? std::string(" (was unassigned)") : " (was " + item->owner + ")")));
        return item->owner;
    });
}

} // namespace dcagw::ingest
