// `dcagw audit export`, `audit verify --export` and `audit retention`.
#include "gateway/cli/commands.hpp"
#include "gateway/cli/commands_audit.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/export.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/retention.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::cli {

Outcome command_audit_export(Arguments const& arguments)
{
    auto const period = TRY(requested_period(arguments));
    auto const out = TRY(required_value(arguments, "out", "DIR"));
    auto context = TRY(open_audit(arguments));
    if (!context.config.signing_key)
        return base::make_error(base::ErrorCode::ConfigInvalid, "an audit export is signed: the configuration names no signing_key")
            .with_hint("add \"signing_key\" (and \"signing_public_key\") to the configuration (docs/keys.md)");
    auto const result = TRY(audit::export_period(*context.ledger, context.config, audit::current_actor(), period.from, period.to, out));
    std::printf("exported entries %lld to %lld (%lld subjects, %lld checkpoint(s)) to %s\n", static_cast<long long>(result.first),
        static_cast<long long>(result.last), static_cast<long long>(result.subjects), static_cast<long long>(result.checkpoints), out.c_str());
    return ExitCode::Ok;
}

Outcome command_audit_verify_export(Arguments const& arguments, std::string const& folder)
{
    auto const key = TRY(audit_public_key(arguments, nullptr));
    return print_verify_report(TRY(audit::verify_export(folder, key)));
}

Outcome command_audit_retention(Arguments const& arguments)
{
    auto const today = TRY(requested_date(arguments));
    auto context = TRY(open_audit(arguments));
    // `config check` accepts a configuration without it (it is optional), so the error
    // says what to add instead of pointing to a check that passes.
    if (arguments.has("purge") && !context.config.audit.creditor_retention_days)
        return base::make_error(base::ErrorCode::ConfigInvalid, "--purge needs audit.creditor_retention_days in the configuration")
            .with_hint("add \"creditor_retention_days\": DAYS to the \"audit\" block (docs/configuration.md)");
    if (arguments.has("purge")) {
        auto const summary = TRY(audit::purge_expired(*context.ledger, context.config, audit::current_actor(), today));
        if (summary.entry) {
            print_note("purged " + std::to_string(summary.files.size()) + " spool file(s) and " + std::to_string(summary.subjects_deleted)
                + " audit subject row(s) (lists up to " + std::to_string(summary.subject_lists_through) + "); recorded as audit entry "
                + std::to_string(*summary.entry));
            // `audit verify` lets a purge exempt the lists it emptied only once a checkpoint
            // signs it (docs/audit.md), so it is signed now.
            std::optional<std::string> line;
            std::vector<std::string> warnings;
            audit::checkpoint_at_end_of_run(*context.ledger, context.config, audit::current_actor(), line, warnings);
            for (auto const& warning : warnings)
                print_warning(warning);
        } else {
            print_note("nothing to purge");
        }
    }
    auto const overdue = TRY(audit::overdue_deletions(*context.ledger, context.config, today));
    ListPrinter printer(arguments.format(), { "agency", "account_ref", "person_ref", "status", "ended_at", "confirmation_due", "days_overdue" },
        table_options(arguments, {}));
    for (auto const& row : overdue)
        printer.row({ Cell::of(row.agency), Cell::of(row.account_ref), Cell::of(row.person_ref), Cell::of(row.status), Cell::of(row.ended_at),
            Cell::of(row.due), Cell::of(row.days_overdue) });
    printer.finish();
    return ExitCode::Ok;
}

} // namespace dcagw::cli
