// ingest/applier_context: the state of one ReturnApplier while it applies a file, shared
// by the files that implement it (return_applier.cpp: the file and matching;
// apply_status.cpp: state changes and trace results; apply_money.cpp: payments, refunds,
// payouts).
// Must never: be included outside gateway/ingest.
#pragma once

#include "gateway/ingest/inbound_subjects.hpp"
#include "gateway/ingest/placement_states.hpp"
#include "gateway/ingest/return_applier.hpp"

#include <set>
#include <string>
#include <vector>

namespace dcagw::ingest {

// A line whose reference matched nothing is kept with what it says about money.
struct SuspenseDetails {
    std::string_view line_kind;
    std::string_view payment_id;
    std::int64_t amount_pence { 0 };
    std::string item_date;
    std::string_view content_hash;
};

enum class MatchResult { Matched, NotMatched };

struct ReturnApplier::Context {
    Context(store::Ledger& ledger_in, model::AgencyConfig const& agency_in, model::Pseudonymiser const* pseudonyms_in, base::Date today_in)
        : ledger(ledger_in), agency(agency_in), person_pseudonyms(pseudonyms_in), today(today_in), returns(ledger_in)
    {
    }

    store::Ledger& ledger;
    model::AgencyConfig const& agency;
    model::Pseudonymiser const* person_pseudonyms;
    base::Date today;
    store::Returns returns;

    bool open { false };  // between begin() and finish()/abandon()
    InboundFileFacts facts;
    FileSummary summary;
    std::set<std::string> payouts_touched;
    std::vector<store::MatchedPlacement> candidates;  // reused across lines
    InboundSubjects received;  // whom the file's matched lines are about (audit)
    std::string scratch;

    // Quarantines the line (no personal data: field and reason only).
    base::Result<void> quarantine(std::uint64_t line, std::string_view field, std::string const& reason);
    base::Result<void> suspend(std::uint64_t line, model::AccountReference const& account, std::string const& reason, SuspenseDetails const& details);
    // Fills `candidates` with the placements the reference names (the one the customer
    // reference names, when given and checkable); NotMatched after putting the line in
    // suspense. A missing reference is quarantined by the caller before this.
    base::Result<MatchResult> match(std::uint64_t line, model::AccountReference const& account, SuspenseDetails const& details);

    base::Result<void> apply_acknowledgement(std::uint64_t line, model::AcknowledgementLine const& acknowledgement);
    base::Result<void> apply_account_answer(std::uint64_t line, model::AcknowledgementLine const& answer);
    base::Result<void> apply_activity(std::uint64_t line, model::ActivityLine const& activity);
    base::Result<void> apply_trace(std::uint64_t line, model::TraceLine const& trace);
    base::Result<void> apply_payment(std::uint64_t line, model::PaymentLine const& payment);
    base::Result<void> apply_refund(std::uint64_t line, model::RefundLine const& refund);
    base::Result<void> apply_payout(std::uint64_t line, model::PayoutLine const& payout);
    // After the last line: each payout the file touched against the reported payments.
    base::Result<void> check_payouts();
    // An overpaid placement is flagged in the summary: its money as matched plus the
    // payment just applied (no further look-up).
    void check_balance(store::MatchedPlacement const& placement, std::int64_t paid_now);
};

std::string money_text(std::int64_t pence);

} // namespace dcagw::ingest
