// writeoff/candidates: which debts qualify for write-off, by rule, each citing the
// evidence it stands on (issue #16 item 1, docs/writeoff.md).
//
// Owns: the six rules (deceased with no estate and no joint party left, gone away after
// an in-house and an agency trace failed, uneconomic, statute-barred, insolvency with
// its reference, process exhausted by enough agencies), their configurable thresholds,
// and what each candidate shows: reason, amount, debt age, dated evidence with its
// source, and the tier that decides it.
// Must never: read the ledger or the export (the caller gathers the facts), propose a
// write-off by itself, or qualify a debt on evidence it does not cite.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/returns.hpp"
#include "gateway/rules/limitation.hpp"
#include "gateway/writeoff/approval.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::writeoff {

// One dated fact and where it came from ("ophelos return file 20261201-returns-closure.csv
// line 3", "export cases.csv line 12", "letter recorded by j.smith").
struct Evidence {
    std::string what;
    base::Date date;
    std::string source;
};

struct AgencyReturn {
    std::string agency;
    model::ReturnReason reason { model::ReturnReason::ProcessExhausted };
    base::Date date;
    std::string source;
    std::string reference;  // an insolvency return's case reference, where the agency gave one
};

struct TraceAttempt {
    std::string by;         // "in-house" or the agency's id
    bool found { false };
    base::Date date;
    std::string source;
};

// Everything the rules look at for one debt (one account), gathered by the caller.
struct CaseFacts {
    std::string account_ref;
    std::int64_t balance_pence { 0 };
    std::optional<base::Date> due_date;   // the debt's age runs from here
    std::optional<Evidence> death;        // the export's deceased flag, with the date of death
    std::optional<Evidence> no_estate;    // executor or next of kin confirmed no estate
    bool joint_party_remaining { false }; // a living joint-and-several party on the account
    std::vector<AgencyReturn> returns;
    std::vector<TraceAttempt> traces;
    std::optional<Evidence> last_letter;
    rules::LimitationResult limitation;
};

struct CandidateRules {
    std::int64_t uneconomic_below_pence { 5'000 };   // £50, the domain's upper example
    int uneconomic_days_after_letter { 28 };
    unsigned process_exhausted_agencies { 2 };
};

enum class CandidateReason : std::uint8_t { Deceased, GoneAway, Uneconomic, StatuteBarred, Insolvency, ProcessExhausted };
std::string_view to_string(CandidateReason reason); // "deceased", "gone_away", ...

struct Candidate {
    CandidateReason reason { CandidateReason::Uneconomic };
    std::int64_t amount_pence { 0 };
    std::optional<std::int64_t> debt_age_days;
    std::vector<Evidence> evidence;
    std::string tier_role;
};

// Every rule the debt meets on `today`, in the order above. A credit or zero balance
// qualifies for nothing: there is nothing to write off.
std::vector<Candidate> candidates_for(CaseFacts const& facts, CandidateRules const& rules, TierTable const& tiers, base::Date today);

} // namespace dcagw::writeoff
