#include "gateway/schedule/timing.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using base::Date;
using schedule::DaySet;
using schedule::LocalTime;
using schedule::Schedule;

namespace {

schedule::BusinessCalendar const calendar;

std::string next(Schedule const& schedule, LocalTime after)
{
    auto const found = schedule.next_after(after, calendar);
    return found ? found->to_string() : "never";
}

Schedule cron(std::string_view expression)
{
    auto parsed = Schedule::cron(expression);
    INFO(std::string(expression) + ": " + (parsed.ok() ? std::string() : parsed.error().to_text()));
    REQUIRE(parsed.ok());
    return parsed.release_value();
}

} // namespace

TEST_CASE("times of day fire in order, strictly after the given moment")
{
    auto const schedule = Schedule::at_times({ "18:00", "06:30" }, DaySet::EveryDay).release_value();
    CHECK(next(schedule, { Date { 2026, 12, 7 }, 6, 0 }) == "2026-12-07 06:30");
    CHECK(next(schedule, { Date { 2026, 12, 7 }, 6, 30 }) == "2026-12-07 18:00");
    CHECK(next(schedule, { Date { 2026, 12, 7 }, 18, 0 }) == "2026-12-08 06:30");
    // Two times are two moments, not every hour-minute combination of them.
    CHECK(next(schedule, { Date { 2026, 12, 7 }, 6, 31 }) == "2026-12-07 18:00");
}

TEST_CASE("weekdays and business days skip weekends, and business days bank holidays")
{
    auto const weekdays = Schedule::at_times({ "07:00" }, DaySet::Weekdays).release_value();
    auto const business = Schedule::at_times({ "07:00" }, DaySet::BusinessDays).release_value();
    LocalTime const christmas_eve_evening { Date { 2026, 12, 24 }, 20, 0 };
    CHECK(next(weekdays, christmas_eve_evening) == "2026-12-25 07:00");
    CHECK(next(business, christmas_eve_evening) == "2026-12-29 07:00");
    auto const named = Schedule::at_times_on({ "09:15" }, { "tue", "sat" }).release_value();
    CHECK(next(named, { Date { 2026, 12, 7 }, 0, 0 }) == "2026-12-08 09:15");
    CHECK(next(named, { Date { 2026, 12, 8 }, 9, 15 }) == "2026-12-12 09:15");
}

TEST_CASE("cron expressions: lists, ranges, steps and names")
{
    CHECK(next(cron("30 6 * * 1-5"), { Date { 2026, 12, 11 }, 7, 0 }) == "2026-12-14 06:30"); // Friday to Monday
    CHECK(next(cron("*/15 * * * *"), { Date { 2026, 12, 7 }, 10, 7 }) == "2026-12-07 10:15");
    CHECK(next(cron("5/20 9 * * *"), { Date { 2026, 12, 7 }, 9, 26 }) == "2026-12-07 09:45");
    CHECK(next(cron("0 8,20 * * sun"), { Date { 2026, 12, 7 }, 0, 0 }) == "2026-12-13 08:00");
    CHECK(next(cron("0 8 * * 0"), { Date { 2026, 12, 7 }, 0, 0 }) == "2026-12-13 08:00");
    CHECK(next(cron("0 8 * * 7"), { Date { 2026, 12, 7 }, 0, 0 }) == "2026-12-13 08:00");
    CHECK(next(cron("0 0 1 jan *"), { Date { 2026, 12, 7 }, 0, 0 }) == "2027-01-01 00:00");
    CHECK(next(cron("0 12 29 2 *"), { Date { 2026, 12, 7 }, 0, 0 }) == "2028-02-29 12:00");
    CHECK(next(cron("0 0 30 2 *"), { Date { 2026, 12, 7 }, 0, 0 }) == "never");
}

TEST_CASE("cron: a restricted day of month and day of week fire on either, as cron does")
{
    // The 13th or any Friday.
    auto const schedule = cron("0 9 13 * 5");
    CHECK(next(schedule, { Date { 2026, 12, 7 }, 0, 0 }) == "2026-12-11 09:00"); // Friday
    CHECK(next(schedule, { Date { 2026, 12, 11 }, 9, 0 }) == "2026-12-13 09:00"); // the 13th, a Sunday
}

