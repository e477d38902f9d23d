// The operator's lifecycle commands and the holds' evidence (docs/lifecycle.md, "Operator
// commands").
#include "gateway/pipeline/operator_messages.hpp"
#include "gateway/pipeline/told_state.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/base/text.hpp"
#include "gateway/lifecycle/changes.hpp"
#include "gateway/schedule/business_days.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace dcagw::pipeline {

using base::ErrorCode;
using base::make_error;
using model::MessageKind;

namespace {

// "2026-11-23T12:34:56Z": the one timestamp form the ledger keeps.
bool is_utc_timestamp(std::string_view text)
{
    if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z' || text[13] != ':' || text[16] != ':')
        return false;
    for (std::size_t index : { 11, 12, 14, 15, 17, 18 })
        if (std::isdigit(static_cast<unsigned char>(text[index])) == 0)
            return false;
    auto const hour = (text[11] - '0') * 10 + (text[12] - '0');
    auto const minute = (text[14] - '0') * 10 + (text[15] - '0');
    auto const second = (text[17] - '0') * 10 + (text[18] - '0');
    return base::Date::parse(text.substr(0, 10)).has_value() && hour < 24 && minute < 60 && second < 60;
}

// The layout of the agency's mapping that carries `kind`, or a refusal naming what is missing.
base::Result<model::MessageLayout const*> layout_for(model::AgencyConfig const& agency, OperatorRequest const& request)
{
    auto const kind = std::string(model::to_string(request.kind));
    auto const& layouts = agency.mapping.messages;
    auto found = std::find_if(layouts.begin(), layouts.end(), [&](model::MessageLayout const& layout) { return layout.carries(request.kind); });
    if (found == layouts.end())
        return make_error(ErrorCode::Usage, "agency " + agency.id + ": its mapping has no message layout carrying " + kind + ", so a " + kind
            + " could not be written to it");
    if (request.until && !found->has_field(model::MessageField::Note))
        return make_error(ErrorCode::Usage, "agency " + agency.id + ": its " + found->name + " layout has no column for a hold's end date; leave out --until");
    if (request.force == RecallForce::Forced && !found->has_field(model::MessageField::Force))
        return make_error(ErrorCode::Usage, "agency " + agency.id + ": its " + found->name + " layout has no Force column; leave out --force");
    if (request.reason && found->has_field(model::MessageField::Reason) && request.kind != MessageKind::Release
        && found->code_for(request.kind, *request.reason) == nullptr)
        return make_error(ErrorCode::Usage, "agency " + agency.id + ": its " + found->name + " layout has no code for a " + kind + " for reason "
            + std::string(model::to_string(*request.reason)));
    return &*found;
}


// The oldest open placement of the account at each agency (its pseudonym is the reference
// the agency knows; joint debtors share the account's messages).
std::map<std::string, store::OpenPlacement> oldest_by_agency(std::vector<store::OpenPlacement> const& open)
{
    std::map<std::string, store::OpenPlacement> oldest;
    for (auto const& placement : open) {
        auto [entry, inserted] = oldest.try_emplace(placement.agency, placement);
        if (!inserted && placement.id < entry->second.id)
            entry->second = placement;
    }
    return oldest;
}

base::Result<OperatorMessage> owe_one(store::LifecycleMessages& messages, model::AgencyConfig const& agency, store::OpenPlacement const* placement,
    OperatorRequest const& request, std::string const& notice_received_at)
{
    auto const refusal = [&](base::Error error) { return make_error(ErrorCode::Usage, "agency " + agency.id + ": " + error.to_text()); };
    if (placement != nullptr && !placement->told_recall.empty())
        return make_error(ErrorCode::Usage, "agency " + agency.id + ": a recall or close (" + placement->told_recall
            + ") asked for earlier is not confirmed yet; nothing more is sent until the agency answers it");
    std::optional<lifecycle::ToldState> told;
    if (placement != nullptr)
        told = detail::told_state_of(*placement);
    auto change = lifecycle::operator_change(told ? &*told : nullptr, request.kind, request.reason, request.until);
    if (change.is_error())
        return refusal(change.error());
    OperatorRequest checked = request;
    checked.reason = change.value().reason;
    TRY(layout_for(agency, checked));

    store::OwedMessage message;
    message.agency = agency.id;
    message.account_ref = request.account_ref;
    message.placement = placement->id;
    message.kind = change.value().kind;
    message.reason = change.value().reason;
    if (change.value().until)
        message.until = change.value().until->to_string();
    message.force = request.kind == MessageKind::Recall && request.force == RecallForce::Forced;
    message.transaction_ref = "O" + std::to_string(TRY(messages.next_message_number()));
    message.origin = store::MessageOrigin::Operator;
    message.actor = request.actor;
    message.notice_received_at = notice_received_at;
    auto const id = TRY(messages.record(message));
    return OperatorMessage { id, agency.id, message.kind, message.reason, message.until, message.force, message.transaction_ref, notice_received_at };
}

std::string audit_detail(OperatorRequest const& request, std::vector<OperatorMessage> const& sent)
{
    std::string detail = std::string(model::to_string(request.kind)) + " of account " + request.account_ref + " by " + request.actor + ":";
    for (auto const& message : sent) {
        detail += " agency " + message.agency + " reason " + (message.reason ? std::string(model::to_string(*message.reason)) : std::string("none"));
        if (message.until)
            detail += " until " + *message.until;
        if (message.force)
            detail += " forced";
        detail += " (" + message.transaction_ref + ");";
    }
    detail += " notice received " + (sent.empty() ? std::string() : sent.front().notice_received_at);
    return detail;
}

} // namespace

