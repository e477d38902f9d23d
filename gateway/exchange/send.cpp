// `dcagw send`: the outbox drained to each agency's server (docs/delivery.md).
#include "gateway/exchange/exchange.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/exchange/run_context.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers.hpp"

#include <algorithm>
#include <utility>
#include <filesystem>

namespace dcagw::exchange {

using base::ErrorCode;
using base::make_error;
using store::Transfer;
using store::TransferStatus;

namespace {

// Hidden (a leading '.': collectors on the agency's side skip it) and deterministic, so a
// restarted run finds and removes the leftover of the attempt it interrupted.
std::string temporary_name_for(Transfer const& transfer)
{
    return ".dcagw-upload-" + std::to_string(transfer.id) + "-" + transfer.file_name;
}

// Failures that concern one file only; every other permanent failure (authentication,
// host key, certificate, permission) would fail every file of the agency the same way.
bool concerns_one_file(ErrorCode code)
{
    return code == ErrorCode::RemoteFileExists || code == ErrorCode::RemoteNameInvalid || code == ErrorCode::FileNotFound
        || code == ErrorCode::FileUnreadable || code == ErrorCode::InputTooLarge || code == ErrorCode::PayloadCorrupt
        || code == ErrorCode::StoreCorrupt; // a transfer row naming a file outside the spool
}

enum class Next { NextFile, StopAgency };

class AgencySender {
public:
    AgencySender(std::string const& agency, model::TransportProfile const& profile, ExchangeOptions const& options, store::StateFiles const& files,
        store::Transfers& transfers, audit::Journal& journal, AgencySendResult& result, EventLog& log)
        : m_profile(profile)
        , m_session(profile, options, agency, Direction::Send)
        , m_files(files)
        , m_transfers(transfers)
        , m_journal(journal)
        , m_result(result)
        , m_log(log)
    {
    }

    // Errors returned are the ledger's (the run stops); transport failures are recorded
    // on the transfer and reported through the result.
    // `index` (1-based) of `count`: where the transfer stands in this run, for progress.
    base::Result<Next> deliver(Transfer transfer, std::size_t index, std::size_t count)
    {
        auto const start = std::chrono::steady_clock::now();
        auto local = open_local_file(transfer);
        if (local.is_error())
            return fail(transfer, local.error(), true, start);
        // An earlier attempt (this run or a killed one) may have got as far as the rename:
        // look at the server before sending again, so nothing is delivered twice.
        bool maybe_published = transfer.status == TransferStatus::Sending || transfer.attempts > 0;
        // Left `sending` by a run that was killed: the crash may have fallen between the
        // server's rename and recording it, and the agency may have taken the file away
        // since (docs/delivery.md, "Exactly once").
        m_interrupted = transfer.status == TransferStatus::Sending;
        int const attempts = std::max(1, m_profile.max_attempts);
        for (int attempt = 1;; ++attempt) {
            auto session = m_session.get();
            if (session.is_error()) {
                // No connection: the file stays pending (queued, or failed by the
                // attempt before the connection was lost) for the next run, and the
                // agency's pending transfers say why.
                TRY(m_transfers.note_unreachable(transfer.agency, detail::reason_of(session.error()), session.error().to_text()));
                m_result.errors.push_back(session.error().to_text());
                ++(attempt == 1 ? m_result.left_queued : m_result.failed_transient);
                return Next::StopAgency;
            }
            m_result.server = m_session.server();
            TransferProgress about;
            about.file = transfer.file_name;
            about.size = static_cast<std::uint64_t>(transfer.size_bytes);
            about.index = index;
            about.count = count;
            about.attempt = attempt;
            m_session.report_start(about);
            auto attempted = attempt_once(*session.value(), transfer, local.value(), maybe_published, start);
            if (attempted.ok())
                return attempted.value();
            auto error = attempted.release_error();
            if (!is_transport_error(error.code()))
                return error;
            maybe_published = true;
            if (!base::is_transient(error.code()))
                return fail(transfer, error, true, start);
            m_session.drop();
            if (attempt >= attempts) {
                TRY(record_failure(transfer, error, false, start, "failed " + std::to_string(attempt) + " times; the next run tries again"));
                ++m_result.failed_transient;
                m_result.errors.push_back(transfer.file_name + ": " + error.to_text());
                return Next::StopAgency;
            }
            TRY(record_failure(transfer, error, false, start, "attempt " + std::to_string(attempt) + " failed; retrying"));
            TransferProgress waiting;
            waiting.file = transfer.file_name;
            waiting.size = static_cast<std::uint64_t>(transfer.size_bytes);
            waiting.index = index;
            waiting.count = count;
            m_session.wait_before_retry(attempt, waiting);
        }
    }

private:
    // Ledger and programming errors stop the run; everything else is about the transfer.
    static bool is_transport_error(ErrorCode code)
    {
        return code != ErrorCode::StoreFailure && code != ErrorCode::StoreCorrupt && code != ErrorCode::Internal;
    }

