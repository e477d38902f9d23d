// The outbox and collection records: queueing spooled files once, the transfer state
// machine, operator re-queueing, acknowledgements, and collected files counted once.
#include "ledger_test_support.hpp"

#include "gateway/store/transfers.hpp"

#include <sqlite3.h>

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

std::int64_t spooled_batch(Ledger& ledger, std::int64_t run, std::string const& agency, std::string const& name)
{
    auto const id = make_batch(ledger, run, agency, "20261123", name);
    expect_ok(ledger.update_batch(id, BatchStatus::Sealed, 3, 1234, "ab12"));
    expect_ok(ledger.update_batch(id, BatchStatus::Spooled, 3, 1234, "ab12"));
    return id;
}

} // namespace

TEST_CASE("enqueue_spooled queues each spooled file once, and only spooled ones")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Transfers transfers(*ledger);
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const first = spooled_batch(*ledger, run, "agency-a", "20261123-placement-1.csv.age");
    spooled_batch(*ledger, run, "agency-b", "20261123-placement-1.csv.age");
    make_batch(*ledger, run, "agency-a", "20261123", "20261123-placement-2.csv.age"); // still writing

    CHECK(expect_ok(transfers.enqueue_spooled("agency-a")) == 1);
    CHECK(expect_ok(transfers.enqueue_spooled("agency-a")) == 0);
    auto const pending = expect_ok(transfers.pending("agency-a"));
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].batch == first);
    CHECK(pending[0].status == TransferStatus::Queued);
    CHECK(pending[0].file_name == "20261123-placement-1.csv.age");
    CHECK(pending[0].local_path == "spool/agency-a/20261123-placement-1.csv.age");
    CHECK(pending[0].size_bytes == 1234);
    CHECK(pending[0].sha256 == "ab12");
    CHECK(pending[0].attempts == 0);
    CHECK_FALSE(pending[0].queued_at.empty());
    CHECK(expect_ok(transfers.pending("agency-b")).empty());
    CHECK(!ledger->in_transaction());
}

TEST_CASE("a transfer moves queued -> sending -> delivered and never back")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Transfers transfers(*ledger);
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    spooled_batch(*ledger, run, "agency-a", "f1.age");
    expect_ok(transfers.enqueue_spooled("agency-a"));
    auto const id = expect_ok(transfers.pending("agency-a")).at(0).id;

    CHECK(transfers.mark_delivered(id, "f1.age", 1234).is_error()); // not sending yet
    expect_ok(transfers.mark_sending(id));
    expect_ok(transfers.mark_sending(id)); // a retry within the run counts another attempt
    auto sending = expect_ok(transfers.find(id));
    REQUIRE(sending);
    CHECK(sending->status == TransferStatus::Sending);
    CHECK(sending->attempts == 2);
    CHECK_FALSE(sending->last_attempt_at.empty());

    expect_ok(transfers.mark_delivered(id, "f1.age", 1234));
    auto const delivered = expect_ok(transfers.find(id));
    CHECK(delivered->status == TransferStatus::Delivered);
    CHECK(delivered->remote_name == "f1.age");
    CHECK(delivered->remote_size == 1234);
    CHECK_FALSE(delivered->delivered_at.empty());
    CHECK(expect_ok(transfers.pending("agency-a")).empty());

    // Delivered is final: no new attempt, no failure, no re-queue.
    CHECK(transfers.mark_sending(id).is_error());
    CHECK(transfers.mark_failed(id, "transport_failure", "x", false).is_error());
    CHECK(transfers.requeue(id).is_error());
    CHECK(!ledger->in_transaction());
    CHECK(expect_ok(transfers.find_delivered("agency-a", "f1.age"))->id == id);
    CHECK_FALSE(expect_ok(transfers.find_delivered("agency-b", "f1.age")));
}

TEST_CASE("a transient failure stays pending; a permanent one waits for the operator")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Transfers transfers(*ledger);
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    spooled_batch(*ledger, run, "agency-a", "f1.age");
    spooled_batch(*ledger, run, "agency-a", "f2.age");
    expect_ok(transfers.enqueue_spooled("agency-a"));
    auto const pending = expect_ok(transfers.pending("agency-a"));
    REQUIRE(pending.size() == 2);

    expect_ok(transfers.mark_sending(pending[0].id));
    expect_ok(transfers.mark_failed(pending[0].id, "transport_failure", "connection reset", false));
    expect_ok(transfers.mark_sending(pending[1].id));
    expect_ok(transfers.mark_failed(pending[1].id, "authentication_failed", "key refused", true));

    auto const still = expect_ok(transfers.pending("agency-a"));
    REQUIRE(still.size() == 1);
    CHECK(still[0].id == pending[0].id);
    CHECK(still[0].status == TransferStatus::Failed);
    CHECK_FALSE(still[0].permanent);
    CHECK(still[0].last_error == "connection reset");

    auto const stuck = expect_ok(transfers.find(pending[1].id));
    CHECK(stuck->permanent);
    CHECK(stuck->failure_reason == "authentication_failed");
    CHECK(transfers.mark_sending(pending[1].id).is_error()); // not without the operator

    expect_ok(transfers.requeue(pending[1].id));
    auto const requeued = expect_ok(transfers.find(pending[1].id));
    CHECK(requeued->status == TransferStatus::Queued);
    CHECK(requeued->attempts == 0);
    CHECK_FALSE(requeued->permanent);
    CHECK(expect_ok(transfers.pending("agency-a")).size() == 2);
    CHECK(transfers.requeue(pending[1].id).is_error()); // only failed ones
    CHECK(transfers.requeue(999).is_error());
}

