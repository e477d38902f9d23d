// Crash safety of `dcagw send`: the process is killed with SIGKILL at many moments while it
// delivers a few hundred files to a directory transport, then run again until done.
// Afterwards every file is under its final name exactly once with the right bytes, no
// temporary upload is left, nothing partial sits under a final name, and every transfer
// is delivered in the ledger with the file's size and hash.
#include "gateway/base/file.hpp"
#include "gateway/crypto/hash.hpp"
#include "tests/support/spool.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

constexpr int file_count = 300;

void write_config(fs::path const& folder)
{
    fs::path const source = DCAGW_SOURCE_DIR;
    std::ifstream archive_file(source / "keys-example/creditor-archive.age-recipient.txt");
    std::string archive;
    std::getline(archive_file, archive);
    std::ofstream(folder / "gateway.json") << R"({ "state_directory": "state",
  "archive_recipients": [")" << archive << R"("],
  "agencies": [ { "id": "example-agency", "name": "Example", "mapping": ")" << (source / "mappings/example-agency.json").string() << R"(",
    "pseudonym_key": "example.pseudonym.key",
    "encryption": { "kind": "age", "age_recipient_files": [")" << (source / "keys-example/example-agency.age-recipient.txt").string() << R"("] },
    "agreement": { "reference": "DSA-1", "version": "1", "purpose": "debt recovery", "lawful_basis": "public task" },
    "transport": { "kind": "directory", "local_root": "server", "backoff_initial_milliseconds": 10, "backoff_max_milliseconds": 20 } } ] })";
}

int run_send(fs::path const& folder, std::string const& kill_after = "")
{
    std::string command = "cd '" + folder.string() + "' && ";
    if (!kill_after.empty())
        command += "timeout -s KILL " + kill_after + " ";
    command += std::string("'") + DCAGW_BINARY + "' send --config gateway.json >/dev/null 2>&1";
    return std::system(command.c_str());
}

// `timeout -s KILL` kills its own process group too, so it can return before the killed
// dcagw has finished dying (under load, one stuck in an fsync) and let go of the run lock:
// the next run would be refused ("another dcagw run is using this state directory", exit
// 2). Wait for the lock as test_place_crash.cpp does.
void wait_for_run_lock(fs::path const& state)
{
    for (int attempt = 0; attempt < 1000; ++attempt) {
        if (base::ExclusiveLock::acquire(state / "run.lock").ok())
            return;
        ::usleep(10000);
    }
}

} // namespace

TEST_CASE("a send run killed at any moment delivers every file exactly once")
{
    fs::path const source = DCAGW_SOURCE_DIR;
    auto const work = fs::temp_directory_path() / ("dcagw-send-crash-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work / "server/incoming");
    fs::create_directories(work / "server/outgoing");
    fs::copy_file(source / "keys-example/example-agency.pseudonym.key", work / "example.pseudonym.key");
    fs::permissions(work / "example.pseudonym.key", fs::perms::owner_read | fs::perms::owner_write);
    write_config(work);
    auto const hashes = test::make_spool(work / "state", { "example-agency", file_count, 200000, 200000 });

    // Each run is killed after a random 5 to 80 ms (an uninterrupted run of all files
    // takes about a second here), so the kills land at every step of many transfers:
    // before and after `sending` is committed, mid-copy, between link and unlink, before
    // `delivered` is committed. Repeat until a run finishes on its own.
    std::mt19937 random(std::random_device {}());
    int killed = 0;
    for (int round = 0; round < 200; ++round) {
        char delay[16];
        std::snprintf(delay, sizeof delay, "%.3f", 0.005 + (random() % 75) / 1000.0);
        if (run_send(work, delay) == 0)
            break;
        ++killed;
        wait_for_run_lock(work / "state");
    }
    INFO("runs killed: " << killed);
    CHECK(killed >= 10);
    CHECK(run_send(work) == 0);

    // The server: every file once, complete, nothing else (no temporary uploads).
    std::size_t files = 0;
    for (auto const& entry : fs::directory_iterator(work / "server/incoming")) {
        auto const name = entry.path().filename().string();
        INFO(name);
        REQUIRE(hashes.contains(name));
        auto const digest = crypto::sha256_of_file(entry.path());
        REQUIRE(digest.ok());
        CHECK(crypto::digest_hex(digest.value()) == hashes.at(name));
        ++files;
    }
    CHECK(files == hashes.size());

    // The ledger: every transfer delivered once, with the file's size and hash.
    test::check_every_transfer_delivered(work / "state", hashes);
    fs::remove_all(work);
}