    // The spooled file must still be the one the placement run wrote and recorded. The
    // transfer row names it; only the spool folder of the row's agency, under the row's
    // file name, is accepted, opened without following a link (store/state_files.hpp), and
    // the file opened here is the one hashed and uploaded.
    base::Result<store::OpenedStateFile> open_local_file(Transfer const& transfer) const
    {
        store::LedgerRow const row { "transfers", transfer.id, "local_path" };
        auto const file = TRY(store::parse_ledger_path(transfer.local_path, store::StateArea::Spool, transfer.agency, row));
        if (file.name != transfer.file_name)
            return make_error(ErrorCode::StoreCorrupt, row.describe() + " '" + file.ledger_path() + "' refused: it does not name the transfer's file " + transfer.file_name);
        auto opened = TRY(m_files.open_for_reading(file, row));
        auto const shown = "spooled file " + file.ledger_path();
        if (static_cast<std::int64_t>(opened.size()) != transfer.size_bytes)
            return make_error(ErrorCode::PayloadCorrupt, shown + " has " + std::to_string(opened.size()) + " bytes but the ledger recorded "
                    + std::to_string(transfer.size_bytes) + ": it changed after it was written");
        crypto::HashingSink hashing;
        TRY(base::copy_descriptor_to(opened.descriptor(), hashing, shown));
        TRY(hashing.finish());
        if (crypto::digest_hex(hashing.digest()) != transfer.sha256)
            return make_error(ErrorCode::PayloadCorrupt, shown + " does not match the SHA-256 the ledger recorded: it changed after it was written");
        return opened;
    }

    base::Result<Next> attempt_once(transport::Session& session, Transfer& transfer, store::OpenedStateFile const& local, bool maybe_published,
        std::chrono::steady_clock::time_point start)
    {
        if (maybe_published) {
            auto const settled = TRY(recover(session, transfer, start));
            if (settled)
                return *settled;
        }
        auto const delivered = TRY(publish(session, transfer, local));
        finish_delivery(delivered, "delivered", start);
        return Next::NextFile;
    }

