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

// Kept free in the inbox's file system beyond the file being downloaded, so collection
// never fills the disk the ledger and the spool live on.
constexpr std::uint64_t inbox_reserve_bytes = 64ull << 20;

// What the caller does after a file's attempt: go on to the next file, or reconnect and
// try this one again (a transient failure with attempts left).
enum class AfterAttempt { NextFile, Retry };

class AgencyCollector {
public:
    AgencyCollector(model::AgencyConfig const& agency, fs::path inbox, ExchangeOptions const& options, store::Transfers& transfers, audit::Journal& journal,
        AgencyCollectResult& result, EventLog& log)
        : m_options(options)
        , m_agency(agency)
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
        if (!within_run_cap(file, start))
            return AfterAttempt::NextFile;
        // The file must fit in the inbox with room to spare, or it is not started: a full
        // disk mid-download would only fail later, after the server was kept busy.
        if (auto const free = m_options.free_bytes(m_inbox); free.is_error() || free.value() < file.size + inbox_reserve_bytes) {
            auto const why = free.is_error() ? free.error().to_text()
                                             : "not enough free space in " + m_inbox.string() + ": " + std::to_string(file.size + inbox_reserve_bytes)
                    + " bytes needed (the file and a reserve of " + std::to_string(inbox_reserve_bytes) + "), " + std::to_string(free.value()) + " free";
            ++m_result.failed;
            m_result.errors.push_back(file.name + ": " + why + " (not downloaded; the next run tries again)");
            record_event(m_log, TransferEvent { EventKind::Failed, Direction::Collect, m_agency.id, file.name, 0, 0, file.size, "",
                                    detail::elapsed_since(start), "not downloaded: " + why });
            return AfterAttempt::NextFile;
        }
        // Whether the file was collected before is decided by its content, so it is
        // downloaded and hashed first: a new file that reuses an old name (even with the
        // same size) is never mistaken for the old one, left behind, and then archived or
        // deleted on the server unread.
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
        // Seen before with the same name and content: the copy just fetched is dropped.
        // Its disposal is finished if a crash or an error left it pending.
        if (auto const known = TRY(m_transfers.find_collected(m_agency.id, file.name, downloaded.value().record.sha256))) {
            downloaded.value().file.abandon();
            ++m_result.already_collected;
            if (known->disposal == store::Disposal::Pending)
                TRY(dispose(session, known->id, file.name));
            return AfterAttempt::NextFile;
        }
        std::string flag;
        if (auto const earlier = TRY(m_transfers.find_collected_named(m_agency.id, file.name))) {
            downloaded.value().record.same_name_as = earlier->id;
            flag = "; flagged: collected file " + std::to_string(earlier->id) + " had this name but other content (both kept)";
            ++m_result.same_name_different_content;
            m_result.flagged.push_back(file.name + ": a different file of this name was collected before (collected file " + std::to_string(earlier->id)
                + ", SHA-256 " + earlier->sha256.substr(0, 16) + "...); both are kept");
        }
        auto record = TRY(keep(std::move(downloaded.value())));
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
        m_unapplied.clear();
        TRY(m_journal.ledger().transaction(record_all));
        if (!m_unapplied.empty()) {
            ++m_result.refused;
            m_result.errors.push_back(m_unapplied);
        }
        if (!id) {
            ++m_result.already_collected;
            return AfterAttempt::NextFile;
        }
        ++m_result.collected;
        m_collected_bytes += file.size;
        record_event(m_log, TransferEvent { EventKind::Collected, Direction::Collect, m_agency.id, file.name, 0, *id,
                                static_cast<std::uint64_t>(record.size_bytes), record.sha256, detail::elapsed_since(start),
                                "collected into " + record.local_path + flag });
        if (acknowledged) {
            ++m_result.acknowledgements;
            // The event names the .ack file, so it carries that file's own size and hash;
            // the delivery it acknowledges is named in the outcome (and by transfer id).
            record_event(m_log, TransferEvent { EventKind::Acknowledged, Direction::Collect, m_agency.id, file.name, acknowledged->id, *id,
                                    static_cast<std::uint64_t>(record.size_bytes), record.sha256, std::chrono::milliseconds(0),
                                    "acknowledges " + acknowledged->remote_name + " (transfer " + std::to_string(acknowledged->id) + ")" });
        }
        TRY(dispose(session, *id, file.name));
        return AfterAttempt::NextFile;
    }

