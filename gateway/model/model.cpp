#include "gateway/model/case_record.hpp"
#include "gateway/model/exclusion.hpp"

#include "gateway/base/enum_names.hpp"

#include <array>
#include <string>

namespace dcagw::model {

namespace {

constexpr base::EnumNames<DebtType, 9> debt_type_names { { {
    { DebtType::FTA, "FTA" }, { DebtType::RECHARGE, "RECHARGE" }, { DebtType::SUNDRY, "SUNDRY" }, { DebtType::GARAGE, "GARAGE" }, { DebtType::SERVICE_CHARGE, "SERVICE_CHARGE" },
    { DebtType::COURT_COSTS, "COURT_COSTS" }, { DebtType::HB_OVERPAYMENT, "HB_OVERPAYMENT" }, { DebtType::COUNCIL_TAX, "COUNCIL_TAX" }, { DebtType::ASC, "ASC" },
} } };

constexpr base::EnumNames<ExclusionReason, exclusion_reason_count> exclusion_names { { {
    { ExclusionReason::DebtTypeNotAccepted, "debt_type_not_accepted" },
    { ExclusionReason::BalanceBelowMinimum, "balance_below_minimum" },
    { ExclusionReason::BalanceAboveMaximum, "balance_above_maximum" },
    { ExclusionReason::CreditOrZeroBalance, "credit_or_zero_balance" },
    { ExclusionReason::BreathingSpace, "breathing_space" },
    { ExclusionReason::MentalHealthBreathingSpace, "mental_health_breathing_space" },
    { ExclusionReason::Deceased, "deceased" },
    { ExclusionReason::Insolvency, "insolvency" },
    { ExclusionReason::Dispute, "dispute" },
    { ExclusionReason::Complaint, "complaint" },
    { ExclusionReason::MentalCapacity, "mental_capacity" },
    { ExclusionReason::Vulnerable, "vulnerable" },
    { ExclusionReason::StatuteBarred, "statute_barred" },
    { ExclusionReason::LimitationUnknown, "limitation_unknown" },
    { ExclusionReason::PlacedElsewhere, "placed_elsewhere" },
    { ExclusionReason::AlreadyPlaced, "already_placed" },
    { ExclusionReason::PreviouslyPlaced, "previously_placed" },
} } };

} // namespace

std::string_view to_string(DebtType type)
{
    return debt_type_names.name(type);
}

std::optional<DebtType> debt_type_from_string(std::string_view text)
{
    return debt_type_names.parse(text);
}

std::string_view to_string(ExclusionReason reason)
{
    return exclusion_names.name(reason);
}

std::optional<ExclusionReason> exclusion_reason_from_string(std::string_view text)
{
    return exclusion_names.parse(text);
}

} // namespace dcagw::model

#include "gateway/model/config.hpp"
#include "gateway/model/mapping.hpp"

#include <algorithm>

namespace dcagw::model {

namespace {

constexpr base::EnumNames<Transform, 12> transform_names { { {
    { Transform::Copy, "copy" },
    { Transform::DateFormat, "date_format" },
    { Transform::Upper, "upper" },
    { Transform::Lower, "lower" },
    { Transform::Title, "title" },
    { Transform::Truncate, "truncate" },
    { Transform::Mask, "mask" },
    { Transform::Constant, "constant" },
    { Transform::Concatenate, "concatenate" },
    { Transform::PenceToPounds, "pence_to_pounds" },
    { Transform::Lookup, "lookup" },
    { Transform::Pseudonym, "pseudonym" },
} } };

} // namespace

std::string_view to_string(Transform transform)
{
    return transform_names.name(transform);
}

std::optional<Transform> transform_from_string(std::string_view text)
{
    if (text == "rename") // the older spelling of copy under another column name
        return Transform::Copy;
    return transform_names.parse(text);
}

std::vector<CaseField> Mapping::fields_shared() const
{
    std::vector<CaseField> fields;
    for (auto const& column : columns)
        for (auto field : column.sources)
            if (std::find(fields.begin(), fields.end(), field) == fields.end())
                fields.push_back(field);
    return fields;
}

AgencyConfig const* GatewayConfig::find_agency(std::string_view id) const
{
    for (auto const& agency : agencies)
        if (agency.id == id)
            return &agency;
    return nullptr;
}

namespace {

bool is_xml_name_character(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

} // namespace

bool is_valid_xml_name(std::string_view name)
{
    if (name.empty() || name.size() > 128)
        return false;
    char const first = name.front();
    if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_'))
        return false;
    if (name.size() >= 3) {
        std::string prefix(name.substr(0, 3));
        std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](char c) { return static_cast<char>(c | 0x20); });
        if (prefix == "xml")
            return false;
    }
    return std::all_of(name.begin(), name.end(), is_xml_name_character);
}

} // namespace dcagw::model
