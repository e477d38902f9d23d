#include "gateway/rules/validation.hpp"

#include "gateway/base/text.hpp"
#include "gateway/rules/field_checks.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace dcagw::rules {

namespace {

using model::CaseField;
using model::FieldKind;

// |pence| above this is a data error, not a debt: £1,000,000,000.00.
constexpr std::int64_t max_pence_magnitude = 100'000'000'000;
// References longer than this do not fit agency systems and usually mean a shifted column.
constexpr std::size_t max_reference_bytes = 64;
constexpr base::Date earliest_birth_date { 1900, 1, 1 };

// Collects the rejections of one row. Everything here runs only once a problem has been
// found, so the success path never allocates.
class RejectionSink {
public:
    RejectionSink(model::RawRecord const& raw, std::vector<model::Rejection>& rejections)
        : m_raw(raw)
        , m_rejections(rejections)
    {
    }

    // Starts a rejection for `field` and returns its reason, already holding "field: ",
    // for the caller to finish.
    std::string& add(CaseField field)
    {
        model::Rejection rejection;
        rejection.file = std::string(m_raw.location.file);
        rejection.line = m_raw.location.line;
        append_escaped(rejection.account_ref, base::trim(m_raw.value(CaseField::account_ref)), max_reference_bytes);
        append_escaped(rejection.person_ref, base::trim(m_raw.value(CaseField::person_ref)), max_reference_bytes);
        rejection.field = std::string(model::name_of(field));
        rejection.reason = rejection.field + ": ";
        m_rejections.push_back(std::move(rejection));
        return m_rejections.back().reason;
    }

private:
    model::RawRecord const& m_raw;
    std::vector<model::Rejection>& m_rejections;
};

// What the per-field pass learnt, kept on the stack for the cross-field checks. Flags are
// bit sets over the field index so that clearing the whole thing per row costs little.
struct ParsedRow {
    static_assert(model::case_field_count <= 64, "field flags are one 64-bit word");

    std::uint64_t usable { 0 }; // passed its own checks and not empty
    std::uint64_t faulty { 0 }; // already rejected
    std::uint64_t yes { 0 };    // a Y flag
    std::int64_t balance_pence { 0 };
    std::array<std::uint8_t, model::case_field_count> choice {}; // enumeration index
    // Only the entries whose field is a usable Date are meaningful; deliberately left
    // uninitialised (a plain struct) so a row does not pay for clearing them.
    struct DateParts {
        int year;
        int month;
        int day;
    };
    std::array<DateParts, model::case_field_count> dates;

