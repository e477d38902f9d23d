// Activity, closure and trace lines: the placement state machine (docs/returns-ledger.md,
// "Placement states") and trace results kept for the coordinator.
#include "gateway/ingest/applier_context.hpp"

#include "gateway/base/text.hpp"
#include "gateway/store/transfers.hpp"

#include <algorithm>
#include <array>

namespace dcagw::ingest {

namespace {

constexpr std::array<std::string_view, 5> terminal_states { "returned", "closed_paid", "settled", "recalled", "closed" };

bool is_terminal(std::string_view state)
{
    return std::find(terminal_states.begin(), terminal_states.end(), state) != terminal_states.end();
}

std::string trace_fields_json(model::TraceLine const& trace)
{
    std::string json = "{";
    for (auto const& [field, value] : trace.fields) {
        if (json.size() > 1)
            json += ',';
        base::append_json_string(json, field);
        json += ':';
        base::append_json_string(json, value);
    }
    json += '}';
    return json;
}

} // namespace

std::string_view state_for(model::ReturnReason reason)
{
    using model::ReturnReason;
    switch (reason) {
    case ReturnReason::PaidInFull:
        return "closed_paid";
    case ReturnReason::Settled:
        return "settled";
    case ReturnReason::Recalled:
        return "recalled";
    case ReturnReason::Arrangement:
    case ReturnReason::Traced:
        return "open";
    case ReturnReason::BreathingSpace:
    case ReturnReason::MentalHealthCrisis:
    case ReturnReason::Dispute:
    case ReturnReason::Complaint:
        return "on_hold";
    case ReturnReason::GoneAway:
    case ReturnReason::Deceased:
    case ReturnReason::InsolvencyBankruptcy:
    case ReturnReason::InsolvencyIva:
    case ReturnReason::InsolvencyDro:
    case ReturnReason::InsolvencyTrustDeed:
    case ReturnReason::Vulnerable:
    case ReturnReason::MentalCapacity:
    case ReturnReason::Emigrated:
    case ReturnReason::Uneconomic:
    case ReturnReason::ProcessExhausted:
    case ReturnReason::StatuteBarred:
    case ReturnReason::LackOfInformation:
    case ReturnReason::Abusive:
        return "returned";
    }
    return "returned";
}

bool may_move(std::string_view from, std::string_view to)
{
    // open and on_hold move anywhere; an ended placement stays ended (a debt placed again
    // is a new placement, not a reopened one). Staying put is always allowed.
    return from == to || !is_terminal(from);
}

base::Result<void> ReturnApplier::Context::apply_activity(std::uint64_t line, model::ActivityLine const& activity)
{
    if (activity.date > today)
        return quarantine(line, "date", "the date " + activity.date.to_string() + " lies in the future");
    if (TRY(match(line, activity.account, { "activity", {}, 0, activity.date.to_string(), {} })) == MatchResult::NotMatched)
        return {};
    auto const reason_name = activity.reason ? model::to_string(*activity.reason) : std::string_view {};
    // A closure or activity is about the account: every placed person of it moves.
    for (auto const& placement : candidates) {
        auto const target = activity.reason ? state_for(*activity.reason) : std::string_view(placement.status);
        if (!may_move(placement.status, target))
            return quarantine(line, "reason", "the placement of account " + placement.account_ref + " is " + placement.status + "; "
                + std::string(reason_name) + " cannot move it to " + std::string(target));
    }
    for (auto const& placement : candidates) {
        auto const target = activity.reason ? state_for(*activity.reason) : std::string_view(placement.status);
        store::ReturnEvent event;
        event.placement = placement.id;
        event.agency = agency.id;
        event.from_state = placement.status;
        event.to_state = target;
        event.reason = reason_name;
        event.agency_code = activity.agency_code;
        event.event_date = activity.date.to_string();
        event.file = summary.file_id;
        event.line = static_cast<std::int64_t>(line);
        TRY(returns.move_placement(event));
        if (placement.status != target)
            ++summary.state_changes;
    }
    ++summary.counts.applied;
    return {};
}

// The signature the envelope verified is what a bare ".ack" name cannot give: here the
// agency itself says which delivered file it took (docs/returns-ledger.md).
base::Result<void> ReturnApplier::Context::apply_acknowledgement(std::uint64_t line, model::AcknowledgementLine const& acknowledgement)
{
    if (acknowledgement.account)
        return quarantine(line, "agency_reference", "a rejection of one account inside a placement file is not applied yet; the coordinator must act on it");
    if (acknowledgement.file_name.empty())
        return quarantine(line, "file_name", "the line names no placement file");
    store::Transfers transfers(ledger);
    auto const delivered = TRY(transfers.find_delivered(agency.id, acknowledgement.file_name));
    if (!delivered)
        return quarantine(line, "file_name", "names no file delivered to this agency");
    if (!delivered->acknowledged_at.empty()) {
        ++summary.counts.duplicates;
        return {};
    }
    TRY(transfers.mark_acknowledged(delivered->id, facts.file_name));
    summary.acknowledgements.push_back({ delivered->file_name, acknowledgement.accepted, acknowledgement.agency_code });
    if (!acknowledgement.accepted)
        summary.problems.push_back("the agency rejected placement file " + delivered->file_name + " (code " + acknowledgement.agency_code + ")");
    ++summary.counts.applied;
    return {};
}

base::Result<void> ReturnApplier::Context::apply_trace(std::uint64_t line, model::TraceLine const& trace)
{
    if (trace.date > today)
        return quarantine(line, "date", "the date " + trace.date.to_string() + " lies in the future");
    if (TRY(match(line, trace.account, { "trace", {}, 0, trace.date.to_string(), {} })) == MatchResult::NotMatched)
        return {};
    // Stored for the coordinator against the lead placement; never applied to the
    // creditor's own records.
    store::TraceResult result;
    result.placement = candidates.front().id;
    result.agency = agency.id;
    result.traced = trace.traced;
    result.fields_json = trace_fields_json(trace);
    result.result_date = trace.date.to_string();
    result.file = summary.file_id;
    result.line = static_cast<std::int64_t>(line);
    TRY(returns.add_trace(result));
    ++summary.traces;
    ++summary.counts.applied;
    return {};
}

} // namespace dcagw::ingest
