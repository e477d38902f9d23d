// The lifecycle messages owed to agencies and what each agency was told (issue 15).
#include "gateway/store/lifecycle.hpp"
#include "ledger_test_support.hpp"

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

// A1 is a joint debt (P1, P2) with agency-a, placed at 123.45; A2 is with agency-b.
struct Fixture {
    TemporaryFolder folder;
    std::unique_ptr<Ledger> ledger = open_ledger(folder.state());
    std::int64_t run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    std::int64_t batch_a = make_batch(*ledger, run, "agency-a", "20261123", "20261123-a-1.csv.age");
    std::int64_t batch_b = make_batch(*ledger, run, "agency-b", "20261123", "20261123-b-1.csv.age");
    std::int64_t fields = expect_ok(ledger->intern_field_set({ "account_ref", "balance_pence" }));
    LifecycleMessages messages { *ledger };

    Fixture()
    {
        expect_ok(ledger->add_placement(make_row(run, batch_a, "agency-a", "A1", "P1", "PSA1", fields)));
        expect_ok(ledger->add_placement(make_row(run, batch_a, "agency-a", "A1", "P2", "PSA1", fields)));
        expect_ok(ledger->add_placement(make_row(run, batch_b, "agency-b", "A2", "P3", "PSB2", fields)));
    }

    std::vector<OpenPlacement> open_of(std::string_view account)
    {
        std::vector<OpenPlacement> open;
        expect_ok(ledger->open_placements_of(account, open));
        return open;
    }
};

OwedMessage message(model::MessageKind kind, std::string reference, std::string account = "A1", std::string agency = "agency-a")
{
    OwedMessage owed;
    owed.agency = std::move(agency);
    owed.account_ref = std::move(account);
    owed.placement = 1;
    owed.kind = kind;
    owed.transaction_ref = std::move(reference);
    owed.actor = "scheduler";
    owed.run = 1;
    owed.notice_received_at = "2026-11-24T08:00:00Z";
    return owed;
}

OwedMessage update(std::int64_t change, std::string reference)
{
    auto owed = message(model::MessageKind::BalanceUpdate, std::move(reference));
    owed.change_pence = change;
    return owed;
}

OwedMessage hold(model::ReturnReason reason, std::string reference)
{
    auto owed = message(model::MessageKind::Hold, std::move(reference));
    owed.reason = reason;
    owed.until = "2027-01-23";
    return owed;
}

} // namespace

TEST_CASE("lifecycle: a new ledger's placements were told their placed balance and no hold")
{
    Fixture fixture;
    auto const open = fixture.open_of("A1");
    REQUIRE(open.size() == 2);
    for (auto const& placement : open) {
        CHECK(placement.balance_pence == 12345);
        CHECK(placement.told_change_pence == 0);
        CHECK(placement.told_hold.empty());
        CHECK(placement.told_recall.empty());
        CHECK(placement.posted_pence == 0);
        CHECK(placement.posted_at.empty());
    }
}

TEST_CASE("lifecycle: an update moves the told balance of every placement of the account there, once")
{
    Fixture fixture;
    expect_ok(fixture.messages.record(update(-1000, "T-1")));
    expect_ok(fixture.messages.record(update(250, "T-2")));
    for (auto const& placement : fixture.open_of("A1"))
        CHECK(placement.told_change_pence == -750);
    CHECK(fixture.open_of("A2")[0].told_change_pence == 0);

    // The same transaction reference again is refused and moves nothing.
    CHECK(fixture.messages.record(update(-1000, "T-1")).is_error());
    CHECK(fixture.open_of("A1")[0].told_change_pence == -750);
    // Another agency may use the same reference text.
    auto other = update(-5, "T-1");
    other.account_ref = "A2";
    other.agency = "agency-b";
    other.placement = 3;
    expect_ok(fixture.messages.record(other));
    CHECK(fixture.open_of("A2")[0].told_change_pence == -5);
}

