#include "gateway/writeoff/candidates.hpp"

#include "gateway/base/enum_names.hpp"

#include <algorithm>
#include <set>

namespace dcagw::writeoff {

using model::ReturnReason;

namespace {

constexpr base::EnumNames<CandidateReason, 6> candidate_reason_names { { {
    { CandidateReason::Deceased, "deceased" },
    { CandidateReason::GoneAway, "gone_away" },
    { CandidateReason::Uneconomic, "uneconomic" },
    { CandidateReason::StatuteBarred, "statute_barred" },
    { CandidateReason::Insolvency, "insolvency" },
    { CandidateReason::ProcessExhausted, "process_exhausted" },
} } };

bool is_insolvency(ReturnReason reason)
{
    return reason == ReturnReason::InsolvencyBankruptcy || reason == ReturnReason::InsolvencyIva || reason == ReturnReason::InsolvencyDro
        || reason == ReturnReason::InsolvencyTrustDeed;
}

Evidence evidence_of(AgencyReturn const& agency_return)
{
    auto what = agency_return.agency + " returned the debt: " + std::string(model::to_string(agency_return.reason));
    if (!agency_return.reference.empty())
        what += " (reference " + agency_return.reference + ")";
    return { what, agency_return.date, agency_return.source };
}

Evidence evidence_of(TraceAttempt const& trace)
{
    return { trace.by + " trace " + (trace.found ? "found a new address" : "failed"), trace.date, trace.source };
}

// The latest failed trace by `who` (in-house, or any agency), if no later trace found the
// person: a later success means the person is not gone.
std::optional<TraceAttempt> last_failed_trace(std::vector<TraceAttempt> const& traces, bool in_house)
{
    std::optional<TraceAttempt> last;
    for (auto const& trace : traces)
        if ((trace.by == "in-house") == in_house && (!last || trace.date >= last->date))
            last = trace;
    if (!last || last->found)
        return std::nullopt;
    return last;
}

std::optional<Candidate> deceased(CaseFacts const& facts)
{
    if (!facts.death || !facts.no_estate || facts.joint_party_remaining)
        return std::nullopt;
    return Candidate { CandidateReason::Deceased, 0, std::nullopt, { *facts.death, *facts.no_estate }, {} };
}

std::optional<Candidate> gone_away(CaseFacts const& facts)
{
    auto const in_house = last_failed_trace(facts.traces, true);
    auto const agency = last_failed_trace(facts.traces, false);
    if (!in_house || !agency)
        return std::nullopt;
    std::vector<Evidence> evidence { evidence_of(*in_house), evidence_of(*agency) };
    for (auto const& agency_return : facts.returns)
        if (agency_return.reason == ReturnReason::GoneAway)
            evidence.push_back(evidence_of(agency_return));
    return Candidate { CandidateReason::GoneAway, 0, std::nullopt, evidence, {} };
}

std::optional<Candidate> uneconomic(CaseFacts const& facts, CandidateRules const& rules, base::Date today)
{
    if (facts.balance_pence >= rules.uneconomic_below_pence || !facts.last_letter)
        return std::nullopt;
    if (today.to_days() - facts.last_letter->date.to_days() < rules.uneconomic_days_after_letter)
        return std::nullopt;
    return Candidate { CandidateReason::Uneconomic, 0, std::nullopt, { *facts.last_letter }, {} };
}

std::optional<Candidate> statute_barred(CaseFacts const& facts, base::Date today)
{
    if (facts.limitation.status != rules::LimitationStatus::StatuteBarred || !facts.limitation.expiry)
        return std::nullopt;
    Evidence calculation { "limitation: " + facts.limitation.explanation, *facts.limitation.expiry, "limitation calculation on " + today.to_string() };
    return Candidate { CandidateReason::StatuteBarred, 0, std::nullopt, { calculation }, {} };
}

std::optional<Candidate> insolvency(CaseFacts const& facts)
{
    // The reference is the evidence a pack needs (docs/domain.md: "BKR/DRO/IVA reference").
    auto found = std::find_if(facts.returns.begin(), facts.returns.end(),
        [](AgencyReturn const& agency_return) { return is_insolvency(agency_return.reason) && !agency_return.reference.empty(); });
    if (found == facts.returns.end())
        return std::nullopt;
    return Candidate { CandidateReason::Insolvency, 0, std::nullopt, { evidence_of(*found) }, {} };
}

std::optional<Candidate> process_exhausted(CaseFacts const& facts, CandidateRules const& rules)
{
    std::set<std::string> agencies;
    std::vector<Evidence> evidence;
    for (auto const& agency_return : facts.returns)
        if (agency_return.reason == ReturnReason::ProcessExhausted && agencies.insert(agency_return.agency).second)
            evidence.push_back(evidence_of(agency_return));
    if (agencies.size() < rules.process_exhausted_agencies || agencies.empty())
        return std::nullopt;
    return Candidate { CandidateReason::ProcessExhausted, 0, std::nullopt, evidence, {} };
}

} // namespace

std::string_view to_string(CandidateReason reason) { return candidate_reason_names.name(reason); }

std::vector<Candidate> candidates_for(CaseFacts const& facts, CandidateRules const& rules, TierTable const& tiers, base::Date today)
{
    if (facts.balance_pence <= 0)
        return {};
    std::vector<std::optional<Candidate>> const found {
        deceased(facts), gone_away(facts), uneconomic(facts, rules, today), statute_barred(facts, today), insolvency(facts), process_exhausted(facts, rules),
    };
    std::vector<Candidate> candidates;
    for (auto const& candidate : found) {
        if (!candidate)
            continue;
        auto& added = candidates.emplace_back(*candidate);
        added.amount_pence = facts.balance_pence;
        if (facts.due_date)
            added.debt_age_days = today.to_days() - facts.due_date->to_days();
        added.tier_role = tiers.tier_for(facts.balance_pence).role;
    }
    return candidates;
}

} // namespace dcagw::writeoff
