// Send's retry and recovery decisions, with a directory server behind a session that
// fails on purpose: transient failures are retried with backoff, permanent ones are not,
// and a transfer left `sending` whose file is already on the server is not sent again.
#include "exchange_workspace.hpp"

namespace fs = std::filesystem;
using namespace dcagw;

using dcagw::exchange::testing::Workspace;

TEST_CASE("backoff doubles, is capped and jittered between half and all of the step")
{
    using std::chrono::milliseconds;
    CHECK(exchange::backoff_delay(1, milliseconds(1000), milliseconds(60000), 0.999).count() == 999);
    CHECK(exchange::backoff_delay(1, milliseconds(1000), milliseconds(60000), 0.0).count() == 500);
    CHECK(exchange::backoff_delay(3, milliseconds(1000), milliseconds(60000), 0.0).count() == 2000);
    CHECK(exchange::backoff_delay(30, milliseconds(1000), milliseconds(60000), 0.0).count() == 30000);
    CHECK(exchange::backoff_delay(30, milliseconds(1000), milliseconds(60000), 1.0).count() == 60000);
}

TEST_CASE("transient failures are retried with backoff on a fresh connection, then delivered once")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.failures = { base::ErrorCode::TransportFailure, base::ErrorCode::TransferIncomplete };
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    CHECK(summary.value().agencies.at(0).delivered == 1);
    CHECK_FALSE(summary.value().has_failures());
    CHECK(work.sleeps.size() == 2);
    CHECK(work.connections == 3);
    auto const transfer = work.transfer(1);
    CHECK(transfer.status == store::TransferStatus::Delivered);
    CHECK(transfer.attempts == 3);
    CHECK(fs::exists(work.root / "server/incoming/f1.age"));
}

TEST_CASE("a permanent failure is not retried and stops the agency; retry re-queues it")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.spool("f2.age", "two");
    work.failures = { base::ErrorCode::AuthenticationFailed };
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.failed_permanent == 1);
    CHECK(agency.left_queued == 1);
    CHECK(work.sleeps.empty());
    CHECK(work.transfer(1).permanent);
    CHECK(work.transfer(2).status == store::TransferStatus::Queued);

    auto const next = exchange::send(work.config, work.options); // f1 waits for the operator
    REQUIRE(next.ok());
    CHECK(next.value().agencies.at(0).delivered == 1);
    CHECK_FALSE(fs::exists(work.root / "server/incoming/f1.age"));
    CHECK(work.audit_files("delivery") == std::vector<std::string> { "f2.age" });
    CHECK(work.audit_files("command").empty());
    REQUIRE(exchange::retry_transfer(work.config, 1).ok());
    CHECK(work.audit_files("command").size() == 1); // the operator's re-queue is on the record
    REQUIRE(exchange::send(work.config, work.options).ok());
    CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
    // Each delivery has exactly one receipt in the audit log, committed with it.
    CHECK(work.audit_files("delivery") == std::vector<std::string> { "f2.age", "f1.age" });
}

TEST_CASE("running out of attempts leaves the transfer for the next run")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.failures = { base::ErrorCode::TransportFailure, base::ErrorCode::TransportFailure, base::ErrorCode::TransportFailure };
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    CHECK(summary.value().agencies.at(0).failed_transient == 1);
    CHECK(work.transfer(1).status == store::TransferStatus::Failed);
    CHECK_FALSE(work.transfer(1).permanent);
    REQUIRE(exchange::send(work.config, work.options).ok());
    CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
}

TEST_CASE("a transfer found `sending` whose file is complete on the server is marked delivered without sending")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.interrupt_while_sending(1);
    std::ofstream(work.root / "server/incoming/f1.age") << "one";
    std::ofstream(work.root / "server/incoming/.dcagw-upload-1-f1.age") << "on";
    work.failures = { base::ErrorCode::Internal }; // any publish would fail the test
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    CHECK(summary.value().agencies.at(0).recovered == 1);
    CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
    CHECK_FALSE(fs::exists(work.root / "server/incoming/.dcagw-upload-1-f1.age"));
    CHECK(work.failures.size() == 1);
}

