// The operator's commands around the exchange: `dcagw agency test`, `dcagw transfers
// list` (with acknowledgement state) and `dcagw transfers retry`.
#include "gateway/exchange/exchange.hpp"

#include "gateway/audit/journal.hpp"

#include "gateway/base/file.hpp"
#include "gateway/exchange/run_context.hpp"
#include "gateway/store/transfers.hpp"

#include <cstdio>
#include <ctime>

namespace dcagw::exchange {

using base::ErrorCode;
using base::make_error;

namespace {

// "2026-11-23T12:34:56Z" (the ledger's time format) as seconds since the epoch.
std::optional<std::time_t> parse_utc(std::string const& text)
{
    std::tm parts {};
    if (text.size() != 20 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &parts.tm_year, &parts.tm_mon, &parts.tm_mday, &parts.tm_hour,
                                 &parts.tm_min, &parts.tm_sec) != 6)
        return std::nullopt;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return ::timegm(&parts);
}

std::string acknowledgement_state(store::Transfer const& transfer, model::AgencyConfig const* agency, std::time_t now)
{
    if (!transfer.acknowledged_at.empty())
        return "acknowledged";
    if (agency == nullptr || !agency->transport || !agency->transport->acknowledgement_required)
        return "not_required";
    if (transfer.status != store::TransferStatus::Delivered)
        return "not_delivered";
    auto const delivered = parse_utc(transfer.delivered_at);
    auto const due = std::chrono::duration_cast<std::chrono::seconds>(agency->transport->acknowledgement_due).count();
    if (delivered && now - *delivered > due)
        return "overdue";
    return "awaiting";
}

AgencyCheck check(std::string name, base::Result<void> const& result, std::string detail_when_ok)
{
    if (result.ok())
        return AgencyCheck { std::move(name), true, std::move(detail_when_ok) };
    return AgencyCheck { std::move(name), false, result.error().to_text() };
}

} // namespace

bool AgencyTestReport::all_ok() const
{
    for (auto const& one : checks)
        if (!one.ok)
            return false;
    return !checks.empty();
}

base::Result<AgencyTestReport> test_agency(model::GatewayConfig const& config, std::string const& agency_id, ExchangeOptions const& given_options)
{
    auto const options = detail::with_defaults(given_options);
    auto const* agency = config.find_agency(agency_id);
    if (agency == nullptr)
        return make_error(ErrorCode::Usage, "no agency with id '" + agency_id + "' in the configuration");
    if (!agency->transport)
        return make_error(ErrorCode::ConfigInvalid, "agency '" + agency_id + "' has no transport configured")
            .with_hint("add a \"transport\" block to the agency in the configuration (docs/transport.md); `dcagw config check` accepts an agency without one");
    AgencyTestReport report;
    report.agency = agency_id;
    // One attempt: the operator wants to see the failure, not wait for retries.
    auto profile = *agency->transport;
    profile.max_attempts = 1;
    auto connected = options.connect(profile);
    if (connected.is_error()) {
        report.checks.push_back(AgencyCheck { "connect, verify the server and authenticate", false, connected.error().to_text() });
        return report;
    }
    auto& session = *connected.value();
    report.server = session.describe();
    report.checks.push_back(AgencyCheck { "connect, verify the server and authenticate", true, report.server });
    for (auto const& [area, name] : { std::pair { transport::RemoteArea::Upload, "list the upload area (" + profile.upload_directory + ")" },
             std::pair { transport::RemoteArea::Collect, "list the collect area (" + profile.collect_directory + ")" } }) {
        auto listed = session.list(area);
        std::size_t count = listed.ok() ? listed.value().size() : 0;
        report.checks.push_back(check(name, listed.ok() ? base::Result<void> {} : base::Result<void>(listed.error()),
            std::to_string(count) + " file" + (count == 1 ? "" : "s")));
    }
    return report;
}

base::Result<std::vector<TransferView>> list_transfers(model::GatewayConfig const& config, std::optional<std::string> const& agency)
{
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    store::Transfers transfers(*ledger);
    auto const now = std::time(nullptr);
    std::vector<TransferView> views;
    for (auto const& transfer : TRY(transfers.list(agency))) {
        TransferView view;
        view.id = transfer.id;
        view.agency = transfer.agency;
        view.file_name = transfer.file_name;
        view.status = store::to_string(transfer.status);
        if (transfer.status == store::TransferStatus::Failed)
            view.status = transfer.permanent ? "failed_permanent" : "failed_transient";
        view.attempts = transfer.attempts;
        view.remote_name = transfer.remote_name;
        view.size_bytes = transfer.size_bytes;
        view.sha256 = transfer.sha256;
        view.queued_at = transfer.queued_at;
        view.last_attempt_at = transfer.last_attempt_at;
        view.delivered_at = transfer.delivered_at;
        view.failure_reason = transfer.failure_reason;
        // A delivered transfer has no error to show: an earlier failed attempt's text is
        // history (the audit log has it), not the transfer's state.
        if (transfer.status != store::TransferStatus::Delivered)
            view.last_error = transfer.last_error;
        view.permanent = transfer.permanent;
        view.acknowledgement = acknowledgement_state(transfer, config.find_agency(transfer.agency), now);
        view.acknowledged_at = transfer.acknowledged_at;
        views.push_back(std::move(view));
    }
    return views;
}

base::Result<void> retry_transfer(model::GatewayConfig const& config, std::int64_t id, std::string const& actor)
{
    // Under the run lock: a send in progress must not see the transfer change under it.
    TRY(base::ensure_private_directory(config.state_directory));
    auto const lock = TRY(base::ExclusiveLock::acquire(config.state_directory / "run.lock"));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    store::Transfers transfers(*ledger);
    auto const transfer = TRY(transfers.find(id));
    // An id the outbox never had is the operator's mistake (a usage error, exit 2), like
    // retrying a transfer that is not failed; nothing failed at run time.
    if (!transfer)
        return make_error(ErrorCode::Usage, "no transfer " + std::to_string(id) + " in the outbox")
            .with_hint("`dcagw transfers list` shows the transfers and their ids");
    if (transfer->status != store::TransferStatus::Failed)
        return make_error(ErrorCode::Usage, "transfer " + std::to_string(id) + " is " + std::string(store::to_string(transfer->status))
                + ": only a failed transfer can be retried");
    audit::Journal journal(*ledger, actor);
    return ledger->transaction([&]() -> base::Result<void> {
        TRY(transfers.requeue(id));
        TRY(journal.record_command("transfers retry",
            "transfer " + std::to_string(id) + " (" + transfer->agency + ", " + transfer->file_name + ") queued again after: " + transfer->last_error));
        return {};
    });
}

} // namespace dcagw::exchange
