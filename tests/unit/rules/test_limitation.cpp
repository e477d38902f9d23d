#include "gateway/rules/limitation.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;

namespace {

base::Date const today { 2025, 6, 15 };

model::CaseRecord due(base::Date date)
{
    model::CaseRecord record;
    record.due_date = date;
    return record;
}

} // namespace

TEST_CASE("the explanation gives the dates that decided the result")
{
    auto record = due({ 2015, 1, 1 });
    record.last_payment_date = base::Date { 2019, 3, 1 };
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = base::Date { 2024, 12, 1 };
    record.breathing_space_end = base::Date { 2024, 12, 31 };
    auto const result = rules::compute_limitation(record, today);
    CHECK(result.status == rules::LimitationStatus::StatuteBarred);
    CHECK(result.explanation
        == "Due 2015-01-01: the six-year period runs to 2021-01-01; a payment on 2019-03-01 restarts it (s29(5)), now to 2025-03-01; "
           "a breathing space of 31 days from 2024-12-01 extends it to 2025-04-01. Statute-barred from 2025-04-01 (today is 2025-06-15).");
}

TEST_CASE("a late event is named as not reviving the debt")
{
    auto record = due({ 2015, 3, 1 });
    record.last_acknowledgement_date = base::Date { 2022, 1, 10 };
    auto const result = rules::compute_limitation(record, today);
    CHECK(result.status == rules::LimitationStatus::StatuteBarred);
    CHECK(result.explanation.find("a written acknowledgement on 2022-01-10 came after the period had ended and cannot revive it (s29(7))") != std::string::npos);
}

TEST_CASE("council tax and missing due dates are explained")
{
    model::CaseRecord council_tax;
    council_tax.debt_type = model::DebtType::COUNCIL_TAX;
    council_tax.liability_order_date = base::Date { 2010, 5, 4 };
    auto const never = rules::compute_limitation(council_tax, today);
    CHECK(never.status == rules::LimitationStatus::NeverBarred);
    CHECK_FALSE(never.expiry.has_value());
    CHECK(never.explanation.find("liability order dated 2010-05-04") != std::string::npos);

    model::CaseRecord unknown;
    auto const result = rules::compute_limitation(unknown, today);
    CHECK(result.status == rules::LimitationStatus::Unknown);
    CHECK(result.explanation.find("no due_date") != std::string::npos);

    council_tax.liability_order_date.reset();
    council_tax.due_date = base::Date { 2021, 4, 1 };
    auto const in_time = rules::compute_limitation(council_tax, today);
    CHECK(in_time.status == rules::LimitationStatus::InTime);
    CHECK(in_time.explanation.find("an order must be sought within six years, by 2027-04-01") != std::string::npos);
}

TEST_CASE("status names are stable")
{
    CHECK(rules::to_string(rules::LimitationStatus::InTime) == "in_time");
    CHECK(rules::to_string(rules::LimitationStatus::StatuteBarred) == "statute_barred");
    CHECK(rules::to_string(rules::LimitationStatus::NeverBarred) == "never_barred");
    CHECK(rules::to_string(rules::LimitationStatus::Unknown) == "unknown");
}

TEST_CASE("an expiry moves only forwards as events are added")
{
    // Property over a grid of dates: adding a payment never makes the expiry earlier, and
    // the result is barred exactly when today is on or after the expiry.
    for (int due_year = 2010; due_year <= 2022; ++due_year) {
        for (int payment_offset = -400; payment_offset <= 3000; payment_offset += 97) {
            auto record = due({ due_year, 3, 31 });
            auto const without = rules::compute_limitation(record, today, rules::Explanation::Omit);
            record.last_payment_date = record.due_date->plus_days(payment_offset);
            auto const with = rules::compute_limitation(record, today, rules::Explanation::Omit);
            REQUIRE(without.expiry.has_value());
            REQUIRE(with.expiry.has_value());
            CHECK(*with.expiry >= *without.expiry);
            CHECK((with.status == rules::LimitationStatus::StatuteBarred) == (today >= *with.expiry));
        }
    }
}
