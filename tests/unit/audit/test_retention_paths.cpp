// `audit retention --purge` deletes only the spool files its batch rows name inside the
// state directory it runs on: on a copy of a state directory it touches only the copy,
// and a row naming a file elsewhere stops the purge with the row named (issue 12, item 1).
#include "../../support/ledger_tamper.hpp"
#include "gateway/audit/retention.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/transfers.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;
using dcagw::testing::sql_text;
using dcagw::testing::tamper_with_ledger;

namespace {

struct Retention {
    Retention()
    {
        root = fs::temp_directory_path() / ("dcagw-retention-paths-" + std::to_string(::getpid()));
        fs::remove_all(root);
        fs::create_directories(root);
        original = root / "state";
        auto const spool = original / "spool/agency-a";
        fs::create_directories(spool);
        std::ofstream(spool / "old.age") << "ciphertext";
        auto ledger = store::Ledger::open(original, store::OpenMode::Create).release_value();
        auto const run = ledger->begin_run("place", "cases.csv", "2020-01-01").release_value();
        REQUIRE(ledger->next_sequence("agency-a", "20200101").ok());
        store::Batch batch;
        batch.run = run;
        batch.agency = "agency-a";
        batch.file_name = "old.age";
        batch.temporary_path = (spool / ".old.age.tmp-1").string();
        batch.final_path = (spool / "old.age").string();
        auto const id = ledger->create_batch(batch).release_value();
        REQUIRE(ledger->update_batch(id, store::BatchStatus::Sealed, 1, 10, "ab").ok());
        REQUIRE(ledger->update_batch(id, store::BatchStatus::Spooled, 1, 10, "ab").ok());
        ledger.reset();
        tamper_with_ledger(original, "UPDATE batches SET created_at = '2020-01-01T00:00:00Z'");
        config.audit.creditor_retention_days = 30;
    }
    ~Retention() { fs::remove_all(root); }

    base::Result<audit::PurgeSummary> purge(fs::path const& state)
    {
        config.state_directory = state;
        auto ledger = store::Ledger::open(state, store::OpenMode::Create).release_value();
        return audit::purge_expired(*ledger, config, "operator:test", *base::Date::parse("2026-11-23"));
    }

    fs::path root;
    fs::path original;
    model::GatewayConfig config;
};

} // namespace

TEST_CASE("purging a copy of a state directory deletes the copy's spool file, not the original's")
{
    Retention work;
    auto const copy = work.root / "copy";
    fs::copy(work.original, copy, fs::copy_options::recursive);
    auto const purged = work.purge(copy);
    REQUIRE(purged.ok());
    CHECK(purged.value().files == std::vector<std::string> { "spool/agency-a/old.age" });
    CHECK_FALSE(fs::exists(copy / "spool/agency-a/old.age"));
    CHECK(fs::exists(work.original / "spool/agency-a/old.age"));
}

TEST_CASE("a copy made by an earlier version (absolute paths of the original) touches nothing of the original")
{
    Retention work;
    auto const absolute = fs::absolute(work.original).string();
    tamper_with_ledger(work.original, "UPDATE batches SET final_path = " + sql_text(absolute + "/spool/agency-a/old.age") + "; ALTER TABLE collected_files DROP COLUMN same_name_as; ALTER TABLE transfers DROP COLUMN rename_reached_at; "
        "DROP TABLE lifecycle_messages; ALTER TABLE placements DROP COLUMN told_change_pence; ALTER TABLE placements DROP COLUMN told_hold; ALTER TABLE placements DROP COLUMN told_recall; ALTER TABLE placements DROP COLUMN posted_pence; ALTER TABLE placements DROP COLUMN posted_at; "
        "DROP TABLE posted_money; DROP TABLE posting_files; "
        "DROP TABLE return_quarantine; DROP TABLE trace_results; DROP TABLE suspense_items; DROP TABLE payout_lines; DROP TABLE payouts; "
        "DROP TABLE refunds; DROP TABLE payments; DROP TABLE return_events; DROP TABLE inbound_files; DROP TABLE pseudonym_index; "
        "DROP TABLE pseudonym_index_marks; PRAGMA user_version = 3");
    auto const copy = work.root / "copy";
    fs::copy(work.original, copy, fs::copy_options::recursive);
    auto const purged = work.purge(copy);
    REQUIRE(purged.is_error());
    CHECK_THAT(purged.error().to_text(), Catch::Contains("batches 1 final_path"));
    CHECK(fs::exists(work.original / "spool/agency-a/old.age"));
    CHECK(fs::exists(copy / "spool/agency-a/old.age"));
}

TEST_CASE("a batch row edited to name a file outside the state directory stops the purge")
{
    Retention work;
    auto const precious = work.root / "precious.txt";
    std::ofstream(precious) << "keep";
    SECTION("absolute") { tamper_with_ledger(work.original, "UPDATE batches SET final_path = " + sql_text(precious.string())); }
    SECTION("../") { tamper_with_ledger(work.original, "UPDATE batches SET final_path = 'spool/agency-a/../../precious.txt'"); }
    SECTION("a link in the spool")
    {
        fs::remove(work.original / "spool/agency-a/old.age");
        fs::create_symlink(precious, work.original / "spool/agency-a/old.age");
    }
    auto const purged = work.purge(work.original);
    REQUIRE(purged.is_error());
    CHECK_THAT(purged.error().to_text(), Catch::Contains("batches 1 final_path"));
    CHECK(fs::exists(precious));
}

TEST_CASE("the purge deletes collected inbox files past the retention period, and keeps newer ones")
{
    Retention work;
    auto const inbox = work.original / "inbox/agency-a";
    fs::create_directories(inbox);
    {
        auto ledger = store::Ledger::open(work.original, store::OpenMode::Create).release_value();
        store::Transfers transfers(*ledger);
        for (auto const* name : { "old-returns.csv", "new-returns.csv" }) {
            std::ofstream(inbox / name) << name;
            store::CollectedFile file;
            file.agency = "agency-a";
            file.remote_name = name;
            file.size_bytes = 1;
            file.sha256 = name;
            file.local_path = (inbox / name).string();
            REQUIRE(transfers.record_collected(file).ok());
        }
    }
    tamper_with_ledger(work.original, "UPDATE collected_files SET collected_at = '2020-01-01T00:00:00Z' WHERE remote_name = 'old-returns.csv'");
    auto const purged = work.purge(work.original);
    REQUIRE(purged.ok());
    CHECK(purged.value().files == std::vector<std::string> { "spool/agency-a/old.age", "inbox/agency-a/old-returns.csv" });
    CHECK(purged.value().entry.has_value());
    CHECK_FALSE(fs::exists(inbox / "old-returns.csv"));
    CHECK(fs::exists(inbox / "new-returns.csv"));

    // A collected file's row edited to name a file elsewhere stops the purge.
    auto const precious = work.root / "precious.txt";
    std::ofstream(precious) << "keep";
    tamper_with_ledger(work.original, "UPDATE collected_files SET local_path = " + sql_text(precious.string()) + ", collected_at = '2020-01-01T00:00:00Z'");
    auto const refused = work.purge(work.original);
    REQUIRE(refused.is_error());
    CHECK_THAT(refused.error().to_text(), Catch::Contains("collected_files 1 local_path"));
    CHECK(fs::exists(precious));
}
