// Opening, migrating, file protection, refusing unknown databases, transactions and runs.
#include "ledger_test_support.hpp"
#include "gateway/store/audit_log.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <sys/stat.h>

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

unsigned file_mode(std::filesystem::path const& path)
{
    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    return status.st_mode & 0777;
}

std::array<unsigned char, 100> read_header(std::filesystem::path const& path)
{
    std::array<unsigned char, 100> header {};
    std::ifstream file(path, std::ios::binary);
    file.read(reinterpret_cast<char*>(header.data()), header.size());
    REQUIRE(file.gcount() == 100);
    return header;
}

// Overwrites a big-endian 32-bit field of the SQLite file header (user_version is at 60,
// application_id at 68), as another program would have written it.
void patch_header(std::filesystem::path const& path, std::size_t offset, std::uint32_t value)
{
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(offset));
    char const bytes[4] = { static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8), static_cast<char>(value) };
    file.write(bytes, 4);
    REQUIRE(file.good());
}

} // namespace

TEST_CASE("open creates the state folder and a migrated ledger; reopening keeps the version and the data")
{
    TemporaryFolder folder;
    {
        auto ledger = open_ledger(folder.state());
        CHECK(ledger->schema_version() == ledger_schema_version);
        CHECK(ledger->path() == folder.state() / "ledger.sqlite");
        expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    }
    CHECK(std::filesystem::is_directory(folder.state()));
    CHECK(file_mode(folder.state()) == 0700);
    auto ledger = open_ledger(folder.state());
    CHECK(ledger->schema_version() == ledger_schema_version);
    auto const runs = expect_ok(ledger->list_runs());
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].command == "place");
    auto const header = read_header(folder.state() / "ledger.sqlite");
    // user_version (offset 60) and application_id "dcag" (offset 68) are in the header.
    CHECK(header[63] == ledger_schema_version);
    CHECK(std::string(reinterpret_cast<char const*>(&header[68]), 4) == "dcag");
}

TEST_CASE("the ledger is in WAL mode")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    // The file format read/write version bytes are 2 only in WAL mode, and the write-ahead
    // log exists while a connection is open.
    auto const header = read_header(folder.state() / "ledger.sqlite");
    CHECK(header[18] == 2);
    CHECK(header[19] == 2);
    CHECK(std::filesystem::exists(folder.state() / "ledger.sqlite-wal"));
}

TEST_CASE("the ledger and its WAL files are readable by their owner only")
{
    TemporaryFolder folder;
    {
        auto ledger = open_ledger(folder.state());
        expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
        CHECK(file_mode(folder.state() / "ledger.sqlite") == 0600);
        CHECK(file_mode(folder.state() / "ledger.sqlite-wal") == 0600);
        CHECK(file_mode(folder.state() / "ledger.sqlite-shm") == 0600);
    }
    SECTION("an existing ledger made readable by others is tightened on open")
    {
        std::filesystem::permissions(folder.state() / "ledger.sqlite", std::filesystem::perms(0644));
        auto ledger = open_ledger(folder.state());
        CHECK(file_mode(folder.state() / "ledger.sqlite") == 0600);
    }
}

TEST_CASE("opening with MustExist refuses a missing state instead of creating it")
{
    TemporaryFolder folder;
    auto const missing = Ledger::open(folder.state(), OpenMode::MustExist);
    REQUIRE(missing.is_error());
    CHECK(missing.error().code() == base::ErrorCode::StateMissing);
    CHECK(missing.error().to_text() == "no state at " + folder.state().string() + " (no such folder)");
    CHECK_FALSE(std::filesystem::exists(folder.state()));

    std::filesystem::create_directories(folder.state());
    auto const empty = Ledger::open(folder.state(), OpenMode::MustExist);
    REQUIRE(empty.is_error());
    CHECK(empty.error().code() == base::ErrorCode::StateMissing);
    CHECK_THAT(empty.error().to_text(), Catch::Contains("holds no ledger.sqlite"));
    CHECK_FALSE(std::filesystem::exists(folder.state() / "ledger.sqlite"));

    open_ledger(folder.state());  // Create makes it; MustExist then opens it
    CHECK(Ledger::open(folder.state(), OpenMode::MustExist).ok());
}

TEST_CASE("a ledger from a newer build is refused with a clear message")
{
    TemporaryFolder folder;
    open_ledger(folder.state()); // created and closed: the WAL is checkpointed into the file
    REQUIRE_FALSE(std::filesystem::exists(folder.state() / "ledger.sqlite-wal"));
    patch_header(folder.state() / "ledger.sqlite", 60, 99);
    auto const opened = Ledger::open(folder.state(), OpenMode::Create);
    REQUIRE(opened.is_error());
    CHECK(opened.error().code() == base::ErrorCode::StoreFailure);
    CHECK_THAT(opened.error().to_text(), Catch::Contains("schema version 99") && Catch::Contains("newer dcagw"));
}

