#include "gateway/reporting/reconcile_report.hpp"
#include "tests/unit/reporting/reporting_test_support.hpp"

using namespace dcagw;
using reporting::testing::expect_ok;
using reporting::testing::Workspace;

namespace {

base::Date date(char const* text) { return *base::Date::parse(text); }

// PAY-1 £12.50 (313 / 63 / 874) and PAY-2 £30.00 (750 / 150 / 2100) in payout PO-1 of
// 2026-11-28 with its stated totals; PAY-3 £10.00 of 2026-11-01 in no payout.
void record_payout(Workspace& workspace, model::MoneySplit stated)
{
    workspace.pay("PAY-1", 1, 1250, "2026-11-20");
    workspace.pay("PAY-2", 2, 3000, "2026-11-21");
    workspace.pay("PAY-3", 2, 1000, "2026-11-01");
    expect_ok(workspace.returns->add_payout({ "agency-a", "PO-1", "2026-11-28", stated, workspace.file_id, 20 }));
    for (auto const& [id, pence] : { std::pair { "PAY-1", 1250 }, std::pair { "PAY-2", 3000 } }) {
        expect_ok(workspace.returns->add_payout_item("agency-a", { "PO-1", id, pence, workspace.file_id, 21 }));
        expect_ok(workspace.returns->set_payout_of_payment("agency-a", id, "PO-1"));
    }
}

} // namespace

TEST_CASE("reconcile: a payout whose stated totals are its lines' sum reconciles")
{
    Workspace workspace;
    record_payout(workspace, { 4250, 1063, 213, 2974 });
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-11", date("2026-12-07")));
    REQUIRE(report.payouts.size() == 1);
    auto const& payout = report.payouts[0];
    CHECK(payout.reconciles());
    CHECK(report.reconciles());
    CHECK(payout.computed == model::MoneySplit { 4250, 1063, 213, 2974 });
    REQUIRE(payout.lines.size() == 2);
    CHECK(payout.lines[0].account_ref == "A1");
    CHECK(report.gl.payments.count == 3);
    CHECK(report.gl.payments.split == model::MoneySplit { 5250, 1313, 263, 3674 });
    CHECK(report.gl.total() == model::MoneySplit { 5250, 1313, 263, 3674 });
    // PAY-3 of 2026-11-01 is 36 days old and in no payout; payout_due_days is 14.
    REQUIRE(report.not_paid_over.size() == 1);
    CHECK(report.not_paid_over[0].payment_id == "PAY-3");
    CHECK(report.not_paid_over[0].account_ref == "A2");
    CHECK(report.not_paid_over[0].gross_pence == 1000);
}

TEST_CASE("reconcile: one penny off fails the payout with both figures")
{
    Workspace workspace;
    record_payout(workspace, { 4250, 1063, 213, 2975 });
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-11", date("2026-12-07")));
    REQUIRE(report.payouts.size() == 1);
    CHECK_FALSE(report.reconciles());
    REQUIRE(report.payouts[0].problems.size() == 1);
    auto const& problem = report.payouts[0].problems[0];
    CHECK(problem.part == "net");
    CHECK(problem.stated_pence == 2975);
    CHECK(problem.computed_pence == 2974);
    CHECK(problem.describe() == "payout PO-1: stated net £29.75 but its lines add up to £29.74 (difference £0.01)");
    CHECK(report.to_text().find("DIFFERENCE: payout PO-1: stated net £29.75") != std::string::npos);
    CHECK(report.to_json().find("\"difference_pence\": 1") != std::string::npos);
    CHECK(report.to_csv().find("difference,PO-1,,,net,2975,2974,1,") != std::string::npos);
}

TEST_CASE("reconcile: a listed payment nobody reported is unmatched and fails the payout")
{
    Workspace workspace;
    record_payout(workspace, { 4250, 1063, 213, 2974 });
    expect_ok(workspace.returns->add_payout({ "agency-a", "PO-2", "2026-11-30", std::nullopt, workspace.file_id, 30 }));
    expect_ok(workspace.returns->add_payout_item("agency-a", { "PO-2", "PAY-404", 500, workspace.file_id, 31 }));
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-11", date("2026-12-07")));
    REQUIRE(report.payouts.size() == 2);
    CHECK(report.payouts[0].reconciles());
    CHECK_FALSE(report.payouts[1].reconciles());
    REQUIRE(report.unmatched.size() == 1);
    CHECK(report.unmatched[0].source == "payout");
    CHECK(report.unmatched[0].reference == "PAY-404");
    CHECK(report.unmatched[0].amount_pence == 500);
}

