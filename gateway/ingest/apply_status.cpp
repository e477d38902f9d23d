// Activity, closure and trace lines: the placement state machine (docs/returns-ledger.md,
// "Placement states") and trace results kept for the coordinator.
#include "gateway/ingest/applier_context.hpp"

#include "gateway/base/text.hpp"
#include "gateway/store/transfers.hpp"

#include <algorithm>
#include <array>

namespace dcagw::ingest {

namespace {

constexpr std::array<std::string_view, 6> terminal_states { "returned", "closed_paid", "settled", "recalled", "closed", "rejected" };

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
        return apply_account_answer(line, acknowledgement);
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
    summary.acknowledgements.push_back({ delivered->file_name, acknowledgement.accepted, acknowledgement.agency_code, {}, {} });
    if (!acknowledgement.accepted)
        summary.problems.push_back("the agency rejected placement file " + delivered->file_name + " (code " + acknowledgement.agency_code + ")");
    ++summary.counts.applied;
    return {};
}

// One account of a delivered placement file answered on its own: a rejection moves its
// placements (joint debtors together) to `rejected` with the canonical reason the layout
// maps the code to (docs/returns-ledger.md, "Per-account rejections"); an acceptance
// changes nothing.
base::Result<void> ReturnApplier::Context::apply_account_answer(std::uint64_t line, model::AcknowledgementLine const& answer)
{
    store::Transfers transfers(ledger);
    if (!TRY(transfers.find_delivered(agency.id, answer.file_name)))
        return quarantine(line, "file_name", "names no file delivered to this agency");
    if (TRY(match(line, *answer.account, { "acknowledgement", {}, 0, today.to_string(), {} })) == MatchResult::NotMatched)
        return {};
    if (answer.accepted || !answer.reason) {
        ++summary.counts.applied;
        return {};
    }
    auto const reason_name = std::string(model::to_string(*answer.reason));
    if (std::all_of(candidates.begin(), candidates.end(), [](store::MatchedPlacement const& placement) { return placement.status == "rejected"; })) {
        ++summary.counts.duplicates;  // the same rejection in another file
        return {};
    }
    for (auto const& placement : candidates)
        if (!may_move(placement.status, "rejected"))
            return quarantine(line, "code", "the placement of account " + placement.account_ref + " is " + placement.status + "; a rejection ("
                + reason_name + ") cannot move it to rejected");
    AcknowledgedFile rejected { answer.file_name, false, answer.agency_code, reason_name, {} };
    for (auto const& placement : candidates) {
        store::ReturnEvent event;
        event.placement = placement.id;
        event.agency = agency.id;
        event.from_state = placement.status;
        event.to_state = "rejected";
        event.reason = reason_name;
        event.agency_code = answer.agency_code;
        event.event_date = today.to_string();  // the line carries no date: the day it was applied
        event.file = summary.file_id;
        event.line = static_cast<std::int64_t>(line);
        TRY(returns.move_placement(event));
        ++summary.state_changes;
        if (std::find(rejected.account_refs.begin(), rejected.account_refs.end(), placement.account_ref) == rejected.account_refs.end())
            rejected.account_refs.push_back(placement.account_ref);
    }
    summary.problems.push_back("the agency rejected account " + rejected.account_refs.front() + " of placement file " + answer.file_name + " (code "
        + answer.agency_code + ", " + reason_name + "): placement rejected");
    summary.acknowledgements.push_back(std::move(rejected));
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
    received.add_trace(line, trace, candidates);
    ++summary.traces;
    ++summary.counts.applied;
    return {};
}

} // namespace dcagw::ingest