private:
    static bool is_transport_error(ErrorCode code)
    {
        return code != ErrorCode::StoreFailure && code != ErrorCode::StoreCorrupt && code != ErrorCode::Internal;
    }

    // collect_max_bytes_per_run: a file is collected whole or not started. Once one file
    // does not fit in what is left of the run's cap, it and every later file wait for the
    // next run (in the server's order, so the next run starts with it); a file larger
    // than the cap alone could never be collected and is refused.
    bool within_run_cap(transport::RemoteFile const& file, std::chrono::steady_clock::time_point start)
    {
        auto const cap = m_profile.collect_max_bytes_per_run;
        if (file.size > cap) {
            refuse(file, file.name + " is " + std::to_string(file.size) + " bytes, larger than collect_max_bytes_per_run (" + std::to_string(cap)
                    + " bytes): it cannot be collected in one run (raise the cap to collect it)", start);
            return false;
        }
        if (!m_over_cap && m_collected_bytes + file.size <= cap)
            return true;
        m_over_cap = true;
        ++m_result.deferred_over_cap;
        m_result.deferred_bytes += file.size;
        record_event(m_log, TransferEvent { EventKind::Skipped, Direction::Collect, m_agency.id, file.name, 0, 0, file.size, "",
                                detail::elapsed_since(start), "deferred to the next run: this run reached collect_max_bytes_per_run (" + std::to_string(cap) + " bytes)" });
        return false;
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

    // A downloaded file, hashed, not yet in the inbox under its name.
    struct Downloaded {
        base::AtomicFile file;
        store::CollectedFile record;
    };

    base::Result<Downloaded> download(transport::Session& session, transport::RemoteFile const& file)
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
        return Downloaded { std::move(target), std::move(record) };
    }

    // Publishes a new file into the inbox. A run killed after publishing the file but
    // before recording it left the very same bytes under the remote name: that copy is
    // kept instead of a second one.
    base::Result<store::CollectedFile> keep(Downloaded downloaded)
    {
        auto& record = downloaded.record;
        auto const earlier = m_inbox / record.remote_name;
        if (earlier != downloaded.file.destination() && digest_of_inbox_file(record.remote_name) == record.sha256) {
            downloaded.file.abandon();
            record.local_path = earlier.string();
            return record;
        }
        TRY(downloaded.file.commit());
        record.local_path = downloaded.file.destination().string();
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
        // A file name alone proves nothing. Collect opens no file, so where the agency's
        // returns must be signed (its returns section's require_signature: the one setting;
        // the old transport.returns_require_signature is folded into it by config and not
        // read here) a bare acknowledgement is refused: the file stays in the inbox, the
        // refusal is audited, and the delivery stays unacknowledged; a signed
        // acknowledgement return file is applied by ingest (docs/delivery.md).
        if (m_agency.returns && m_agency.returns->require_signature) {
            std::string const reason = "acknowledgement " + name + " of " + delivered->file_name
                + " not applied: the agency's returns.require_signature is set and a bare acknowledgement carries no signature"
                  " (the file is kept in the inbox; a signed acknowledgement return file is applied by `dcagw ingest`)";
            TRY(m_journal.record_command("collect", "agency " + m_agency.id + ": " + reason));
            m_unapplied = reason;
            return std::optional<store::Transfer> {};
        }
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

    ExchangeOptions const& m_options;
    model::AgencyConfig const& m_agency;
    model::TransportProfile const& m_profile;
    std::string m_unapplied; // why the last acknowledgement was not applied, if it was not
    std::uint64_t m_collected_bytes { 0 }; // newly collected this run, against collect_max_bytes_per_run
    bool m_over_cap { false };             // a file was deferred: the rest of the listing waits too
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
    auto exchange = TRY(detail::ExchangeRun::open(config, given_options));
    CollectSummary summary;
    summary.log.listener = exchange.options().on_event;
    auto const collect_agency = [&](model::AgencyConfig const& agency, AgencyCollectResult& result) -> base::Result<void> {
        detail::AgencySession session(*agency.transport, exchange.options(), agency.id, Direction::Collect);
        auto connected = session.get();
        if (connected.is_error()) {
            result.errors.push_back(connected.error().to_text());
            return {};
        }
        result.server = session.server();
        auto listing = connected.value()->list(transport::RemoteArea::Collect);
        if (listing.is_error()) {
            result.errors.push_back("listing the collect area: " + listing.error().to_text());
            return {};
        }
        auto const inbox = TRY(private_inbox(config, agency.id));
        AgencyCollector collector(agency, inbox, exchange.options(), exchange.transfers(), exchange.journal(), result, summary.log);
        int const attempts = std::max(1, agency.transport->max_attempts);
        for (auto const& file : listing.value()) {
            ++result.listed;
            TransferProgress about;
            about.file = file.name;
            about.size = file.size;
            about.index = static_cast<std::size_t>(result.listed);
            about.count = listing.value().size();
            // A transient failure drops the connection and tries the file again on a
            // fresh one, after a backoff, up to max_attempts (as send does).
            for (int attempt = 1;; ++attempt) {
                auto current = session.get();
                if (current.is_error()) {
                    result.errors.push_back(current.error().to_text() + " (the remaining files wait for the next run)");
                    return {};
                }
                about.attempt = attempt;
                session.report_start(about);
                if (TRY(collector.collect_one(*current.value(), file, attempt < attempts)) == AfterAttempt::NextFile)
                    break;
                session.drop();
                session.wait_before_retry(attempt, about);
            }
        }
        if (result.deferred_over_cap > 0)
            summary.warnings.push_back("agency " + agency.id + ": " + std::to_string(result.deferred_over_cap) + " file(s) of "
                + std::to_string(result.deferred_bytes) + " bytes left on the server for the next run: this run reached collect_max_bytes_per_run ("
                + std::to_string(agency.transport->collect_max_bytes_per_run) + " bytes)");
        return {};
    };
    TRY(exchange.for_each_agency(summary.agencies, "no transport configured", collect_agency));
    for (auto const& agency : summary.agencies)
        for (auto const& flagged : agency.flagged)
            summary.warnings.push_back("agency " + agency.agency + ": " + flagged);

    bool const collected_any = std::any_of(summary.agencies.begin(), summary.agencies.end(),
        [](AgencyCollectResult const& agency) { return agency.collected > 0; });
    exchange.finish(collected_any, summary.checkpoint, summary.warnings);
    return summary;
}

} // namespace dcagw::exchange