TEST_CASE("after an interrupted attempt, a file of the right size on the server is read back before it counts as ours")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.interrupt_while_sending(1);
    auto const on_server = work.root / "server/incoming/f1.age";
    auto read_server = [&] {
        std::ifstream in(on_server);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    SECTION("someone else's file of the same size: refused, permanently, and left alone")
    {
        std::ofstream(on_server) << "xyz";
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).recovered == 0);
        CHECK(summary.value().agencies.at(0).failed_permanent == 1);
        CHECK(work.transfer(1).status == store::TransferStatus::Failed);
        CHECK(work.transfer(1).failure_reason == "remote file exists");
        CHECK(work.transfer(1).last_error.find("another SHA-256") != std::string::npos);
        CHECK(read_server() == "xyz");
        CHECK(work.audit_files("delivery").empty());
    }
    SECTION("a write-only drop folder: the size is all there is, and the receipt says so")
    {
        std::ofstream(on_server) << "one";
        work.download_failures = { base::ErrorCode::RemotePermissionDenied };
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).recovered == 1);
        CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
        CHECK(work.audit_files("delivery") == std::vector<std::string> { "f1.age" });
    }
    SECTION("a transient failure while reading back: retried on a fresh connection")
    {
        std::ofstream(on_server) << "one";
        work.download_failures = { base::ErrorCode::TransportFailure };
        work.failures = { base::ErrorCode::Internal }; // any publish would fail the test
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).recovered == 1);
        CHECK(work.connections == 2);
        CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
        CHECK(work.failures.size() == 1);
        CHECK(read_server() == "one");
    }
}

TEST_CASE("a connection that cannot be opened leaves every file queued, and says so")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.spool("f2.age", "two");
    SECTION("a permanent failure (host key, certificate): one attempt")
    {
        work.connect_failures = { base::ErrorCode::HostKeyMismatch };
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        auto const& agency = summary.value().agencies.at(0);
        CHECK(work.connections == 1);
        CHECK(work.sleeps.empty());
        CHECK(agency.delivered == 0);
        CHECK(agency.left_queued == 2);
        CHECK(summary.value().has_failures());
        // The outbox says why (transfers list shows it).
        CHECK(work.transfer(1).failure_reason == "host key mismatch");
        CHECK(work.transfer(2).last_error.find("injected at connect") != std::string::npos);
    }
    SECTION("a transient failure: retried up to max_attempts with backoff")
    {
        work.connect_failures = { base::ErrorCode::TransportFailure, base::ErrorCode::TransportFailure, base::ErrorCode::TransportFailure };
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(work.connections == 3);
        CHECK(work.sleeps.size() == 2);
        CHECK(summary.value().agencies.at(0).left_queued == 2);
    }
    CHECK(work.transfer(1).status == store::TransferStatus::Queued);
    CHECK(work.transfer(1).attempts == 0);
    CHECK(work.transfer(2).status == store::TransferStatus::Queued);
    // The next run tries again.
    auto const next = exchange::send(work.config, work.options);
    REQUIRE(next.ok());
    CHECK(next.value().agencies.at(0).delivered == 2);
}

// What the CLI's progress line is drawn from (issue 13 item 7): each attempt at a file and
// each backoff wait, with the agency, the file, its place in the run and the wait slept.
TEST_CASE("send reports each attempt and each backoff wait as progress")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.spool("f2.age", "two");
    work.failures = { base::ErrorCode::TransportFailure };
    std::vector<exchange::TransferProgress> reports;
    work.options.on_progress = [&reports](exchange::TransferProgress const& progress) { reports.push_back(progress); };
    REQUIRE(exchange::send(work.config, work.options).ok());
    using Step = exchange::TransferProgress::Step;
    REQUIRE(reports.size() == 4);
    CHECK((reports[0].step == Step::Starting && reports[0].file == "f1.age" && reports[0].attempt == 1));
    CHECK((reports[1].step == Step::Waiting && reports[1].file == "f1.age" && reports[1].attempt == 1));
    REQUIRE(work.sleeps.size() == 1);
    CHECK(reports[1].wait == work.sleeps[0]);
    CHECK((reports[2].step == Step::Starting && reports[2].file == "f1.age" && reports[2].attempt == 2));
    CHECK((reports[3].step == Step::Starting && reports[3].file == "f2.age" && reports[3].attempt == 1));
    for (auto const& report : reports) {
        CHECK(report.agency == work.config.agencies.at(0).id);
        CHECK(report.direction == exchange::Direction::Send);
        CHECK(report.count == 2);
        CHECK(report.size == 3);
    }
    CHECK(reports[3].index == 2);
}
