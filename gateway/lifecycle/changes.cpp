#include "gateway/lifecycle/changes.hpp"

#include "gateway/rules/eligibility.hpp"

#include <algorithm>
#include <string>

namespace dcagw::lifecycle {

using model::ReturnReason;
using ChangeKind = model::MessageKind;

namespace {

std::optional<ReturnReason> insolvency_reason(model::Insolvency insolvency)
{
    switch (insolvency) {
    case model::Insolvency::None: return std::nullopt;
    case model::Insolvency::BKR: return ReturnReason::InsolvencyBankruptcy;
    case model::Insolvency::IVA: return ReturnReason::InsolvencyIva;
    case model::Insolvency::DRO: return ReturnReason::InsolvencyDro;
    case model::Insolvency::TD: return ReturnReason::InsolvencyTrustDeed;
    }
    return std::nullopt;
}

Action action_for(ReturnReason concern, Policy const& policy)
{
    switch (concern) {
    case ReturnReason::BreathingSpace: return policy.breathing_space;
    case ReturnReason::MentalHealthCrisis: return policy.mental_health_crisis;
    case ReturnReason::Dispute: return policy.dispute;
    case ReturnReason::Complaint: return policy.complaint;
    case ReturnReason::MentalCapacity: return policy.mental_capacity;
    case ReturnReason::Deceased: return policy.deceased;
    case ReturnReason::InsolvencyBankruptcy:
    case ReturnReason::InsolvencyIva:
    case ReturnReason::InsolvencyDro:
    case ReturnReason::InsolvencyTrustDeed: return policy.insolvency;
    default: return Action::Hold;
    }
}

std::optional<ReturnReason> first_with(std::vector<ReturnReason> const& concerns, Action action, Policy const& policy)
{
    auto found = std::find_if(concerns.begin(), concerns.end(), [&](ReturnReason concern) { return action_for(concern, policy) == action; });
    if (found == concerns.end())
        return std::nullopt;
    return *found;
}

// The Ophelos closure note carries the end of a standard breathing space. A mental-health
// crisis moratorium has no fixed end and shares only the fact of the moratorium.
std::optional<base::Date> hold_until(ReturnReason reason, model::CaseRecord const& record)
{
    if (reason != ReturnReason::BreathingSpace)
        return std::nullopt;
    return record.breathing_space_end;
}

} // namespace

std::vector<ReturnReason> concerns_of(model::CaseRecord const& record, base::Date today)
{
    std::vector<ReturnReason> concerns;
    if (rules::breathing_space_active(record, today))
        concerns.push_back(record.breathing_space == model::BreathingSpace::MentalHealth ? ReturnReason::MentalHealthCrisis : ReturnReason::BreathingSpace);
    if (record.deceased)
        concerns.push_back(ReturnReason::Deceased);
    if (auto insolvency = insolvency_reason(record.insolvency))
        concerns.push_back(*insolvency);
    if (record.dispute)
        concerns.push_back(ReturnReason::Dispute);
    if (record.complaint_open)
        concerns.push_back(ReturnReason::Complaint);
    if (record.mental_capacity_concern)
        concerns.push_back(ReturnReason::MentalCapacity);
    return concerns;
}

base::Result<std::vector<Change>> derive_changes(ToldState const& told, model::CaseRecord const& record, Policy const& policy, base::Date today)
{
    auto const concerns = concerns_of(record, today);
    // A recall ends the agency's work on the debt: no update or hold is worth sending with
    // it, whatever the balance says.
    if (auto recall = first_with(concerns, Action::Recall, policy))
        return std::vector<Change> { Change { ChangeKind::Recall, recall, 0, std::nullopt } };

    if (record.balance_pence < 0)
        return base::Error(base::ErrorCode::RecordInvalid,
            "balance_pence: the export shows a credit balance, which would take the balance the agency holds below zero; nothing is sent for this debt");

    std::vector<Change> changes;
    auto const wanted_hold = first_with(concerns, Action::Hold, policy);
    if (wanted_hold && wanted_hold != told.hold)
        changes.push_back(Change { ChangeKind::Hold, wanted_hold, 0, hold_until(*wanted_hold, record) });
    if (record.balance_pence != told.balance_pence)
        changes.push_back(Change { ChangeKind::BalanceUpdate, std::nullopt, record.balance_pence - told.balance_pence, std::nullopt });
    if (!wanted_hold && told.hold)
        changes.push_back(Change { ChangeKind::Release, told.hold, 0, std::nullopt });
    return changes;
}

base::Result<Change> operator_change(ToldState const* told, model::MessageKind kind, std::optional<ReturnReason> reason, std::optional<base::Date> until)
{
    auto const refuse = [](std::string why) { return base::Error(base::ErrorCode::Usage, std::move(why)); };
    auto const kind_name = std::string(model::to_string(kind));
    if (kind == ChangeKind::BalanceUpdate)
        return refuse("balances change through the export, not by command: the next `dcagw place` tells the agency");
    if (told == nullptr)
        return refuse("the agency holds no open placement of this debt, so there is nothing to " + kind_name);
    if ((kind == ChangeKind::Hold || kind == ChangeKind::Close) && !reason)
        return refuse("a " + kind_name + " needs a reason code (e.g. DSP, BSM, PIF)");
    if (kind == ChangeKind::Release) {
        if (!told->hold)
            return refuse("there is no hold in force to release");
        reason = told->hold;
    }
    if (kind == ChangeKind::Hold && told->hold == reason)
        return refuse("a " + std::string(model::to_string(*reason)) + " hold is already in force");
    if (kind == ChangeKind::Recall && !reason)
        reason = ReturnReason::Recalled;
    return Change { kind, reason, 0, kind == ChangeKind::Hold ? until : std::nullopt };
}

base::Result<void> check_vanished(std::uint64_t open, std::uint64_t vanished, unsigned max_share_percent, MassChange confirmation)
{
    if (vanished == 0 || confirmation == MassChange::Confirmed)
        return {};
    // Compared in integers: vanished / open > max / 100, without rounding either side.
    if (vanished * 100 <= static_cast<std::uint64_t>(max_share_percent) * open)
        return {};
    return base::Error(base::ErrorCode::RecordInvalid,
        std::to_string(vanished) + " of " + std::to_string(open) + " accounts with open placements are missing from this export, more than the "
            + std::to_string(max_share_percent) + "% allowed at once; a truncated export looks exactly like this, so nothing was changed")
        .with_hint("check the export is complete; if the debts really went, run again with --confirm-mass-change");
}

} // namespace dcagw::lifecycle
