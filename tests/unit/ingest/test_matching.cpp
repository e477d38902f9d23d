// Matching through the in-memory index across files of one ingest: placements made after
// the first file are matched by the next, an unknown reference goes to suspense, a
// customer reference naming nobody under the reference too, and a placement paid twice in
// one file is checked for overpayment with both payments.
#include "ingest_test_support.hpp"

using namespace dcagw;
using namespace dcagw::ingest;
using namespace dcagw::ingest::testing;
using model::ReturnKind;

TEST_CASE("a reference placed after an earlier file is matched by the next file on the same ledger")
{
    Workspace work;
    auto const first = expect_ok(work.apply(facts("p1.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-A9", "PAY-1", 100) }));
    CHECK(first.counts.suspense == 1); // never placed (yet): suspense, not dropped
    CHECK(first.counts.applied == 0);
    auto const run = expect_ok(work.ledger->begin_run("place", "cases.csv", "2026-11-02"));
    store::Batch batch;
    batch.run = run;
    batch.agency = "agency-a";
    batch.file_name = "20261102-placement-1.csv";
    batch.temporary_path = "spool/agency-a/.20261102-placement-1.csv.tmp";
    batch.final_path = "spool/agency-a/20261102-placement-1.csv";
    batch.file_date = "20261102";
    batch.sequence = 1;
    auto const batch_id = expect_ok(work.ledger->create_batch(batch));
    work.place(run, batch_id, "A9", "P9", "REF-A9", 3000);
    auto const second = expect_ok(work.apply(facts("p2.csv", "s2", ReturnKind::Payment),
        { payment_line(2, "REF-A9", "PAY-2", 100, "2026-11-20", "P:P9"), payment_line(3, "REF-A9", "PAY-3", 100, "2026-11-20", "P:P1"),
            payment_line(4, "REF-NONE", "PAY-4", 100) }));
    CHECK(second.counts.applied == 1);  // the new placement, customer reference checked
    CHECK(second.counts.suspense == 2); // P1 is not a person of REF-A9; REF-NONE was never placed
    store::Returns returns(*work.ledger);
    auto const items = expect_ok(returns.list_suspense(std::nullopt, store::SuspenseState::Open));
    REQUIRE(items.size() == 3);
    CHECK(items[1].reason == "customer reference P:P1 is not a person placed under reference REF-A9");
    CHECK(items[2].reason == "reference REF-NONE was never placed with agency-a");
}

TEST_CASE("two payments of one placement in one file are both counted in its overpayment check")
{
    Workspace work;
    auto const summary = expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment),
        { payment_line(2, "REF-A2", "PAY-1", 3000), payment_line(3, "REF-A2", "PAY-2", 3000) }));
    CHECK(summary.counts.applied == 2);
    REQUIRE(summary.problems.size() == 1);
    CHECK(summary.problems[0] == "account A2 is overpaid by £10.00 (placed £50.00, paid £60.00, refunded £0.00)");
}
