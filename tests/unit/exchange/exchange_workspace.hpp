// A state folder with one agency behind a local-directory "server" and a session that
// fails on purpose (publish, download or connect), for the exchange's retry tests.
#pragma once

#include "gateway/config/config_reader.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/exchange/backoff.hpp"
#include "gateway/exchange/exchange.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/transfers.hpp"
#include "gateway/transport/local_directory.hpp"
#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

namespace dcagw::exchange::testing {

namespace fs = std::filesystem;

class FailingSession final : public transport::Session {
public:
    // Runs after a successful publish and replaces its result: the test seam for a crash
    // between the remote rename and recording it.
    using AfterPublish = std::function<base::Result<transport::RemoteFile>(transport::RemoteFile const&)>;

    FailingSession(std::unique_ptr<transport::Session> inner, std::vector<base::ErrorCode>& failures, std::vector<base::ErrorCode>& download_failures,
        AfterPublish& after_publish)
        : m_inner(std::move(inner)), m_failures(failures), m_download_failures(download_failures), m_after_publish(after_publish)
    {
    }
    std::string describe() const override { return m_inner->describe(); }
    base::Result<std::vector<transport::RemoteFile>> list(transport::RemoteArea area) override { return m_inner->list(area); }
    base::Result<std::optional<transport::RemoteFile>> stat(transport::RemoteArea area, std::string_view name) override { return m_inner->stat(area, name); }
    base::Result<transport::RemoteFile> publish(fs::path const& local, std::string_view final_name, std::string_view temporary_name,
        transport::BeforeRename const& before_rename = {}) override
    {
        if (!m_failures.empty()) {
            auto const code = m_failures.front();
            m_failures.erase(m_failures.begin());
            return base::make_error(code, "injected");
        }
        auto published = m_inner->publish(local, final_name, temporary_name, before_rename);
        if (published.is_error() || !m_after_publish)
            return published;
        return m_after_publish(published.value());
    }
    base::Result<std::uint64_t> download(transport::RemoteArea area, std::string_view name, base::ByteSink& sink, std::uint64_t max) override
    {
        if (!m_download_failures.empty()) {
            auto const code = m_download_failures.front();
            m_download_failures.erase(m_download_failures.begin());
            // Part of the file arrives before the failure, as on a dropped connection.
            auto const part = std::string_view("partial");
            (void)sink.write(std::span(reinterpret_cast<std::uint8_t const*>(part.data()), part.size()));
            return base::make_error(code, "injected");
        }
        return m_inner->download(area, name, sink, max);
    }
    base::Result<void> remove(transport::RemoteArea area, std::string_view name) override { return m_inner->remove(area, name); }
    base::Result<void> archive(std::string_view name) override { return m_inner->archive(name); }

private:
    std::unique_ptr<transport::Session> m_inner;
    std::vector<base::ErrorCode>& m_failures;
    std::vector<base::ErrorCode>& m_download_failures;
    AfterPublish& m_after_publish;
};

struct Workspace {
    Workspace()
    {
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
            return std::unique_ptr<transport::Session>(std::make_unique<FailingSession>(inner.release_value(), failures, download_failures, after_publish));
        };
        options.sleep = [this](std::chrono::milliseconds delay) { sleeps.push_back(delay); };
    }

    // A spooled file as a placement run leaves it.
    void spool(std::string const& name, std::string const& content)
    {
        auto const spool = root / "state/spool/agency-a";
        fs::create_directories(spool);
        std::ofstream(spool / name) << content;
        auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create).release_value();
        auto const run = ledger->begin_run("place", "x", "2026-11-23").release_value();
        (void)ledger->next_sequence("agency-a", "20261123");
        store::Batch batch { 0, run, "agency-a", name, (spool / ("." + name)).string(), (spool / name).string(), store::BatchStatus::Writing, 1, 0, "", "", 0, "", "" };
        auto const id = ledger->create_batch(batch).release_value();
        auto const hash = crypto::digest_hex(crypto::Sha256::digest(content));
        REQUIRE(ledger->update_batch(id, store::BatchStatus::Sealed, 1, static_cast<std::int64_t>(content.size()), hash).ok());
        REQUIRE(ledger->update_batch(id, store::BatchStatus::Spooled, 1, static_cast<std::int64_t>(content.size()), hash).ok());
    }

    // Queues the spooled files and marks transfer `id` sending, as a run killed in the
    // middle of that file's attempt leaves it.
    void interrupt_while_sending(std::int64_t id)
    {
        auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create).release_value();
        store::Transfers transfers(*ledger);
        REQUIRE(transfers.enqueue_spooled("agency-a").ok());
        REQUIRE(transfers.mark_sending(id).ok());
    }

    // The files named by the audit log's entries of one kind, in order.
    std::vector<std::string> audit_files(std::string_view kind)
    {
        auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create).release_value();
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
        auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create).release_value();
        return *store::Transfers(*ledger).find(id).release_value();
    }

    test::TemporaryFolder folder { "exchange" }; // first: the members below live in it
    fs::path root { folder.path() };
    model::GatewayConfig config;
    exchange::ExchangeOptions options;
    std::vector<base::ErrorCode> failures;           // publish
    std::vector<base::ErrorCode> download_failures;
    FailingSession::AfterPublish after_publish;      // empty: publish as the server does
    std::vector<base::ErrorCode> connect_failures;
    std::vector<std::chrono::milliseconds> sleeps;
    int connections { 0 };
};

// A file the agency leaves in its collect folder.
inline void agency_file(Workspace const& work, std::string const& name, std::string const& content)
{
    std::ofstream(work.root / "server/outgoing" / name) << content;
}

inline std::string read_text(fs::path const& path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace dcagw::exchange::testing
