// The ledger's file paths: stored relative to the state directory, parsed strictly, and
// reached only through descriptors that never follow a link (store/state_files.hpp).
#include "ledger_test_support.hpp"

#include "../../support/ledger_tamper.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers.hpp"

#include <unistd.h>

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;
namespace fs = std::filesystem;

namespace {

LedgerRow const row { "transfers", 7, "local_path" };

std::string refusal(std::string_view stored, StateArea area = StateArea::Spool, std::string_view agency = "agency-a")
{
    auto parsed = parse_ledger_path(stored, area, agency, row);
    REQUIRE(parsed.is_error());
    CHECK(parsed.error().code() == base::ErrorCode::StoreCorrupt);
    return parsed.error().to_text();
}

} // namespace

TEST_CASE("a ledger path is <area>/<agency>/<name> of the row's own agency, and nothing else")
{
    auto const parsed = parse_ledger_path("spool/agency-a/20261123-placement.csv.age", StateArea::Spool, "agency-a", row);
    REQUIRE(parsed.ok());
    CHECK(parsed.value().agency == "agency-a");
    CHECK(parsed.value().name == "20261123-placement.csv.age");
    CHECK(parsed.value().ledger_path() == "spool/agency-a/20261123-placement.csv.age");

    CHECK_THAT(refusal("/etc/passwd"), Catch::Contains("transfers 7 local_path '/etc/passwd' refused"));
    CHECK_THAT(refusal("spool/agency-a/../../../etc/passwd"), Catch::Contains("refused"));
    CHECK_THAT(refusal("spool/../etc"), Catch::Contains("refused"));
    CHECK_THAT(refusal("spool/agency-a/.."), Catch::Contains("refused"));
    CHECK_THAT(refusal("spool/agency-b/x.age"), Catch::Contains("agency 'agency-a'"));
    CHECK_THAT(refusal("inbox/agency-a/x.age"), Catch::Contains("spool folder"));
    CHECK_THAT(refusal("spool/agency-a/"), Catch::Contains("refused"));
    CHECK_THAT(refusal(std::string("spool/agency-a/x\x1b[2J", 20)), Catch::Contains("\\x1b"));
    CHECK_FALSE(is_safe_component(".."));
    CHECK_FALSE(is_safe_component("a/b"));
    CHECK(is_safe_component(".20261123-placement.csv.age.tmp-abc123"));
}

TEST_CASE("files are opened and deleted through their folders without following a link")
{
    TemporaryFolder folder;
    auto const spool = folder.state() / "spool" / "agency-a";
    fs::create_directories(spool);
    std::ofstream(spool / "real.age") << "ciphertext";
    std::ofstream(folder.path() / "outside.txt") << "secret";
    fs::create_symlink(folder.path() / "outside.txt", spool / "link.age");
    StateFiles const files(folder.state());

    auto opened = files.open_for_reading(StateFile { StateArea::Spool, "agency-a", "real.age" }, row);
    REQUIRE(opened.ok());
    CHECK(opened.value().size() == 10);

    StateFile const link { StateArea::Spool, "agency-a", "link.age" };
    auto const through_link = files.open_for_reading(link, row);
    REQUIRE(through_link.is_error());
    CHECK_THAT(through_link.error().to_text(), Catch::Contains("transfers 7 local_path") && Catch::Contains("symbolic link"));
    CHECK(files.remove(link, row).is_error());
    CHECK(files.exists(link, row).is_error());
    CHECK(fs::is_symlink(spool / "link.age"));
    CHECK(fs::exists(folder.path() / "outside.txt"));

    // A linked agency folder is refused as well.
    fs::create_directories(folder.path() / "elsewhere");
    std::ofstream(folder.path() / "elsewhere" / "x.age") << "x";
    fs::create_directory_symlink(folder.path() / "elsewhere", folder.state() / "spool" / "agency-b");
    auto const linked_folder = files.remove(StateFile { StateArea::Spool, "agency-b", "x.age" }, row);
    REQUIRE(linked_folder.is_error());
    CHECK_THAT(linked_folder.error().to_text(), Catch::Contains("symbolic link"));
    CHECK(fs::exists(folder.path() / "elsewhere" / "x.age"));

    auto const removed = files.remove(StateFile { StateArea::Spool, "agency-a", "real.age" }, row);
    REQUIRE(removed.ok());
    CHECK(removed.value());
    CHECK_FALSE(fs::exists(spool / "real.age"));
}

