// Placements, field sets, exclusions, quarantine and the streaming queries over them.
#include "ledger_test_support.hpp"

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

std::vector<Placement> collect(Ledger& ledger, PlacementFilter const& filter)
{
    std::vector<Placement> placements;
    expect_ok(ledger.for_each_placement(filter, [&](Placement const& placement) { placements.push_back(placement); }));
    return placements;
}

std::vector<std::string> accounts_of(std::vector<Placement> const& placements)
{
    std::vector<std::string> accounts;
    for (auto const& placement : placements)
        accounts.push_back(placement.account_ref + "/" + placement.person_ref + "@" + placement.agency);
    return accounts;
}

// Five placements over two agencies: A1 is a joint debt (P1, P2) with agency-a; A2 is with
// agency-b; A3 (person P1 again) with agency-a; A4 with agency-b, later closed.
struct Fixture {
    TemporaryFolder folder;
    std::unique_ptr<Ledger> ledger = open_ledger(folder.state());
    std::int64_t run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    std::int64_t batch_a = make_batch(*ledger, run, "agency-a", "20261123", "20261123-a-1.csv.age");
    std::int64_t batch_b = make_batch(*ledger, run, "agency-b", "20261123", "20261123-b-1.csv.age");
    std::int64_t fields_a = expect_ok(ledger->intern_field_set({ "account_ref", "balance_pence", "first_name" }));
    std::int64_t fields_b = expect_ok(ledger->intern_field_set({ "account_ref" }));

    Fixture()
    {
        expect_ok(ledger->begin());
        expect_ok(ledger->add_placement(make_row(run, batch_a, "agency-a", "A1", "P1", "PSA1", fields_a)));
        expect_ok(ledger->add_placement(make_row(run, batch_a, "agency-a", "A1", "P2", "PSA1", fields_a)));
        expect_ok(ledger->add_placement(make_row(run, batch_b, "agency-b", "A2", "P3", "PSB2", fields_b)));
        expect_ok(ledger->add_placement(make_row(run, batch_a, "agency-a", "A3", "P1", "PSA3", fields_a)));
        expect_ok(ledger->add_placement(make_row(run, batch_b, "agency-b", "A4", "P4", "PSB4", fields_b)));
        expect_ok(ledger->commit());
        expect_ok(ledger->set_placement_status("agency-b", "A4", "P4", "closed"));
    }
};

} // namespace

TEST_CASE("field sets are interned: the same list gives the same id")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const first = expect_ok(ledger->intern_field_set({ "account_ref", "balance_pence" }));
    CHECK(expect_ok(ledger->intern_field_set({ "account_ref", "balance_pence" })) == first);
    CHECK(expect_ok(ledger->intern_field_set({ "balance_pence", "account_ref" })) != first);
    CHECK(expect_ok(ledger->intern_field_set({})) != first);
}

TEST_CASE("a placement is recorded once per account, person and agency")
{
    Fixture fixture;
    auto& ledger = *fixture.ledger;
    auto const again = ledger.add_placement(make_row(fixture.run, fixture.batch_a, "agency-a", "A1", "P1", "PSA1", fixture.fields_a));
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::StoreFailure);
    CHECK_THAT(again.error().to_text(), Catch::StartsWith("adding placement for account A1 person P1 agency agency-a: UNIQUE constraint failed"));
    // The same account and person with another agency is a different placement.
    expect_ok(ledger.add_placement(make_row(fixture.run, fixture.batch_b, "agency-b", "A1", "P1", "PSB1", fixture.fields_b)));
}

TEST_CASE("open_placements_of finds the open placements of an account across agencies, oldest first")
{
    Fixture fixture;
    auto& ledger = *fixture.ledger;
    std::vector<OpenPlacement> open { OpenPlacement { "stale", "stale" } };
    expect_ok(ledger.open_placements_of("A1", open));
    REQUIRE(open.size() == 2);
    CHECK(open[0].agency == "agency-a");
    CHECK(open[0].person_ref == "P1");
    CHECK(open[1].person_ref == "P2");

    expect_ok(ledger.add_placement(make_row(fixture.run, fixture.batch_b, "agency-b", "A1", "P5", "PSB1", fixture.fields_b)));
    expect_ok(ledger.open_placements_of("A1", open));
    REQUIRE(open.size() == 3);
    CHECK(open[2].agency == "agency-b");

    // Oldest first even when the index would list the people in another order.
    expect_ok(ledger.add_placement(make_row(fixture.run, fixture.batch_a, "agency-a", "B1", "Z9", "PSB1", fixture.fields_a)));
    expect_ok(ledger.add_placement(make_row(fixture.run, fixture.batch_a, "agency-a", "B1", "A0", "PSB1", fixture.fields_a)));
    expect_ok(ledger.open_placements_of("B1", open));
    REQUIRE(open.size() == 2);
    CHECK(open[0].person_ref == "Z9");
    CHECK(open[1].person_ref == "A0");
    CHECK(open[0].id < open[1].id);

    expect_ok(ledger.open_placements_of("A4", open)); // closed
    CHECK(open.empty());
    expect_ok(ledger.open_placements_of("P1", open)); // a person reference is not an account
    CHECK(open.empty());
    expect_ok(ledger.open_placements_of("", open));
    CHECK(open.empty());
}