TEST_CASE("lifecycle: a hold is in force until its release; a recall is remembered")
{
    Fixture fixture;
    expect_ok(fixture.messages.record(hold(model::ReturnReason::BreathingSpace, "H-1")));
    CHECK(fixture.open_of("A1")[0].told_hold == "BSM");
    auto release = message(model::MessageKind::Release, "R-1");
    release.reason = model::ReturnReason::BreathingSpace;
    expect_ok(fixture.messages.record(release));
    CHECK(fixture.open_of("A1")[0].told_hold.empty());
    expect_ok(fixture.messages.record(message(model::MessageKind::Recall, "C-1")));
    CHECK(fixture.open_of("A1")[0].told_recall == "RCL");
}

TEST_CASE("lifecycle: refused without an open placement, a reference, a change or a hold's reason")
{
    Fixture fixture;
    expect_ok(fixture.ledger->set_placement_status("agency-b", "A2", "P3", "closed"));
    auto closed = update(-5, "T-9");
    closed.account_ref = "A2";
    closed.agency = "agency-b";
    auto const refused = fixture.messages.record(closed);
    REQUIRE(refused.is_error());
    CHECK_THAT(refused.error().to_text(), Catch::Contains("agency-b holds no open placement of this account"));
    CHECK(expect_ok(fixture.messages.of_account("A2")).empty());  // nothing of it is left

    CHECK(fixture.messages.record(update(0, "T-10")).is_error());
    CHECK(fixture.messages.record(update(-5, "")).is_error());
    CHECK(fixture.messages.record(message(model::MessageKind::Hold, "H-9")).is_error());
    CHECK(expect_ok(fixture.messages.of_account("A1")).empty());
}

TEST_CASE("lifecycle: messages wait for a file, are written into one only, and read back whole")
{
    Fixture fixture;
    auto const first = expect_ok(fixture.messages.record(update(-1000, "T-1")));
    auto const second = expect_ok(fixture.messages.record(hold(model::ReturnReason::Dispute, "H-1")));
    auto waiting = expect_ok(fixture.messages.unwritten("agency-a"));
    REQUIRE(waiting.size() == 2);
    CHECK(waiting[0].id == first);
    CHECK(waiting[0].kind == model::MessageKind::BalanceUpdate);
    CHECK(waiting[0].change_pence == -1000);
    CHECK(waiting[0].pseudonym == "PSA1");
    CHECK(waiting[0].person_ref == "P1");
    CHECK(waiting[0].origin == MessageOrigin::Export);
    CHECK(waiting[1].reason == model::ReturnReason::Dispute);
    CHECK(waiting[1].until == std::optional<std::string>("2027-01-23"));
    CHECK(expect_ok(fixture.messages.unwritten("agency-b")).empty());

    auto const file = make_batch(*fixture.ledger, fixture.run, "agency-a", "20261124", "20261124-example-updates.csv.age");
    expect_ok(fixture.messages.assign_batch({ first, second }, file));
    CHECK(expect_ok(fixture.messages.unwritten("agency-a")).empty());
    CHECK(fixture.messages.assign_batch({ first }, file).is_error());  // never into a second file
    auto const all = expect_ok(fixture.messages.of_account("A1"));
    REQUIRE(all.size() == 2);
    CHECK(all[1].batch == file);
}

TEST_CASE("lifecycle: a hold's evidence follows its file: written, delivered, acknowledged")
{
    Fixture fixture;
    auto const id = expect_ok(fixture.messages.record(hold(model::ReturnReason::BreathingSpace, "H-1")));
    auto holds = expect_ok(fixture.messages.holds(std::nullopt));
    REQUIRE(holds.size() == 1);
    CHECK(holds[0].message.notice_received_at == "2026-11-24T08:00:00Z");
    CHECK(holds[0].file_name.empty());
    CHECK(holds[0].notified_at.empty());
    auto const file = make_batch(*fixture.ledger, fixture.run, "agency-a", "20261124", "20261124-example-notices.csv.age");
    expect_ok(fixture.messages.assign_batch({ id }, file));
    holds = expect_ok(fixture.messages.holds(std::string("agency-a")));
    REQUIRE(holds.size() == 1);
    CHECK(holds[0].file_name == "20261124-example-notices.csv.age");
    CHECK(expect_ok(fixture.messages.holds(std::string("agency-b"))).empty());
}
