// model/case_record: one row of the case export, raw and validated.
//
// Owns: RawRecord (the text of each canonical field as the reader found it, with its
// location) and CaseRecord (the same after validation, with typed values the rules use).
// Must never: own the bytes behind the views; the reader that produced a record keeps
// them alive until it reads the next one, so a record must be used or copied at once.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/case_fields.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::model {

enum class DebtType : std::uint8_t { FTA, RECHARGE, SUNDRY, GARAGE, SERVICE_CHARGE, COURT_COSTS, HB_OVERPAYMENT, COUNCIL_TAX, ASC };
enum class BreathingSpace : std::uint8_t { None, Standard, MentalHealth };
enum class Insolvency : std::uint8_t { None, BKR, IVA, DRO, TD };
enum class PartyRole : std::uint8_t { Lead, Joint };

std::string_view to_string(DebtType type);
std::optional<DebtType> debt_type_from_string(std::string_view text);

// Where a record came from: the file as the operator named it and the 1-based line on
// which the record starts (CSV records may span lines; JSON Lines and XML report the line
// of the record's first byte).
struct SourceLocation {
    std::string_view file;
    std::uint64_t line { 0 };
};

struct RawRecord {
    SourceLocation location;
    std::array<std::string_view, case_field_count> values {};
    // A field absent from the record (no column, key or element) is distinct from one
    // present but empty; both count as missing for required fields.
    std::array<bool, case_field_count> present {};

    std::string_view value(CaseField field) const { return values[index_of(field)]; }
};

struct CaseRecord {
    RawRecord const* raw { nullptr };

    DebtType debt_type { DebtType::FTA };
    PartyRole party_role { PartyRole::Lead };
    std::int64_t balance_pence { 0 };
    std::optional<base::Date> due_date;
    std::optional<base::Date> date_of_birth;
    std::optional<base::Date> last_payment_date;
    std::optional<base::Date> last_acknowledgement_date;
    std::optional<base::Date> liability_order_date;
    std::optional<base::Date> breathing_space_start;
    std::optional<base::Date> breathing_space_end;
    BreathingSpace breathing_space { BreathingSpace::None };
    Insolvency insolvency { Insolvency::None };
    bool vulnerable { false };
    bool deceased { false };
    bool dispute { false };
    bool complaint_open { false };
    bool mental_capacity_concern { false };

    std::string_view value(CaseField field) const { return raw->value(field); }
    std::string_view account_ref() const { return value(CaseField::account_ref); }
    std::string_view person_ref() const { return value(CaseField::person_ref); }
};

// Why validation refused a record: the field (empty for whole-record problems such as
// a duplicate) and a sentence a coordinator can act on.
struct Rejection {
    std::string file;
    std::uint64_t line { 0 };
    std::string account_ref;
    std::string person_ref;
    std::string field;
    std::string reason;
};

} // namespace dcagw::model
