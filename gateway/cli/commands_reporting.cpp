#include "gateway/cli/commands_reporting.hpp"

#include "gateway/reporting/posting_writer.hpp"
#include "gateway/reporting/reconcile_report.hpp"
#include "gateway/store/ledger.hpp"

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

} // namespace dcagw::cli