    // Returns what to do next when the server already settles the matter, nothing when
    // the file must be (re)sent.
    base::Result<std::optional<Next>> recover(transport::Session& session, Transfer& transfer, std::chrono::steady_clock::time_point start)
    {
        auto const remote = TRY(session.stat(transport::RemoteArea::Upload, transfer.file_name));
        if (remote && static_cast<std::int64_t>(remote->size) == transfer.size_bytes) {
            auto const [copy, why_unread] = TRY(read_back(session, transfer));
            if (copy == ServerCopy::Different) {
                auto const error = make_error(ErrorCode::RemoteFileExists, "a different file named " + transfer.file_name + " (" + std::to_string(remote->size)
                        + " bytes, as expected, but another SHA-256) is on the server; it was not replaced");
                return std::optional<Next>(TRY(fail(transfer, error, true, start)));
            }
            std::string const how = copy == ServerCopy::Same
                ? "found complete on the server after an interrupted attempt (read back: SHA-256 matches)"
                : "found complete on the server after an interrupted attempt (the size matches; the server does not let the gateway read it back: " + why_unread + ")";
            TRY(record_delivered(session, transfer, transfer.file_name, transfer.size_bytes, how));
            (void)session.remove(transport::RemoteArea::Upload, temporary_name_for(transfer)); // a leftover, if any
            ++m_result.recovered;
            transfer.remote_name = transfer.file_name;
            transfer.remote_size = transfer.size_bytes;
            finish_delivery(transfer, "delivered (found complete on the server after an interrupted attempt; not sent again)", start, false);
            return std::optional<Next>(Next::NextFile);
        }
        if (remote) {
            auto const error = make_error(ErrorCode::RemoteFileExists, "a different file named " + transfer.file_name + " (" + std::to_string(remote->size)
                    + " bytes, expected " + std::to_string(transfer.size_bytes) + ") is on the server; it was not replaced");
            return std::optional<Next>(TRY(fail(transfer, error, true, start)));
        }
        // Not there. The ledger says whether the last attempt reached the rename (recorded
        // just before it, after the upload and its size check):
        // - reached, and the temporary upload is gone too: the rename happened (it is the
        //   only thing that removes the temporary name) and the agency has taken the file
        //   since. It is recorded delivered with that note, never sent again.
        // - reached, temporary still there: the rename did not happen; send again.
        // - not reached: the upload never completed, so the agency cannot have the file;
        //   sending again is safe (docs/delivery.md, "Exactly once").
        // A multipart POST has no rename, so nothing is ever recorded there and a crash
        // between the POST and recording it is sent again with a warning, as before.
        // Only a temporary upload known to be absent counts: a server that cannot say (a
        // partial upload some servers do not stat) is taken to hold one.
        auto const temporary = session.stat(transport::RemoteArea::Upload, temporary_name_for(transfer));
        if (transfer.rename_reached) {
            if (temporary.is_error())
                return base::Error(temporary.error()).with_context("after an attempt that reached the rename, whether the rename happened cannot be told");
            if (!temporary.value())
                return std::optional<Next>(TRY(record_taken_by_agency(session, transfer, start)));
            // Not renamed. Durable before the temporary upload goes (store/transfers.hpp).
            TRY(m_transfers.clear_rename_reached(transfer.id));
            transfer.rename_reached = false;
        }
        bool const temporary_absent = temporary.ok() && !temporary.value();
        if (std::exchange(m_interrupted, false) && temporary_absent && m_profile.kind == model::TransportKind::Https
            && m_profile.https.upload_method == model::UploadMethod::MultipartPost)
            m_result.warnings.push_back(transfer.file_name + " (transfer " + std::to_string(transfer.id)
                + "): sent again by multipart POST after an interrupted attempt left nothing on the server; if the agency had already taken it"
                  " before the delivery was recorded, it now has it twice"
                + std::string(m_profile.acknowledgement_required ? " (its acknowledgements will show two receipts)" : ""));
        // An interrupted upload left at most a temporary file, which publish replaces;
        // removing it first keeps the upload area clean if this attempt fails.
        if (!temporary_absent)
            (void)session.remove(transport::RemoteArea::Upload, temporary_name_for(transfer));
        return std::optional<Next> {};
    }

    // The rename of the last attempt happened and the agency took the file before the
    // delivery was recorded: delivered, not sent again, and said so in the run's output.
    base::Result<Next> record_taken_by_agency(transport::Session& session, Transfer& transfer, std::chrono::steady_clock::time_point start)
    {
        std::string const how = "taken by the agency before the gateway recorded it (the attempt reached the rename; neither the final nor the"
                                " temporary file is on the server); not sent again";
        TRY(record_delivered(session, transfer, transfer.file_name, transfer.size_bytes, how));
        ++m_result.recovered;
        m_result.warnings.push_back(transfer.file_name + " (transfer " + std::to_string(transfer.id) + "): " + how);
        transfer.remote_name = transfer.file_name;
        transfer.remote_size = transfer.size_bytes;
        finish_delivery(transfer, "delivered (" + how + ")", start, false);
        return Next::NextFile;
    }

