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
