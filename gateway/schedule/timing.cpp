#include "gateway/schedule/timing.hpp"

#include "gateway/base/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace dcagw::schedule {

namespace {

using base::ErrorCode;

constexpr std::array<std::string_view, 7> weekday_names { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
constexpr std::array<std::string_view, 12> month_names { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
constexpr int max_years_ahead = 8;

base::Error refused(std::string_view what, std::string reason)
{
    return base::Error(ErrorCode::ConfigInvalid, "schedule " + std::string(what) + ": " + std::move(reason));
}

std::optional<int> parse_number(std::string_view text)
{
    int value = 0;
    auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc {} || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

// "06:30" -> (6, 30).
base::Result<std::pair<int, int>> parse_time(std::string_view text)
{
    if (text.size() != 5 || text[2] != ':')
        return refused(text, "a time is HH:MM, e.g. 06:30");
    auto const hour = parse_number(text.substr(0, 2));
    auto const minute = parse_number(text.substr(3, 2));
    if (!hour || !minute || *hour > 23 || *minute > 59)
        return refused(text, "not a time of day (00:00 to 23:59)");
    return std::pair { *hour, *minute };
}

// One value of a cron field: a number, or a name where the field has names.
std::optional<int> field_value(std::string_view text, std::span<std::string_view const> names, int first_name_value)
{
    if (auto number = parse_number(text))
        return number;
    for (std::size_t index = 0; index < names.size(); ++index)
        if (base::to_lower_ascii(text) == names[index])
            return first_name_value + static_cast<int>(index);
    return std::nullopt;
}

struct FieldSpec {
    std::string_view name;
    int low;
    int high;
    std::span<std::string_view const> names;
    int first_name_value;
};

// Fills `bits` (indexed by value) from "a,b-c,*/s,d-e/s".
template<std::size_t Size>
base::Result<bool> parse_field(std::string_view text, FieldSpec const& spec, std::bitset<Size>& bits)
{
    bool const restricted = text != "*";
    for (auto const item : base::split(text, ',')) {
        auto range = item;
        int step = 1;
        if (auto const slash = item.find('/'); slash != std::string_view::npos) {
            auto const parsed = parse_number(item.substr(slash + 1));
            if (!parsed || *parsed < 1)
                return refused(text, std::string(spec.name) + ": the step after '/' must be a whole number of at least 1");
            step = *parsed;
            range = item.substr(0, slash);
        }
        int low = spec.low, high = spec.high;
        if (range != "*") {
            auto const dash = range.find('-');
            auto const from = field_value(range.substr(0, dash), spec.names, spec.first_name_value);
            auto const to = dash == std::string_view::npos ? from : field_value(range.substr(dash + 1), spec.names, spec.first_name_value);
            if (!from || !to)
                return refused(text, std::string(spec.name) + ": '" + std::string(range) + "' is not a number or a known name");
            low = *from;
            high = *to;
            if (dash == std::string_view::npos && step > 1)
                high = spec.high; // "5/15" means from 5 to the end, every 15
        }
        if (low < spec.low || high > spec.high || low > high)
            return refused(text, std::string(spec.name) + ": values run from " + std::to_string(spec.low) + " to " + std::to_string(spec.high));
        for (int value = low; value <= high; value += step)
            bits.set(static_cast<std::size_t>(value));
    }
    return restricted;
}

} // namespace

std::string LocalTime::to_string() const
{
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", hour, minute);
    return date.to_string() + " " + text;
}

base::Result<Schedule> Schedule::at_times(std::vector<std::string> const& times, DaySet days)
{
    if (times.empty())
        return refused("times", "at least one time of day is needed");
    Schedule schedule;
    for (auto const& text : times) {
        auto const [hour, minute] = TRY(parse_time(text));
        // Each time is its own (hour, minute) pair: a bitset per field would also fire at
        // the cross products (06:30 and 18:00 must not give 06:00 and 18:30).
        schedule.m_times.push_back({ hour, minute });
    }
    std::sort(schedule.m_times.begin(), schedule.m_times.end());
    schedule.m_times.erase(std::unique(schedule.m_times.begin(), schedule.m_times.end()), schedule.m_times.end());
    schedule.m_days_of_month.set();
    schedule.m_months.set();
    schedule.m_weekdays.set();
    if (days != DaySet::EveryDay) {
        schedule.m_weekdays.reset();
        for (int day = 0; day < 5; ++day)
            schedule.m_weekdays.set(static_cast<std::size_t>(day));
        schedule.m_weekday_restricted = true;
    }
    schedule.m_business_days_only = days == DaySet::BusinessDays;
    return schedule;
}

base::Result<Schedule> Schedule::at_times_on(std::vector<std::string> const& times, std::vector<std::string> const& weekdays)
{
    auto schedule = TRY(at_times(times, DaySet::EveryDay));
    if (weekdays.empty())
        return refused("days", "at least one day is needed");
    schedule.m_weekdays.reset();
    for (auto const& name : weekdays) {
        auto const found = field_value(name, weekday_names, 0);
        if (!found || parse_number(name))
            return refused(name, "days are mon, tue, wed, thu, fri, sat, sun");
        schedule.m_weekdays.set(static_cast<std::size_t>(*found));
    }
    schedule.m_weekday_restricted = true;
    return schedule;
}

base::Result<Schedule> Schedule::cron(std::string_view expression)
{
    std::vector<std::string_view> fields;
    for (auto const piece : base::split(expression, ' '))
        if (!piece.empty())
            fields.push_back(piece);
    if (fields.size() != 5)
        return refused(expression, "a cron expression has five fields: minute hour day-of-month month day-of-week");
    Schedule schedule;
    std::bitset<60> minutes;
    std::bitset<24> hours;
    TRY(parse_field(fields[0], { "minute", 0, 59, {}, 0 }, minutes));
    TRY(parse_field(fields[1], { "hour", 0, 23, {}, 0 }, hours));
    schedule.m_day_of_month_restricted = TRY(parse_field(fields[2], { "day of month", 1, 31, {}, 0 }, schedule.m_days_of_month));
    TRY(parse_field(fields[3], { "month", 1, 12, month_names, 1 }, schedule.m_months));
    std::bitset<8> sunday_first; // cron numbers days 0-7 from Sunday
    schedule.m_weekday_restricted = TRY(parse_field(fields[4], { "day of week", 0, 7, weekday_names, 1 }, sunday_first));
    // weekday_names start at Monday = 1 in cron numbering, so "sun" parses as 7.
    for (int cron_day = 0; cron_day <= 7; ++cron_day)
        if (sunday_first.test(static_cast<std::size_t>(cron_day)))
            schedule.m_weekdays.set(static_cast<std::size_t>((cron_day + 6) % 7));
    for (int hour = 0; hour < 24; ++hour)
        for (int minute = 0; minute < 60; ++minute)
            if (hours.test(static_cast<std::size_t>(hour)) && minutes.test(static_cast<std::size_t>(minute)))
                schedule.m_times.push_back({ hour, minute });
    return schedule;
}

Schedule& Schedule::on_business_days_only()
{
    m_business_days_only = true;
    return *this;
}

bool Schedule::day_matches(base::Date date, BusinessCalendar const& calendar) const
{
    if (!m_months.test(static_cast<std::size_t>(date.month)))
        return false;
    bool const by_month_day = m_days_of_month.test(static_cast<std::size_t>(date.day));
    bool const by_weekday = m_weekdays.test(static_cast<std::size_t>(weekday_of(date)));
    bool const day_ok = m_day_of_month_restricted && m_weekday_restricted ? (by_month_day || by_weekday) : (by_month_day && by_weekday);
    return day_ok && (!m_business_days_only || calendar.is_business_day(date));
}

std::optional<LocalTime> Schedule::next_after(LocalTime after, BusinessCalendar const& calendar) const
{
    auto const last_day = after.date.plus_years(max_years_ahead);
    for (auto date = after.date; date <= last_day; date = date.plus_days(1)) {
        if (!day_matches(date, calendar))
            continue;
        for (auto const& [hour, minute] : m_times) {
            LocalTime const candidate { date, hour, minute };
            if (candidate > after)
                return candidate;
        }
    }
    return std::nullopt;
}

namespace {

int minute_of_day(LocalTime const& time) { return time.hour * 60 + time.minute; }

LocalTime at_minute(base::Date date, int minute) { return LocalTime { date, minute / 60, minute % 60 }; }

} // namespace

std::int64_t business_minutes_between(LocalTime from, LocalTime to, BusinessCalendar const& calendar, BusinessHours hours)
{
    std::int64_t total = 0;
    for (auto date = from.date; date <= to.date; date = date.plus_days(1)) {
        if (!calendar.is_business_day(date))
            continue;
        int const start = std::max(hours.opens, date == from.date ? minute_of_day(from) : 0);
        int const end = std::min(hours.closes, date == to.date ? minute_of_day(to) : 24 * 60);
        if (end > start)
            total += end - start;
    }
    return total;
}

LocalTime add_business_minutes(LocalTime from, std::int64_t minutes, BusinessCalendar const& calendar, BusinessHours hours)
{
    auto date = from.date;
    int minute = minute_of_day(from);
    while (true) {
        if (calendar.is_business_day(date) && minute < hours.closes) {
            minute = std::max(minute, hours.opens);
            std::int64_t const left_today = hours.closes - minute;
            if (minutes <= left_today)
                return at_minute(date, minute + static_cast<int>(minutes));
            minutes -= left_today;
        }
        date = date.plus_days(1);
        minute = 0;
    }
}

} // namespace dcagw::schedule
