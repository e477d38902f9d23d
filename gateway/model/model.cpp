#include "gateway/model/case_record.hpp"
#include "gateway/model/exclusion.hpp"

#include <array>
#include <string>

namespace dcagw::model {

namespace {

constexpr std::array<std::string_view, 9> debt_type_names { "FTA", "RECHARGE", "SUNDRY", "GARAGE", "SERVICE_CHARGE", "COURT_COSTS", "HB_OVERPAYMENT", "COUNCIL_TAX", "ASC" };

constexpr std::array<std::string_view, exclusion_reason_count> exclusion_names {
    "debt_type_not_accepted",
    "balance_below_minimum",
    "balance_above_maximum",
    "credit_or_zero_balance",
    "breathing_space",
    "mental_health_breathing_space",
    "deceased",
    "insolvency",
    "dispute",
    "complaint",
    "mental_capacity",
    "vulnerable",
    "statute_barred",
    "limitation_unknown",
    "placed_elsewhere",
    "already_placed",
};

} // namespace

std::string_view to_string(DebtType type)
{
    return debt_type_names[static_cast<std::size_t>(type)];
}

std::optional<DebtType> debt_type_from_string(std::string_view text)
{
    for (std::size_t i = 0; i < debt_type_names.size(); ++i)
        if (debt_type_names[i] == text)
            return static_cast<DebtType>(i);
    return std::nullopt;
}

std::string_view to_string(ExclusionReason reason)
{
    return exclusion_names[static_cast<std::size_t>(reason)];
}

std::optional<ExclusionReason> exclusion_reason_from_string(std::string_view text)
{
    for (std::size_t i = 0; i < exclusion_names.size(); ++i)
        if (exclusion_names[i] == text)
            return static_cast<ExclusionReason>(i);
    return std::nullopt;
}

} // namespace dcagw::model

#include "gateway/model/config.hpp"
#include "gateway/model/mapping.hpp"

#include <algorithm>

namespace dcagw::model {

namespace {

constexpr std::array<std::string_view, 12> transform_names {
    "copy", "date_format", "upper", "lower", "title", "truncate", "mask", "constant", "concatenate", "pence_to_pounds", "lookup", "pseudonym",
};

} // namespace

std::string_view to_string(Transform transform)
{
    return transform_names[static_cast<std::size_t>(transform)];
}

std::optional<Transform> transform_from_string(std::string_view text)
{
    for (std::size_t i = 0; i < transform_names.size(); ++i)
        if (transform_names[i] == text)
            return static_cast<Transform>(i);
    if (text == "rename")
        return Transform::Copy;
    return std::nullopt;
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
