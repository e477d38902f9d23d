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
#include <filesystem>

namespace dcagw::cli {

base::Result<AuditContext> open_audit(Arguments const& arguments)
{
    auto config = TRY(load_configuration(arguments));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    return AuditContext { std::move(config), std::move(ledger) };
}

base::Result<Period> requested_period(Arguments const& arguments)
{
    auto const from = TRY(date_option(arguments, "from"));
    auto const to = TRY(date_option(arguments, "to"));
    if (!from || !to)
        return usage_error(std::string(!from ? "--from DATE" : "--to DATE") + " is required (YYYY-MM-DD, UTC)");
    if (*to < *from)
        return usage_error("--from " + from->to_string() + " is after --to " + to->to_string() + ": the period would be empty");
    return Period { from->to_string(), to->to_string() };
}

base::Result<std::optional<crypto::Ed25519PublicKey>> audit_public_key(Arguments const& arguments, model::GatewayConfig const* config)
{
    if (auto const path = arguments.value("public-key"))
        return std::optional(TRY_CONTEXT(crypto::Ed25519PublicKey::load(*path), "loading --public-key"));
    if (config != nullptr && config->signing_public_key)
        return std::optional(TRY_CONTEXT(crypto::Ed25519PublicKey::load(*config->signing_public_key), "loading the audit signing_public_key"));
    if (config != nullptr && config->signing_key)
        return usage_error("the configuration names a signing_key but no signing_public_key: verification reads only the public key")
            .with_hint("add \"signing_public_key\": \"FILE.pub\" to the configuration (docs/configuration.md), or give --public-key FILE");
    return std::optional<crypto::Ed25519PublicKey> {};
}

ExitCode print_verify_report(audit::VerifyReport const& report)
{
    for (auto const& note : report.notes)
        print_warning(note);
    if (report.ok()) {
        std::printf("ok: %lld entries, %lld subjects, %lld checkpoint(s) verified; head %s\n", static_cast<long long>(report.entries),
            static_cast<long long>(report.subjects), static_cast<long long>(report.checkpoints), audit::hash_hex(report.head).c_str());
        return ExitCode::Ok;
    }
    for (auto const& problem : report.problems)
        print_message(MessageKind::Audit, problem);
    // Says what failed: an entry (the first bad one), or, when every entry verified, the
    // first problem found (a checkpoint, the checkpoint file, a subject list).
    if (report.first_bad_entry)
        std::printf("FAILED: the first bad entry is %lld (%zu problem(s))\n", static_cast<long long>(*report.first_bad_entry), report.problems.size());
    else
        std::printf("FAILED: every entry verified, but %zu other problem(s), the first: %s\n", report.problems.size(), report.problems.front().c_str());
    return ExitCode::Rejected;
}

Outcome command_audit_verify(Arguments const& arguments)
{
    if (auto const folder = arguments.value("export"))
        return command_audit_verify_export(arguments, *folder);
    if (arguments.has("no-checkpoint-file") && arguments.has("checkpoints"))
        return usage_error("--checkpoints FILE and --no-checkpoint-file contradict each other");
    auto context = TRY(open_audit(arguments));
    audit::VerifyOptions options;
    options.key = TRY(audit_public_key(arguments, &context.config));
    if (auto const file = arguments.value("checkpoints"))
        options.checkpoint_file = *file;
    else if (!arguments.has("no-checkpoint-file"))
        options.checkpoint_file = context.config.audit.checkpoint_file;
    auto const report = TRY(audit::verify_ledger(*context.ledger, options));
    auto const status = print_verify_report(report);
    std::error_code ignored;
    if (status != ExitCode::Ok && options.checkpoint_file && !std::filesystem::exists(*options.checkpoint_file, ignored))
        print_hint("give --no-checkpoint-file to verify without the checkpoint file (a rollback of the database then goes unnoticed)");
    return status;
}

Outcome command_audit_checkpoint(Arguments const& arguments)
{
    auto context = TRY(open_audit(arguments));
    if (!context.config.signing_key)
        return usage_error("the configuration names no signing_key: checkpoints are signed with the creditor's Ed25519 key");
    auto const checkpoint = arguments.has("if-due") ? TRY(audit::checkpoint_if_due(*context.ledger, context.config, audit::current_actor()))
                                                    : TRY(audit::checkpoint_run(*context.ledger, context.config, audit::current_actor()));
    if (checkpoint)
        std::printf("%s\n", checkpoint->line().c_str());
    else
        std::printf("no checkpoint due\n");
    return ExitCode::Ok;
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

Outcome command_audit_subject(Arguments const& arguments)
{
    auto context = TRY(open_audit(arguments));
    auto const reference = TRY(required_value(arguments, "ref", "ACCOUNT_OR_PERSON_REF"));
    auto const shares = TRY(audit::subject_shares(*context.ledger, reference));
    // Sent (disclosures) and received (inbound entries), oldest first (docs/audit.md).
    ListPrinter printer(arguments.format(), { "entry", "time", "direction", "agency", "action", "file", "line", "account_ref", "person_ref", "pseudonym",
                                     "fields", "agreement", "purpose", "lawful_basis", "actor", "delivered", "acknowledged", "detail" },
        table_options(arguments, { "action", "line", "pseudonym", "fields", "agreement", "purpose", "lawful_basis", "actor", "detail" }));
    for (auto const& share : shares) {
        auto const& file = share.file;
        bool const received = file.direction == "inbound";
        printer.row({ Cell::of(file.sequence), Cell::of(file.time), Cell::of(file.direction), Cell::of(file.agency), Cell::of(file.action), Cell::of(file.file_name),
            Cell::of(file.line),
            Cell::of(share.account_ref), Cell::of(share.person_ref), Cell::of(share.pseudonym), Cell::of(file.fields),
            Cell::of(received ? std::string() : file.agreement_reference + " " + file.agreement_version), Cell::of(file.purpose), Cell::of(file.lawful_basis), Cell::of(file.actor),
            Cell::of(received ? std::vector<std::string> {} : event_texts(file.deliveries)),
            Cell::of(received ? std::vector<std::string> {} : event_texts(file.acknowledgements)), Cell::of(file.detail) });
    }
    printer.finish();
    return ExitCode::Ok;
}

} // namespace dcagw::cli