base::Result<OperatorOutcome> record_operator_message(store::Ledger& ledger, model::GatewayConfig const& config, OperatorRequest const& request)
{
    std::string const what = std::string(model::to_string(request.kind)) + " of account " + request.account_ref;
    if (request.actor.empty())
        return make_error(ErrorCode::Usage, what + ": the actor (who asks) is required");
    if (request.until && request.kind != MessageKind::Hold)
        return make_error(ErrorCode::Usage, what + ": only a hold carries an end date");
    if (request.force == RecallForce::Forced && request.kind != MessageKind::Recall)
        return make_error(ErrorCode::Usage, what + ": only a recall can be forced");
    std::string const notice = request.notice_received_at.empty() ? base::utc_timestamp_now() : request.notice_received_at;
    if (!is_utc_timestamp(notice))
        return make_error(ErrorCode::Usage, what + ": the notice time '" + notice + "' is not a UTC ISO 8601 timestamp (YYYY-MM-DDThh:mm:ssZ)");

    store::LifecycleMessages messages(ledger);
    audit::Journal journal(ledger, request.actor);
    return ledger.transaction([&]() -> base::Result<OperatorOutcome> {
        std::vector<store::OpenPlacement> open;
        TRY(ledger.open_placements_of(request.account_ref, open));
        auto const oldest = oldest_by_agency(open);
        std::vector<std::string> agencies;
        if (request.agency) {
            agencies.push_back(*request.agency);
        } else {
            for (auto const& [agency, placement] : oldest)
                agencies.push_back(agency);
            if (agencies.empty())
                return make_error(ErrorCode::Usage, what + ": no agency holds an open placement of this account, so there is nothing to "
                    + std::string(model::to_string(request.kind)));
        }
        OperatorOutcome outcome { request.account_ref, request.actor, {}, 0 };
        for (auto const& id : agencies) {
            auto const* agency = config.find_agency(id);
            if (agency == nullptr)
                return make_error(ErrorCode::Usage, what + ": the configuration has no agency " + id);
            auto const held = oldest.find(id);
            auto sent = owe_one(messages, *agency, held == oldest.end() ? nullptr : &held->second, request, notice);
            if (sent.is_error())
                return base::Error(sent.error().code(), what + ": " + sent.error().to_text());
            outcome.messages.push_back(std::move(sent.value()));
        }
        outcome.audit_entry = TRY(journal.record_command(model::to_string(request.kind), audit_detail(request, outcome.messages)));
        return outcome;
    });
}

std::string OperatorOutcome::to_json() const
{
    std::string out = "{\"account_ref\":";
    base::append_json_string(out, account_ref);
    out += ",\"actor\":";
    base::append_json_string(out, actor);
    out += ",\"audit_entry\":" + std::to_string(audit_entry) + ",\"messages\":[";
    for (std::size_t index = 0; index < messages.size(); ++index) {
        auto const& message = messages[index];
        out += index == 0 ? "{" : ",{";
        out += "\"id\":" + std::to_string(message.id) + ",\"agency\":";
        base::append_json_string(out, message.agency);
        out += ",\"kind\":";
        base::append_json_string(out, model::to_string(message.kind));
        out += ",\"reason\":";
        base::append_json_string(out, message.reason ? model::to_string(*message.reason) : std::string_view());
        out += ",\"until\":";
        base::append_json_string(out, message.until.value_or(""));
        out += std::string(",\"force\":") + (message.force ? "true" : "false") + ",\"transaction_ref\":";
        base::append_json_string(out, message.transaction_ref);
        out += ",\"notice_received_at\":";
        base::append_json_string(out, message.notice_received_at);
        out += "}";
    }
    out += "]}";
    return out;
}

std::string overdue_reason(store::HoldRecord const& hold, base::Date today, OverduePolicy const& policy)
{
    auto const noticed = base::Date::parse(std::string_view(hold.message.notice_received_at).substr(0, 10));
    if (!noticed)
        return "the notice time is unreadable";
    if (hold.notified_at.empty())
        return today.to_days() > noticed->to_days() ? "not notified on the day of the notice" : std::string();
    auto const notified = base::Date::parse(std::string_view(hold.notified_at).substr(0, 10));
    if (!notified)
        return "the notification time is unreadable";
    if (notified->to_days() > noticed->to_days())
        return "notified " + notified->to_string() + ", after the day of the notice";
    if (!hold.acknowledged_at.empty())
        return {};
    schedule::BusinessCalendar const calendar;
    auto const due = calendar.add_business_days(*notified, policy.acknowledgement_business_days);
    if (today.to_days() > due.to_days())
        return "not acknowledged by " + due.to_string() + " (" + std::to_string(policy.acknowledgement_business_days) + " business days after notification)";
    return {};
}

bool hold_is_overdue(store::HoldRecord const& hold, base::Date today, OverduePolicy const& policy)
{
    return !overdue_reason(hold, today, policy).empty();
}

} // namespace dcagw::pipeline
