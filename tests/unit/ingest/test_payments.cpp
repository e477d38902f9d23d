// Payments applied once per (agency, payment id) with their split in exact pence, files
// applied once per (agency, sha256), duplicates counted, conflicts quarantined, unmatched
// lines in suspense, refunds reversing exactly, overpayments and payouts checked.
#include "ingest_test_support.hpp"

using namespace dcagw;
using namespace dcagw::ingest;
using namespace dcagw::ingest::testing;
using model::ReturnKind;

namespace {

std::vector<store::MoneyRecord> payments_of(store::Ledger& ledger)
{
    store::Returns returns(ledger);
    std::vector<store::MoneyRecord> found;
    expect_ok(returns.for_each_payment({}, [&](store::MoneyRecord const& record) { found.push_back(record); }));
    return found;
}

} // namespace

TEST_CASE("a payment is matched by reference and split from the contract, in exact pence")
{
    Workspace work;
    auto const summary = expect_ok(work.apply(facts("2026-11-30.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-1", 1234) }));
    CHECK(summary.outcome == FileOutcome::Applied);
    CHECK(summary.counts.applied == 1);
    CHECK(summary.payments == model::MoneySplit { 1234, 309, 62, 863 });
    auto const payments = payments_of(*work.ledger);
    REQUIRE(payments.size() == 1);
    CHECK(payments[0].account_ref == "A2");
    CHECK(payments[0].split == model::MoneySplit { 1234, 309, 62, 863 });
    CHECK(payments[0].line == 2);
    store::Returns returns(*work.ledger);
    CHECK(expect_ok(returns.placement_money(payments[0].placement)).outstanding() == 5000 - 1234);
}

