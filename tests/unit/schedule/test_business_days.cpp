#include "gateway/schedule/business_days.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace dcagw;
using base::Date;
using schedule::BusinessCalendar;
using schedule::Weekday;

TEST_CASE("weekdays are counted from a known Thursday")
{
    CHECK(schedule::weekday_of(Date { 1970, 1, 1 }) == Weekday::Thursday);
    CHECK(schedule::weekday_of(Date { 2026, 12, 7 }) == Weekday::Monday);
    CHECK(schedule::weekday_of(Date { 2026, 12, 26 }) == Weekday::Saturday);
    CHECK(schedule::weekday_of(Date { 1969, 12, 31 }) == Weekday::Wednesday);
}

TEST_CASE("the bundled list is in date order, on weekdays, within its years")
{
    auto const list = schedule::bundled_bank_holidays();
    CHECK(std::is_sorted(list.begin(), list.end()));
    CHECK(std::adjacent_find(list.begin(), list.end()) == list.end());
    for (auto const& day : list) {
        INFO(day.to_string());
        CHECK(schedule::weekday_of(day) < Weekday::Saturday);
        CHECK(day.year >= schedule::bundled_first_year);
        CHECK(day.year <= schedule::bundled_last_year);
    }
}

TEST_CASE("the statutory rules give the bundled list, except the proclaimed one-offs")
{
    // Proclamations: what the rules would give that the list moved, and what it added.
    std::set<Date> const moved_away { Date { 2020, 5, 4 }, Date { 2022, 5, 30 } };
    std::set<Date> const proclaimed { Date { 2020, 5, 8 }, Date { 2022, 6, 2 }, Date { 2022, 6, 3 }, Date { 2022, 9, 19 }, Date { 2023, 5, 8 } };
    auto const list = schedule::bundled_bank_holidays();
    for (int year = schedule::bundled_first_year; year <= schedule::bundled_last_year; ++year) {
        INFO(year);
        std::set<Date> from_rules;
        for (auto const& day : schedule::rule_bank_holidays(year))
            if (!moved_away.contains(day))
                from_rules.insert(day);
        std::set<Date> from_list;
        for (auto const& day : list)
            if (day.year == year && !proclaimed.contains(day))
                from_list.insert(day);
        CHECK(from_rules == from_list);
    }
}

TEST_CASE("substitute days follow a weekend holiday")
{
    auto const days_2027 = schedule::rule_bank_holidays(2027); // Christmas Saturday, Boxing Day Sunday
    CHECK(std::count(days_2027.begin(), days_2027.end(), Date { 2027, 12, 27 }) == 1);
    CHECK(std::count(days_2027.begin(), days_2027.end(), Date { 2027, 12, 28 }) == 1);
    auto const days_2028 = schedule::rule_bank_holidays(2028); // New Year's Day Saturday
    CHECK(days_2028.front() == Date { 2028, 1, 3 });
    CHECK(days_2028[1] == Date { 2028, 4, 14 }); // Good Friday
    auto const days_2033 = schedule::rule_bank_holidays(2033); // Christmas Sunday: Boxing Day Monday, Christmas's substitute Tuesday
    CHECK(days_2033[days_2033.size() - 2] == Date { 2033, 12, 26 });
    CHECK(days_2033.back() == Date { 2033, 12, 27 });
}

TEST_CASE("business days skip weekends and bank holidays")
{
    BusinessCalendar const calendar;
    CHECK(calendar.is_business_day(Date { 2026, 12, 24 }));
    CHECK_FALSE(calendar.is_business_day(Date { 2026, 12, 25 }));
    CHECK_FALSE(calendar.is_business_day(Date { 2026, 12, 28 })); // Boxing Day's substitute
    CHECK(calendar.next_business_day(Date { 2026, 12, 24 }) == Date { 2026, 12, 29 });
    CHECK(calendar.on_or_after(Date { 2026, 4, 3 }) == Date { 2026, 4, 7 }); // Good Friday to Tuesday
    CHECK(calendar.on_or_after(Date { 2026, 12, 7 }) == Date { 2026, 12, 7 });
    CHECK(calendar.add_business_days(Date { 2026, 12, 23 }, 2) == Date { 2026, 12, 29 });
    CHECK(calendar.add_business_days(Date { 2026, 12, 26 }, 0) == Date { 2026, 12, 29 });
    // After the bundled list the rules apply.
    CHECK_FALSE(calendar.is_business_day(Date { 2028, 1, 3 }));
    CHECK(calendar.is_bank_holiday(Date { 2029, 8, 27 }));
}

TEST_CASE("the configuration can add a proclaimed holiday and remove a moved one")
{
    BusinessCalendar const calendar({ Date { 2027, 6, 7 } }, { Date { 2027, 5, 31 } });
    CHECK(calendar.is_bank_holiday(Date { 2027, 6, 7 }));
    CHECK_FALSE(calendar.is_bank_holiday(Date { 2027, 5, 31 }));
    CHECK(calendar.is_business_day(Date { 2027, 5, 31 }));
}
