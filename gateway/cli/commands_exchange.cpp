// The exchange commands: send, collect, transfers list / retry, agency test.
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/progress.hpp"
#include "gateway/cli/render.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/base/text.hpp"
#include "gateway/exchange/exchange.hpp"

#include <cstdio>

namespace dcagw::cli {

namespace {

// Each transfer is logged as it happens, on standard error: agency, direction, file, size,
// hash, duration, outcome. On a terminal the progress line (cli/progress) is erased before
// each logged line and drawn again from the library's progress reports.
exchange::ExchangeOptions logging_options(Arguments const& arguments, FilesProgressLine& progress)
{
    exchange::ExchangeOptions options;
    options.agency = arguments.value("agency");
    options.actor = audit::current_actor();
    options.on_event = [&progress](exchange::TransferEvent const& event) {
        progress.clear();
        print_message(MessageKind::Transfer, exchange::EventLog::to_line(event));
        progress.event(event);
    };
    if (progress.enabled())
        options.on_progress = [&progress](exchange::TransferProgress const& report) { progress.transfer(report); };
    return options;
}

template<typename Summary, typename Run, typename Print>
Outcome run_exchange(Arguments const& arguments, std::string verb, Run&& run, Print&& print)
{
    auto const config = TRY(load_configuration(arguments));
    FilesProgressLine progress(std::move(verb), arguments.has("quiet") ? ProgressDisplay::Quiet : ProgressDisplay::Auto);
    auto ran = run(config, logging_options(arguments, progress));
    progress.clear();
    Summary const summary = TRY(std::move(ran));
    if (arguments.format() == Format::Json) {
        std::printf("%s\n", summary.to_json().c_str());
    } else {
        print(summary);
        if (summary.checkpoint)
            std::printf("audit checkpoint: %s\n", summary.checkpoint->c_str());
    }
    for (auto const& warning : summary.warnings)
        print_warning(warning);
    if (summary.has_failures())
        return ExitCode::RuntimeFailure;
    return summary.has_refusals() ? ExitCode::Rejected : ExitCode::Ok;
}

void print_errors(std::vector<std::string> const& errors)
{
    for (auto const& error : errors)
        print_error(error);
}

} // namespace

Outcome command_send(Arguments const& arguments)
{
    return run_exchange<exchange::SendSummary>(
        arguments, "sending",
        [](model::GatewayConfig const& config, exchange::ExchangeOptions const& options) { return exchange::send(config, options); },
        [](exchange::SendSummary const& summary) {
            for (auto const& agency : summary.agencies) {
                print_errors(agency.errors);
                if (!agency.note.empty()) {
                    std::printf("agency %s: %s\n", agency.agency.c_str(), agency.note.c_str());
                    continue;
                }
                // Every count, zeros included, in one order (docs/cli.md), as collect does.
                std::printf("agency %s%s%s: %lld newly queued, %lld delivered, %lld found already delivered after an interruption, "
                            "%lld failed (will be retried), %lld failed permanently, %lld left queued\n",
                    agency.agency.c_str(), agency.server.empty() ? "" : " via ", agency.server.c_str(), static_cast<long long>(agency.queued),
                    static_cast<long long>(agency.delivered), static_cast<long long>(agency.recovered), static_cast<long long>(agency.failed_transient),
                    static_cast<long long>(agency.failed_permanent), static_cast<long long>(agency.left_queued));
                if (agency.failed_permanent > 0)
                    print_hint("see `dcagw transfers list`; after fixing the cause, `dcagw transfers retry --id N` queues a transfer again");
            }
        });
}

Outcome command_collect(Arguments const& arguments)
{
    return run_exchange<exchange::CollectSummary>(
        arguments, "collecting",
        [](model::GatewayConfig const& config, exchange::ExchangeOptions const& options) { return exchange::collect(config, options); },
        [](exchange::CollectSummary const& summary) {
            for (auto const& agency : summary.agencies) {
                print_errors(agency.errors);
                if (!agency.note.empty()) {
                    std::printf("agency %s: %s\n", agency.agency.c_str(), agency.note.c_str());
                    continue;
                }
                std::printf("agency %s%s%s: %lld listed, %lld collected, %lld already collected, %lld refused, %lld acknowledgements, %lld failed\n",
                    agency.agency.c_str(), agency.server.empty() ? "" : " via ", agency.server.c_str(), static_cast<long long>(agency.listed),
                    static_cast<long long>(agency.collected), static_cast<long long>(agency.already_collected), static_cast<long long>(agency.refused),
                    static_cast<long long>(agency.acknowledgements), static_cast<long long>(agency.failed));
                if (agency.deferred_over_cap > 0)
                    std::printf("agency %s: %lld deferred to the next run (collect_max_bytes_per_run reached)\n", agency.agency.c_str(),
                        static_cast<long long>(agency.deferred_over_cap));
            }
        });
}

Outcome command_transfers_list(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    auto const agency = TRY(agency_option(arguments, config));
    auto const transfers = TRY(exchange::list_transfers(config, agency));
    ListPrinter printer(arguments.format(), { "id", "agency", "file", "status", "attempts", "remote_name", "size_bytes", "sha256", "queued_at",
                                                "last_attempt_at", "delivered_at", "acknowledgement", "acknowledged_at", "failure_reason", "last_error" },
        table_options(arguments, { "remote_name", "size_bytes", "sha256", "queued_at", "last_attempt_at", "acknowledged_at", "failure_reason" }));
    for (auto const& transfer : transfers)
        printer.row({ Cell::of(transfer.id), Cell::of(transfer.agency), Cell::of(transfer.file_name), Cell::of(transfer.status), Cell::of(transfer.attempts),
            Cell::of(transfer.remote_name), Cell::of(transfer.size_bytes), Cell::of(transfer.sha256), Cell::of(transfer.queued_at),
            Cell::of(transfer.last_attempt_at), Cell::of(transfer.delivered_at), Cell::of(transfer.acknowledgement), Cell::of(transfer.acknowledged_at),
            Cell::of(transfer.failure_reason), Cell::of(transfer.last_error) });
    printer.finish();
    return ExitCode::Ok;
}

Outcome command_transfers_retry(Arguments const& arguments)
{
    auto const text = arguments.value("id");
    auto const id = text ? base::parse_int64(*text) : std::nullopt;
    if (!id)
        return usage_error(text ? "--id '" + *text + "' is not a transfer number" : std::string("--id N is required"));
    auto const config = TRY(load_configuration(arguments));
    TRY(exchange::retry_transfer(config, *id, audit::current_actor()));
    std::printf("transfer %lld queued again; `dcagw send` will try it\n", static_cast<long long>(*id));
    return ExitCode::Ok;
}

Outcome command_agency_test(Arguments const& arguments)
{
    auto const agency = TRY(required_value(arguments, "agency", "ID"));
    auto const config = TRY(load_configuration(arguments));
    auto const report = TRY(exchange::test_agency(config, agency, {}));
    std::printf("agency %s%s%s\n", report.agency.c_str(), report.server.empty() ? "" : ": ", report.server.c_str());
    for (auto const& check : report.checks)
        std::printf("  %-6s %s: %s\n", check.ok ? "ok" : "FAILED", check.name.c_str(), check.detail.c_str());
    return report.all_ok() ? ExitCode::Ok : ExitCode::RuntimeFailure;
}

} // namespace dcagw::cli
