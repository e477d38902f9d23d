// `dcagw collect`: agency returns fetched into the local inbox (docs/delivery.md).
#include "gateway/exchange/exchange.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/base/file.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/exchange/run_context.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers.hpp"

#include <algorithm>
#include <filesystem>

namespace dcagw::exchange {

using base::ErrorCode;
using base::make_error;
namespace fs = std::filesystem;

namespace {

// What the caller does after a file's attempt: go on to the next file, or reconnect and
// try this one again (a transient failure with attempts left).
enum class AfterAttempt { NextFile, Retry };

class AgencyCollector {
public:
    AgencyCollector(model::AgencyConfig const& agency, fs::path inbox, store::Transfers& transfers, audit::Journal& journal, AgencyCollectResult& result,
        EventLog& log)
        : m_agency(agency)
        , m_profile(*agency.transport)
        , m_inbox(std::move(inbox))
        , m_transfers(transfers)
        , m_journal(journal)
        , m_result(result)
        , m_log(log)
    {
    }

    // Ledger errors stop the run; a file's transport problem is retried (transient, when
    // `may_retry`) or reported, and the next file tried.
    base::Result<AfterAttempt> collect_one(transport::Session& session, transport::RemoteFile const& file, bool may_retry)
    {
        auto const start = std::chrono::steady_clock::now();
        // Hidden names are the agency's own uploads in progress (or its temporary files):
        // left alone, not an error.
        if (!file.name.empty() && file.name.front() == '.' && file.name != "." && file.name != ".." && transport::check_remote_name(file.name.substr(1)).ok()) {
            ++m_result.hidden;
            return AfterAttempt::NextFile;
        }
        // The name is outside data: checked before it is used for anything local.
        if (auto checked = transport::check_remote_name(file.name); checked.is_error()) {
            refuse(file, checked.error().to_text(), start);
            return AfterAttempt::NextFile;
        }
        if (file.size > m_profile.max_collect_bytes) {
            refuse(file, "larger than max_collect_bytes (" + std::to_string(m_profile.max_collect_bytes) + ")", start);
            return AfterAttempt::NextFile;
        }
        // Seen before with the same name and size: not downloaded again. Its disposal is
        // finished if a crash or an error left it pending.
        if (auto const known = TRY(m_transfers.find_collected(m_agency.id, file.name, static_cast<std::int64_t>(file.size)))) {
            ++m_result.already_collected;
            if (known->disposal == store::Disposal::Pending)
                TRY(dispose(session, known->id, file.name));
            return AfterAttempt::NextFile;
        }
        auto downloaded = download(session, file);
        if (downloaded.is_error()) {
            if (!is_transport_error(downloaded.error().code()))
                return downloaded.release_error();
            // Nothing was kept of the attempt (the partial file is discarded), so trying
            // again on a fresh connection is safe.
            if (may_retry && base::is_transient(downloaded.error().code())) {
                record_event(m_log, TransferEvent { EventKind::Failed, Direction::Collect, m_agency.id, file.name, 0, 0, file.size, "",
                                        detail::elapsed_since(start), "attempt failed: " + downloaded.error().to_text() + "; retrying" });
                return AfterAttempt::Retry;
            }
            ++m_result.failed;
            m_result.errors.push_back(file.name + ": " + downloaded.error().to_text());
            record_event(m_log, TransferEvent { EventKind::Failed, Direction::Collect, m_agency.id, file.name, 0, 0, file.size, "",
                                    detail::elapsed_since(start), "failed: " + downloaded.error().to_text() + " (the next run tries again)" });
            return AfterAttempt::NextFile;
        }
        auto record = downloaded.release_value();
        // The ledger's record of the file, the audit log's collection entry and, when the
        // file is an acknowledgement, the delivery it acknowledges: one transaction.
        std::optional<std::int64_t> id;
        std::optional<store::Transfer> acknowledged;
        auto const record_all = [&]() -> base::Result<void> {
            id = TRY(m_transfers.record_collected(record));
            if (!id)
                return {};
            audit::Collection collection;
            collection.agency = m_agency.id;
            collection.file_name = file.name;
            collection.sha256 = record.sha256;
            collection.bytes = record.size_bytes;
            collection.source = session.describe() + " " + m_profile.collect_directory + "/" + file.name;
            collection.stored_as = record.local_path;
            TRY(m_journal.record_collection(collection));
            acknowledged = TRY(match_acknowledgement(file.name, *id));
            return {};
        };
        TRY(m_journal.ledger().transaction(record_all));
        if (!id) {
            ++m_result.already_collected;
            return AfterAttempt::NextFile;
        }
        ++m_result.collected;
        record_event(m_log, TransferEvent { EventKind::Collected, Direction::Collect, m_agency.id, file.name, 0, *id,
                                static_cast<std::uint64_t>(record.size_bytes), record.sha256, detail::elapsed_since(start),
                                "collected into " + record.local_path });
        if (acknowledged) {
            ++m_result.acknowledgements;
            record_event(m_log, TransferEvent { EventKind::Acknowledged, Direction::Collect, m_agency.id, file.name, acknowledged->id, *id,
                                    static_cast<std::uint64_t>(acknowledged->size_bytes), acknowledged->sha256, std::chrono::milliseconds(0),
                                    "acknowledges " + acknowledged->remote_name });
        }
        TRY(dispose(session, *id, file.name));
        return AfterAttempt::NextFile;
    }

private:
    static bool is_transport_error(ErrorCode code)
    {
        return code != ErrorCode::StoreFailure && code != ErrorCode::StoreCorrupt && code != ErrorCode::Internal;
    }

