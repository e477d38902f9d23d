// Collection's local limits and isolation: a file that does not fit in the inbox is not
// started (the error names the folder and the bytes needed and free), and one agency's
// failure never keeps the others from being collected (issue 12, item 8).
#include "exchange_workspace.hpp"

namespace fs = std::filesystem;
using namespace dcagw;
using dcagw::exchange::testing::Workspace;

TEST_CASE("collect refuses to start a download the inbox has no room for, naming the folder and the bytes")
{
    Workspace work;
    std::ofstream(work.root / "server/outgoing/returns.csv") << "0123456789";
    work.options.free_bytes = [](fs::path const&) -> base::Result<std::uint64_t> { return std::uint64_t { 1000 }; };
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.collected == 0);
    CHECK(agency.failed == 1);
    REQUIRE(agency.errors.size() == 1);
    CHECK_THAT(agency.errors[0], Catch::Contains("not enough free space in " + (work.config.state_directory / "inbox/agency-a").string())
            && Catch::Contains(std::to_string(10 + (64ull << 20)) + " bytes needed") && Catch::Contains("1000 free"));
    CHECK(fs::exists(work.root / "server/outgoing/returns.csv")); // left on the server for the next run
    CHECK(fs::is_empty(work.config.state_directory / "inbox/agency-a"));
}

TEST_CASE("one agency's failure never keeps the others from being collected")
{
    Workspace work;
    fs::create_directories(work.root / "server-b/incoming");
    fs::create_directories(work.root / "server-b/outgoing");
    auto second = work.config.agencies[0];
    second.id = "agency-b";
    second.transport->local_root = work.root / "server-b";
    work.config.agencies.push_back(second);
    std::ofstream(work.root / "server/outgoing/a.csv") << "for a";
    std::ofstream(work.root / "server-b/outgoing/b.csv") << "for b";
    SECTION("the first agency's server refuses the gateway")
    {
        work.connect_failures = { base::ErrorCode::AuthenticationFailed };
    }
    SECTION("the first agency's inbox is a link out of the state directory")
    {
        fs::create_directories(work.config.state_directory / "inbox");
        fs::create_directories(work.root / "elsewhere");
        fs::create_directory_symlink(work.root / "elsewhere", work.config.state_directory / "inbox/agency-a");
    }
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    REQUIRE(summary.value().agencies.size() == 2);
    CHECK(summary.value().agencies[0].collected == 0);
    CHECK_FALSE(summary.value().agencies[0].errors.empty());
    CHECK(summary.value().agencies[1].collected == 1);
    CHECK(fs::exists(work.config.state_directory / "inbox/agency-b/b.csv"));
    CHECK(summary.value().has_failures());
}

// collect_max_bytes_per_run (issue 12, item 8): a run stops taking files once the next one
// would pass the cap; the rest wait, whole, for the next run.
namespace {

// The run's warnings about files deferred by the cap (others, e.g. about the audit
// checkpoint, are not this test's concern).
std::vector<std::string> deferral_warnings(exchange::CollectSummary const& summary)
{
    std::vector<std::string> found;
    for (auto const& warning : summary.warnings)
        if (warning.find("collect_max_bytes_per_run") != std::string::npos)
            found.push_back(warning);
    return found;
}

} // namespace

TEST_CASE("collect takes at most collect_max_bytes_per_run bytes per run; the remaining files wait for the next run")
{
    Workspace work;
    work.config.agencies[0].transport->collect_max_bytes_per_run = 10;
    for (auto const* name : { "a.csv", "b.csv", "c.csv" })
        std::ofstream(work.root / "server/outgoing" / name) << "four";
    work.config.agencies[0].transport->after_collect = model::AfterCollect::Delete;

    auto const first = exchange::collect(work.config, work.options);
    REQUIRE(first.ok());
    auto const& agency = first.value().agencies.at(0);
    CHECK(agency.listed == 3);
    CHECK(agency.collected == 2);
    CHECK(agency.deferred_over_cap == 1);
    CHECK(agency.errors.empty());
    CHECK_FALSE(first.value().has_failures());
    CHECK_FALSE(first.value().has_refusals());
    CHECK(deferral_warnings(first.value()) == std::vector<std::string> {
              "agency agency-a: 1 file(s) of 4 bytes left on the server for the next run: this run reached collect_max_bytes_per_run (10 bytes)" });
    CHECK_THAT(first.value().to_json(), Catch::Contains("\"deferred_over_cap\": 1"));
    std::size_t left = 0;
    for (auto const& entry : fs::directory_iterator(work.root / "server/outgoing")) {
        ++left;
        // The deferred file is untouched on the server and nothing of it is in the inbox.
        CHECK(fs::file_size(entry.path()) == 4);
        CHECK_FALSE(fs::exists(work.config.state_directory / "inbox/agency-a" / entry.path().filename()));
    }
    CHECK(left == 1);
    std::size_t kept = 0;
    for (auto const& entry : fs::directory_iterator(work.config.state_directory / "inbox/agency-a")) {
        ++kept;
        CHECK(fs::file_size(entry.path()) == 4);
    }
    CHECK(kept == 2);

    auto const second = exchange::collect(work.config, work.options);
    REQUIRE(second.ok());
    CHECK(second.value().agencies.at(0).collected == 1);
    CHECK(second.value().agencies.at(0).deferred_over_cap == 0);
    CHECK(deferral_warnings(second.value()).empty());
    CHECK(fs::is_empty(work.root / "server/outgoing"));
}

TEST_CASE("a file larger than collect_max_bytes_per_run alone is refused, naming the file, its size and the cap")
{
    Workspace work;
    work.config.agencies[0].transport->collect_max_bytes_per_run = 10;
    std::ofstream(work.root / "server/outgoing/huge.csv") << "eleven byte";
    std::ofstream(work.root / "server/outgoing/small.csv") << "small";
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.refused == 1);
    CHECK(agency.collected == 1); // the refusal does not use up the run's cap
    CHECK(agency.deferred_over_cap == 0);
    REQUIRE(agency.errors.size() == 1);
    CHECK_THAT(agency.errors[0], Catch::Contains("huge.csv is 11 bytes, larger than collect_max_bytes_per_run (10 bytes)"));
    CHECK(summary.value().has_refusals());
    CHECK(fs::exists(work.root / "server/outgoing/huge.csv"));
    CHECK_FALSE(fs::exists(work.config.state_directory / "inbox/agency-a/huge.csv"));
    CHECK(fs::exists(work.config.state_directory / "inbox/agency-a/small.csv"));
}

TEST_CASE("the per-run cap defaults to 10 GiB")
{
    CHECK(model::TransportProfile {}.collect_max_bytes_per_run == 10ull << 30);
}
