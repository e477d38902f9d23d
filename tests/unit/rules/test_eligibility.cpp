#include "gateway/rules/eligibility.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using model::ExclusionReason;

namespace {

base::Date const today { 2025, 6, 15 };

// A case every agency would take: positive balance, in time, no protections.
model::CaseRecord placeable()
{
    model::CaseRecord record;
    record.debt_type = model::DebtType::FTA;
    record.balance_pence = 50'000;
    record.due_date = base::Date { 2023, 1, 1 };
    return record;
}

std::optional<ExclusionReason> exclusion(model::CaseRecord const& record, model::Eligibility const& eligibility = {})
{
    return rules::exclusion_for(record, eligibility, today);
}

} // namespace

TEST_CASE("breathing space is active from its start until and including its end")
{
    auto record = placeable();
    CHECK_FALSE(rules::breathing_space_active(record, today));
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = base::Date { 2025, 6, 15 };
    CHECK(rules::breathing_space_active(record, today));
    record.breathing_space_start = base::Date { 2025, 6, 16 };
    CHECK_FALSE(rules::breathing_space_active(record, today));
    record.breathing_space_start = base::Date { 2025, 5, 1 };
    record.breathing_space_end = base::Date { 2025, 6, 15 };
    CHECK(rules::breathing_space_active(record, today));
    record.breathing_space_end = base::Date { 2025, 6, 14 };
    CHECK_FALSE(rules::breathing_space_active(record, today));
    record.breathing_space_end.reset();
    CHECK(rules::breathing_space_active(record, today));
    record.breathing_space = model::BreathingSpace::None;
    CHECK_FALSE(rules::breathing_space_active(record, today));
    // No start date (validation refuses it) is treated as in force: the safe side.
    record.breathing_space = model::BreathingSpace::MentalHealth;
    record.breathing_space_start.reset();
    CHECK(rules::breathing_space_active(record, today));
}

TEST_CASE("a placeable case has no exclusion")
{
    CHECK_FALSE(exclusion(placeable()).has_value());
    auto council_tax = placeable();
    council_tax.debt_type = model::DebtType::COUNCIL_TAX;
    council_tax.due_date = base::Date { 2001, 4, 1 };
    council_tax.liability_order_date = base::Date { 2002, 1, 1 };
    CHECK_FALSE(exclusion(council_tax).has_value());
}

TEST_CASE("each exclusion on its own")
{
    auto record = placeable();
    SECTION("standard breathing space")
    {
        record.breathing_space = model::BreathingSpace::Standard;
        record.breathing_space_start = base::Date { 2025, 6, 1 };
        CHECK(exclusion(record) == ExclusionReason::BreathingSpace);
    }
    SECTION("mental health breathing space")
    {
        record.breathing_space = model::BreathingSpace::MentalHealth;
        record.breathing_space_start = base::Date { 2025, 6, 1 };
        CHECK(exclusion(record) == ExclusionReason::MentalHealthBreathingSpace);
    }
    SECTION("ended breathing space no longer excludes")
    {
        record.breathing_space = model::BreathingSpace::Standard;
        record.breathing_space_start = base::Date { 2025, 1, 1 };
        record.breathing_space_end = base::Date { 2025, 3, 1 };
        CHECK_FALSE(exclusion(record).has_value());
    }
    SECTION("deceased")
    {
        record.deceased = true;
        CHECK(exclusion(record) == ExclusionReason::Deceased);
    }
    SECTION("every kind of insolvency")
    {
        for (auto kind : { model::Insolvency::BKR, model::Insolvency::IVA, model::Insolvency::DRO, model::Insolvency::TD }) {
            record.insolvency = kind;
            CHECK(exclusion(record) == ExclusionReason::Insolvency);
        }
    }
    SECTION("mental capacity")
    {
        record.mental_capacity_concern = true;
        CHECK(exclusion(record) == ExclusionReason::MentalCapacity);
    }
    SECTION("dispute")
    {
        record.dispute = true;
        CHECK(exclusion(record) == ExclusionReason::Dispute);
    }
    SECTION("complaint")
    {
        record.complaint_open = true;
        CHECK(exclusion(record) == ExclusionReason::Complaint);
    }
    SECTION("vulnerable depends on the agency's policy")
    {
        record.vulnerable = true;
        model::Eligibility exclude;
        exclude.vulnerable = model::VulnerablePolicy::Exclude;
        CHECK(exclusion(record, exclude) == ExclusionReason::Vulnerable);
        model::Eligibility handling_code;
        handling_code.vulnerable = model::VulnerablePolicy::HandlingCodeOnly;
        CHECK_FALSE(exclusion(record, handling_code).has_value());
    }
    SECTION("zero and credit balances")
    {
        record.balance_pence = 0;
        CHECK(exclusion(record) == ExclusionReason::CreditOrZeroBalance);
        record.balance_pence = -1;
        CHECK(exclusion(record) == ExclusionReason::CreditOrZeroBalance);
        record.balance_pence = 1;
        CHECK_FALSE(exclusion(record).has_value());
    }
    SECTION("statute-barred")
    {
        record.due_date = base::Date { 2019, 6, 15 };
        CHECK(exclusion(record) == ExclusionReason::StatuteBarred);
        record.due_date = base::Date { 2019, 6, 16 };
        CHECK_FALSE(exclusion(record).has_value());
    }
    SECTION("limitation unknown")
    {
        record.due_date.reset();
        CHECK(exclusion(record) == ExclusionReason::LimitationUnknown);
    }
    SECTION("debt type not accepted")
    {
        model::Eligibility eligibility;
        eligibility.debt_types = { model::DebtType::SUNDRY, model::DebtType::GARAGE };
        CHECK(exclusion(record, eligibility) == ExclusionReason::DebtTypeNotAccepted);
        eligibility.debt_types.push_back(model::DebtType::FTA);
        CHECK_FALSE(exclusion(record, eligibility).has_value());
    }
    SECTION("balance limits are inclusive")
    {
        model::Eligibility eligibility;
        eligibility.minimum_balance_pence = 50'000;
        eligibility.maximum_balance_pence = 50'000;
        CHECK_FALSE(exclusion(record, eligibility).has_value());
        record.balance_pence = 49'999;
        CHECK(exclusion(record, eligibility) == ExclusionReason::BalanceBelowMinimum);
        record.balance_pence = 50'001;
        CHECK(exclusion(record, eligibility) == ExclusionReason::BalanceAboveMaximum);
    }
}

