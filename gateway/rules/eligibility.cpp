#include "gateway/rules/eligibility.hpp"

#include "gateway/rules/limitation.hpp"

#include <algorithm>

namespace dcagw::rules {

bool breathing_space_active(model::CaseRecord const& record, base::Date today)
{
    if (record.breathing_space == model::BreathingSpace::None)
        return false;
    // A breathing space with no start date cannot pass validation; if one arrives anyway it
    // is treated as in force, because wrongly pausing collection costs far less than
    // breaching a moratorium.
    if (!record.breathing_space_start)
        return true;
    if (*record.breathing_space_start > today)
        return false;
    return !record.breathing_space_end || *record.breathing_space_end >= today;
}

std::optional<model::ExclusionReason> exclusion_for(model::CaseRecord const& record, model::Eligibility const& eligibility, base::Date today)
{
    using model::ExclusionReason;

    // Protections for the person come first, so the recorded reason is the one that
    // matters most when several apply.
    if (breathing_space_active(record, today))
        return record.breathing_space == model::BreathingSpace::MentalHealth ? ExclusionReason::MentalHealthBreathingSpace
                                                                             : ExclusionReason::BreathingSpace;
    if (record.deceased)
        return ExclusionReason::Deceased;
    if (record.insolvency != model::Insolvency::None)
        return ExclusionReason::Insolvency;
    if (record.mental_capacity_concern)
        return ExclusionReason::MentalCapacity;
    if (record.dispute)
        return ExclusionReason::Dispute;
    if (record.complaint_open)
        return ExclusionReason::Complaint;
    if (record.vulnerable && eligibility.vulnerable == model::VulnerablePolicy::Exclude)
        return ExclusionReason::Vulnerable;
    if (record.balance_pence <= 0)
        return ExclusionReason::CreditOrZeroBalance;

    switch (compute_limitation(record, today, Explanation::Omit).status) {
    case LimitationStatus::StatuteBarred: return ExclusionReason::StatuteBarred;
    case LimitationStatus::Unknown: return ExclusionReason::LimitationUnknown;
    case LimitationStatus::InTime:
    case LimitationStatus::NeverBarred: break;
    }

    // Then the agency's own preferences.
    if (!eligibility.debt_types.empty()
        && std::find(eligibility.debt_types.begin(), eligibility.debt_types.end(), record.debt_type) == eligibility.debt_types.end())
        return ExclusionReason::DebtTypeNotAccepted;
    if (eligibility.minimum_balance_pence && record.balance_pence < *eligibility.minimum_balance_pence)
        return ExclusionReason::BalanceBelowMinimum;
    if (eligibility.maximum_balance_pence && record.balance_pence > *eligibility.maximum_balance_pence)
        return ExclusionReason::BalanceAboveMaximum;
    return std::nullopt;
}

} // namespace dcagw::rules