TEST_CASE("set_placement_status accepts the known statuses only")
{
    Fixture fixture;
    auto& ledger = *fixture.ledger;
    CHECK(ledger.set_placement_status("agency-a", "A1", "P1", "lost").is_error());
    CHECK(ledger.set_placement_status("agency-a", "A1", "P9", "closed").error().code() == base::ErrorCode::NotFound);
    expect_ok(ledger.set_placement_status("agency-a", "A1", "P1", "recalled"));
    std::vector<OpenPlacement> open;
    expect_ok(ledger.open_placements_of("A1", open));
    REQUIRE(open.size() == 1);
    CHECK(open[0].person_ref == "P2");
}

TEST_CASE("for_each_placement streams placements in id order with every filter")
{
    Fixture fixture;
    auto& ledger = *fixture.ledger;

    auto const all = collect(ledger, {});
    CHECK(accounts_of(all) == std::vector<std::string> { "A1/P1@agency-a", "A1/P2@agency-a", "A2/P3@agency-b", "A3/P1@agency-a", "A4/P4@agency-b" });
    CHECK(all[0].id < all[1].id);
    CHECK(all[0].file == "20261123-a-1.csv.age");
    CHECK(all[0].fields == std::vector<std::string> { "account_ref", "balance_pence", "first_name" });
    CHECK(all[2].file == "20261123-b-1.csv.age");
    CHECK(all[2].fields == std::vector<std::string> { "account_ref" });
    CHECK(all[0].pseudonym == "PSA1");
    CHECK(all[0].debt_type == "FTA");
    CHECK(all[0].balance_pence == 12345);
    CHECK(all[0].run == fixture.run);
    CHECK(all[0].status == "open");
    CHECK(all[4].status == "closed");
    CHECK(all[0].placed_at.size() == 20);

    PlacementFilter by_agency;
    by_agency.agency = "agency-b";
    CHECK(accounts_of(collect(ledger, by_agency)) == std::vector<std::string> { "A2/P3@agency-b", "A4/P4@agency-b" });

    PlacementFilter by_status;
    by_status.status = "closed";
    CHECK(accounts_of(collect(ledger, by_status)) == std::vector<std::string> { "A4/P4@agency-b" });

    PlacementFilter by_account;
    by_account.reference = "A1";
    CHECK(accounts_of(collect(ledger, by_account)) == std::vector<std::string> { "A1/P1@agency-a", "A1/P2@agency-a" });

    PlacementFilter by_person;
    by_person.reference = "P1";
    CHECK(accounts_of(collect(ledger, by_person)) == std::vector<std::string> { "A1/P1@agency-a", "A3/P1@agency-a" });

    PlacementFilter combined;
    combined.reference = "P1";
    combined.agency = "agency-a";
    combined.status = "open";
    CHECK(collect(ledger, combined).size() == 2);
    combined.agency = "agency-b";
    CHECK(collect(ledger, combined).empty());

    PlacementFilter by_pseudonym;
    by_pseudonym.agency = "agency-a";
    by_pseudonym.pseudonym = "PSA1";
    CHECK(accounts_of(collect(ledger, by_pseudonym)) == std::vector<std::string> { "A1/P1@agency-a", "A1/P2@agency-a" });
    by_pseudonym.agency.reset();
    CHECK(collect(ledger, by_pseudonym).size() == 2);

    PlacementFilter nothing;
    nothing.reference = "no-such-reference";
    CHECK(collect(ledger, nothing).empty());
}

TEST_CASE("a visitor may call back into the ledger while a query streams")
{
    Fixture fixture;
    auto& ledger = *fixture.ledger;
    std::size_t visited = 0;
    expect_ok(ledger.for_each_placement({}, [&](Placement const& placement) {
        std::vector<OpenPlacement> open;
        expect_ok(ledger.open_placements_of(placement.account_ref, open));
        ++visited;
    }));
    CHECK(visited == 5);
}

TEST_CASE("find_by_pseudonym returns the oldest placement with that pseudonym at that agency")
{
    Fixture fixture;
    auto& ledger = *fixture.ledger;
    auto const found = expect_ok(ledger.find_by_pseudonym("agency-a", "PSA1"));
    REQUIRE(found.has_value());
    CHECK(found->account_ref == "A1");
    CHECK(found->person_ref == "P1");
    CHECK(found->file == "20261123-a-1.csv.age");
    CHECK(found->fields.size() == 3);
    CHECK_FALSE(expect_ok(ledger.find_by_pseudonym("agency-b", "PSA1")).has_value());
    CHECK_FALSE(expect_ok(ledger.find_by_pseudonym("agency-a", "PSA9")).has_value());
}