TEST_CASE("exclusions are reported in the fixed order")
{
    // Start with every condition true and remove them one at a time: each removal must
    // reveal exactly the next reason in the documented order.
    auto record = placeable();
    record.breathing_space = model::BreathingSpace::MentalHealth;
    record.breathing_space_start = base::Date { 2025, 6, 1 };
    record.deceased = true;
    record.insolvency = model::Insolvency::IVA;
    record.mental_capacity_concern = true;
    record.dispute = true;
    record.complaint_open = true;
    record.vulnerable = true;
    record.balance_pence = 0;
    record.due_date.reset();
    model::Eligibility eligibility;
    eligibility.debt_types = { model::DebtType::GARAGE };
    eligibility.minimum_balance_pence = 10'000'000;

    CHECK(exclusion(record, eligibility) == ExclusionReason::MentalHealthBreathingSpace);
    record.breathing_space = model::BreathingSpace::None;
    CHECK(exclusion(record, eligibility) == ExclusionReason::Deceased);
    record.deceased = false;
    CHECK(exclusion(record, eligibility) == ExclusionReason::Insolvency);
    record.insolvency = model::Insolvency::None;
    CHECK(exclusion(record, eligibility) == ExclusionReason::MentalCapacity);
    record.mental_capacity_concern = false;
    CHECK(exclusion(record, eligibility) == ExclusionReason::Dispute);
    record.dispute = false;
    CHECK(exclusion(record, eligibility) == ExclusionReason::Complaint);
    record.complaint_open = false;
    CHECK(exclusion(record, eligibility) == ExclusionReason::Vulnerable);
    record.vulnerable = false;
    CHECK(exclusion(record, eligibility) == ExclusionReason::CreditOrZeroBalance);
    record.balance_pence = 20'000'000;
    CHECK(exclusion(record, eligibility) == ExclusionReason::LimitationUnknown);
    record.due_date = base::Date { 2010, 1, 1 };
    CHECK(exclusion(record, eligibility) == ExclusionReason::StatuteBarred);
    record.due_date = base::Date { 2024, 1, 1 };
    CHECK(exclusion(record, eligibility) == ExclusionReason::DebtTypeNotAccepted);
    eligibility.debt_types.clear();
    eligibility.maximum_balance_pence = 100;
    eligibility.minimum_balance_pence = 30'000'000;
    CHECK(exclusion(record, eligibility) == ExclusionReason::BalanceBelowMinimum);
    eligibility.minimum_balance_pence.reset();
    CHECK(exclusion(record, eligibility) == ExclusionReason::BalanceAboveMaximum);
    eligibility.maximum_balance_pence.reset();
    CHECK_FALSE(exclusion(record, eligibility).has_value());
}
