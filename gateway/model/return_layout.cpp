#include "gateway/model/return_layout.hpp"

#include "gateway/base/enum_names.hpp"

#include <algorithm>

namespace dcagw::model {

namespace {

// The mapping file's spelling of each field (docs/returns.md, "Canonical return fields").
constexpr base::EnumNames<ReturnField, 25> return_field_names { { {
    { ReturnField::Ignore, "ignore" },
    { ReturnField::AccountReference, "account_reference" },
    { ReturnField::CustomerReference, "customer_reference" },
    { ReturnField::Date, "date" },
    { ReturnField::Code, "code" },
    { ReturnField::Amount, "amount" },
    { ReturnField::PaymentId, "payment_id" },
    { ReturnField::RefundId, "refund_id" },
    { ReturnField::RefundType, "refund_type" },
    { ReturnField::PayoutId, "payout_id" },
    { ReturnField::PaidAt, "paid_at" },
    { ReturnField::FileName, "file_name" },
    { ReturnField::Gross, "gross" },
    { ReturnField::Commission, "commission" },
    { ReturnField::Vat, "vat" },
    { ReturnField::Net, "net" },
    { ReturnField::AddressLine1, "address_line_1" },
    { ReturnField::AddressLine2, "address_line_2" },
    { ReturnField::AddressLine3, "address_line_3" },
    { ReturnField::Town, "town" },
    { ReturnField::County, "county" },
    { ReturnField::Postcode, "postcode" },
    { ReturnField::Country, "country" },
    { ReturnField::Phone, "phone" },
    { ReturnField::Email, "email" },
} } };

} // namespace

std::string_view to_string(ReturnField field) { return return_field_names.name(field); }
std::optional<ReturnField> return_field_from_string(std::string_view text) { return return_field_names.parse(text); }

bool is_trace_field(ReturnField field)
{
    return field >= ReturnField::AddressLine1 && field <= ReturnField::Email;
}

bool is_money_field(ReturnField field)
{
    return field == ReturnField::Amount || (field >= ReturnField::Gross && field <= ReturnField::Net);
}

ReturnColumn const* ReturnLayout::column_for(ReturnField field) const
{
    auto const found = std::find_if(columns.begin(), columns.end(), [field](ReturnColumn const& column) { return column.field == field; });
    return found == columns.end() ? nullptr : &*found;
}

bool ReturnLayout::is_closure_code(std::string_view code) const
{
    return std::find(closure_codes.begin(), closure_codes.end(), code) != closure_codes.end();
}

// Iterative glob with one backtrack point: linear in practice, no recursion on hostile
// names.
bool glob_matches(std::string_view glob, std::string_view name)
{
    std::size_t g = 0, n = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (g < glob.size() && (glob[g] == '?' || (glob[g] != '*' && glob[g] == name[n]))) {
            ++g;
            ++n;
        } else if (g < glob.size() && glob[g] == '*') {
            star = g++;
            resume = n;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*')
        ++g;
    return g == glob.size();
}

} // namespace dcagw::model
