// The in-memory matching index (store/match_index.hpp) and Returns' use of it: loaded
// once, caught up with placements added since, per agency, a candidate always checked
// against the stored pseudonym, and dropped when a rollback took placements it had read.
#include "ledger_test_support.hpp"

#include "gateway/store/match_index.hpp"
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
    return placed;
}

std::vector<std::string> persons_of(Returns& returns, std::string_view agency, std::string_view pseudonym)
{
    std::vector<MatchedPlacement> found;
    expect_ok(returns.placements_with_pseudonym(agency, pseudonym, found));
    std::vector<std::string> persons;
    for (auto const& placement : found)
        persons.push_back(placement.person_ref);
    return persons;
}

} // namespace

TEST_CASE("a match index merges later placements in and proposes every id of a pseudonym")
{
    MatchIndex index;
    index.add("PSX", 3);
    index.add("PSY", 1);
    index.merge(3);
    CHECK(index.mark() == 3);
    index.add("PSX", 7);
    index.add("PSZ", 5);
    index.merge(7);
    CHECK(index.mark() == 7);
    CHECK(index.size() == 4);
    std::vector<std::int64_t> ids;
    index.candidates("PSX", ids);
    CHECK(ids == std::vector<std::int64_t> { 3, 7 }); // oldest first
    index.candidates("PSZ", ids);
    CHECK(ids == std::vector<std::int64_t> { 5 });
    index.candidates("NEVER", ids);
    CHECK(ids.empty());
    index.merge(2); // a mark never goes back
    CHECK(index.mark() == 7);
}

TEST_CASE("the matching index catches up with placements added after its first load")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    auto& ledger = *placed.ledger;
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P1", "PSA1", 0)));
    Returns returns(ledger);
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 1);
    CHECK(persons_of(returns, "agency-a", "PSA2").empty()); // not placed yet: the caller suspends the line
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A2", "P2", "PSA2", 0)));
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P3", "PSA1", 0)));
    CHECK(persons_of(returns, "agency-a", "PSA2").empty()); // until the index is refreshed
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 2);
    CHECK(persons_of(returns, "agency-a", "PSA2") == std::vector<std::string> { "P2" });
    CHECK(persons_of(returns, "agency-a", "PSA1") == std::vector<std::string> { "P1", "P3" });
    // A second Returns on the same ledger shares the index; a new Ledger object loads it.
    Returns other(ledger);
    CHECK(expect_ok(other.refresh_pseudonym_index("agency-a")) == 0);
    auto reopened = open_ledger(folder.state());
    Returns fresh(*reopened);
    CHECK(expect_ok(fresh.refresh_pseudonym_index("agency-a")) == 3);
    CHECK(persons_of(fresh, "agency-a", "PSA1") == std::vector<std::string> { "P1", "P3" });
}

TEST_CASE("a pseudonym placed with two agencies matches each agency's own placement only")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    auto& ledger = *placed.ledger;
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P1", "SAME", 0)));
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-b", "A9", "P9", "SAME", 0)));
    Returns returns(ledger);
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 1);
    CHECK(persons_of(returns, "agency-a", "SAME") == std::vector<std::string> { "P1" });
    CHECK(persons_of(returns, "agency-b", "SAME").empty()); // agency-b's index is not loaded yet
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-b")) == 1);
    CHECK(persons_of(returns, "agency-b", "SAME") == std::vector<std::string> { "P9" });
    CHECK(persons_of(returns, "agency-c", "SAME").empty());
}

TEST_CASE("a match carries the placement's number and the money paid and refunded so far")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    auto& ledger = *placed.ledger;
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-b", "A1", "P1", "PSB1", 0)));
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P1", "PSA1", 0))); // the debt's second placement
    Returns returns(ledger);
    expect_ok(returns.refresh_pseudonym_index("agency-a"));
    std::vector<MatchedPlacement> found;
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA1", found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].placement_number == 2);
    CHECK(found[0].placement_number == expect_ok(returns.placement_number(found[0].id)));
    CHECK(found[0].paid_pence == 0);
    InboundFile file;
    file.agency = "agency-a";
    file.file_name = "p.csv";
    file.sha256 = "aa";
    file.kind = "payment";
    auto const file_id = expect_ok(returns.record_file(file));
    MoneyRecord payment;
    payment.agency = "agency-a";
    payment.money_id = payment.payment_id = "PAY-1";
    payment.placement = found[0].id;
    payment.kind = "payment";
    payment.split = { 700, 100, 20, 580 };
    payment.date = "2026-11-24";
    payment.content_hash = "h";
    payment.file = file_id;
    payment.line = 2;
    expect_ok(returns.add_payment(payment));
    payment.money_id = "REF-1";
    payment.split = { 200, 0, 0, 200 };
    expect_ok(returns.add_refund(payment));
    expect_ok(returns.placements_with_pseudonym("agency-a", "PSA1", found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].paid_pence == 700);
    CHECK(found[0].refunded_pence == 200);
    auto const money = expect_ok(returns.placement_money(found[0].id));
    CHECK(money.paid_pence == found[0].paid_pence);
    CHECK(money.refunded_pence == found[0].refunded_pence);
}

TEST_CASE("an index that read placements of a rolled-back transaction is loaded afresh")
{
    TemporaryFolder folder;
    auto placed = placed_ledger(folder);
    auto& ledger = *placed.ledger;
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A1", "P1", "PSA1", 0)));
    Returns returns(ledger);
    expect_ok(returns.refresh_pseudonym_index("agency-a"));
    expect_ok(ledger.begin());
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A2", "P2", "GONE", 0)));
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 1);
    expect_ok(ledger.rollback());
    // SQLite gives the rolled-back placement's id to the next placement.
    expect_ok(ledger.add_placement(make_row(placed.run, placed.batch, "agency-a", "A3", "P3", "KEPT", 0)));
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 2); // reloaded whole
    CHECK(persons_of(returns, "agency-a", "GONE").empty());
    CHECK(persons_of(returns, "agency-a", "KEPT") == std::vector<std::string> { "P3" });
    CHECK(persons_of(returns, "agency-a", "PSA1") == std::vector<std::string> { "P1" });
}
