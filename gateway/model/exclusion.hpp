// model/exclusion: why an otherwise valid case was not placed with an agency.
//
// Owns: the list of exclusion reasons with their stable names (they appear in run
// summaries, the ledger and the CLI's JSON).
// Must never: decide eligibility (rules/eligibility does).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dcagw::model {

enum class ExclusionReason : std::uint8_t {
    DebtTypeNotAccepted,
    BalanceBelowMinimum,
    BalanceAboveMaximum,
    CreditOrZeroBalance,
    BreathingSpace,
    MentalHealthBreathingSpace,
    Deceased,
    Insolvency,
    Dispute,
    Complaint,
    MentalCapacity,
    Vulnerable,
    StatuteBarred,
    LimitationUnknown,
    PlacedElsewhere,
    AlreadyPlaced,
    // The agency held the debt before and the placement ended (closed, returned, recalled
    // or rejected): a later run never sends it back there by itself.
    PreviouslyPlaced,
};

inline constexpr std::size_t exclusion_reason_count = static_cast<std::size_t>(ExclusionReason::PreviouslyPlaced) + 1;

// Stable snake_case names: "breathing_space", "statute_barred", ...
std::string_view to_string(ExclusionReason reason);
std::optional<ExclusionReason> exclusion_reason_from_string(std::string_view text);

} // namespace dcagw::model
