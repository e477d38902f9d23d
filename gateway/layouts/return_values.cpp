#include "gateway/layouts/return_values.hpp"

#include <limits>

namespace dcagw::layouts::detail {

namespace {

bool all_digits(std::string_view text)
{
    if (text.empty())
        return false;
    for (char const c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// Digits only, into pence, refusing overflow.
bool digits_to_int(std::string_view digits, std::int64_t& value)
{
    value = 0;
    for (char const c : digits) {
        auto const digit = c - '0';
        if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    return true;
}

int two_digits(std::string_view text, std::size_t at)
{
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

} // namespace

Parsed<std::int64_t> parse_amount(std::string_view text, model::MoneyUnit unit, model::AmountSign sign, Positivity positivity)
{
    if (text.empty())
        return std::string("is empty");
    bool const negative = text.front() == '-';
    if (negative)
        text.remove_prefix(1);
    std::int64_t pence = 0;
    if (unit == model::MoneyUnit::MinorUnits) {
        if (!all_digits(text))
            return std::string("is not a whole number of minor units (pence)");
        if (!digits_to_int(text, pence))
            return std::string("is too large");
    } else {
        auto const point = text.find('.');
        if (point == std::string_view::npos || point == 0 || text.size() - point != 3 || !all_digits(text.substr(0, point)) || !all_digits(text.substr(point + 1)))
            return std::string("is not an amount in pounds with exactly two decimals");
        std::int64_t pounds = 0;
        auto const cents = two_digits(text, point + 1);
        if (!digits_to_int(text.substr(0, point), pounds) || pounds > (std::numeric_limits<std::int64_t>::max() - cents) / 100)
            return std::string("is too large");
        pence = pounds * 100 + cents;
    }
    bool const zero = pence == 0;
    if (zero && negative)
        return std::string("is a negative zero");
    if (positivity == Positivity::ZeroOrMore) {
        if (negative)
            return std::string("is negative");
        return pence;
    }
    if (zero)
        return std::string("is zero");
    bool const written_negative = sign == model::AmountSign::Negative;
    if (negative != written_negative)
        return std::string(written_negative ? "is not negative (this layout writes these amounts negative)" : "is negative");
    return pence;
}

Parsed<base::Date> parse_return_date(std::string_view text, model::ReturnDateFormat format, base::Date today)
{
    if (text.empty())
        return std::string("is empty");
    std::optional<base::Date> date;
    switch (format) {
    case model::ReturnDateFormat::IsoDate:
        date = base::Date::parse(text);
        if (!date)
            return std::string("is not a real date written YYYY-MM-DD");
        break;
    case model::ReturnDateFormat::UkDate: {
        if (text.size() != 10 || text[2] != '/' || text[5] != '/')
            return std::string("is not a real date written DD/MM/YYYY");
        std::string iso;
        iso.append(text.substr(6, 4)).append("-").append(text.substr(3, 2)).append("-").append(text.substr(0, 2));
        date = base::Date::parse(iso);
        if (!date)
            return std::string("is not a real date written DD/MM/YYYY");
        break;
    }
    case model::ReturnDateFormat::Rfc3339:
        return parse_rfc3339(text, today);
    }
    if (*date > today)
        return std::string("lies in the future");
    return *date;
}

Parsed<base::Date> parse_rfc3339(std::string_view text, base::Date today)
{
    constexpr char const* problem = "is not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss[.fff]Z or +hh:mm)";
    if (text.size() < 20)
        return std::string(problem);
    auto const date = base::Date::parse(text.substr(0, 10));
    if (!date || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        return std::string(problem);
    for (std::size_t at : { 11u, 14u, 17u })
        if (!all_digits(text.substr(at, 2)))
            return std::string(problem);
    // Second 60 is a leap second (RFC 3339 allows it).
    if (two_digits(text, 11) > 23 || two_digits(text, 14) > 59 || two_digits(text, 17) > 60)
        return std::string(problem);
    auto rest = text.substr(19);
    if (rest.front() == '.') {
        std::size_t digits = 1;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
            ++digits;
        if (digits == 1 || digits > 10)
            return std::string(problem);
        rest.remove_prefix(digits);
    }
    if (rest == "Z" || rest == "z") {
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && all_digits(rest.substr(1, 2)) && all_digits(rest.substr(4, 2))) {
        if (two_digits(rest, 1) > 23 || two_digits(rest, 4) > 59)
            return std::string(problem);
    } else {
        return std::string(problem);
    }
    // The date as written (the agency's own calendar day) is the line's date.
    if (*date > today)
        return std::string("lies in the future");
    return *date;
}

} // namespace dcagw::layouts::detail