TEST_CASE("a cron schedule can be limited to business days")
{
    auto schedule = cron("0 6 * * *");
    schedule.on_business_days_only();
    CHECK(next(schedule, { Date { 2027, 3, 25 }, 7, 0 }) == "2027-03-30 06:00"); // over Easter 2027
}

TEST_CASE("schedules that would need guessing are refused")
{
    CHECK(Schedule::at_times({}, DaySet::EveryDay).is_error());
    CHECK(Schedule::at_times({ "6:30" }, DaySet::EveryDay).error().message() == "schedule 6:30: a time is HH:MM, e.g. 06:30");
    CHECK(Schedule::at_times({ "24:00" }, DaySet::EveryDay).is_error());
    CHECK(Schedule::at_times_on({ "06:00" }, { "monday" }).error().message() == "schedule monday: days are mon, tue, wed, thu, fri, sat, sun");
    CHECK(Schedule::at_times_on({ "06:00" }, { "1" }).is_error());
    CHECK(Schedule::cron("0 6 * *").error().message().ends_with("a cron expression has five fields: minute hour day-of-month month day-of-week"));
    CHECK(Schedule::cron("60 6 * * *").error().message() == "schedule 60: minute: values run from 0 to 59");
    CHECK(Schedule::cron("*/0 6 * * *").is_error());
    CHECK(Schedule::cron("0 6 * * fri-mon").is_error());
    CHECK(Schedule::cron("0 6 * xyz *").error().message() == "schedule xyz: month: 'xyz' is not a number or a known name");
    CHECK(Schedule::cron("0 6 0 * *").is_error());
}

TEST_CASE("business minutes count only business hours on business days")
{
    using schedule::business_minutes_between;
    // Monday 2026-12-07 10:00 to 16:00: six hours.
    CHECK(business_minutes_between({ Date { 2026, 12, 7 }, 10, 0 }, { Date { 2026, 12, 7 }, 16, 0 }, calendar) == 360);
    // Friday 17:00 to Monday 10:00: 30 minutes on Friday, one hour on Monday.
    CHECK(business_minutes_between({ Date { 2026, 12, 11 }, 17, 0 }, { Date { 2026, 12, 14 }, 10, 0 }, calendar) == 90);
    // Over Christmas 2026: Thursday 24th 16:00 to Tuesday 29th 09:30.
    CHECK(business_minutes_between({ Date { 2026, 12, 24 }, 16, 0 }, { Date { 2026, 12, 29 }, 9, 30 }, calendar) == 120);
    CHECK(business_minutes_between({ Date { 2026, 12, 7 }, 12, 0 }, { Date { 2026, 12, 7 }, 11, 0 }, calendar) == 0);
    CHECK(business_minutes_between({ Date { 2026, 12, 5 }, 12, 0 }, { Date { 2026, 12, 6 }, 12, 0 }, calendar) == 0); // a weekend
}

TEST_CASE("a deadline of N business minutes skips nights, weekends and bank holidays")
{
    using schedule::add_business_minutes;
    // A hold sent Thursday 24 December 2026 at 16:00 with 8 business hours to be acknowledged.
    CHECK(add_business_minutes({ Date { 2026, 12, 24 }, 16, 0 }, 8 * 60, calendar).to_string() == "2026-12-29 15:30");
    CHECK(add_business_minutes({ Date { 2026, 12, 7 }, 7, 0 }, 30, calendar).to_string() == "2026-12-07 09:30");
    CHECK(add_business_minutes({ Date { 2026, 12, 7 }, 17, 30 }, 1, calendar).to_string() == "2026-12-08 09:01");
    CHECK(add_business_minutes({ Date { 2026, 12, 7 }, 17, 0 }, 30, calendar).to_string() == "2026-12-07 17:30");
    CHECK(add_business_minutes({ Date { 2026, 12, 7 }, 10, 0 }, 0, calendar).to_string() == "2026-12-07 10:00");
}
