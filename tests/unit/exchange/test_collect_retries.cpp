// Collect's retry decisions, with a directory server behind a session whose downloads
// fail on purpose: a transient failure is retried on a fresh connection after a backoff,
// a permanent one is not, nothing of a failed attempt is kept, and each file is recorded
// (and audited) once.
#include "exchange_workspace.hpp"

namespace fs = std::filesystem;
using namespace dcagw;
using dcagw::exchange::testing::Workspace;
using dcagw::exchange::testing::agency_file;
using dcagw::exchange::testing::read_text;

TEST_CASE("collect: a transient download failure is retried on a fresh connection, then collected once")
{
    Workspace work;
    agency_file(work, "returns-1.csv", "account,outcome\nA1,paid\n");
    work.download_failures = { base::ErrorCode::TransportFailure, base::ErrorCode::TransferIncomplete };
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.listed == 1);
    CHECK(agency.collected == 1);
    CHECK(agency.failed == 0);
    CHECK(agency.errors.empty());
    CHECK(work.connections == 3);       // the first, and one fresh connection per retry
    CHECK(work.sleeps.size() == 2);     // a backoff before each retry
    CHECK_FALSE(summary.value().has_failures());
    auto const inbox = work.root / "state/inbox/agency-a";
    CHECK(read_text(inbox / "returns-1.csv") == "account,outcome\nA1,paid\n");  // not the partial attempts
    std::size_t files = 0;
    for (auto const& entry : fs::directory_iterator(inbox)) {
        (void)entry;
        ++files;
    }
    CHECK(files == 1);
    CHECK(work.audit_files("collection") == std::vector<std::string> { "returns-1.csv" });
}

TEST_CASE("collect: attempts run out: the file fails for this run, the others still come, the next run gets it")
{
    Workspace work;
    agency_file(work, "a.csv", "first\n");
    agency_file(work, "b.csv", "second\n");
    // Three attempts of the first file fail; the second file is then collected.
    work.download_failures = { base::ErrorCode::TransportFailure, base::ErrorCode::TransportFailure, base::ErrorCode::TransportFailure };
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.listed == 2);
    CHECK(agency.failed == 1);
    CHECK(agency.collected == 1);
    CHECK(work.sleeps.size() == 2);
    CHECK(summary.value().has_failures());
    CHECK(work.audit_files("collection").size() == 1);

    auto const next = exchange::collect(work.config, work.options);
    REQUIRE(next.ok());
    CHECK(next.value().agencies.at(0).collected == 1);
    CHECK(next.value().agencies.at(0).listed == 1);  // the collected one was archived on the server
    CHECK(work.audit_files("collection").size() == 2);
}

TEST_CASE("collect: a permanent download failure is not retried")
{
    Workspace work;
    agency_file(work, "a.csv", "first\n");
    work.download_failures = { base::ErrorCode::RemotePermissionDenied };
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.failed == 1);
    CHECK(agency.collected == 0);
    CHECK(work.connections == 1);
    CHECK(work.sleeps.empty());
    CHECK(work.download_failures.empty());
    REQUIRE(agency.errors.size() == 1);
    CHECK(agency.errors[0].find("a.csv: ") == 0);
}

TEST_CASE("collect: a connection lost for good mid-way leaves the remaining files for the next run")
{
    Workspace work;
    agency_file(work, "a.csv", "first\n");
    agency_file(work, "b.csv", "second\n");
    work.download_failures = { base::ErrorCode::TransportFailure };
    // The reconnection after the first failure fails every time.
    auto const connect = work.options.connect;
    work.options.connect = [&work, connect](model::TransportProfile const& profile) -> base::Result<std::unique_ptr<transport::Session>> {
        if (work.connections >= 1) {
            ++work.connections;
            return base::make_error(base::ErrorCode::TransportFailure, "server gone");
        }
        return connect(profile);
    };
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.collected == 0);
    CHECK(summary.value().has_failures());
    REQUIRE_FALSE(agency.errors.empty());
    CHECK(agency.errors.back().find("server gone") != std::string::npos);
    CHECK(agency.errors.back().find("the remaining files wait for the next run") != std::string::npos);
    CHECK(work.audit_files("collection").empty());
}

TEST_CASE("collect reports each attempt and each backoff wait as progress")
{
    Workspace work;
    agency_file(work, "returns-1.csv", "account,outcome\nA1,paid\n");
    work.download_failures = { base::ErrorCode::TransportFailure };
    std::vector<exchange::TransferProgress> reports;
    work.options.on_progress = [&reports](exchange::TransferProgress const& progress) { reports.push_back(progress); };
    REQUIRE(exchange::collect(work.config, work.options).ok());
    using Step = exchange::TransferProgress::Step;
    REQUIRE(reports.size() == 3);
    CHECK((reports[0].step == Step::Starting && reports[0].attempt == 1));
    CHECK((reports[1].step == Step::Waiting && reports[1].attempt == 1));
    CHECK((reports[2].step == Step::Starting && reports[2].attempt == 2));
    REQUIRE(work.sleeps.size() == 1);
    CHECK(reports[1].wait == work.sleeps[0]);
    for (auto const& report : reports) {
        CHECK(report.file == "returns-1.csv");
        CHECK(report.direction == exchange::Direction::Collect);
        CHECK((report.index == 1 && report.count == 1 && report.size == 24));
    }
}