TEST_CASE("new rows store paths relative to the state directory; a path elsewhere is refused")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    Batch batch;
    batch.run = run;
    batch.agency = "agency-a";
    batch.file_name = "a-1.csv.age";
    batch.temporary_path = (folder.state() / "spool/agency-a/.a-1.csv.age.tmp-1").string();
    batch.final_path = (folder.state() / "spool/agency-a/a-1.csv.age").string();
    batch.file_date = "20261123";
    batch.sequence = 1;
    auto const id = expect_ok(ledger->create_batch(batch));
    auto const stored = expect_ok(ledger->find_batch(id));
    REQUIRE(stored);
    CHECK(stored->temporary_path == "spool/agency-a/.a-1.csv.age.tmp-1");
    CHECK(stored->final_path == "spool/agency-a/a-1.csv.age");

    batch.file_name = "a-2.csv.age";
    batch.final_path = (folder.path() / "elsewhere/a-2.csv.age").string();
    CHECK(ledger->create_batch(batch).is_error());
    batch.final_path = "/etc/passwd";
    CHECK(ledger->create_batch(batch).is_error());
}

TEST_CASE("migration 4 makes paths under the state directory relative and leaves others to be refused")
{
    TemporaryFolder folder;
    auto const state = folder.state();
    {
        auto ledger = open_ledger(state);
        auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
        (void)run;
    }
    auto const absolute = fs::absolute(state).string();
    // A version-3 ledger as earlier builds wrote it: absolute paths, one of them outside.
    dcagw::testing::tamper_with_ledger(state,
        "INSERT INTO batches (id, run, agency, file_name, file_date, sequence, temporary_path, final_path, status, created_at, updated_at)"
        " VALUES (1, 1, 'agency-a', 'a.age', '20261123', 1, " + dcagw::testing::sql_text(absolute + "/spool/agency-a/.a.age.tmp-x") + ", "
        + dcagw::testing::sql_text(absolute + "/spool/agency-a/a.age") + ", 'spooled', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z'),"
        " (2, 1, 'agency-a', 'b.age', '20261123', 2, '/other/state/spool/agency-a/.b.age.tmp-x', '/other/state/spool/agency-a/b.age', 'spooled',"
        " '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z');"
        "INSERT INTO transfers (batch, agency, file_name, local_path, size_bytes, sha256, queued_at, updated_at)"
        " VALUES (1, 'agency-a', 'a.age', " + dcagw::testing::sql_text(absolute + "/spool/agency-a/a.age") + ", 1, 'x', 'now', 'now');"
        "INSERT INTO collected_files (agency, remote_name, size_bytes, sha256, local_path, collected_at)"
        " VALUES ('agency-a', 'r.csv', 1, 'x', " + dcagw::testing::sql_text(absolute + "/inbox/agency-a/r.csv") + ", 'now');"
        "ALTER TABLE collected_files DROP COLUMN same_name_as; ALTER TABLE transfers DROP COLUMN rename_reached_at; "
        + std::string(dcagw::store::testing::drop_returns_tables) + "PRAGMA user_version = 3;");
    auto ledger = open_ledger(state);
    CHECK(ledger->schema_version() == store::ledger_schema_version); // migrations 4, 5, 6, 7 and 11 applied
    auto const first = expect_ok(ledger->find_batch(1));
    CHECK(first->final_path == "spool/agency-a/a.age");
    CHECK(first->temporary_path == "spool/agency-a/.a.age.tmp-x");
    auto const second = expect_ok(ledger->find_batch(2));
    CHECK(second->final_path == "/other/state/spool/agency-a/b.age");
    CHECK(parse_ledger_path(second->final_path, StateArea::Spool, "agency-a", LedgerRow { "batches", 2, "final_path" }).is_error());
    Transfers transfers(*ledger);
    CHECK(expect_ok(transfers.list(std::nullopt)).at(0).local_path == "spool/agency-a/a.age");
    CHECK(expect_ok(transfers.list_collected(std::nullopt)).at(0).local_path == "inbox/agency-a/r.csv");
}