TEST_CASE("an unreachable agency: its pending transfers say why and stay pending; others are untouched")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Transfers transfers(*ledger);
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    spooled_batch(*ledger, run, "agency-a", "queued.age");
    spooled_batch(*ledger, run, "agency-a", "refused.age");
    spooled_batch(*ledger, run, "agency-a", "delivered.age");
    spooled_batch(*ledger, run, "agency-b", "other.age");
    expect_ok(transfers.enqueue_spooled("agency-a"));
    expect_ok(transfers.enqueue_spooled("agency-b"));
    auto const pending = expect_ok(transfers.pending("agency-a"));
    REQUIRE(pending.size() == 3);
    expect_ok(transfers.mark_sending(pending[1].id));
    expect_ok(transfers.mark_failed(pending[1].id, "remote file exists", "taken", true));
    expect_ok(transfers.mark_sending(pending[2].id));
    expect_ok(transfers.mark_delivered(pending[2].id, "delivered.age", 1234));

    expect_ok(transfers.note_unreachable("agency-a", "host key mismatch", "host key SHA256:x is not the pinned host key"));
    auto const queued = expect_ok(transfers.find(pending[0].id)).value();
    CHECK(queued.status == TransferStatus::Queued);
    CHECK(queued.attempts == 0);
    CHECK(queued.failure_reason == "host key mismatch");
    CHECK(queued.last_error == "host key SHA256:x is not the pinned host key");
    // A permanent failure keeps its own reason; a delivered file is not pending.
    CHECK(expect_ok(transfers.find(pending[1].id)).value().failure_reason == "remote file exists");
    CHECK(expect_ok(transfers.find(pending[2].id)).value().failure_reason.empty());
    CHECK(expect_ok(transfers.pending("agency-b")).at(0).failure_reason.empty());
    CHECK(!ledger->in_transaction());
}

TEST_CASE("an acknowledgement is recorded once, on a delivered transfer")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Transfers transfers(*ledger);
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    spooled_batch(*ledger, run, "agency-a", "f1.age");
    expect_ok(transfers.enqueue_spooled("agency-a"));
    auto const id = expect_ok(transfers.pending("agency-a")).at(0).id;
    CHECK(transfers.mark_acknowledged(id, "f1.age.ack").is_error()); // not delivered
    expect_ok(transfers.mark_sending(id));
    expect_ok(transfers.mark_delivered(id, "f1.age", 1234));
    expect_ok(transfers.mark_acknowledged(id, "f1.age.ack"));
    auto const acknowledged = expect_ok(transfers.find(id));
    CHECK(acknowledged->acknowledgement_file == "f1.age.ack");
    CHECK_FALSE(acknowledged->acknowledged_at.empty());
    CHECK(transfers.mark_acknowledged(id, "f1.age.ack").is_error());
}

TEST_CASE("a collected file is recorded once per (agency, name, size, hash)")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Transfers transfers(*ledger);
    CollectedFile file;
    file.agency = "agency-a";
    file.remote_name = "returns-1.csv";
    file.size_bytes = 10;
    file.sha256 = "aa";
    file.local_path = "inbox/agency-a/returns-1.csv";

    CHECK_FALSE(expect_ok(transfers.find_collected("agency-a", "returns-1.csv", "aa")));
    auto const id = expect_ok(transfers.record_collected(file));
    REQUIRE(id);
    CHECK_FALSE(expect_ok(transfers.record_collected(file))); // the same file again: nothing new
    auto const found = expect_ok(transfers.find_collected("agency-a", "returns-1.csv", "aa"));
    REQUIRE(found);
    CHECK(found->disposal == Disposal::Pending);
    CHECK_FALSE(expect_ok(transfers.find_collected("agency-a", "returns-1.csv", "ab")));
    CHECK_FALSE(expect_ok(transfers.find_collected("agency-b", "returns-1.csv", "aa")));

    file.sha256 = "bb"; // same name and size, other content: a different file
    file.same_name_as = *id;
    auto const second = expect_ok(transfers.record_collected(file));
    REQUIRE(second);
    auto const newest = expect_ok(transfers.find_collected_named("agency-a", "returns-1.csv"));
    REQUIRE(newest);
    CHECK(newest->id == *second);
    CHECK(newest->same_name_as == *id);

    expect_ok(transfers.mark_disposed(*id, Disposal::Archived));
    CHECK(transfers.mark_disposed(*id, Disposal::Deleted).is_error());
    auto const listed = expect_ok(transfers.list_collected(std::string("agency-a")));
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].disposal == Disposal::Archived);
    CHECK(listed[1].disposal == Disposal::Pending);
}

TEST_CASE("a ledger of schema version 1 is migrated to the newest schema (outbox, audit), keeping its data")
{
    TemporaryFolder folder;
    {
        auto ledger = open_ledger(folder.state());
        expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    }
    {
        // Turn it back into a version-1 ledger.
        sqlite3* database = nullptr;
        REQUIRE(sqlite3_open((folder.state() / "ledger.sqlite").c_str(), &database) == SQLITE_OK);
        REQUIRE(sqlite3_exec(database, (std::string(drop_returns_tables) + "DROP TABLE collected_files; DROP TABLE transfers; DROP TABLE audit_meta; DROP TABLE audit_entries; "
            "DROP TABLE audit_subject_blocks; DROP TABLE audit_index_chunks; DROP TABLE audit_index_blocks; DROP TABLE audit_checkpoints; "
            "ALTER TABLE placements DROP COLUMN status_changed_at; PRAGMA user_version = 1;").c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(database);
    }
    auto ledger = open_ledger(folder.state());
    CHECK(ledger->schema_version() == store::ledger_schema_version);
    CHECK(expect_ok(ledger->list_runs()).size() == 1);
    Transfers transfers(*ledger);
    CHECK(expect_ok(transfers.list(std::nullopt)).empty());
}