TEST_CASE("exclusions round-trip as counts per agency and reason of one run")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const other_run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-24"));
    using model::ExclusionReason;
    expect_ok(ledger->add_exclusion(run, "agency-b", "A1", "P1", ExclusionReason::PlacedElsewhere));
    expect_ok(ledger->add_exclusion(run, "agency-a", "A2", "P2", ExclusionReason::StatuteBarred));
    expect_ok(ledger->add_exclusion(run, "agency-a", "A3", "P3", ExclusionReason::StatuteBarred));
    expect_ok(ledger->add_exclusion(run, "agency-a", "A4", "P4", ExclusionReason::BreathingSpace));
    expect_ok(ledger->add_exclusion(other_run, "agency-a", "A5", "P5", ExclusionReason::StatuteBarred));
    auto const counts = expect_ok(ledger->exclusion_counts(run));
    REQUIRE(counts.size() == 3);
    CHECK(counts[0].agency == "agency-a");
    CHECK(counts[0].reason == "breathing_space");
    CHECK(counts[0].count == 1);
    CHECK(counts[1].agency == "agency-a");
    CHECK(counts[1].reason == "statute_barred");
    CHECK(counts[1].count == 2);
    CHECK(counts[2].agency == "agency-b");
    CHECK(counts[2].reason == "placed_elsewhere");
    CHECK(expect_ok(ledger->exclusion_counts(other_run)).size() == 1);
    CHECK(expect_ok(ledger->exclusion_counts(999)).empty());
}

TEST_CASE("quarantined rows round-trip, all or per run")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const other_run = expect_ok(ledger->begin_run("place", "more.csv", "2026-11-24"));
    model::Rejection rejection;
    rejection.file = "cases.csv";
    rejection.line = 42;
    rejection.account_ref = "A1";
    rejection.person_ref = "P1";
    rejection.field = "balance_pence";
    rejection.reason = "not a whole number of pence";
    expect_ok(ledger->add_quarantine(run, rejection));
    rejection.file = "more.csv";
    rejection.line = 7;
    rejection.field.clear(); // whole-record problems have no field
    rejection.reason = "duplicate";
    expect_ok(ledger->add_quarantine(other_run, rejection));

    std::vector<QuarantineEntry> entries;
    expect_ok(ledger->for_each_quarantine(std::nullopt, [&](QuarantineEntry const& entry) { entries.push_back(entry); }));
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].run == run);
    CHECK(entries[0].row.file == "cases.csv");
    CHECK(entries[0].row.line == 42);
    CHECK(entries[0].row.account_ref == "A1");
    CHECK(entries[0].row.person_ref == "P1");
    CHECK(entries[0].row.field == "balance_pence");
    CHECK(entries[0].row.reason == "not a whole number of pence");
    CHECK(entries[0].recorded_at.size() == 20);
    CHECK(entries[1].row.field.empty());

    entries.clear();
    expect_ok(ledger->for_each_quarantine(other_run, [&](QuarantineEntry const& entry) { entries.push_back(entry); }));
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].row.file == "more.csv");
    CHECK(entries[0].row.line == 7);
}

TEST_CASE("values that look like SQL are stored and read back verbatim")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    std::string const injection = "x'); DROP TABLE placements;--";
    std::string const quoted = "Robert\"; DELETE FROM runs WHERE '1'='1";
    std::string const odd = std::string("nul\0byte", 8) + " \xE2\x82\xAC %s ?1 :name";
    auto const run = expect_ok(ledger->begin_run(injection, quoted, odd));
    auto const batch = make_batch(*ledger, run, injection, "20261123", quoted);
    auto const fields = expect_ok(ledger->intern_field_set({ injection, quoted, "tab\there", "\x01" }));
    expect_ok(ledger->add_placement(make_row(run, batch, injection, quoted, odd, injection, fields)));
    expect_ok(ledger->add_exclusion(run, injection, quoted, odd, model::ExclusionReason::Dispute));
    model::Rejection rejection;
    rejection.file = injection;
    rejection.account_ref = quoted;
    rejection.person_ref = odd;
    rejection.field = injection;
    rejection.reason = quoted;
    expect_ok(ledger->add_quarantine(run, rejection));

    ledger.reset();
    ledger = open_ledger(folder.state());
    auto const runs = expect_ok(ledger->list_runs());
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].command == injection);
    CHECK(runs[0].input_file == quoted);
    CHECK(runs[0].as_of == odd);

    PlacementFilter filter;
    filter.reference = odd;
    filter.agency = injection;
    auto const placements = collect(*ledger, filter);
    REQUIRE(placements.size() == 1);
    CHECK(placements[0].agency == injection);
    CHECK(placements[0].account_ref == quoted);
    CHECK(placements[0].person_ref == odd);
    CHECK(placements[0].pseudonym == injection);
    CHECK(placements[0].file == quoted);
    CHECK(placements[0].fields == std::vector<std::string> { injection, quoted, "tab\there", "\x01" });
    CHECK(expect_ok(ledger->find_by_pseudonym(injection, injection)).has_value());

    auto const counts = expect_ok(ledger->exclusion_counts(run));
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].agency == injection);

    std::vector<QuarantineEntry> entries;
    expect_ok(ledger->for_each_quarantine(run, [&](QuarantineEntry const& entry) { entries.push_back(entry); }));
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].row.file == injection);
    CHECK(entries[0].row.person_ref == odd);
    CHECK(collect(*ledger, {}).size() == 1); // the table is still there
}
