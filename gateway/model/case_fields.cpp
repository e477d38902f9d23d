#include "gateway/model/case_fields.hpp"

#include <cassert>

namespace dcagw::model {

namespace {

using enum CaseField;
using enum FieldKind;

constexpr std::array<FieldInfo, case_field_count> table { {
    { account_ref, "account_ref", true, Text, false },
    { person_ref, "person_ref", true, Text, false },
    { party_role, "party_role", false, Enumeration, false },
    { debt_type, "debt_type", true, Enumeration, false },
    { balance_pence, "balance_pence", true, Pence, false },
    { principal_pence, "principal_pence", false, Pence, false },
    { charges_pence, "charges_pence", false, Pence, false },
    { due_date, "due_date", false, Date, false },
    { title, "title", false, Text, false },
    { first_name, "first_name", true, Text, false },
    { middle_names, "middle_names", false, Text, false },
    { last_name, "last_name", true, Text, false },
    { date_of_birth, "date_of_birth", false, Date, false },
    { ni_number, "ni_number", false, Text, false },
    { phone_home, "phone_home", false, Text, false },
    { phone_mobile, "phone_mobile", false, Text, false },
    { email, "email", false, Text, false },
    { address_line1, "address_line1", true, Text, false },
    { address_line2, "address_line2", false, Text, false },
    { address_line3, "address_line3", false, Text, false },
    { town, "town", false, Text, false },
    { county, "county", false, Text, false },
    { postcode, "postcode", true, Text, false },
    { country, "country", false, Text, false },
    { forwarding_line1, "forwarding_line1", false, Text, false },
    { forwarding_postcode, "forwarding_postcode", false, Text, false },
    { tenancy_ref, "tenancy_ref", false, Text, false },
    { tenancy_start, "tenancy_start", false, Date, false },
    { tenancy_end, "tenancy_end", false, Date, false },
    { termination_reason, "termination_reason", false, Text, false },
    { last_payment_date, "last_payment_date", false, Date, false },
    { last_payment_pence, "last_payment_pence", false, Pence, false },
    { last_acknowledgement_date, "last_acknowledgement_date", false, Date, false },
    { liability_order_date, "liability_order_date", false, Date, false },
    { vulnerable, "vulnerable", false, YesNo, false },
    { vulnerability_code, "vulnerability_code", false, Text, false },
    { vulnerability_notes, "vulnerability_notes", false, Text, true },
    { breathing_space, "breathing_space", false, Enumeration, false },
    { breathing_space_start, "breathing_space_start", false, Date, false },
    { breathing_space_end, "breathing_space_end", false, Date, false },
    { deceased, "deceased", false, YesNo, false },
    { date_of_death, "date_of_death", false, Date, false },
    { insolvency, "insolvency", false, Enumeration, false },
    { insolvency_date, "insolvency_date", false, Date, false },
    { dispute, "dispute", false, YesNo, false },
    { complaint_open, "complaint_open", false, YesNo, false },
    { mental_capacity_concern, "mental_capacity_concern", false, YesNo, false },
    { officer, "officer", false, Text, false },
    { notes, "notes", false, Text, true },
} };

constexpr std::string_view party_roles[] = { "lead", "joint" };
constexpr std::string_view debt_types[] = { "FTA", "RECHARGE", "SUNDRY", "GARAGE", "SERVICE_CHARGE", "COURT_COSTS", "HB_OVERPAYMENT", "COUNCIL_TAX", "ASC" };
constexpr std::string_view breathing_spaces[] = { "NONE", "STANDARD", "MENTAL_HEALTH" };
constexpr std::string_view insolvencies[] = { "NONE", "BKR", "IVA", "DRO", "TD" };

constexpr bool table_is_in_enum_order()
{
    for (std::size_t i = 0; i < table.size(); ++i)
        if (static_cast<std::size_t>(table[i].field) != i)
            return false;
    return true;
}
static_assert(table_is_in_enum_order(), "field table must follow the CaseField order");

} // namespace

std::array<FieldInfo, case_field_count> const& field_table()
{
    return table;
}

FieldInfo const& info(CaseField field)
{
    return table[index_of(field)];
}

std::string_view name_of(CaseField field)
{
    return table[index_of(field)].name;
}

std::optional<CaseField> field_from_name(std::string_view name)
{
    for (auto const& entry : table)
        if (entry.name == name)
            return entry.field;
    return std::nullopt;
}

std::span<std::string_view const> allowed_values(CaseField field)
{
    switch (field) {
    case CaseField::party_role: return party_roles;
    case CaseField::debt_type: return debt_types;
    case CaseField::breathing_space: return breathing_spaces;
    case CaseField::insolvency: return insolvencies;
    default: return {};
    }
}

} // namespace dcagw::model
