#include "gateway/cli/commands_reporting.hpp"
#include "gateway/cli/commands_lifecycle.hpp"

#include "gateway/reporting/account_statement.hpp"
#include "gateway/reporting/posting_writer.hpp"
#include "gateway/reporting/reconcile_report.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/postings.hpp"

#include <cstdio>

namespace dcagw::cli {

Outcome command_postings_write(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    reporting::PostingOptions options;
    options.agency = TRY(agency_option(arguments, config));
    if (auto const output = arguments.value("output"))
        options.output = std::filesystem::path(*output);
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    auto const summary = TRY(reporting::write_postings(*ledger, config, options));
    if (arguments.format() == Format::Json) {
        std::printf("%s\n", summary.to_json().c_str());
        return ExitCode::Ok;
    }
    for (auto const& file : summary.files)
        std::printf("agency %s: %s%s: %lld line(s) (%lld payment(s) %lld pence, %lld refund(s) %lld pence), total %lld pence\n", file.agency.c_str(),
            file.path.string().c_str(), file.recovered ? " (finished for an interrupted run)" : "", static_cast<long long>(file.lines),
            static_cast<long long>(file.payments), static_cast<long long>(file.payments_pence), static_cast<long long>(file.refunds),
            static_cast<long long>(file.refunds_pence), static_cast<long long>(file.total_pence));
    std::printf("%zu posting file(s), %lld line(s), total %lld pence\n", summary.files.size(), static_cast<long long>(summary.lines()),
        static_cast<long long>(summary.total_pence()));
    return ExitCode::Ok;
}

Outcome command_postings_list(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    auto const agency = TRY(agency_option(arguments, config));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    store::Postings postings(*ledger);
    ListPrinter printer(arguments.format(), { "id", "agency", "sequence", "file", "state", "lines", "total_pence", "sha256", "created_at", "published_at" },
        table_options(arguments, { "sha256", "created_at" }));
    for (auto const& file : TRY(postings.list_files(agency)))
        printer.row({ Cell::of(file.id), Cell::of(file.agency), Cell::of(file.sequence), Cell::of(file.file_name),
            Cell::of(std::string(store::to_string(file.state))), Cell::of(file.lines), Cell::of(file.total_pence), Cell::of(file.sha256),
            Cell::of(file.created_at), Cell::of(file.published_at) });
    printer.finish();
    return ExitCode::Ok;
}

Outcome command_reconcile(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    auto const agency_id = TRY(agency_option(arguments, config));
    if (!agency_id)
        return usage_error("--agency ID is required");
    auto const period = TRY(required_value(arguments, "period", "YYYY-MM"));
    if (!reporting::is_period(period))
        return usage_error("--period '" + period + "' is not a month (YYYY-MM)");
    auto const as_of = TRY(requested_date(arguments));
    model::AgencyConfig const* agency = nullptr;
    for (auto const& candidate : config.agencies)
        if (candidate.id == *agency_id)
            agency = &candidate;
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    auto const report = TRY(reporting::reconcile(*ledger, *agency, period, as_of));
    switch (arguments.format()) {
    case Format::Json: std::printf("%s\n", report.to_json().c_str()); break;
    case Format::Csv: std::fputs(report.to_csv().c_str(), stdout); break;
    case Format::Html: std::fputs(report.to_html().c_str(), stdout); break;
    default: std::fputs(report.to_text().c_str(), stdout); break;
    }
    for (auto const& payout : report.payouts)
        for (auto const& problem : payout.problems)
            print_message(MessageKind::Error, problem.describe());
    for (auto const& item : report.not_paid_over)
        print_message(MessageKind::Warning, item.message);
    return report.reconciles() ? ExitCode::Ok : ExitCode::Rejected;
}

Outcome command_placements_show(Arguments const& arguments)
{
    if (arguments.positional().size() != 1)
        return usage_error("placements show needs our ACCOUNT_REF");
    auto const& account_ref = arguments.positional()[0];
    auto const config = TRY(load_configuration(arguments));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    auto const statements = TRY(reporting::account_statement(*ledger, account_ref));
    if (statements.empty())
        return base::make_error(base::ErrorCode::NotFound, "account " + account_ref + " was never placed");
    ListPrinter printer(arguments.format(), { "placement", "agency", "account_ref", "person_ref", "state", "reason", "placed_balance_pence", "payments_pence",
        "refunds_pence", "outstanding_pence", "overpaid", "placed_at", "returns", "messages" },
        table_options(arguments, { "placed_at", "returns", "messages" }));
    std::vector<std::int64_t> placements;
    for (auto const& statement : statements)
        placements.push_back(statement.placement);
    auto timelines = TRY(message_timelines(*ledger, account_ref, placements));
    for (std::size_t index = 0; index < statements.size(); ++index) {
        auto const& statement = statements[index];
        std::vector<Record> returns;
        for (auto const& change : statement.returns) {
            auto const& event = change.event;
            returns.push_back({ { "date", event.event_date }, { "from_state", event.from_state }, { "to_state", event.to_state }, { "reason", event.reason },
                { "agency_code", event.agency_code }, { "file", change.file_name }, { "line", {}, event.line, true } });
        }
        printer.row({ Cell::of(statement.placement), Cell::of(statement.agency), Cell::of(account_ref), Cell::of(statement.person_ref),
            Cell::of(statement.state), Cell::of(statement.reason), Cell::of(statement.placed_balance_pence), Cell::of(statement.payments_pence),
            Cell::of(statement.refunds_pence), Cell::of(statement.outstanding_pence), Cell::of(std::string(statement.overpaid ? "yes" : "no")),
            Cell::of(statement.placed_at), Cell::of(std::move(returns)), Cell::of(std::move(timelines[index])) });
    }
    printer.finish();
    for (auto const& statement : statements)
        if (statement.overpaid)
            print_message(MessageKind::Warning, "placement " + std::to_string(statement.placement) + " with " + statement.agency + " is overpaid: placed "
                + std::to_string(statement.placed_balance_pence) + " pence, payments " + std::to_string(statement.payments_pence) + ", refunds "
                + std::to_string(statement.refunds_pence) + ", outstanding " + std::to_string(statement.outstanding_pence));
    return ExitCode::Ok;
}

} // namespace dcagw::cli
