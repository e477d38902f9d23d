// Payout checks: stated totals to the penny, listed payments by id and amount, and
// payments not paid over in time.
#include "gateway/money/payout_check.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using money::PayoutProblemKind;

namespace {

base::Date date(char const* text) { return *base::Date::parse(text); }

} // namespace

TEST_CASE("a payout whose stated totals match its lines passes")
{
    model::MoneySplit const totals { 20000, 5000, 1000, 14000 };
    CHECK(money::check_payout_totals("PO-1", totals, totals).empty());
}

TEST_CASE("one penny off fails the payout, showing both figures")
{
    auto const problems = money::check_payout_totals("PO-1", { 20000, 5000, 1000, 14001 }, { 20000, 5000, 1000, 14000 });
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].kind == PayoutProblemKind::TotalMismatch);
    CHECK(problems[0].part == "net");
    CHECK(problems[0].describe() == "payout PO-1: stated net £140.01 but its lines add up to £140.00 (difference £0.01)");
}

TEST_CASE("every payment a payout lists must be a reported payment of the same amount")
{
    std::vector<money::ReportedPayment> const reported { { "PAY-1", 1000, date("2026-11-01"), "" }, { "PAY-2", 2500, date("2026-11-02"), "" } };
    std::vector<money::ListedPayment> const listed { { "PAY-1", 1000 }, { "PAY-2", 2499 }, { "PAY-9", 700 } };
    auto const problems = money::check_payout_lines("PO-7", listed, reported);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].kind == PayoutProblemKind::AmountMismatch);
    CHECK(problems[0].describe() == "payout PO-7 lists payment PAY-2 as £24.99 but it was reported as £25.00");
    CHECK(problems[1].kind == PayoutProblemKind::UnknownPayment);
    CHECK(problems[1].payment_id == "PAY-9");
}

TEST_CASE("a payment in no payout after the agreed days is flagged, not before")
{
    std::vector<money::ReportedPayment> const reported {
        { "OLD", 1000, date("2026-10-01"), "" },
        { "PAID", 1000, date("2026-10-01"), "PO-1" },
        { "RECENT", 1000, date("2026-11-20"), "" },
        { "EDGE", 1000, date("2026-10-27"), "" }, // exactly 35 days before
    };
    auto const problems = money::payments_not_paid_over(reported, date("2026-12-01"), 35);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].payment_id == "OLD");
    CHECK(problems[0].describe() == "payment OLD (£10.00) is in no payout yet");
}
