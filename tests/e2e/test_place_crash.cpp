// Crash safety of `dcagw place`: the process is killed with SIGKILL at many moments of a
// run (while reading, while writing, around the commit and the publication), then run
// again to completion. Afterwards every eligible case is in exactly one spooled file and
// has exactly one ledger row, no temporary file is left, and no batch is half done.
#include "gateway/audit/entry.hpp"
#include "gateway/audit/verify.hpp"
#include "tests/support/string_sink.hpp"
#include "gateway/base/file.hpp"
#include "gateway/crypto/age.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/ledger.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

using test::StringSink;

void write_config(fs::path const& folder, std::string const& state)
{
    fs::path const source = DCAGW_SOURCE_DIR;
    std::ifstream archive_file(source / "keys-example/creditor-archive.age-recipient.txt");
    std::string archive;
    std::getline(archive_file, archive);
    std::ofstream(folder / (state + ".json")) << R"({ "state_directory": ")" << state << R"(", "input": "cases.csv",
  "archive_recipients": [")" << archive << R"("],
  "agencies": [ { "id": "example-agency", "name": "Example", "mapping": ")" << (source / "mappings/example-agency.json").string() << R"(",
    "pseudonym_key": "example.pseudonym.key",
    "encryption": { "kind": "age", "age_recipient_files": [")" << (source / "keys-example/example-agency.age-recipient.txt").string() << R"("] },
    "agreement": { "reference": "DSA-1", "version": "1", "purpose": "debt recovery", "lawful_basis": "public task" } } ] })";
}

int run_dcagw(fs::path const& folder, std::string const& arguments, std::string const& kill_after = "")
{
    std::string command = "cd '" + folder.string() + "' && ";
    if (!kill_after.empty())
        command += "timeout -s KILL " + kill_after + " ";
    command += std::string("'") + DCAGW_BINARY + "' " + arguments + " >/dev/null 2>&1";
    return std::system(command.c_str());
}

} // namespace

TEST_CASE("a placement run killed at any moment loses nothing and sends nothing twice")
{
    fs::path const source = DCAGW_SOURCE_DIR;
    auto const work = fs::temp_directory_path() / ("dcagw-crash-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work);
    for (auto const& [from, to] : { std::pair { "example-agency.pseudonym.key", "example.pseudonym.key" },
             std::pair { "example-agency.age-identity.key", "agency.key" } }) {
        fs::copy_file(source / "keys-example" / from, work / to);
        fs::permissions(work / to, fs::perms::owner_read | fs::perms::owner_write);
    }
    std::string const generate = std::string("'") + DCAGW_GENERATE_CASES + "' 200000 '" + (work / "cases.csv").string() + "' 7";
    REQUIRE(std::system(generate.c_str()) == 0);
    write_config(work, "reference");
    write_config(work, "crashed");

    // The reference: one uninterrupted run.
    run_dcagw(work, "place --config reference.json --as-of 2026-11-23");
    auto reference = store::Ledger::open(work / "reference", store::OpenMode::Create);
    REQUIRE(reference.ok());
    std::size_t expected = 0;
    REQUIRE(reference.value()->for_each_placement({}, [&](store::Placement const&) { ++expected; }).ok());
    reference.value().reset();
    REQUIRE(expected > 150000);

    // Kill runs at spread-out moments, then let one finish.
    for (auto const* delay : { "0.02", "0.1", "0.25", "0.4", "0.55", "0.7", "0.85", "1.0", "1.15", "1.3", "1.6", "2.0" }) {
        run_dcagw(work, "place --config crashed.json --as-of 2026-11-23", delay);
        // `timeout -s KILL` kills its own process group too, so it can return before the
        // killed dcagw has finished dying and let go of the run lock: wait for that, or
        // the next run is refused ("another dcagw run is using this state directory").
        for (int attempt = 0; attempt < 500; ++attempt) {
            if (base::ExclusiveLock::acquire(work / "crashed" / "run.lock").ok())
                break;
            ::usleep(10000);
        }
    }
    REQUIRE(run_dcagw(work, "place --config crashed.json --as-of 2026-11-23") != 512); // 2: usage, e.g. the lock still held

    auto ledger = store::Ledger::open(work / "crashed", store::OpenMode::Create);
    REQUIRE(ledger.ok());
    std::size_t placed = 0;
    REQUIRE(ledger.value()->for_each_placement({}, [&](store::Placement const&) { ++placed; }).ok());
    CHECK(placed == expected);
    CHECK(ledger.value()->batches_with_status(store::BatchStatus::Writing).value().empty());
    CHECK(ledger.value()->batches_with_status(store::BatchStatus::Sealed).value().empty());
    auto const spooled = ledger.value()->batches_with_status(store::BatchStatus::Spooled).value();

    // The audit log verifies, and names every spooled file exactly once, with as many
    // subjects as the file has rows (no crash left a file without its entry or twice).
    auto const report = audit::verify_ledger(*ledger.value(), {});
    REQUIRE(report.ok());
    CHECK(report.value().ok());
    CHECK(report.value().subjects == static_cast<std::int64_t>(expected));
    std::map<std::string, std::int64_t> disclosed;
    REQUIRE(ledger.value()->audit().entries_of_kind("disclosure", [&](store::AuditEntryRow const& row) {
        CHECK(disclosed.emplace(std::string(row.file_name), audit::decode(row.body).value().number("record_count")).second);
        return true;
    }).ok());
    CHECK(disclosed.size() == spooled.size());
    for (auto const& batch : spooled) {
        INFO(batch.file_name);
        REQUIRE(disclosed.count(batch.file_name) == 1);
        CHECK(disclosed[batch.file_name] == batch.record_count);
    }
    ledger.value().reset();

    // Every spooled file decrypts; together they hold each placed case exactly once.
    auto identities = crypto::AgeIdentity::load_file(work / "agency.key");
    REQUIRE(identities.ok());
    std::set<std::string> cases;
    std::size_t rows = 0;
    std::size_t files = 0;
    for (auto const& entry : fs::directory_iterator(work / "crashed" / "spool" / "example-agency")) {
        INFO(entry.path());
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
        ++files;
        auto const ciphertext = base::read_file_limited(entry.path(), 64 << 20);
        REQUIRE(ciphertext.ok());
        StringSink plain;
        auto decryptor = crypto::AgeDecryptor::create(identities.value(), plain);
        REQUIRE(decryptor.ok());
        REQUIRE(decryptor.value()->write(std::string_view(ciphertext.value())).ok());
        REQUIRE(decryptor.value()->finish().ok());
        std::size_t start = plain.text.find('\n') + 1; // after the header
        while (start < plain.text.size()) {
            auto const end = plain.text.find('\n', start);
            auto const line = plain.text.substr(start, end - start);
            // account_number and customer_number (the two pseudonyms) identify the case.
            auto const second_comma = line.find(',', line.find(',') + 1);
            CHECK(cases.insert(line.substr(0, second_comma)).second);
            ++rows;
            start = end + 1;
        }
    }
    CHECK(files == spooled.size());
    CHECK(rows == expected);
    CHECK(cases.size() == expected);
    fs::remove_all(work);
}
