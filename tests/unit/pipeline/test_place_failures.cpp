// How a placement run ends when something fails: every failure after the run row exists
// marks the run failed (issue 11, item 4), and a key the run needs that cannot be used
// stops the run before anything is recorded or spooled (issue 12, item 7).
#include "gateway/store/ledger.hpp"
#include "tests/unit/pipeline/place_example.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

struct Example : test::PlaceExample {
    Example() : PlaceExample("place-failures") {}

    std::vector<store::RunRecord> runs()
    {
        auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create).release_value();
        return ledger->list_runs().release_value();
    }

    // Published spool files (temporary names start with '.').
    std::size_t spooled_files() const
    {
        std::size_t count = 0;
        std::error_code ignored;
        for (auto const& entry : fs::recursive_directory_iterator(config.state_directory / "spool", ignored))
            if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
                ++count;
        return count;
    }
};

} // namespace

TEST_CASE("the example places (the baseline of the failure tests below)")
{
    Example example;
    auto const placed = pipeline::place(example.config, example.options);
    REQUIRE(placed.ok());
    CHECK(example.spooled_files() > 0);
    CHECK(example.runs().at(0).status != "running");
}

TEST_CASE("a failure after the run's transaction began marks the run failed, with the reason")
{
    Example example;
    // The configuration file is hashed into the audit log inside the run's transaction.
    example.config.config_file = example.work / "gone.json";
    auto const placed = pipeline::place(example.config, example.options);
    REQUIRE(placed.is_error());
    auto const runs = example.runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].status == "failed");
    CHECK_THAT(runs[0].summary_json, Catch::Contains("gone.json"));
    CHECK_FALSE(runs[0].finished_at.empty());
    CHECK(example.spooled_files() == 0);
}

TEST_CASE("an unusable signing key stops place before anything is recorded or spooled")
{
    Example example;
    auto const empty_key = example.work / "keys" / "empty-signing.key";
    std::ofstream { empty_key };
    fs::permissions(empty_key, fs::perms::owner_read | fs::perms::owner_write);
    example.config.signing_key = empty_key;
    auto const placed = pipeline::place(example.config, example.options);
    REQUIRE(placed.is_error());
    CHECK_THAT(placed.error().to_text(), Catch::Contains("refusing to start") && Catch::Contains("signing key"));
    CHECK(example.runs().empty());
    CHECK(example.spooled_files() == 0);
}

TEST_CASE("an agency's unusable encryption recipient stops place before anything is spooled")
{
    Example example;
    auto const bad = example.work / "keys" / "bad-recipient.txt";
    std::ofstream(bad) << "age1notarecipient\n";
    example.config.agencies.at(0).encryption.age_recipient_files = { bad };
    auto const placed = pipeline::place(example.config, example.options);
    REQUIRE(placed.is_error());
    CHECK_THAT(placed.error().to_text(), Catch::Contains("refusing to start"));
    CHECK(example.runs().empty());
    CHECK(example.spooled_files() == 0);
}