TEST_CASE("a file is applied once per agency and content; the same name with other content is flagged")
{
    Workspace work;
    auto const file = facts("2026-11-30.csv", "s1", ReturnKind::Payment);
    expect_ok(work.apply(file, { payment_line(2, "REF-A2", "PAY-1", 1000) }));
    auto const again = expect_ok(work.apply(file, { payment_line(2, "REF-A2", "PAY-1", 1000) }));
    CHECK(again.outcome == FileOutcome::AlreadyApplied);
    CHECK(payments_of(*work.ledger).size() == 1);
    CHECK(payments_of(*work.ledger)[0].duplicate_count == 0); // not even counted: the file was never read again

    auto const renamed = expect_ok(work.apply(facts("2026-11-30.csv", "s2", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-2", 500) }));
    CHECK(renamed.outcome == FileOutcome::Applied);
    CHECK(renamed.same_name_as != 0);
    REQUIRE_FALSE(renamed.problems.empty());
    CHECK(renamed.problems.back().find("has the name of an earlier file") != std::string::npos);
}

TEST_CASE("the same payment in another file is a counted duplicate; other content is a conflict")
{
    Workspace work;
    expect_ok(work.apply(facts("a.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-1", 1000) }));
    auto const second = expect_ok(work.apply(facts("b.csv", "s2", ReturnKind::Payment),
        { payment_line(2, "REF-A2", "PAY-1", 1000), payment_line(3, "REF-A2", "PAY-1", 1001), payment_line(4, "REF-A2", "PAY-3", 200) }));
    CHECK(second.counts.lines == 3);
    CHECK(second.counts.duplicates == 1);
    CHECK(second.counts.conflicts == 1);
    CHECK(second.counts.quarantined == 1);
    CHECK(second.counts.applied == 1);
    auto const payments = payments_of(*work.ledger);
    REQUIRE(payments.size() == 2);
    CHECK(payments[0].split.gross_pence == 1000); // the conflict changed nothing
    CHECK(payments[0].duplicate_count == 1);
    store::Returns returns(*work.ledger);
    CHECK(expect_ok(returns.count_quarantine(second.file_id)) == 1);
}

TEST_CASE("a payment whose reference was never placed goes to suspense, never to the ledger")
{
    Workspace work;
    auto const summary = expect_ok(work.apply(facts("a.csv", "s1", ReturnKind::Payment),
        { payment_line(2, "REF-NEVER", "PAY-1", 4200), payment_line(3, "REF-A2", "PAY-2", 100) }));
    CHECK(summary.counts.suspense == 1);
    CHECK(summary.counts.applied == 1);
    CHECK(payments_of(*work.ledger).size() == 1);
    store::Returns returns(*work.ledger);
    auto const items = expect_ok(returns.list_suspense(std::nullopt, store::SuspenseState::Open));
    REQUIRE(items.size() == 1);
    CHECK(items[0].reference == "REF-NEVER");
    CHECK(items[0].amount_pence == 4200);
    CHECK(items[0].payment_id == "PAY-1");
    CHECK(items[0].line == 2);
    CHECK(items[0].file_name == "a.csv");
}

TEST_CASE("the customer reference picks the joint debtor, and one that names nobody goes to suspense")
{
    Workspace work;
    auto const summary = expect_ok(work.apply(facts("a.csv", "s1", ReturnKind::Payment),
        { payment_line(2, "REF-A1", "PAY-1", 100, "2026-11-20", "P:P2"), payment_line(3, "REF-A1", "PAY-2", 100, "2026-11-20", "P:P9") }));
    CHECK(summary.counts.applied == 1);
    CHECK(summary.counts.suspense == 1);
    store::Returns returns(*work.ledger);
    auto const payment = expect_ok(returns.find_payment("agency-a", "PAY-1"));
    REQUIRE(payment);
    std::vector<store::MatchedPlacement> placements;
    expect_ok(returns.placements_with_pseudonym("agency-a", "REF-A1", placements));
    REQUIRE(placements.size() == 2);
    CHECK(payment->placement == placements[1].id); // P2's
}

TEST_CASE("bad payment lines are quarantined and the good ones still apply")
{
    Workspace work;
    model::Rejection rejection { "a.csv", 5, "A9", "Jane Doe", "amount", "'12.3.4' is not an amount" };
    auto const summary = expect_ok(work.apply(facts("a.csv", "s1", ReturnKind::Payment),
        { payment_line(2, "REF-A2", "PAY-1", -5), payment_line(3, "", "PAY-2", 100), payment_line(4, "REF-A2", "PAY-3", 100, "2026-12-02"),
            payment_line(6, "REF-A2", "PAY-4", 100) }, { rejection }));
    CHECK(summary.counts.quarantined == 4);
    CHECK(summary.counts.applied == 1);
    CHECK(summary.counts.lines == 5);
    CHECK(payments_of(*work.ledger).size() == 1);
}

TEST_CASE("a refund reverses its payment and commission exactly; an overpayment is flagged")
{
    Workspace work;
    auto const paid = expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-1", 6000) }));
    REQUIRE_FALSE(paid.problems.empty());
    CHECK(paid.problems[0] == "account A2 is overpaid by £10.00 (placed £50.00, paid £60.00, refunded £0.00)");
    auto const refunded = expect_ok(work.apply(facts("r.csv", "s2", ReturnKind::Refund),
        { refund_line(2, "REF-A2", "R-1", "PAY-1", 1000), refund_line(3, "REF-A2", "R-2", "PAY-1", 5000), refund_line(4, "REF-A2", "R-3", "PAY-1", 1),
            refund_line(5, "REF-A2", "R-4", "PAY-NONE", 10) }));
    CHECK(refunded.counts.applied == 2);
    CHECK(refunded.counts.quarantined == 1); // nothing left to refund
    CHECK(refunded.counts.suspense == 1);    // a payment never reported
    store::Returns returns(*work.ledger);
    auto const payment = expect_ok(returns.find_payment("agency-a", "PAY-1"));
    CHECK(expect_ok(returns.reversed_against("agency-a", "PAY-1")) == payment->split);
    CHECK(refunded.refunds == payment->split);
    CHECK(expect_ok(returns.placement_money(payment->placement)).outstanding() == 5000);
}

TEST_CASE("a payout one penny off its lines fails, showing both figures")
{
    Workspace work;
    expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-1", 1000), payment_line(3, "REF-A1", "PAY-2", 2000) }));
    // 1000: 250 + 50 VAT, net 700. 2000: 500 + 100, net 1400.
    auto const good = expect_ok(work.apply(facts("po1.csv", "s2", ReturnKind::Payout),
        { payout_line(2, "PO-1", "PAY-1", 1000), payout_line(3, "PO-1", "PAY-2", 2000), payout_line(4, "PO-1", "", 0, model::MoneySplit { 3000, 750, 150, 2100 }) }));
    CHECK(good.payouts_reconcile);
    CHECK(good.problems.empty());
    expect_ok(work.apply(facts("p2.csv", "s3", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-3", 500) }));
    auto const bad = expect_ok(work.apply(facts("po2.csv", "s4", ReturnKind::Payout),
        { payout_line(2, "PO-2", "PAY-3", 499), payout_line(3, "PO-2", "PAY-9", 10), payout_line(4, "PO-2", "", 0, model::MoneySplit { 500, 125, 25, 351 }) }));
    CHECK_FALSE(bad.payouts_reconcile);
    REQUIRE(bad.problems.size() == 3);
    CHECK(bad.problems[0] == "payout PO-2 lists payment PAY-3 as £4.99 but it was reported as £5.00");
    CHECK(bad.problems[1] == "payout PO-2 lists payment PAY-9 (£0.10) that no payment line reported");
    CHECK(bad.problems[2] == "payout PO-2: stated net £3.51 but its lines add up to £3.50 (difference £0.01)");
    store::Returns returns(*work.ledger);
    CHECK(expect_ok(returns.find_payment("agency-a", "PAY-1"))->payout_id == "PO-1");
}

TEST_CASE("an agency without a contract has its payments quarantined, not guessed")
{
    Workspace work;
    work.agency.contract.reset();
    auto const summary = expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-1", 1000) }));
    CHECK(summary.counts.quarantined == 1);
    CHECK(payments_of(*work.ledger).empty());
}