    static std::uint64_t bit(std::size_t index) { return std::uint64_t { 1 } << index; }
    bool is_usable(CaseField field) const { return usable & bit(model::index_of(field)); }
    bool is_faulty(CaseField field) const { return faulty & bit(model::index_of(field)); }
    bool is_yes(CaseField field) const { return yes & bit(model::index_of(field)); }
    std::optional<base::Date> date(CaseField field) const
    {
        if (!is_usable(field))
            return std::nullopt;
        auto const& parts = dates[model::index_of(field)];
        return base::Date { parts.year, parts.month, parts.day };
    }
};

void append_allowed(std::string& out, CaseField field)
{
    bool first = true;
    for (auto value : model::allowed_values(field)) {
        if (!first)
            out.append(", ");
        first = false;
        out.append(value);
    }
}

// Checks one field on its own; records typed values in `parsed`.
void check_field(model::FieldInfo const& info, model::RawRecord const& raw, ParsedRow& parsed, RejectionSink& sink)
{
    // Internal free text (notes, vulnerability_notes) never leaves the gateway and is never
    // stored, so line breaks and tabs in it are harmless: a coordinator's multi-line note
    // must not hold a case back.
    if (info.never_shared)
        return;
    auto const index = model::index_of(info.field);
    std::string_view const value = raw.values[index];

    // Most optional fields are empty: settle them before any scanning.
    if (value.empty()) {
        if (info.required) {
            sink.add(info.field) += raw.present[index] ? "is required but empty" : "is required but the record does not have it";
            parsed.faulty |= ParsedRow::bit(index);
        }
        return;
    }
    // Most values are plain ASCII; only the others need the exact (slower) checks.
    bool const plain = is_plain_printable_ascii(value);
    if (auto control = plain ? std::nullopt : find_control_character(value)) {
        auto& reason = sink.add(info.field);
        reason += "contains a ";
        reason += control->name;
        reason += " (code " + std::to_string(control->code_point) + ") at byte " + std::to_string(control->offset + 1);
        reason += "; line breaks, tabs and other control characters are not allowed, so correct the value in the source system";
        parsed.faulty |= ParsedRow::bit(index);
        return;
    }
    // Trimming is a call; most values have nothing to trim and empty ones nothing at all.
    std::string_view const text = (value.front() != ' ' && value.back() != ' ') ? value : base::trim(value);
    if (text.empty()) {
        if (info.required) {
            auto& reason = sink.add(info.field);
            reason += raw.present[index] ? "is required but empty" : "is required but the record does not have it";
            parsed.faulty |= ParsedRow::bit(index);
        }
        return;
    }

    // The value, redacted, then why it was refused; the row is marked faulty.
    auto const refuse_value = [&](std::string_view why) {
        auto& reason = sink.add(info.field);
        append_redacted(reason, text);
        reason += why;
        parsed.faulty |= ParsedRow::bit(index);
    };

    switch (info.kind) {
    case FieldKind::Text:
        if (!plain && !base::is_valid_utf8(text)) {
            sink.add(info.field) += "is not valid UTF-8 text; re-export the file as UTF-8";
            parsed.faulty |= ParsedRow::bit(index);
            return;
        }
        break;
    case FieldKind::Pence: {
        auto const pence = base::parse_int64(text);
        if (!pence) {
            refuse_value(" is not a whole number of pence (write 1250 for £12.50)");
            return;
        }
        if (*pence > max_pence_magnitude || *pence < -max_pence_magnitude) {
            refuse_value(" is out of range: the limit is 100000000000 pence (£1,000,000,000) either way");
            return;
        }
        if (info.field == CaseField::balance_pence)
            parsed.balance_pence = *pence;
        break;
    }
    case FieldKind::Date: {
        auto const date = base::Date::parse(text);
        if (!date) {
            refuse_value(" is not a real calendar date in the form YYYY-MM-DD");
            return;
        }
        parsed.dates[index] = { date->year, date->month, date->day };
        break;
    }
    case FieldKind::YesNo:
        if (text == "Y") {
            parsed.yes |= ParsedRow::bit(index);
        } else if (text != "N") {
            refuse_value(" must be Y or N (empty means N)");
            return;
        }
        break;
    case FieldKind::Enumeration: {
        auto const allowed = model::allowed_values(info.field);
        std::size_t found = allowed.size();
        for (std::size_t i = 0; i < allowed.size(); ++i) {
            if (allowed[i] == text) {
                found = i;
                break;
            }
        }
        if (found == allowed.size()) {
            auto& reason = sink.add(info.field);
            append_redacted(reason, text);
            reason += " is not one of ";
            append_allowed(reason, info.field);
            reason += " (exactly as written)";
            parsed.faulty |= ParsedRow::bit(index);
            return;
        }
        parsed.choice[index] = static_cast<std::uint8_t>(found);
        break;
    }
    }
    parsed.usable |= ParsedRow::bit(index);
}

void check_reference(CaseField field, model::RawRecord const& raw, ParsedRow const& parsed, RejectionSink& sink)
{
    if (!parsed.is_usable(field))
        return;
    std::string_view const value = raw.value(field);
    if (value.size() > max_reference_bytes) {
        sink.add(field) += "is " + std::to_string(value.size()) + " bytes long; references may be at most 64";
    } else if (!is_printable_ascii(value)) {
        sink.add(field) += "contains characters other than printable ASCII; references must be plain letters, digits and punctuation";
    } else if (value != base::trim(value)) {
        sink.add(field) += "has leading or trailing spaces; references are compared exactly, so remove them";
    }
}

void check_dates(base::Date today, ParsedRow const& parsed, RejectionSink& sink)
{
    if (auto const birth = parsed.date(CaseField::date_of_birth)) {
        if (*birth > today) {
            sink.add(CaseField::date_of_birth) += "is in the future (today is " + today.to_string() + ")";
        } else if (*birth < earliest_birth_date) {
            sink.add(CaseField::date_of_birth) += "is before 1900-01-01";
        }
    }
    if (auto const death = parsed.date(CaseField::date_of_death); death && *death > today)
        sink.add(CaseField::date_of_death) += "is in the future (today is " + today.to_string() + ")";
}

void check_breathing_space(model::RawRecord const& raw, ParsedRow const& parsed, RejectionSink& sink)
{
    auto const start = parsed.date(CaseField::breathing_space_start);
    auto const end = parsed.date(CaseField::breathing_space_end);
    bool const in_force = parsed.is_usable(CaseField::breathing_space) && parsed.choice[model::index_of(CaseField::breathing_space)] != 0;
    if (in_force && !start && !parsed.is_faulty(CaseField::breathing_space_start)) {
        auto& reason = sink.add(CaseField::breathing_space_start);
        reason += "is required when breathing_space is ";
        reason += base::trim(raw.value(CaseField::breathing_space));
        reason += "; give the date the moratorium started";
    }
    if (start && end && *end < *start)
        sink.add(CaseField::breathing_space_end) += "is before breathing_space_start";
}

void check_contact(model::RawRecord const& raw, ParsedRow const& parsed, RejectionSink& sink)
{
    if (parsed.is_usable(CaseField::postcode) && !parsed.is_faulty(CaseField::country)) {
        std::string_view const country = base::trim(raw.value(CaseField::country));
        std::string_view const postcode = base::trim(raw.value(CaseField::postcode));
        if (is_uk_country(country) && !is_plausible_uk_postcode(postcode)) {
            auto& reason = sink.add(CaseField::postcode);
            append_redacted(reason, postcode);
            reason += " does not look like a UK postcode (such as SW1A 1AA); correct it, or set country for an address abroad";
        }
    }
    if (parsed.is_usable(CaseField::email) && !is_plausible_email(base::trim(raw.value(CaseField::email)))) {
        sink.add(CaseField::email) += "is not an email address: it needs exactly one '@', no spaces and a dot inside the domain";
    }
}

void fill_record(ParsedRow const& parsed, model::RawRecord const& raw, model::CaseRecord& out)
{
    auto date = [&](CaseField field) { return parsed.date(field); };
    auto yes = [&](CaseField field) { return parsed.is_yes(field); };
    auto choice = [&](CaseField field) { return parsed.choice[model::index_of(field)]; };

    // One aggregate, so no member can be left over from the previous row (a CaseRecord is
    // a few trivially copyable words). The model's allowed-value lists are in the same
    // order as the enums (tested).
    out = model::CaseRecord { .raw = &raw, .debt_type = static_cast<model::DebtType>(choice(CaseField::debt_type)),
        .party_role = static_cast<model::PartyRole>(choice(CaseField::party_role)), .balance_pence = parsed.balance_pence,
        .due_date = date(CaseField::due_date), .date_of_birth = date(CaseField::date_of_birth),
        .last_payment_date = date(CaseField::last_payment_date), .last_acknowledgement_date = date(CaseField::last_acknowledgement_date),
        .liability_order_date = date(CaseField::liability_order_date), .breathing_space_start = date(CaseField::breathing_space_start),
        .breathing_space_end = date(CaseField::breathing_space_end),
        .breathing_space = static_cast<model::BreathingSpace>(choice(CaseField::breathing_space)),
        .insolvency = static_cast<model::Insolvency>(choice(CaseField::insolvency)), .vulnerable = yes(CaseField::vulnerable),
        .deceased = yes(CaseField::deceased), .dispute = yes(CaseField::dispute), .complaint_open = yes(CaseField::complaint_open),
        .mental_capacity_concern = yes(CaseField::mental_capacity_concern) };
}

} // namespace

bool Validator::validate(model::RawRecord const& raw, model::CaseRecord& out, std::vector<model::Rejection>& rejections) const
{
    std::size_t const rejections_before = rejections.size();
    RejectionSink sink(raw, rejections);
    ParsedRow parsed; // default-initialised on purpose: see ParsedRow::dates

    for (auto const& info : model::field_table())
        check_field(info, raw, parsed, sink);
    check_reference(CaseField::account_ref, raw, parsed, sink);
    check_reference(CaseField::person_ref, raw, parsed, sink);
    check_dates(m_today, parsed, sink);
    check_breathing_space(raw, parsed, sink);
    check_contact(raw, parsed, sink);

    if (rejections.size() != rejections_before)
        return false;
    fill_record(parsed, raw, out);
    return true;
}

} // namespace dcagw::rules
