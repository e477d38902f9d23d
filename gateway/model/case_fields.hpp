// model/case_fields: the canonical case export's field list (shared/docs/domain.md).
//
// Owns: the one table of canonical field names, whether each is required, what kind of
// value it holds, and whether it may ever leave the gateway.
// Must never: parse or validate values (rules/validation does that).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace dcagw::model {

enum class CaseField : std::uint8_t {
    account_ref,
    person_ref,
    party_role,
    debt_type,
    balance_pence,
    principal_pence,
    charges_pence,
    due_date,
    title,
    first_name,
    middle_names,
    last_name,
    date_of_birth,
    ni_number,
    phone_home,
    phone_mobile,
    email,
    address_line1,
    address_line2,
    address_line3,
    town,
    county,
    postcode,
    country,
    forwarding_line1,
    forwarding_postcode,
    tenancy_ref,
    tenancy_start,
    tenancy_end,
    termination_reason,
    last_payment_date,
    last_payment_pence,
    last_acknowledgement_date,
    liability_order_date,
    vulnerable,
    vulnerability_code,
    vulnerability_notes,
    breathing_space,
    breathing_space_start,
    breathing_space_end,
    deceased,
    date_of_death,
    insolvency,
    insolvency_date,
    dispute,
    complaint_open,
    mental_capacity_concern,
    officer,
    notes,
};

inline constexpr std::size_t case_field_count = static_cast<std::size_t>(CaseField::notes) + 1;

enum class FieldKind : std::uint8_t {
    Text,
    Pence,   // integer pence, may be negative
    Date,    // YYYY-MM-DD
    YesNo,   // Y | N
    Enumeration,
};

struct FieldInfo {
    CaseField field;
    std::string_view name;
    bool required;
    FieldKind kind;
    // Internal free text that must never leave the gateway under any mapping.
    bool never_shared;
};

std::array<FieldInfo, case_field_count> const& field_table();
FieldInfo const& info(CaseField field);
std::string_view name_of(CaseField field);
std::optional<CaseField> field_from_name(std::string_view name);

inline constexpr std::size_t index_of(CaseField field) { return static_cast<std::size_t>(field); }

// The values an Enumeration field may take (empty for other kinds).
std::span<std::string_view const> allowed_values(CaseField field);

} // namespace dcagw::model
