// Batches: sequence numbers per agency and date, and the batch state machine.
#include "ledger_test_support.hpp"

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

TEST_CASE("next_sequence counts output files per agency and date")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));

    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 1);
    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 1); // asking reserves nothing durable
    make_batch(*ledger, run, "agency-a", "20261123", "20261123-placement-1.csv");
    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 2);
    CHECK(expect_ok(ledger->next_sequence("agency-b", "20261123")) == 1);
    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261124")) == 1);
    make_batch(*ledger, run, "agency-a", "20261123", "20261123-placement-2.csv");
    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 3);
    CHECK(ledger->next_sequence("agency-a", "2026-11-23").is_error());
}

TEST_CASE("create_batch takes the number next_sequence handed out, shared by every envelope of one file")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    REQUIRE(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 1);
    Batch batch;
    batch.run = run;
    batch.agency = "agency-a";
    batch.file_name = "20261123-placement-1.csv.age";
    auto const agency_copy = expect_ok(ledger->create_batch(batch));
    batch.file_name = "20261123-placement-1.csv.archive.age";
    auto const archive_copy = expect_ok(ledger->create_batch(batch));
    auto const first = expect_ok(ledger->find_batch(agency_copy));
    auto const second = expect_ok(ledger->find_batch(archive_copy));
    REQUIRE(first.has_value());
    REQUIRE(second.has_value());
    CHECK(first->file_date == "20261123");
    CHECK(first->sequence == 1);
    CHECK(second->sequence == 1);
    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 2);

    batch.agency = "agency-without-reservation";
    auto const unreserved = ledger->create_batch(batch);
    REQUIRE(unreserved.is_error());
    CHECK_THAT(unreserved.error().to_text(), Catch::Contains("next_sequence"));
}

TEST_CASE("a file name is unique per agency unless its batch was abandoned")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const first = make_batch(*ledger, run, "agency-a", "20261123", "20261123-placement-1.csv");

    Batch duplicate;
    duplicate.run = run;
    duplicate.agency = "agency-a";
    duplicate.file_name = "20261123-placement-1.csv";
    duplicate.file_date = "20261123";
    duplicate.sequence = 1;
    auto const refused = ledger->create_batch(duplicate);
    REQUIRE(refused.is_error());
    CHECK_THAT(refused.error().to_text(), Catch::StartsWith("recording output file 20261123-placement-1.csv of agency agency-a: UNIQUE constraint failed"));
    duplicate.agency = "agency-b";
    expect_ok(ledger->create_batch(duplicate));

    // The agency never saw an abandoned file, so its number and name are free again.
    expect_ok(ledger->update_batch(first, BatchStatus::Abandoned, 0, 0, ""));
    CHECK(expect_ok(ledger->next_sequence("agency-a", "20261123")) == 1);
    duplicate.agency = "agency-a";
    expect_ok(ledger->create_batch(duplicate));
}

TEST_CASE("batches move writing -> sealed -> spooled, or writing -> abandoned, and never back")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const published = make_batch(*ledger, run, "agency-a", "20261123", "a-1.csv");
    auto const dropped = make_batch(*ledger, run, "agency-b", "20261123", "b-1.csv");

    auto writing = expect_ok(ledger->batches_with_status(BatchStatus::Writing));
    REQUIRE(writing.size() == 2);
    CHECK(writing[0].id == published);
    CHECK(writing[0].agency == "agency-a");
    CHECK(writing[0].file_name == "a-1.csv");
    CHECK(writing[0].temporary_path == "spool/agency-a/.a-1.csv.tmp");
    CHECK(writing[0].final_path == "spool/agency-a/a-1.csv");
    CHECK(writing[0].run == run);
    CHECK(writing[0].created_at.size() == 20);

    expect_ok(ledger->update_batch(published, BatchStatus::Sealed, 10, 2048, "ab12"));
    expect_ok(ledger->update_batch(dropped, BatchStatus::Abandoned, 0, 0, ""));
    auto const sealed = expect_ok(ledger->batches_with_status(BatchStatus::Sealed));
    REQUIRE(sealed.size() == 1);
    CHECK(sealed[0].record_count == 10);
    CHECK(sealed[0].size_bytes == 2048);
    CHECK(sealed[0].sha256 == "ab12");
    CHECK(expect_ok(ledger->batches_with_status(BatchStatus::Writing)).empty());

    auto const backwards = ledger->update_batch(published, BatchStatus::Writing, 0, 0, "");
    REQUIRE(backwards.is_error());
    CHECK_THAT(backwards.error().to_text(), Catch::Contains("cannot move from sealed to writing"));
    CHECK(ledger->update_batch(published, BatchStatus::Abandoned, 0, 0, "").is_error());
    expect_ok(ledger->update_batch(published, BatchStatus::Sealed, 10, 2048, "ab12")); // repeating a step is harmless
    expect_ok(ledger->update_batch(published, BatchStatus::Spooled, 10, 2048, "ab12"));
    CHECK(ledger->update_batch(published, BatchStatus::Sealed, 10, 2048, "ab12").is_error());
    CHECK(ledger->update_batch(dropped, BatchStatus::Sealed, 1, 1, "x").is_error());
    CHECK(ledger->update_batch(12345, BatchStatus::Sealed, 1, 1, "x").error().code() == base::ErrorCode::NotFound);

    auto const spooled = expect_ok(ledger->batches_with_status(BatchStatus::Spooled));
    REQUIRE(spooled.size() == 1);
    CHECK(spooled[0].id == published);
    CHECK(expect_ok(ledger->batches_with_status(BatchStatus::Abandoned)).size() == 1);
}

TEST_CASE("a batch update inside the caller's transaction is rolled back with it")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const batch = make_batch(*ledger, run, "agency-a", "20261123", "a-1.csv");
    expect_ok(ledger->begin());
    expect_ok(ledger->update_batch(batch, BatchStatus::Sealed, 3, 300, "ff"));
    expect_ok(ledger->rollback());
    auto const found = expect_ok(ledger->find_batch(batch));
    REQUIRE(found.has_value());
    CHECK(found->status == BatchStatus::Writing);
    CHECK(found->record_count == 0);
}

TEST_CASE("batch statuses have stable names")
{
    for (auto const status : { BatchStatus::Writing, BatchStatus::Sealed, BatchStatus::Spooled, BatchStatus::Abandoned })
        CHECK(batch_status_from_string(to_string(status)) == status);
    CHECK(to_string(BatchStatus::Spooled) == "spooled");
    CHECK_FALSE(batch_status_from_string("Sealed").has_value());
}
