#include "gateway/cli/commands_returns.hpp"
#include "gateway/cli/progress.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/base/text.hpp"
#include "gateway/ingest/ingest_run.hpp"
#include "gateway/ingest/suspense_resolution.hpp"
#include "gateway/store/returns.hpp"

#include <cstdio>
#include <optional>

namespace dcagw::cli {

namespace {

struct ReturnsContext {
    model::GatewayConfig config;
    std::unique_ptr<store::Ledger> ledger;
};

// Every returns command reads an existing ledger (none creates a state directory).
base::Result<ReturnsContext> open_returns(Arguments const& arguments)
{
    ReturnsContext context;
    context.config = TRY(load_configuration(arguments));
    context.ledger = TRY(store::Ledger::open(context.config.state_directory, store::OpenMode::MustExist));
    return context;
}

// Days from `created_at` (UTC ISO 8601) to today: a suspense item's age.
std::int64_t age_days(std::string const& created_at, base::Date today)
{
    auto const created = base::Date::parse(std::string_view(created_at).substr(0, 10));
    return created ? today.to_days() - created->to_days() : 0;
}

void money_cells(std::vector<Cell>& cells, model::MoneySplit const& split)
{
    for (auto const pence : { split.gross_pence, split.commission_pence, split.vat_pence, split.net_pence })
        cells.push_back(Cell::of(pence));
}

} // namespace

Outcome command_ingest(Arguments const& arguments)
{
    auto context = TRY(open_returns(arguments));
    ingest::IngestOptions options;
    options.agency = arguments.value("agency");
    if (auto const file = arguments.value("file"))
        options.file = std::filesystem::path(*file);
    if (auto const retry = arguments.value("retry")) {
        options.retry = base::parse_int64(*retry);
        if (!options.retry || *options.retry <= 0)
            return usage_error("--retry: '" + *retry + "' is not a return file ID (see `dcagw returns list`)");
    }
    options.today = base::today_local();
    options.actor = audit::current_actor();
    // On a terminal, the file being applied (cli/progress); a file counts as done when the
    // next one starts. Erased before anything is printed.
    FilesProgressLine progress("ingesting", arguments.has("quiet") ? ProgressDisplay::Quiet : ProgressDisplay::Auto);
    std::optional<std::uint64_t> previous_size;
    if (progress.enabled())
        options.on_progress = [&](ingest::IngestProgress const& report) {
            if (previous_size)
                progress.finished(*previous_size);
            previous_size = report.size;
            progress.start({ report.agency, report.file, report.size, report.index, report.count });
        };
    auto ran = ingest::ingest(*context.ledger, context.config, options);
    progress.clear();
    auto const summary = TRY(std::move(ran));
    for (auto const& warning : summary.warnings)
        print_message(MessageKind::Warning, warning);
    if (arguments.format() == Format::Json) {
        std::printf("%s\n", summary.to_json().c_str());
    } else {
        for (auto const& file : summary.files) {
            auto const& counts = file.summary.counts;
            std::printf("agency %s file %s: %s", file.agency.c_str(), file.file_name.c_str(), std::string(ingest::to_string(file.outcome)).c_str());
            if (file.outcome == ingest::IngestOutcome::Applied)
                std::printf(" (%s): %lld lines, %lld applied, %lld duplicate, %lld conflict, %lld quarantined, %lld suspense; payments %lld pence gross",
                    file.kind.c_str(), static_cast<long long>(counts.lines), static_cast<long long>(counts.applied), static_cast<long long>(counts.duplicates),
                    static_cast<long long>(counts.conflicts), static_cast<long long>(counts.quarantined), static_cast<long long>(counts.suspense),
                    static_cast<long long>(file.summary.payments.gross_pence));
            std::printf("\n");
            if (!file.reason.empty())
                print_message(file.outcome == ingest::IngestOutcome::Refused ? MessageKind::Rejected : MessageKind::Error, file.reason);
            for (auto const& problem : file.summary.problems)
                print_message(MessageKind::Warning, file.file_name + ": " + problem);
        }
        std::printf("%lld applied, %lld already applied, %lld refused, %lld with problems\n", static_cast<long long>(summary.count(ingest::IngestOutcome::Applied)),
            static_cast<long long>(summary.count(ingest::IngestOutcome::AlreadyApplied)), static_cast<long long>(summary.count(ingest::IngestOutcome::Refused)),
            static_cast<long long>(summary.count(ingest::IngestOutcome::Problem)));
    }
    return summary.has_rejections() ? ExitCode::Rejected : ExitCode::Ok;
}

Outcome command_suspense_list(Arguments const& arguments)
{
    auto context = TRY(open_returns(arguments));
    std::optional<store::SuspenseState> state = store::SuspenseState::Open;
    if (arguments.has("all"))
        state.reset();
    store::Returns returns(*context.ledger);
    auto const items = TRY(returns.list_suspense(arguments.value("agency"), state));
    auto const today = base::today_local();
    ListPrinter printer(arguments.format(), { "id", "agency", "kind", "reference", "payment_id", "amount_pence", "item_date", "age_days", "file", "line",
        "owner", "state", "reason", "resolved_account", "resolved_by", "resolved_reason", "resolved_at" },
        table_options(arguments, { "payment_id", "item_date", "owner", "resolved_account", "resolved_by", "resolved_reason", "resolved_at" }));
    for (auto const& item : items)
        printer.row({ Cell::of(item.id), Cell::of(item.agency), Cell::of(item.line_kind), Cell::of(item.reference), Cell::of(item.payment_id),
            Cell::of(item.amount_pence), Cell::of(item.item_date), Cell::of(age_days(item.created_at, today)), Cell::of(item.file_name), Cell::of(item.line),
            Cell::of(item.owner), Cell::of(std::string(store::to_string(item.state))), Cell::of(item.reason), Cell::of(item.resolved_account),
            Cell::of(item.resolved_by), Cell::of(item.resolved_reason), Cell::of(item.resolved_at) });
    printer.finish();
    return ExitCode::Ok;
}

Outcome command_suspense_resolve(Arguments const& arguments)
{
    if (arguments.positional().size() != 1)
        return usage_error("suspense resolve needs the item's ID (see `dcagw suspense list`)");
    auto const id = base::parse_int64(arguments.positional()[0]);
    if (!id)
        return usage_error("'" + arguments.positional()[0] + "' is not a suspense item ID");
    auto const account = arguments.value("account");
    bool const reject = arguments.has("reject");
    if (account.has_value() == reject)
        return usage_error("give exactly one of --account REF (the item is that account's) and --reject");
    auto const reason = TRY(required_value(arguments, "reason", "TEXT"));
    auto context = TRY(open_returns(arguments));
    ingest::SuspenseDecision decision { *id, account, reason, audit::current_actor() };
    auto const outcome = TRY(ingest::decide_suspense(*context.ledger, context.config, decision));
    std::printf("suspense item %lld %s%s%s\n", static_cast<long long>(*id), outcome.state.c_str(), account ? (" to account " + *account).c_str() : "",
        outcome.payment_applied ? "; its payment is applied to that account" : "");
    return ExitCode::Ok;
}

Outcome command_suspense_assign(Arguments const& arguments)
{
    if (arguments.positional().size() != 1)
        return usage_error("suspense assign needs the item's ID (see `dcagw suspense list`)");
    auto const id = base::parse_int64(arguments.positional()[0]);
    if (!id)
        return usage_error("'" + arguments.positional()[0] + "' is not a suspense item ID");
    auto const owner = TRY(required_value(arguments, "owner", "NAME"));
    auto context = TRY(open_returns(arguments));
    auto const previous = TRY(ingest::assign_suspense(*context.ledger, { *id, owner, audit::current_actor() }));
    std::printf("suspense item %lld assigned to %s%s\n", static_cast<long long>(*id), owner.c_str(),
        previous.empty() ? " (was unassigned)" : (" (was " + previous + ")").c_str());
    return ExitCode::Ok;
}

Outcome command_returns_list(Arguments const& arguments)
{
    auto context = TRY(open_returns(arguments));
    store::Returns returns(*context.ledger);
    auto const agency = arguments.value("agency");
    if (arguments.has("events")) {
        ListPrinter printer(arguments.format(), { "id", "agency", "account_ref", "from_state", "to_state", "reason", "agency_code", "date", "file", "line", "recorded_at" },
            table_options(arguments, { "agency_code", "line", "recorded_at" }));
        auto listed = returns.for_each_event(agency, [&](store::ReturnEvent const& event) {
            printer.row({ Cell::of(event.id), Cell::of(event.agency), Cell::of(event.account_ref), Cell::of(event.from_state), Cell::of(event.to_state),
                Cell::of(event.reason), Cell::of(event.agency_code), Cell::of(event.event_date), Cell::of(event.file), Cell::of(event.line),
                Cell::of(event.recorded_at) });
        });
        printer.finish();
        TRY(std::move(listed));
        return ExitCode::Ok;
    }
    ListPrinter printer(arguments.format(), { "id", "agency", "file", "kind", "state", "refusal_reason", "sha256", "same_name_as", "lines", "applied",
        "duplicates", "conflicts", "quarantined", "suspense", "applied_at" },
        table_options(arguments, { "sha256", "same_name_as", "refusal_reason", "applied_at" }));
    for (auto const& file : TRY(returns.list_files(agency)))
        printer.row({ Cell::of(file.id), Cell::of(file.agency), Cell::of(file.file_name), Cell::of(file.kind), Cell::of(std::string(store::to_string(file.state))),
            Cell::of(file.refusal_reason), Cell::of(file.sha256), Cell::of(file.same_name_as), Cell::of(file.counts.lines), Cell::of(file.counts.applied),
            Cell::of(file.counts.duplicates), Cell::of(file.counts.conflicts), Cell::of(file.counts.quarantined), Cell::of(file.counts.suspense),
            Cell::of(file.applied_at) });
    printer.finish();
    return ExitCode::Ok;
}

Outcome command_payments_list(Arguments const& arguments)
{
    auto context = TRY(open_returns(arguments));
    store::Returns returns(*context.ledger);
    store::MoneyFilter filter { arguments.value("agency"), std::nullopt };
    bool const refunds = arguments.has("refunds");
    ListPrinter printer(arguments.format(), { "id", "agency", refunds ? "refund_id" : "payment_id", "payment_of", "account_ref", "kind", "gross_pence",
        "commission_pence", "vat_pence", "net_pence", "date", "payout_id", "file", "line", "duplicates" },
        table_options(arguments, { "payment_of", "file", "line", "duplicates" }));
    auto const visit = [&](store::MoneyRecord const& record) {
        std::vector<Cell> cells { Cell::of(record.id), Cell::of(record.agency), Cell::of(record.money_id), Cell::of(record.payment_id),
            Cell::of(record.account_ref), Cell::of(record.kind) };
        money_cells(cells, record.split);
        for (auto cell : { Cell::of(record.date), Cell::of(record.payout_id), Cell::of(record.file), Cell::of(record.line), Cell::of(record.duplicate_count) })
            cells.push_back(std::move(cell));
        printer.row(std::move(cells));
    };
    auto listed = refunds ? returns.for_each_refund(filter, visit) : returns.for_each_payment(filter, visit);
    printer.finish();
    TRY(std::move(listed));
    return ExitCode::Ok;
}

} // namespace dcagw::cli
