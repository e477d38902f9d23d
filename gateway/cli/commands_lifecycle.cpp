// The operator's lifecycle commands: hold, release, recall, close and `holds list`
// (docs/lifecycle.md, "Operator commands"). Parsing and printing only: the rules are
// lifecycle::operator_change's and pipeline/operator_messages'.
#include "gateway/cli/commands_lifecycle.hpp"

#include "gateway/base/text.hpp"
#include "gateway/pipeline/operator_messages.hpp"
#include "gateway/store/lifecycle.hpp"

#include <cstdio>

namespace dcagw::cli {

namespace {

base::Result<pipeline::OperatorRequest> request_of(Arguments const& arguments, model::GatewayConfig const& config, model::MessageKind kind)
{
    pipeline::OperatorRequest request;
    request.kind = kind;
    request.account_ref = TRY(required_value(arguments, "account", "ACCOUNT_REF"));
    request.agency = TRY(agency_option(arguments, config));
    if (request.agency.has_value() == arguments.has("all-agencies"))
        return usage_error("give exactly one of --agency A and --all-agencies (every agency holding an open placement of the account)");
    if (auto const reason = arguments.value("reason")) {
        request.reason = model::return_reason_from_string(*reason);
        if (!request.reason)
            return usage_error("--reason '" + *reason + "' is not a canonical reason code (docs/returns.md: e.g. BSM, MHCM, DSP, CMP, MCAP, DEC, PIF, RCL)");
    }
    request.until = TRY(date_option(arguments, "until"));
    if (arguments.has("force"))
        request.force = pipeline::RecallForce::Forced;
    request.actor = TRY(required_value(arguments, "actor", "NAME"));
    request.notice_received_at = arguments.value("notice-received-at").value_or("");
    return request;
}

Outcome run_operator_command(Arguments const& arguments, model::MessageKind kind)
{
    auto const config = TRY(load_configuration(arguments));
    auto const request = TRY(request_of(arguments, config, kind));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    auto const outcome = TRY(pipeline::record_operator_message(*ledger, config, request));
    if (arguments.format() == Format::Json) {
        std::printf("%s\n", outcome.to_json().c_str());
        return ExitCode::Ok;
    }
    for (auto const& message : outcome.messages) {
        std::printf("%s of account %s recorded for %s", std::string(model::to_string(message.kind)).c_str(), outcome.account_ref.c_str(), message.agency.c_str());
        if (message.reason)
            std::printf(", reason %s", std::string(model::to_string(*message.reason)).c_str());
        if (message.until)
            std::printf(", until %s", message.until->c_str());
        if (message.force)
            std::printf(", forced");
        std::printf(" (transaction %s, notice received %s)\n", message.transaction_ref.c_str(), message.notice_received_at.c_str());
    }
    std::printf("audit entry %lld; `dcagw messages write` puts it in the agency's next file\n", static_cast<long long>(outcome.audit_entry));
    return ExitCode::Ok;
}

} // namespace

Outcome command_hold(Arguments const& arguments)
{
    return run_operator_command(arguments, model::MessageKind::Hold);
}

Outcome command_release(Arguments const& arguments)
{
    return run_operator_command(arguments, model::MessageKind::Release);
}

Outcome command_recall(Arguments const& arguments)
{
    return run_operator_command(arguments, model::MessageKind::Recall);
}

Outcome command_close(Arguments const& arguments)
{
    return run_operator_command(arguments, model::MessageKind::Close);
}

Outcome command_holds_list(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    auto const agency = TRY(agency_option(arguments, config));
    pipeline::OverduePolicy policy;
    if (auto const days = arguments.value("ack-business-days")) {
        auto const parsed = base::parse_int64(*days);
        if (!parsed || *parsed < 0 || *parsed > 60)
            return usage_error("--ack-business-days '" + *days + "' is not a number of business days from 0 to 60");
        policy.acknowledgement_business_days = static_cast<int>(*parsed);
    }
    auto const today = TRY(requested_date(arguments));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    store::LifecycleMessages messages(*ledger);
    auto const holds = TRY(messages.holds(agency));
    bool const overdue_only = arguments.has("overdue");
    ListPrinter printer(arguments.format(), { "id", "agency", "account_ref", "reason", "until", "origin", "actor", "transaction_ref", "notice_received_at",
        "file", "notified_at", "acknowledged_at", "overdue" },
        table_options(arguments, { "transaction_ref", "origin", "actor", "until", "file" }));
    for (auto const& hold : holds) {
        auto const overdue = pipeline::overdue_reason(hold, today, policy);
        if (overdue_only && overdue.empty())
            continue;
        auto const& message = hold.message;
        printer.row({ Cell::of(message.id), Cell::of(message.agency), Cell::of(message.account_ref),
            Cell::of(std::string(message.reason ? model::to_string(*message.reason) : "")), Cell::of(message.until.value_or("")),
            Cell::of(std::string(store::to_string(message.origin))), Cell::of(message.actor), Cell::of(message.transaction_ref),
            Cell::of(message.notice_received_at), Cell::of(hold.file_name), Cell::of(hold.notified_at), Cell::of(hold.acknowledged_at), Cell::of(overdue) });
    }
    printer.finish();
    return ExitCode::Ok;
}

base::Result<std::vector<std::vector<Record>>> message_timelines(store::Ledger& ledger, std::string const& account_ref, std::vector<std::int64_t> const& placements)
{
    store::LifecycleMessages messages(ledger);
    auto const all = TRY(messages.of_account(account_ref));
    auto const files = TRY(messages.file_names_of_account(account_ref));
    std::vector<std::vector<Record>> timelines(placements.size());
    for (auto const& message : all) {
        for (std::size_t index = 0; index < placements.size(); ++index) {
            if (placements[index] != message.placement)
                continue;
            auto const file = files.find(message.id);
            timelines[index].push_back({ { "recorded_at", message.recorded_at }, { "kind", std::string(model::to_string(message.kind)) },
                { "reason", std::string(message.reason ? model::to_string(*message.reason) : "") }, { "change_pence", {}, message.change_pence, true },
                { "until", message.until.value_or("") }, { "origin", std::string(store::to_string(message.origin)) }, { "actor", message.actor },
                { "transaction_ref", message.transaction_ref }, { "file", file == files.end() ? std::string() : file->second } });
        }
    }
    return timelines;
}

} // namespace dcagw::cli
