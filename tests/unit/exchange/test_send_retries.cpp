// Send's retry and recovery decisions, with a directory server behind a session that
// fails on purpose: transient failures are retried with backoff, permanent ones are not,
// and a transfer left `sending` whose file is already on the server is not sent again.
#include "gateway/codec/config_reader.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/exchange/backoff.hpp"
#include "gateway/exchange/exchange.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/transfers.hpp"
#include "gateway/transport/local_directory.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

class FailingSession final : public transport::Session {
public:
    FailingSession(std::unique_ptr<transport::Session> inner, std::vector<base::ErrorCode>& failures) : m_inner(std::move(inner)), m_failures(failures) {}
    std::string describe() const override { return m_inner->describe(); }
    base::Result<std::vector<transport::RemoteFile>> list(transport::RemoteArea area) override { return m_inner->list(area); }
    base::Result<std::optional<transport::RemoteFile>> stat(transport::RemoteArea area, std::string_view name) override { return m_inner->stat(area, name); }
    base::Result<transport::RemoteFile> publish(fs::path const& local, std::string_view final_name, std::string_view temporary_name) override
    {
        if (!m_failures.empty()) {
            auto const code = m_failures.front();
            m_failures.erase(m_failures.begin());
            return base::make_error(code, "injected");
        }
        return m_inner->publish(local, final_name, temporary_name);
    }
    base::Result<std::uint64_t> download(transport::RemoteArea area, std::string_view name, base::ByteSink& sink, std::uint64_t max) override
    {
        return m_inner->download(area, name, sink, max);
    }
    base::Result<void> remove(transport::RemoteArea area, std::string_view name) override { return m_inner->remove(area, name); }
    base::Result<void> archive(std::string_view name) override { return m_inner->archive(name); }

private:
    std::unique_ptr<transport::Session> m_inner;
    std::vector<base::ErrorCode>& m_failures;
};

struct Workspace {
    Workspace()
    {
        std::string pattern = (fs::temp_directory_path() / "dcagw-exchange-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        root = pattern;
        fs::create_directories(root / "server/incoming");
        fs::create_directories(root / "server/outgoing");
        config.state_directory = root / "state";
        model::AgencyConfig agency;
        agency.id = "agency-a";
        model::TransportProfile profile;
        profile.local_root = root / "server";
        profile.max_attempts = 3;
        agency.transport = profile;
        config.agencies.push_back(agency);
        options.connect = [this](model::TransportProfile const& p) -> base::Result<std::unique_ptr<transport::Session>> {
            ++connections;
            if (!connect_failures.empty()) {
                auto const code = connect_failures.front();
                connect_failures.erase(connect_failures.begin());
                return base::make_error(code, "injected at connect");
            }
            auto inner = transport::make_local_directory_session(p);
            if (inner.is_error())
                return inner.release_error();
            return std::unique_ptr<transport::Session>(std::make_unique<FailingSession>(inner.release_value(), failures));
        };
        options.sleep = [this](std::chrono::milliseconds delay) { sleeps.push_back(delay); };
    }
    ~Workspace() { fs::remove_all(root); }

    // A spooled file as a placement run leaves it.
    void spool(std::string const& name, std::string const& content)
    {
        auto const spool = root / "state/spool/agency-a";
        fs::create_directories(spool);
        std::ofstream(spool / name) << content;
        auto ledger = store::Ledger::open(config.state_directory).release_value();
        auto const run = ledger->begin_run("place", "x", "2026-11-23").release_value();
        (void)ledger->next_sequence("agency-a", "20261123");
        store::Batch batch { 0, run, "agency-a", name, (spool / ("." + name)).string(), (spool / name).string(), store::BatchStatus::Writing, 1, 0, "", "", 0, "", "" };
        auto const id = ledger->create_batch(batch).release_value();
        auto const hash = crypto::digest_hex(crypto::Sha256::digest(content));
        REQUIRE(ledger->update_batch(id, store::BatchStatus::Sealed, 1, static_cast<std::int64_t>(content.size()), hash).ok());
        REQUIRE(ledger->update_batch(id, store::BatchStatus::Spooled, 1, static_cast<std::int64_t>(content.size()), hash).ok());
    }

    // The files named by the audit log's entries of one kind, in order.
    std::vector<std::string> audit_files(std::string_view kind)
    {
        auto ledger = store::Ledger::open(config.state_directory).release_value();
        std::vector<std::string> files;
        REQUIRE(ledger->audit()
                    .entries_of_kind(kind, [&](store::AuditEntryRow const& row) {
                        files.emplace_back(row.file_name);
                        return true;
                    })
                    .ok());
        return files;
    }

    store::Transfer transfer(std::int64_t id)
    {
        auto ledger = store::Ledger::open(config.state_directory).release_value();
        return *store::Transfers(*ledger).find(id).release_value();
    }

    fs::path root;
    model::GatewayConfig config;
    exchange::ExchangeOptions options;
    std::vector<base::ErrorCode> failures;
    std::vector<base::ErrorCode> connect_failures;
    std::vector<std::chrono::milliseconds> sleeps;
    int connections { 0 };
};

} // namespace

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
    {
        auto ledger = store::Ledger::open(work.config.state_directory).release_value();
        store::Transfers transfers(*ledger);
        REQUIRE(transfers.enqueue_spooled("agency-a").ok());
        REQUIRE(transfers.mark_sending(1).ok()); // then the process was killed after the rename
    }
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
