// base/date: proleptic Gregorian calendar dates with day arithmetic.
//
// Owns: strict parsing of YYYY-MM-DD, validity (real calendar dates only), day counts
// and year arithmetic used by the limitation rules.
// Must never: depend on the process time zone except in today_local().
#pragma once

#include <compare>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::base {

struct Date {
    int year { 1970 };
    int month { 1 };
    int day { 1 };

    auto operator<=>(Date const&) const = default;

    // Strict: exactly four digits, '-', two digits, '-', two digits, and a real date
    // between 1800-01-01 and 9999-12-31. Anything else is nullopt.
    static std::optional<Date> parse(std::string_view text);
    static Date from_days(std::int64_t days_since_epoch);

    std::int64_t to_days() const; // days since 1970-01-01
    Date plus_days(std::int64_t days) const { return from_days(to_days() + days); }
    // Same month and day `years` later; 29 February becomes 28 February in a common year
    // (the conservative choice for limitation: the earlier expiry).
    Date plus_years(int years) const;
    std::string to_string() const; // YYYY-MM-DD
};

bool is_leap_year(int year);
int days_in_month(int year, int month);

// The machine's local calendar date, used as "today" when the caller sets none.
Date today_local();

// A moment as the ledger, the audit log and key files stamp it: "2026-11-23T12:34:56Z"
// (UTC, whole seconds, ISO 8601).
std::string utc_timestamp(std::time_t seconds);
std::string utc_timestamp_now();

} // namespace dcagw::base
