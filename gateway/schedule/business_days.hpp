// schedule/business_days: England and Wales business days, for deadlines such as "a
// breathing-space hold the same business day" and "next business day" (issue #17,
// docs/schedule.md).
//
// Owns: the bundled bank-holiday list (gov.uk, England and Wales, 2020-2027, with the
// proclaimed one-off changes), the statutory rules that extend it beyond its last year
// (New Year's Day, Good Friday, Easter Monday, the first and last Mondays of May, the
// last Monday of August, Christmas and Boxing Day, with substitute days), a calendar
// that applies a configuration's additions and removals, and next-business-day rules.
// Must never: consult the clock or the process time zone (callers pass civil dates).
#pragma once

#include "gateway/base/date.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace dcagw::schedule {

enum class Weekday : std::uint8_t { Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };
Weekday weekday_of(base::Date date);

// The bundled list, in date order, and its first and last years.
std::span<base::Date const> bundled_bank_holidays();
inline constexpr int bundled_first_year = 2020;
inline constexpr int bundled_last_year = 2027;

// The holidays the statutory rules give for a year, without proclamations (used after
// the bundled list ends, and to check the list).
std::vector<base::Date> rule_bank_holidays(int year);

class BusinessCalendar {
public:
    // The bundled list (the rules after its last year), plus `added` (a proclaimed holiday
    // not yet bundled) and minus `removed` (one moved by proclamation), from configuration.
    explicit BusinessCalendar(std::vector<base::Date> added = {}, std::vector<base::Date> removed = {});

    bool is_bank_holiday(base::Date date) const;
    // Monday to Friday and not a bank holiday.
    bool is_business_day(base::Date date) const;
    // `date` itself when it is a business day, else the next one.
    base::Date on_or_after(base::Date date) const;
    // The first business day strictly after `date`.
    base::Date next_business_day(base::Date date) const;
    // `count` business days after `date` (0: on_or_after(date)).
    base::Date add_business_days(base::Date date, int count) const;

private:
    std::vector<base::Date> m_added;
    std::vector<base::Date> m_removed;
};

} // namespace dcagw::schedule
