// The audit commands: verify, checkpoint, subject (the reports are in
// commands_audit_report.cpp, export and retention in commands_audit_export.cpp).
#include "gateway/cli/commands.hpp"
#include "gateway/cli/commands_audit.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/queries.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdio>

namespace dcagw::cli {

std::optional<AuditContext> open_audit(Arguments const& arguments, int& exit_code)
{
    auto config = load_configuration(arguments);
    if (config.is_error()) {
        exit_code = report_error(config.error());
        return std::nullopt;
    }
    auto ledger = store::Ledger::open(config.value().state_directory);
    if (ledger.is_error()) {
        exit_code = report_error(ledger.error());
        return std::nullopt;
    }
    return AuditContext { config.release_value(), ledger.release_value() };
}

std::optional<Period> requested_period(Arguments const& arguments)
{
    auto const from = arguments.value("from");
    auto const to = arguments.value("to");
    if (!from || !to || !base::Date::parse(*from) || !base::Date::parse(*to)) {
        print_error("--from DATE and --to DATE (YYYY-MM-DD) are required");
        return std::nullopt;
    }
    return Period { *from, *to };
}

base::Result<std::optional<crypto::Ed25519PublicKey>> audit_public_key(Arguments const& arguments, model::GatewayConfig const* config)
{
    if (auto const path = arguments.value("public-key"))
        return std::optional(TRY(crypto::Ed25519PublicKey::load(*path)));
    if (config != nullptr && config->signing_key) {
        auto const key = TRY_CONTEXT(crypto::Ed25519SigningKey::load(*config->signing_key), "loading the audit signing key");
        return std::optional(key.public_key());
    }
    return std::optional<crypto::Ed25519PublicKey> {};
}

int print_verify_report(audit::VerifyReport const& report)
{
    for (auto const& note : report.notes)
        print_warning(note);
    if (report.ok()) {
        std::printf("ok: %lld entries, %lld subjects, %lld checkpoint(s) verified; head %s\n", static_cast<long long>(report.entries),
            static_cast<long long>(report.subjects), static_cast<long long>(report.checkpoints), audit::hash_hex(report.head).c_str());
        return exit_ok;
    }
    for (auto const& problem : report.problems)
        std::fprintf(stderr, "dcagw: audit: %s\n", problem.c_str());
    if (report.first_bad_entry)
        std::printf("FAILED: the first bad entry is %lld (%zu problem(s))\n", static_cast<long long>(*report.first_bad_entry), report.problems.size());
    else
        std::printf("FAILED: %zu problem(s)\n", report.problems.size());
    return exit_rejected;
}

int command_audit_verify(Arguments const& arguments)
{
    if (auto const folder = arguments.value("export"))
        return command_audit_verify_export(arguments, *folder);
    int exit_code = exit_ok;
    auto context = open_audit(arguments, exit_code);
    if (!context)
        return exit_code;
    auto key = audit_public_key(arguments, &context->config);
    if (key.is_error())
        return report_error(key.error());
    audit::VerifyOptions options;
    options.key = key.value();
    if (auto const file = arguments.value("checkpoints"))
        options.checkpoint_file = *file;
    else
        options.checkpoint_file = context->config.audit.checkpoint_file;
    auto report = audit::verify_ledger(*context->ledger, options);
    if (report.is_error())
        return report_error(report.error());
    return print_verify_report(report.value());
}

int command_audit_checkpoint(Arguments const& arguments)
{
    int exit_code = exit_ok;
    auto context = open_audit(arguments, exit_code);
    if (!context)
        return exit_code;
    if (!context->config.signing_key) {
        print_error("the configuration names no signing_key: checkpoints are signed with the creditor's Ed25519 key");
        return exit_usage;
    }
    auto checkpoint = arguments.has("if-due") ? audit::checkpoint_if_due(*context->ledger, context->config, audit::current_actor())
                                              : audit::checkpoint_run(*context->ledger, context->config, audit::current_actor());
    if (checkpoint.is_error())
        return report_error(checkpoint.error());
    if (checkpoint.value())
        std::printf("%s\n", checkpoint.value()->line().c_str());
    else
        std::printf("no checkpoint due\n");
    return exit_ok;
}

std::vector<std::string> event_texts(std::vector<audit::FileEvent> const& events)
{
    std::vector<std::string> texts;
    for (auto const& event : events)
        texts.push_back(event.time + " " + event.detail);
    if (texts.empty())
        texts.push_back("not recorded");
    return texts;
}

int command_audit_subject(Arguments const& arguments)
{
    int exit_code = exit_ok;
    auto context = open_audit(arguments, exit_code);
    if (!context)
        return exit_code;
    auto const reference = arguments.value("ref");
    if (!reference || reference->empty()) {
        print_error("--ref ACCOUNT_OR_PERSON_REF is required");
        return exit_usage;
    }
    auto const format = requested_format(arguments, Format::Table);
    if (!format)
        return exit_usage;
    auto shares = audit::subject_shares(*context->ledger, *reference);
    if (shares.is_error())
        return report_error(shares.error());
    ListPrinter printer(*format, { "entry", "time", "agency", "action", "file", "account_ref", "person_ref", "pseudonym", "fields", "agreement",
                                     "purpose", "lawful_basis", "actor", "delivered", "acknowledged" });
    for (auto const& share : shares.value()) {
        auto const& file = share.file;
        printer.row({ Cell::of(file.sequence), Cell::of(file.time), Cell::of(file.agency), Cell::of(file.action), Cell::of(file.file_name),
            Cell::of(share.account_ref), Cell::of(share.person_ref), Cell::of(share.pseudonym), Cell::of(file.fields),
            Cell::of(file.agreement_reference + " " + file.agreement_version), Cell::of(file.purpose), Cell::of(file.lawful_basis), Cell::of(file.actor),
            Cell::of(event_texts(file.deliveries)), Cell::of(event_texts(file.acknowledgements)) });
    }
    printer.finish();
    return exit_ok;
}

} // namespace dcagw::cli
