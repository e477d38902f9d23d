// layouts/return_values: the strict readers of one return field's text: money, dates,
// RFC 3339 timestamps.
//
// Owns: integer-pence amounts from minor units or pounds with exactly two decimals (no
// floating point), the declared sign, real calendar dates not in the future, RFC 3339.
// Must never: put the text it was given into the problem it reports (it may be personal
// data); accept a value it had to guess at.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/return_layout.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace dcagw::layouts::detail {

// Either the value or the problem (a sentence without the text).
template<typename T>
using Parsed = std::variant<T, std::string>;

enum class Positivity : std::uint8_t {
    AboveZero,   // payments, refunds, payout lines
    ZeroOrMore,  // a payout's totals (commission may be zero)
};

// The amount in pence, as the layout declares its unit and sign (a refund written
// negative comes back positive).
Parsed<std::int64_t> parse_amount(std::string_view text, model::MoneyUnit unit, model::AmountSign sign, Positivity positivity);

// The date in the layout's format; a day after `today` is refused.
Parsed<base::Date> parse_return_date(std::string_view text, model::ReturnDateFormat format, base::Date today);

// An RFC 3339 date-time (section 5.6, 'T' or 't', 'Z' or an offset); the date part must
// exist and not lie after `today`.
Parsed<base::Date> parse_rfc3339(std::string_view text, base::Date today);

} // namespace dcagw::layouts::detail
