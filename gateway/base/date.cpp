#include "gateway/base/date.hpp"

#include <cstdio>
#include <ctime>

namespace dcagw::base {

bool is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month)
{
    static constexpr int lengths[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month == 2 && is_leap_year(year))
        return 29;
    return lengths[month - 1];
}

std::optional<Date> Date::parse(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    auto digits = [&](std::size_t start, std::size_t count) -> int {
        int value = 0;
        for (std::size_t i = start; i < start + count; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    int const year = digits(0, 4);
    int const month = digits(5, 2);
    int const day = digits(8, 2);
    if (year < 1800 || month < 1 || month > 12 || day < 1)
        return std::nullopt;
    if (day > days_in_month(year, month))
        return std::nullopt;
    return Date { year, month, day };
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
std::int64_t Date::to_days() const
{
    std::int64_t const y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
    std::int64_t const year_of_era = y - era * 400;
    std::int64_t const m = month;
    std::int64_t const day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    std::int64_t const day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

Date Date::from_days(std::int64_t days)
{
    days += 719468;
    std::int64_t const era = (days >= 0 ? days : days - 146096) / 146097;
    std::int64_t const day_of_era = days - era * 146097;
    std::int64_t const year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    std::int64_t const day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    std::int64_t const mp = (5 * day_of_year + 2) / 153;
    int const day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
    int const month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    int const year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
    return Date { year, month, day };
}

Date Date::plus_years(int years) const
{
    Date result { year + years, month, day };
    if (result.month == 2 && result.day == 29 && !is_leap_year(result.year))
        result.day = 28;
    return result;
}

std::string Date::to_string() const
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
}

Date today_local()
{
    std::time_t const now = std::time(nullptr);
    std::tm parts {};
    localtime_r(&now, &parts);
    return Date { parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday };
}

std::string utc_timestamp(std::time_t seconds)
{
    std::tm parts {};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::string utc_timestamp_now()
{
    return utc_timestamp(std::time(nullptr));
}

} // namespace dcagw::base