TEST_CASE("files that are not a dcagw ledger are refused")
{
    TemporaryFolder folder;
    SECTION("another application's SQLite database")
    {
        open_ledger(folder.state());
        patch_header(folder.state() / "ledger.sqlite", 68, 0x12345678);
        auto const opened = Ledger::open(folder.state(), OpenMode::Create);
        REQUIRE(opened.is_error());
        CHECK(opened.error().code() == base::ErrorCode::StoreCorrupt);
        CHECK_THAT(opened.error().to_text(), Catch::Contains("not a dcagw ledger"));
    }
    SECTION("a file that is not SQLite at all")
    {
        std::filesystem::create_directories(folder.state());
        std::ofstream(folder.state() / "ledger.sqlite") << std::string(8192, 'x');
        auto const opened = Ledger::open(folder.state(), OpenMode::Create);
        REQUIRE(opened.is_error());
        CHECK(opened.error().code() == base::ErrorCode::StoreCorrupt);
        CHECK_THAT(opened.error().to_text(), Catch::Contains("ledger.sqlite"));
    }
}

TEST_CASE("transactions commit or roll back everything written inside them")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const fields = expect_ok(ledger->intern_field_set({ "account_ref" }));
    std::vector<OpenPlacement> open;

    expect_ok(ledger->begin());
    CHECK(ledger->in_transaction());
    expect_ok(ledger->add_placement(make_row(run, 0, "agency-a", "A1", "P1", "PSEUDO1", fields)));
    expect_ok(ledger->add_exclusion(run, "agency-b", "A1", "P1", model::ExclusionReason::PlacedElsewhere));
    expect_ok(ledger->open_placements_of("A1", open));
    CHECK(open.size() == 1); // visible inside the transaction
    expect_ok(ledger->rollback());
    CHECK_FALSE(ledger->in_transaction());
    expect_ok(ledger->open_placements_of("A1", open));
    CHECK(open.empty());
    CHECK(expect_ok(ledger->exclusion_counts(run)).empty());

    expect_ok(ledger->begin());
    expect_ok(ledger->add_placement(make_row(run, 0, "agency-a", "A1", "P1", "PSEUDO1", fields)));
    expect_ok(ledger->commit());
    ledger.reset();
    ledger = open_ledger(folder.state());
    expect_ok(ledger->open_placements_of("A1", open));
    CHECK(open.size() == 1);

    SECTION("transactions do not nest, and commit needs an open one")
    {
        expect_ok(ledger->begin());
        auto const nested = ledger->begin();
        REQUIRE(nested.is_error());
        CHECK_THAT(nested.error().to_text(), Catch::Contains("already open"));
        expect_ok(ledger->commit());
        CHECK(ledger->commit().is_error());
        expect_ok(ledger->rollback()); // nothing open: nothing to do
    }
    SECTION("a failed statement inside a transaction leaves the transaction usable")
    {
        expect_ok(ledger->begin());
        CHECK(ledger->add_placement(make_row(run, 0, "agency-a", "A1", "P1", "PSEUDO1", fields)).is_error());
        CHECK(ledger->in_transaction());
        expect_ok(ledger->add_placement(make_row(run, 0, "agency-a", "A2", "P2", "PSEUDO2", fields)));
        expect_ok(ledger->commit());
        expect_ok(ledger->open_placements_of("A2", open));
        CHECK(open.size() == 1);
    }
}

TEST_CASE("runs are recorded, finished and listed in order")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const first = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const second = expect_ok(ledger->begin_run("place --dry-run", "other.csv", "2026-11-24"));
    expect_ok(ledger->finish_run(first, "succeeded", R"({"placed":3})"));
    CHECK(ledger->finish_run(999, "failed", "{}").error().code() == base::ErrorCode::NotFound);
    auto const runs = expect_ok(ledger->list_runs());
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].id == first);
    CHECK(runs[0].status == "succeeded");
    CHECK(runs[0].summary_json == R"({"placed":3})");
    CHECK(runs[0].as_of == "2026-11-23");
    CHECK(runs[0].started_at.size() == 20);
    CHECK(runs[0].started_at.back() == 'Z');
    CHECK(runs[0].started_at[10] == 'T');
    CHECK(runs[0].finished_at.size() == 20);
    CHECK(runs[1].id == second);
    CHECK(runs[1].status == "running");
    CHECK(runs[1].finished_at.empty());
    CHECK(runs[1].input_file == "other.csv");
}

TEST_CASE("ledger: migrations 1 to 4 apply in order, skipping the number another branch owns")
{
    TemporaryFolder folder;
    {
        auto ledger = open_ledger(folder.state());
        CHECK(ledger->schema_version() == store::ledger_schema_version);
        CHECK(ledger->audit().head().value() == std::nullopt);
        CHECK(ledger->audit().subject_index_key().value().size() == 16);
    }
    // Reopening applies nothing again and keeps the subject index key.
    auto first = open_ledger(folder.state());
    auto const key = first->audit().subject_index_key().value();
    first.reset();
    auto again = open_ledger(folder.state());
    CHECK(again->schema_version() == store::ledger_schema_version);
    CHECK(again->audit().subject_index_key().value() == key);
}
