// The returns tables (migration 6): files once per (agency, sha256), the pseudonym index
// catching up on new placements, payments once per (agency, payment id), placement state
// changes with their events, payouts, suspense resolution and quarantine.
#include "ledger_test_support.hpp"

#include "gateway/store/returns.hpp"

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

struct Placed {
    std::unique_ptr<Ledger> ledger;
    std::int64_t run { 0 };
    std::int64_t batch { 0 };
};

Placed placed_ledger(TemporaryFolder const& folder)
{
    Placed placed { open_ledger(folder.state()) };
    placed.run = expect_ok(placed.ledger->begin_run("place", "cases.csv", "2026-11-23"));
    placed.batch = make_batch(*placed.ledger, placed.run, "agency-a", "20261123", "20261123-placement-1.csv");
    expect_ok(placed.ledger->add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P1", "PSA1", 0)));
    expect_ok(placed.ledger->add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P2", "PSA1", 0))); // joint debtor
    expect_ok(placed.ledger->add_placement(make_row(placed.run, placed.batch, "agency-b", "A2", "P3", "PSB2", 0)));
    return placed;
}

InboundFile inbound(std::string name, std::string sha256)
{
    InboundFile file;
    file.agency = "agency-a";
    file.file_name = std::move(name);
    file.sha256 = std::move(sha256);
    file.kind = "payment";
    return file;
}

} // namespace

TEST_CASE("inbound files are found by agency and content, and the newest by name")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    Returns returns(*placed.ledger);
    auto const first = expect_ok(returns.record_file(inbound("2026-11-24.csv", "aa")));
    CHECK(expect_ok(returns.find_file("agency-a", "aa"))->id == first);
    CHECK_FALSE(expect_ok(returns.find_file("agency-b", "aa")));
    CHECK(returns.record_file(inbound("other-name.csv", "aa")).is_error()); // UNIQUE (agency, sha256)
    auto second_file = inbound("2026-11-24.csv", "bb");
    second_file.same_name_as = first;
    auto const second = expect_ok(returns.record_file(second_file));
    auto const newest = expect_ok(returns.find_file_named("agency-a", "2026-11-24.csv"));
    REQUIRE(newest);
    CHECK(newest->id == second);
    CHECK(newest->same_name_as == first);
    expect_ok(returns.set_file_counts(second, { 5, 2, 1, 1, 0, 1 }));
    auto const files = expect_ok(returns.list_files(std::string("agency-a")));
    REQUIRE(files.size() == 2);
    CHECK(files[1].counts.duplicates == 1);
    CHECK(files[1].counts.suspense == 1);
    CHECK(files[1].state == InboundState::Applied);
}

TEST_CASE("the pseudonym index adds only placements made since its mark, per agency")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    Returns returns(*placed.ledger);
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 2);
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 0);
    std::vector<MatchedPlacement> found;
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA1", found));
    REQUIRE(found.size() == 2);
    CHECK(found[0].person_ref == "P1");
    CHECK(found[1].person_ref == "P2");
    CHECK(found[0].balance_pence == 12345);
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSB2", found));
    CHECK(found.empty()); // another agency's pseudonym never matches
    expect_ok(placed.ledger->add_placement(make_row(placed.run, placed.batch, "agency-a", "A3", "P4", "PSA3", 0)));
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 1);
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA3", found));
    CHECK(found.size() == 1);
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-b")) == 1);
}

TEST_CASE("a payment is stored once per agency and payment id; duplicates are counted")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    Returns returns(*placed.ledger);
    auto const file = expect_ok(returns.record_file(inbound("p.csv", "cc")));
    expect_ok(returns.refresh_pseudonym_index("agency-a"));
    std::vector<MatchedPlacement> found;
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA1", found));
    MoneyRecord payment;
    payment.agency = "agency-a";
    payment.money_id = "PAY-1";
    payment.payment_id = "PAY-1";
    payment.placement = found[0].id;
    payment.kind = "payment";
    payment.split = { 10000, 1500, 300, 8200 };
    payment.date = "2026-11-24";
    payment.content_hash = "h1";
    payment.file = file;
    payment.line = 2;
    auto const id = expect_ok(returns.add_payment(payment));
    CHECK(returns.add_payment(payment).is_error());
    expect_ok(returns.count_duplicate(Returns::MoneyTable::Payments, id));
    auto const stored = expect_ok(returns.find_payment("agency-a", "PAY-1"));
    REQUIRE(stored);
    CHECK(stored->split == model::MoneySplit { 10000, 1500, 300, 8200 });
    CHECK(stored->duplicate_count == 1);
    CHECK_FALSE(expect_ok(returns.find_payment("agency-b", "PAY-1")));

    MoneyRecord refund = payment;
    refund.money_id = "REF-1";
    refund.kind = "refund";
    refund.split = { 2500, 375, 75, 2050 };
    refund.line = 3;
    expect_ok(returns.add_refund(refund));
    CHECK(expect_ok(returns.reversed_against("agency-a", "PAY-1")) == model::MoneySplit { 2500, 375, 75, 2050 });
    CHECK(expect_ok(returns.placement_number(found[0].id)) == 1);
    auto const money = expect_ok(returns.placement_money(found[0].id));
    CHECK(money.paid_pence == 10000);
    CHECK(money.refunded_pence == 2500);
    CHECK(money.outstanding() == 12345 - 10000 + 2500);
    int listed = 0;
    expect_ok(returns.for_each_payment({ std::string("agency-a"), std::nullopt }, [&](MoneyRecord const& record) {
        ++listed;
        CHECK(record.account_ref == "A1");
    }));
    CHECK(listed == 1);
}