    enum class ServerCopy { Same, Different, Unreadable };

    // After an interrupted attempt, a file of the right name and size on the server is
    // read back and hashed before it is taken for ours: someone else's file must never
    // count as a delivery. Agencies' drop folders are often write-only; then (a permanent
    // read error) the size is all there is to go on, and the receipt says so. A transient
    // error goes back to the retry loop.
    base::Result<std::pair<ServerCopy, std::string>> read_back(transport::Session& session, Transfer const& transfer)
    {
        crypto::HashingSink hashing;
        auto received = session.download(transport::RemoteArea::Upload, transfer.file_name, hashing, static_cast<std::uint64_t>(transfer.size_bytes));
        if (received.is_error()) {
            if (!is_transport_error(received.error().code()) || base::is_transient(received.error().code()))
                return received.release_error();
            return std::pair { ServerCopy::Unreadable, received.error().to_text() };
        }
        TRY(hashing.finish());
        bool const same = received.value() == static_cast<std::uint64_t>(transfer.size_bytes) && crypto::digest_hex(hashing.digest()) == transfer.sha256;
        return std::pair { same ? ServerCopy::Same : ServerCopy::Different, std::string() };
    }

    // Updates `transfer` (status, attempts, rename_reached) as the ledger does, so a retry
    // within this run recovers from what is recorded.
    base::Result<Transfer> publish(transport::Session& session, Transfer& transfer, store::OpenedStateFile const& local)
    {
        // Announced (and durable) before any byte leaves: a crash from here on is found as
        // `sending` and resolved by looking at the server.
        TRY(m_transfers.mark_sending(transfer.id));
        transfer.status = TransferStatus::Sending;
        transfer.rename_reached = false;
        ++transfer.attempts;
        // Durable before the rename: from here on, nothing on the server means the agency
        // took the file.
        auto const before_rename = [&]() -> base::Result<void> {
            TRY(m_transfers.mark_rename_reached(transfer.id));
            transfer.rename_reached = true;
            return {};
        };
        auto const remote = TRY(session.publish(local.path(), transfer.file_name, temporary_name_for(transfer), before_rename));
        if (static_cast<std::int64_t>(remote.size) != transfer.size_bytes)
            return make_error(ErrorCode::TransferIncomplete, "the server reports " + std::to_string(remote.size) + " bytes for " + remote.name + ", expected "
                    + std::to_string(transfer.size_bytes));
        TRY(record_delivered(session, transfer, remote.name, static_cast<std::int64_t>(remote.size), "published"));
        transfer.remote_name = remote.name;
        transfer.remote_size = static_cast<std::int64_t>(remote.size);
        return transfer;
    }

    // The ledger's `delivered` and the audit log's delivery receipt, in one transaction: a
    // crash can never leave a delivered file without its receipt in the audit log.
    base::Result<void> record_delivered(transport::Session& session, Transfer const& transfer, std::string const& remote_name,
        std::int64_t remote_size, std::string_view how)
    {
        return m_journal.ledger().transaction([&]() -> base::Result<void> {
            TRY(m_transfers.mark_delivered(transfer.id, remote_name, remote_size));
            audit::Delivery receipt;
            receipt.agency = transfer.agency;
            receipt.file_name = transfer.file_name;
            receipt.ciphertext_sha256 = transfer.sha256;
            receipt.transport = std::string(model::to_string(m_profile.kind));
            receipt.destination = session.describe() + " " + m_profile.upload_directory + "/" + remote_name;
            receipt.receipt = std::string(how) + "; the server reports " + std::to_string(remote_size) + " bytes; transfer " + std::to_string(transfer.id);
            TRY(m_journal.record_delivery(receipt));
            return {};
        });
    }

