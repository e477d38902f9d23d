// `dcagw audit export`, `audit verify --export` and `audit retention`.
#include "gateway/cli/commands.hpp"
#include "gateway/cli/commands_audit.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/export.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/retention.hpp"

#include <cstdio>

namespace dcagw::cli {

int command_audit_export(Arguments const& arguments)
{
    int exit_code = exit_ok;
    auto context = open_audit(arguments, exit_code);
    if (!context)
        return exit_code;
    auto const period = requested_period(arguments);
    if (!period)
        return exit_usage;
    auto const out = arguments.value("out");
    if (!out) {
        print_error("--out DIR is required");
        return exit_usage;
    }
    auto summary = audit::export_period(*context->ledger, context->config, audit::current_actor(), period->from, period->to, *out);
    if (summary.is_error())
        return report_error(summary.error());
    auto const& result = summary.value();
    std::printf("exported entries %lld to %lld (%lld subjects, %lld checkpoint(s)) to %s\n", static_cast<long long>(result.first),
        static_cast<long long>(result.last), static_cast<long long>(result.subjects), static_cast<long long>(result.checkpoints), out->c_str());
    return exit_ok;
}

int command_audit_verify_export(Arguments const& arguments, std::string const& folder)
{
    auto key = audit_public_key(arguments, nullptr);
    if (key.is_error())
        return report_error(key.error());
    auto report = audit::verify_export(folder, key.value());
    if (report.is_error())
        return report_error(report.error());
    return print_verify_report(report.value());
}

int command_audit_retention(Arguments const& arguments)
{
    int exit_code = exit_ok;
    auto context = open_audit(arguments, exit_code);
    if (!context)
        return exit_code;
    auto today = requested_date(arguments);
    if (today.is_error())
        return report_error(today.error());
    auto const format = requested_format(arguments, Format::Table);
    if (!format)
        return exit_usage;
    if (arguments.has("purge")) {
        auto purged = audit::purge_expired(*context->ledger, context->config, audit::current_actor(), today.value());
        if (purged.is_error())
            return report_error(purged.error());
        auto const& summary = purged.value();
        if (summary.entry)
            std::fprintf(stderr, "purged %zu spool file(s) and %lld audit subject row(s) (lists up to %lld); recorded as audit entry %lld\n",
                summary.files.size(), static_cast<long long>(summary.subjects_deleted), static_cast<long long>(summary.subject_lists_through),
                static_cast<long long>(*summary.entry));
        // `audit verify` lets a purge exempt the lists it emptied only once a checkpoint
        // signs it (docs/audit.md), so it is signed now.
        if (summary.entry) {
            std::optional<std::string> line;
            std::vector<std::string> warnings;
            audit::checkpoint_at_end_of_run(*context->ledger, context->config, audit::current_actor(), line, warnings);
            for (auto const& warning : warnings)
                print_warning(warning);
        }
        if (!summary.entry)
            std::fprintf(stderr, "nothing to purge\n");
    }
    auto overdue = audit::overdue_deletions(*context->ledger, context->config, today.value());
    if (overdue.is_error())
        return report_error(overdue.error());
    ListPrinter printer(*format, { "agency", "account_ref", "person_ref", "status", "ended_at", "confirmation_due", "days_overdue" });
    for (auto const& row : overdue.value())
        printer.row({ Cell::of(row.agency), Cell::of(row.account_ref), Cell::of(row.person_ref), Cell::of(row.status), Cell::of(row.ended_at),
            Cell::of(row.due), Cell::of(row.days_overdue) });
    printer.finish();
    return exit_ok;
}

} // namespace dcagw::cli