TEST_CASE("moving a placement records the event with its source line")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    Returns returns(*placed.ledger);
    auto const file = expect_ok(returns.record_file(inbound("activity.csv", "dd")));
    expect_ok(returns.refresh_pseudonym_index("agency-a"));
    std::vector<MatchedPlacement> found;
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA1", found));
    ReturnEvent event { 0, found[0].id, "agency-a", "open", "on_hold", "BSM", "BreathingSpace", "2026-11-24", file, 7, "", "" };
    expect_ok(returns.move_placement(event));
    event.to_state = "flying";
    CHECK(returns.move_placement(event).is_error());
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA1", found));
    CHECK(found[0].status == "on_hold");
    std::vector<ReturnEvent> events;
    expect_ok(returns.for_each_event(std::nullopt, [&](ReturnEvent const& seen) { events.push_back(seen); }));
    REQUIRE(events.size() == 1);
    CHECK(events[0].reason == "BSM");
    CHECK(events[0].line == 7);
    CHECK(events[0].account_ref == "A1");
}

TEST_CASE("payouts are recorded once with their stated totals and listed payments")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    Returns returns(*placed.ledger);
    auto const file = expect_ok(returns.record_file(inbound("payout.csv", "ee")));
    CHECK(expect_ok(returns.add_payout({ "agency-a", "PO-1", "2026-11-30", std::nullopt, file, 2 })));
    CHECK_FALSE(expect_ok(returns.add_payout({ "agency-a", "PO-1", "2026-11-30", std::nullopt, file, 3 })));
    expect_ok(returns.set_payout_totals("agency-a", "PO-1", { 100, 15, 3, 82 }));
    CHECK(expect_ok(returns.add_payout_item("agency-a", { "PO-1", "PAY-1", 100, file, 2 })));
    CHECK_FALSE(expect_ok(returns.add_payout_item("agency-a", { "PO-1", "PAY-1", 100, file, 2 })));
    auto const payouts = expect_ok(returns.list_payouts("agency-a"));
    REQUIRE(payouts.size() == 1);
    REQUIRE(payouts[0].stated);
    CHECK(payouts[0].stated->net_pence == 82);
    CHECK(expect_ok(returns.payout_items("agency-a", "PO-1")).size() == 1);
}

TEST_CASE("a suspense item is resolved or rejected once, with who and why")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    Returns returns(*placed.ledger);
    auto const file = expect_ok(returns.record_file(inbound("p.csv", "ff")));
    SuspenseItem item;
    item.agency = "agency-a";
    item.line_kind = "payment";
    item.reference = "UNKNOWN-REF";
    item.amount_pence = 4200;
    item.reason = "reference never placed with agency-a";
    item.file = file;
    item.line = 4;
    auto const id = expect_ok(returns.add_suspense(item));
    auto const open = expect_ok(returns.list_suspense(std::nullopt, SuspenseState::Open));
    REQUIRE(open.size() == 1);
    CHECK(open[0].file_name == "p.csv");
    CHECK(open[0].amount_pence == 4200);
    expect_ok(returns.resolve_suspense(id, SuspenseState::Resolved, "A1", "operator:alice", "agency quoted an old reference"));
    auto const again = returns.resolve_suspense(id, SuspenseState::Rejected, "", "operator:bob", "x");
    REQUIRE(again.is_error());
    CHECK(again.error().to_text().find("already resolved") != std::string::npos);
    CHECK(returns.resolve_suspense(999, SuspenseState::Rejected, "", "operator:bob", "x").error().code() == base::ErrorCode::NotFound);
    auto const resolved = expect_ok(returns.find_suspense(id));
    CHECK(resolved->resolved_by == "operator:alice");
    CHECK(resolved->resolved_account == "A1");
    CHECK(expect_ok(returns.list_suspense(std::nullopt, SuspenseState::Open)).empty());

    expect_ok(returns.add_quarantine("agency-a", file, 5, "amount", "not a number of pence"));
    CHECK(expect_ok(returns.count_quarantine(file)) == 1);
}