    void refuse(transport::RemoteFile const& file, std::string reason, std::chrono::steady_clock::time_point start)
    {
        ++m_result.refused;
        m_result.errors.push_back("refused a remote file: " + reason);
        // The event names the file only as far as it is safe to print.
        std::string shown = transport::check_remote_name(file.name).ok() ? file.name : "(refused name)";
        record_event(m_log, TransferEvent { EventKind::Skipped, Direction::Collect, m_agency.id, shown, 0, 0, file.size, "",
                                detail::elapsed_since(start), "refused: " + reason });
    }

    // A name in the inbox not yet taken: the remote name, or NAME.2, NAME.3, ... when an
    // earlier, different file of the same name is already there.
    fs::path free_local_path(std::string const& name) const
    {
        auto candidate = m_inbox / name;
        for (int number = 2; fs::exists(candidate); ++number)
            candidate = m_inbox / (name + "." + std::to_string(number));
        return candidate;
    }

    base::Result<store::CollectedFile> download(transport::Session& session, transport::RemoteFile const& file)
    {
        auto target = TRY(base::AtomicFile::create(free_local_path(file.name)));
        crypto::HashingSink hashing(target);
        auto const received = TRY(session.download(transport::RemoteArea::Collect, file.name, hashing, m_profile.max_collect_bytes));
        TRY(hashing.finish());
        if (received != file.size || target.bytes_written() != file.size)
            return make_error(ErrorCode::TransferIncomplete, "received " + std::to_string(received) + " bytes of " + std::to_string(file.size));
        store::CollectedFile record;
        record.agency = m_agency.id;
        record.remote_name = file.name;
        record.size_bytes = static_cast<std::int64_t>(file.size);
        record.sha256 = crypto::digest_hex(hashing.digest());
        // A run killed after publishing the file but before recording it left the very
        // same bytes under the remote name: keep that copy instead of a second one.
        auto const earlier = m_inbox / file.name;
        if (earlier != target.destination() && digest_of_inbox_file(file.name) == record.sha256) {
            target.abandon();
            record.local_path = earlier.string();
            return record;
        }
        TRY(target.commit());
        record.local_path = target.destination().string();
        return record;
    }

    // The SHA-256 of a file already in the agency's inbox folder, opened without following
    // a link (store/state_files.hpp); empty when there is none.
    std::string digest_of_inbox_file(std::string const& name) const
    {
        store::StateFiles const files(m_inbox.parent_path().parent_path());
        store::LedgerRow const row { "(inbox file)", 0, "name" };
        auto opened = files.open_for_reading(store::StateFile { store::StateArea::Inbox, m_agency.id, name }, row);
        if (opened.is_error())
            return {};
        crypto::HashingSink hashing;
        if (base::copy_descriptor_to(opened.value().descriptor(), hashing, name).is_error() || hashing.finish().is_error())
            return {};
        return crypto::digest_hex(hashing.digest());
    }

    // "<delivered name><suffix>" acknowledges that delivery: recorded on the transfer and
    // in the audit log (inside the caller's transaction). Returns the delivery it
    // acknowledges, if any.
    base::Result<std::optional<store::Transfer>> match_acknowledgement(std::string const& name, std::int64_t collected_id)
    {
        auto const& suffix = m_profile.acknowledgement_suffix;
        if (suffix.empty() || name.size() <= suffix.size() || !name.ends_with(suffix))
            return std::optional<store::Transfer> {};
        auto delivered = TRY(m_transfers.find_delivered(m_agency.id, name.substr(0, name.size() - suffix.size())));
        if (!delivered || !delivered->acknowledged_at.empty())
            return std::optional<store::Transfer> {};
        TRY(m_transfers.mark_acknowledged(delivered->id, name));
        TRY(m_transfers.set_acknowledges(collected_id, delivered->id));
        audit::Acknowledgement acknowledgement;
        acknowledgement.agency = m_agency.id;
        acknowledgement.file_name = delivered->file_name;
        acknowledgement.acknowledgement = "received";
        acknowledgement.reference = name;
        acknowledgement.detail = "acknowledgement file " + name + " collected";
        TRY(m_journal.record_acknowledgement(acknowledgement));
        return delivered;
    }

