#include "gateway/schedule/business_days.hpp"

#include <algorithm>

namespace dcagw::schedule {

namespace {

using base::Date;

// gov.uk's list for England and Wales (https://www.gov.uk/bank-holidays, also published
// as https://www.gov.uk/bank-holidays.json, "england-and-wales"). Proclaimed one-offs:
// 2020-05-08 (VE Day, the early May holiday moved from 05-04), 2022-06-02 and 06-03 (the
// spring holiday moved from 05-30, and the Platinum Jubilee), 2022-09-19 (the State
// Funeral), 2023-05-08 (the Coronation). How to update: docs/schedule.md.
constexpr Date bundled[] {
    Date { 2020, 1, 1 }, Date { 2020, 4, 10 }, Date { 2020, 4, 13 }, Date { 2020, 5, 8 }, Date { 2020, 5, 25 }, Date { 2020, 8, 31 }, Date { 2020, 12, 25 }, Date { 2020, 12, 28 },
    Date { 2021, 1, 1 }, Date { 2021, 4, 2 }, Date { 2021, 4, 5 }, Date { 2021, 5, 3 }, Date { 2021, 5, 31 }, Date { 2021, 8, 30 }, Date { 2021, 12, 27 }, Date { 2021, 12, 28 },
    Date { 2022, 1, 3 }, Date { 2022, 4, 15 }, Date { 2022, 4, 18 }, Date { 2022, 5, 2 }, Date { 2022, 6, 2 }, Date { 2022, 6, 3 }, Date { 2022, 8, 29 }, Date { 2022, 9, 19 },
    Date { 2022, 12, 26 }, Date { 2022, 12, 27 },
    Date { 2023, 1, 2 }, Date { 2023, 4, 7 }, Date { 2023, 4, 10 }, Date { 2023, 5, 1 }, Date { 2023, 5, 8 }, Date { 2023, 5, 29 }, Date { 2023, 8, 28 }, Date { 2023, 12, 25 },
    Date { 2023, 12, 26 },
    Date { 2024, 1, 1 }, Date { 2024, 3, 29 }, Date { 2024, 4, 1 }, Date { 2024, 5, 6 }, Date { 2024, 5, 27 }, Date { 2024, 8, 26 }, Date { 2024, 12, 25 }, Date { 2024, 12, 26 },
    Date { 2025, 1, 1 }, Date { 2025, 4, 18 }, Date { 2025, 4, 21 }, Date { 2025, 5, 5 }, Date { 2025, 5, 26 }, Date { 2025, 8, 25 }, Date { 2025, 12, 25 }, Date { 2025, 12, 26 },
    Date { 2026, 1, 1 }, Date { 2026, 4, 3 }, Date { 2026, 4, 6 }, Date { 2026, 5, 4 }, Date { 2026, 5, 25 }, Date { 2026, 8, 31 }, Date { 2026, 12, 25 }, Date { 2026, 12, 28 },
    Date { 2027, 1, 1 }, Date { 2027, 3, 26 }, Date { 2027, 3, 29 }, Date { 2027, 5, 3 }, Date { 2027, 5, 31 }, Date { 2027, 8, 30 }, Date { 2027, 12, 27 }, Date { 2027, 12, 28 },
};

// Anonymous Gregorian computus (Meeus/Jones/Butcher).
Date easter_sunday(int year)
{
    int const a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int const h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
    return Date { year, (h + l - 7 * m + 114) / 31, ((h + l - 7 * m + 114) % 31) + 1 };
}

Date first_monday(int year, int month)
{
    Date date { year, month, 1 };
    while (weekday_of(date) != Weekday::Monday)
        date = date.plus_days(1);
    return date;
}

Date last_monday(int year, int month)
{
    Date date { year, month, base::days_in_month(year, month) };
    while (weekday_of(date) != Weekday::Monday)
        date = date.plus_days(-1);
    return date;
}

bool is_weekend(Date date) { return weekday_of(date) >= Weekday::Saturday; }

bool contains(std::vector<Date> const& dates, Date date) { return std::find(dates.begin(), dates.end(), date) != dates.end(); }

} // namespace

Weekday weekday_of(Date date)
{
    // 1970-01-01 was a Thursday.
    auto const days = date.to_days();
    auto const from_monday = ((days + 3) % 7 + 7) % 7;
    return static_cast<Weekday>(from_monday);
}

std::span<Date const> bundled_bank_holidays() { return bundled; }

std::vector<Date> rule_bank_holidays(int year)
{
    std::vector<Date> days;
    // New Year's Day, moved to the Monday when it falls at a weekend.
    Date new_year { year, 1, 1 };
    while (is_weekend(new_year))
        new_year = new_year.plus_days(1);
    days.push_back(new_year);
    auto const easter = easter_sunday(year);
    days.push_back(easter.plus_days(-2));
    days.push_back(easter.plus_days(1));
    days.push_back(first_monday(year, 5));
    days.push_back(last_monday(year, 5));
    days.push_back(last_monday(year, 8));
    // Christmas and Boxing Day: a day at a weekend is replaced by the next weekday not
    // already a holiday (25 Sat -> Mon 27 and Tue 28; 26 Sat -> Mon 28).
    Date christmas { year, 12, 25 };
    Date boxing { year, 12, 26 };
    if (is_weekend(christmas))
        christmas = Date { year, 12, 27 };
    while (is_weekend(boxing) || boxing == christmas)
        boxing = boxing.plus_days(1);
    days.push_back(christmas);
    days.push_back(boxing);
    std::sort(days.begin(), days.end());
    return days;
}

BusinessCalendar::BusinessCalendar(std::vector<Date> added, std::vector<Date> removed) : m_added(std::move(added)), m_removed(std::move(removed)) {}

bool BusinessCalendar::is_bank_holiday(Date date) const
{
    if (contains(m_removed, date))
        return false;
    if (contains(m_added, date))
        return true;
    if (date.year <= bundled_last_year) {
        auto const list = bundled_bank_holidays();
        return std::binary_search(list.begin(), list.end(), date);
    }
    return contains(rule_bank_holidays(date.year), date);
}

bool BusinessCalendar::is_business_day(Date date) const { return !is_weekend(date) && !is_bank_holiday(date); }

Date BusinessCalendar::on_or_after(Date date) const
{
    while (!is_business_day(date))
        date = date.plus_days(1);
    return date;
}

Date BusinessCalendar::next_business_day(Date date) const { return on_or_after(date.plus_days(1)); }

Date BusinessCalendar::add_business_days(Date date, int count) const
{
    date = on_or_after(date);
    for (int step = 0; step < count; ++step)
        date = next_business_day(date);
    return date;
}

} // namespace dcagw::schedule
