// schedule/timing: when a scheduled job runs next (issue #17, docs/schedule.md).
//
// Owns: a job's schedule, built either from times of day and a set of days (weekdays,
// every day, named days, or business days) or from a five-field cron expression (minute
// hour day-of-month month day-of-week, with lists, ranges and steps), and the first
// moment strictly after a given one at which it fires. Times are civil local time to the
// minute; which time zone that is stays the daemon's business.
// Must never: read the clock, or accept an expression it would have to guess at (an
// unknown name, a value out of range, a step of zero).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/schedule/business_days.hpp"

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcagw::schedule {

struct LocalTime {
    base::Date date;
    int hour { 0 };
    int minute { 0 };

    auto operator<=>(LocalTime const&) const = default;
    std::string to_string() const; // "2026-12-07 06:30"
};

enum class DaySet : std::uint8_t { EveryDay, Weekdays, BusinessDays };

class Schedule {
public:
    // "06:30" style times (at least one, each HH:MM) on a set of days.
    static base::Result<Schedule> at_times(std::vector<std::string> const& times, DaySet days);
    // At the times on the named days ("mon" ... "sun").
    static base::Result<Schedule> at_times_on(std::vector<std::string> const& times, std::vector<std::string> const& weekdays);
    // "30 6 * * 1-5": minute, hour, day of month, month (1-12 or jan..dec), day of week
    // (0-7, 0 and 7 Sunday, or sun..sat). As in cron, when both day fields are
    // restricted a day matching either fires.
    static base::Result<Schedule> cron(std::string_view expression);

    // Runs only on England and Wales business days (in addition to the day fields).
    Schedule& on_business_days_only();

    // The first moment strictly after `after` at which the schedule fires, looking at most
    // eight years ahead; nullopt when it never fires (e.g. 30 February).
    std::optional<LocalTime> next_after(LocalTime after, BusinessCalendar const& calendar) const;

private:
    bool day_matches(base::Date date, BusinessCalendar const& calendar) const;

    // The times of day it fires, in order: (hour, minute) pairs.
    std::vector<std::pair<int, int>> m_times;
    std::bitset<32> m_days_of_month;  // 1-31
    std::bitset<13> m_months;         // 1-12
    std::bitset<7> m_weekdays;        // Monday = 0, as schedule::Weekday
    bool m_day_of_month_restricted { false };
    bool m_weekday_restricted { false };
    bool m_business_days_only { false };
};

// Business hours: the part of each business day between `opens` and `closes` (local
// time, minutes after midnight). A breathing-space hold not acknowledged within N
// business hours is overdue (issue #15).
struct BusinessHours {
    int opens { 9 * 60 };
    int closes { 17 * 60 + 30 };
};

// The business minutes from `from` to `to` (0 when `to` is not later).
std::int64_t business_minutes_between(LocalTime from, LocalTime to, BusinessCalendar const& calendar, BusinessHours hours = {});

// The moment `minutes` business minutes after `from` (a deadline); a start outside
// business hours counts from the next opening.
LocalTime add_business_minutes(LocalTime from, std::int64_t minutes, BusinessCalendar const& calendar, BusinessHours hours = {});

} // namespace dcagw::schedule
