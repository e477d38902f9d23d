// placements show's figures (reporting/account_statement): each placement of one of our
// accounts with outstanding = placed balance - payments + refunds, the overpayment flag,
// and its state changes with the inbound file's name.
#include "gateway/reporting/account_statement.hpp"
#include "tests/unit/reporting/reporting_test_support.hpp"

using namespace dcagw;
using reporting::testing::expect_ok;
using reporting::testing::Workspace;

TEST_CASE("account statement: outstanding, overpayment and return history per placement")
{
    Workspace workspace;
    workspace.pay("PAY-1", 1, 4000);
    workspace.pay("PAY-2", 1, 7000);
    workspace.refund("R-1", "PAY-1", 1, { 500, 125, 25, 350 });
    store::ReturnEvent event;
    event.placement = 1;
    event.agency = "agency-a";
    event.from_state = "open";
    event.to_state = "closed_paid";
    event.reason = "PIF";
    event.agency_code = "PAID";
    event.event_date = "2026-11-30";
    event.file = workspace.file_id;
    event.line = 7;
    expect_ok(workspace.returns->move_placement(event));

    auto const statements = expect_ok(reporting::account_statement(*workspace.ledger, "A1"));
    REQUIRE(statements.size() == 1);
    auto const& placement = statements[0];
    CHECK(placement.agency == "agency-a");
    CHECK(placement.person_ref == "P-A1");
    CHECK(placement.state == "closed_paid");
    CHECK(placement.reason == "PIF");
    CHECK(placement.placed_balance_pence == 10000);
    CHECK(placement.payments_pence == 11000);
    CHECK(placement.refunds_pence == 500);
    CHECK(placement.outstanding_pence == -500);
    CHECK(placement.overpaid);
    REQUIRE(placement.returns.size() == 1);
    CHECK(placement.returns[0].file_name == "20261201-payments.csv");
    CHECK(placement.returns[0].event.line == 7);

    auto const untouched = expect_ok(reporting::account_statement(*workspace.ledger, "A2"));
    REQUIRE(untouched.size() == 1);
    CHECK(untouched[0].outstanding_pence == 10000);
    CHECK_FALSE(untouched[0].overpaid);
    CHECK(untouched[0].returns.empty());
    // A person_ref is not an account: only account_ref selects.
    CHECK(expect_ok(reporting::account_statement(*workspace.ledger, "P-A1")).empty());
}