TEST_CASE("reconcile: the period picks payouts by date and GL lines by their own dates")
{
    Workspace workspace;
    record_payout(workspace, { 4250, 1063, 213, 2974 });
    workspace.pay("PAY-DEC", 1, 200, "2026-12-02");
    workspace.refund("R-1", "PAY-1", 1, { 500, 125, 25, 350 }, "2026-12-03");
    workspace.pay("DIRECT-1", 1, 700, "2026-12-04", "direct_payment");
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-12", date("2026-12-07")));
    CHECK(report.payouts.empty());
    CHECK(report.reconciles());
    CHECK(report.gl.payments.count == 1);
    CHECK(report.gl.payments.split.gross_pence == 200);
    CHECK(report.gl.direct_payments.count == 1);
    CHECK(report.gl.refunds.count == 1);
    CHECK(report.gl.total().gross_pence == 200 + 700 - 500);
    // A direct payment is never paid over: not flagged, however old.
    auto const later = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-12", date("2027-03-01")));
    for (auto const& item : later.not_paid_over)
        CHECK(item.payment_id != "DIRECT-1");
}

TEST_CASE("reconcile: suspense items are aged into bands and listed as unmatched")
{
    Workspace workspace;
    store::SuspenseItem item;
    item.agency = "agency-a";
    item.line_kind = "payment";
    item.reference = "NOSUCH";
    item.payment_id = "PAY-9";
    item.amount_pence = 500;
    item.item_date = "2026-12-01";
    item.reason = "no placement";
    item.file = workspace.file_id;
    item.line = 4;
    expect_ok(workspace.returns->add_suspense(item));
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-12", base::today_local().plus_days(45)));
    REQUIRE(report.suspense_ageing.size() == 4);
    CHECK(report.suspense_ageing[1].band == "31-60");
    CHECK(report.suspense_ageing[1].count == 1);
    CHECK(report.suspense_ageing[1].amount_pence == 500);
    REQUIRE(report.unmatched.size() == 1);
    CHECK(report.unmatched[0].source == "suspense");
    CHECK(report.unmatched[0].reference == "NOSUCH");
    CHECK(reporting::ageing_band(0) == 0);
    CHECK(reporting::ageing_band(30) == 0);
    CHECK(reporting::ageing_band(31) == 1);
    CHECK(reporting::ageing_band(90) == 2);
    CHECK(reporting::ageing_band(91) == 3);
}

TEST_CASE("reconcile: HTML is self-contained and escapes every value")
{
    Workspace workspace;
    workspace.pay("<script>alert(1)</script>", 1, 1250, "2026-11-20");
    expect_ok(workspace.returns->add_payout({ "agency-a", "PO-<b>", "2026-11-28", std::nullopt, workspace.file_id, 20 }));
    expect_ok(workspace.returns->add_payout_item("agency-a", { "PO-<b>", "<script>alert(1)</script>", 1250, workspace.file_id, 21 }));
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-11", date("2026-12-07")));
    auto const page = report.to_html();
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("&lt;script&gt;") != std::string::npos);
    CHECK(page.find("PO-&lt;b&gt;") != std::string::npos);
    CHECK(page.find("http") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("<style>") != std::string::npos);
}

TEST_CASE("reconcile: periods are months")
{
    CHECK(reporting::is_period("2026-11"));
    CHECK_FALSE(reporting::is_period("2026-13"));
    CHECK_FALSE(reporting::is_period("2026-1"));
    CHECK_FALSE(reporting::is_period("202611"));
}

// docs/returns.md, "The payout check does not net refunds": a refund of a listed payment
// changes neither the payout's computed totals nor its check; the GL summary nets it.
TEST_CASE("reconcile: a refunded payment still counts whole in its payout; the GL nets the refund")
{
    Workspace workspace;
    record_payout(workspace, { 4250, 1063, 213, 2974 });
    workspace.refund("R-1", "PAY-2", 2, { 3000, 750, 150, 2100 }, "2026-11-29");
    auto const report = expect_ok(reporting::reconcile(*workspace.ledger, workspace.config.agencies[0], "2026-11", date("2026-12-07")));
    REQUIRE(report.payouts.size() == 1);
    CHECK(report.payouts[0].reconciles());
    CHECK(report.payouts[0].computed == model::MoneySplit { 4250, 1063, 213, 2974 });
    CHECK(report.gl.refunds.split == model::MoneySplit { 3000, 750, 150, 2100 });
    CHECK(report.gl.total() == model::MoneySplit { 2250, 563, 113, 1574 });
}