    // After the record is committed: archive, delete or leave the file on the server.
    base::Result<void> dispose(transport::Session& session, std::int64_t collected_id, std::string const& name)
    {
        base::Result<void> done = {};
        store::Disposal disposal = store::Disposal::Left;
        switch (m_profile.after_collect) {
        case model::AfterCollect::Archive:
            disposal = store::Disposal::Archived;
            done = session.archive(name);
            break;
        case model::AfterCollect::Delete:
            disposal = store::Disposal::Deleted;
            done = session.remove(transport::RemoteArea::Collect, name);
            break;
        case model::AfterCollect::Leave: break;
        }
        if (done.is_error()) {
            ++m_result.failed;
            m_result.errors.push_back(name + ": collected, but " + std::string(store::to_string(disposal)) + " on the server failed: " + done.error().to_text()
                + " (it is not collected again; the next run retries)");
            return {};
        }
        return m_transfers.mark_disposed(collected_id, disposal);
    }

    model::AgencyConfig const& m_agency;
    model::TransportProfile const& m_profile;
    fs::path m_inbox;
    store::Transfers& m_transfers;
    audit::Journal& m_journal;
    AgencyCollectResult& m_result;
    EventLog& m_log;
};

// <state>/inbox/<agency>, created when missing; a link in its place (which would lead the
// downloads out of the state directory) is refused.
base::Result<fs::path> private_inbox(model::GatewayConfig const& config, std::string const& agency)
{
    if (!store::is_safe_component(agency))
        return make_error(ErrorCode::ConfigInvalid, "agency id '" + agency + "' cannot name a folder");
    for (auto const& folder : { config.state_directory / "inbox", config.state_directory / "inbox" / agency }) {
        std::error_code error;
        auto const type = fs::symlink_status(folder, error).type();
        if (type != fs::file_type::not_found && type != fs::file_type::directory)
            return make_error(ErrorCode::FileWriteFailed, folder.string() + " is a symbolic link or not a folder: refused (the inbox must be a folder of the state directory)");
        TRY(base::ensure_private_directory(folder));
    }
    return config.state_directory / "inbox" / agency;
}

} // namespace

bool CollectSummary::has_refusals() const
{
    for (auto const& agency : agencies)
        if (agency.refused > 0)
            return true;
    return false;
}

bool CollectSummary::has_failures() const
{
    for (auto const& agency : agencies)
        if (agency.failed > 0 || agency.errors.size() > static_cast<std::size_t>(agency.refused))
            return true;
    return false;
}

base::Result<CollectSummary> collect(model::GatewayConfig const& config, ExchangeOptions const& given_options)
{
    auto const options = detail::with_defaults(given_options);
    auto const agencies = TRY(detail::select_agencies(config, options.agency));
    auto run = TRY(detail::open_run(config, options.actor, agencies));
    auto& ledger = run.ledger;
    auto& journal = *run.journal;
    store::Transfers transfers(*ledger);

    CollectSummary summary;
    summary.log.listener = options.on_event;
    for (auto const* agency : agencies) {
        auto& result = summary.agencies.emplace_back();
        result.agency = agency->id;
        if (!agency->transport) {
            result.note = "no transport configured";
            continue;
        }
        detail::AgencySession session(*agency->transport, options);
        auto connected = session.get();
        if (connected.is_error()) {
            result.errors.push_back(connected.error().to_text());
            continue;
        }
        result.server = session.server();
        auto listing = connected.value()->list(transport::RemoteArea::Collect);
        if (listing.is_error()) {
            result.errors.push_back("listing the collect area: " + listing.error().to_text());
            continue;
        }
        auto const inbox = TRY(private_inbox(config, agency->id));
        AgencyCollector collector(*agency, inbox, transfers, journal, result, summary.log);
        int const attempts = std::max(1, agency->transport->max_attempts);
        bool reachable = true;
        for (auto const& file : listing.value()) {
            ++result.listed;
            // A transient failure drops the connection and tries the file again on a
            // fresh one, after a backoff, up to max_attempts (as send does).
            for (int attempt = 1; reachable; ++attempt) {
                auto current = session.get();
                if (current.is_error()) {
                    result.errors.push_back(current.error().to_text() + " (the remaining files wait for the next run)");
                    reachable = false;
                    break;
                }
                if (TRY(collector.collect_one(*current.value(), file, attempt < attempts)) == AfterAttempt::NextFile)
                    break;
                session.drop();
                session.wait_before_retry(attempt);
            }
            if (!reachable)
                break;
        }
    }
    bool const collected_any = std::any_of(summary.agencies.begin(), summary.agencies.end(),
        [](AgencyCollectResult const& agency) { return agency.collected > 0; });
    if (collected_any)
        audit::checkpoint_at_end_of_run(*ledger, config, options.actor, summary.checkpoint, summary.warnings);
    return summary;
}

} // namespace dcagw::exchange