    void finish_delivery(Transfer const& transfer, std::string outcome, std::chrono::steady_clock::time_point start, bool count = true)
    {
        if (count)
            ++m_result.delivered;
        record_event(m_log, TransferEvent { EventKind::Delivered, Direction::Send, transfer.agency, transfer.remote_name, transfer.id, 0,
                                static_cast<std::uint64_t>(transfer.remote_size), transfer.sha256, detail::elapsed_since(start), std::move(outcome) });
    }

    base::Result<Next> fail(Transfer const& transfer, base::Error const& error, bool permanent, std::chrono::steady_clock::time_point start)
    {
        TRY(record_failure(transfer, error, permanent, start, "failed permanently: " + error.to_text() + " (not retried; see `dcagw transfers retry`)"));
        ++m_result.failed_permanent;
        m_result.errors.push_back(transfer.file_name + ": " + error.to_text());
        return concerns_one_file(error.code()) ? Next::NextFile : Next::StopAgency;
    }

    base::Result<void> record_failure(Transfer const& transfer, base::Error const& error, bool permanent, std::chrono::steady_clock::time_point start,
        std::string outcome)
    {
        TRY(m_transfers.mark_failed(transfer.id, detail::reason_of(error), error.to_text(), permanent));
        record_event(m_log, TransferEvent { EventKind::Failed, Direction::Send, transfer.agency, transfer.file_name, transfer.id, 0,
                                static_cast<std::uint64_t>(transfer.size_bytes), transfer.sha256, detail::elapsed_since(start), std::move(outcome) });
        return {};
    }

    model::TransportProfile const& m_profile;
    detail::AgencySession m_session;
    store::StateFiles const& m_files;
    bool m_interrupted { false };  // the transfer being delivered was left `sending` by a killed run
    store::Transfers& m_transfers;
    audit::Journal& m_journal;
    AgencySendResult& m_result;
    EventLog& m_log;
};

} // namespace

bool SendSummary::has_failures() const
{
    for (auto const& agency : agencies)
        if (agency.failed_permanent > 0 || agency.failed_transient > 0 || !agency.errors.empty())
            return true;
    return false;
}

base::Result<SendSummary> send(model::GatewayConfig const& config, ExchangeOptions const& given_options)
{
    auto exchange = TRY(detail::ExchangeRun::open(config, given_options));
    SendSummary summary;
    summary.log.listener = exchange.options().on_event;
    auto const send_agency = [&](model::AgencyConfig const& agency, AgencySendResult& result) -> base::Result<void> {
        auto& transfers = exchange.transfers();
        result.queued = TRY(transfers.enqueue_spooled(agency.id));
        auto const pending = TRY(transfers.pending(agency.id));
        if (pending.empty())
            return {}; // nothing to send: no connection at all
        AgencySender sender(agency.id, *agency.transport, exchange.options(), exchange.files(), transfers, exchange.journal(), result, summary.log);
        for (std::size_t index = 0; index < pending.size(); ++index) {
            if (TRY(sender.deliver(pending[index], index + 1, pending.size())) == Next::StopAgency) {
                result.left_queued += static_cast<std::int64_t>(pending.size() - index - 1);
                break;
            }
        }
        return {};
    };
    TRY(exchange.for_each_agency(summary.agencies, "no transport configured: files stay in the spool", send_agency));
    for (auto const& agency : summary.agencies)
        for (auto const& warning : agency.warnings)
            summary.warnings.push_back("agency " + agency.agency + ": " + warning);
    bool const delivered_any = std::any_of(summary.agencies.begin(), summary.agencies.end(),
        [](AgencySendResult const& agency) { return agency.delivered + agency.recovered > 0; });
    exchange.finish(delivered_any, summary.checkpoint, summary.warnings);
    return summary;
}

} // namespace dcagw::exchange
