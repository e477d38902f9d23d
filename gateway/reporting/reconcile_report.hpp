// reporting/reconcile_report: `dcagw reconcile` for one agency and month (docs/postings.md, "dcagw reconcile"):
// per payout its lines, totals and differences; the GL summary; suspense ageing; the
// unmatched items; and payments in no payout after the contract's payout_due_days.
//
// Owns: gathering those facts from the store (through store::Returns, no SQL here), the
// period rules (a payout by its payout_date, GL lines by their own date), the ageing bands,
// and the four renderings: a table for people, JSON (schemas/reconcile-report.schema.json),
// CSV (one row per fact, a `section` column), and a printable self-contained HTML page
// (inline CSS only, no script, every value HTML-escaped).
// Must never: change the ledger, round, or let a penny's difference pass quietly (it is
// shown with both figures and the payout fails).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/returns.hpp"
#include "gateway/money/payout_check.hpp"
#include "gateway/store/returns.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dcagw::reporting {

struct PayoutLineView {
    std::string payment_id;
    std::string account_ref;                  // ours; empty when the payment is unknown
    std::int64_t listed_pence { 0 };          // the amount the payout lists
    std::optional<model::MoneySplit> reported; // the reported payment's split
};

struct PayoutReconciliation {
    std::string payout_id;
    std::string payout_date;
    std::vector<PayoutLineView> lines;
    model::MoneySplit computed {};              // sum of the reported splits of its lines
    std::optional<model::MoneySplit> stated;    // the agency's totals line, when it has one
    std::vector<money::PayoutProblem> problems; // differences; empty: it reconciles
    bool reconciles() const { return problems.empty(); }
};

struct GlLine {
    std::int64_t count { 0 };
    model::MoneySplit split {};
};

// Lines dated in the period: payments the agency collected, payments made direct to the
// creditor, and refunds and chargebacks (their reversed split, positive).
struct GlSummary {
    GlLine payments;
    GlLine direct_payments;
    GlLine refunds;
    model::MoneySplit total() const;  // payments + direct payments - refunds
};

struct AgeingBand {
    std::string band;          // "0-30", "31-60", "61-90", "over 90" (days)
    std::int64_t count { 0 };
    std::int64_t amount_pence { 0 };
};

// An open suspense item, or a payout line naming a payment nobody reported.
struct UnmatchedItem {
    std::string source;        // suspense | payout
    std::string id;            // the suspense item's id, or the payout id
    std::string kind;          // the line's kind (suspense) or "payout_line"
    std::string reference;     // the agency's reference (a pseudonym) or the payment id
    std::int64_t amount_pence { 0 };
    std::string date;
    std::int64_t age_days { 0 };
    std::string file;
    std::int64_t line { 0 };
    std::string reason;
};

struct NotPaidOver {
    std::string payment_id;
    std::string account_ref;
    std::string payment_date;
    std::int64_t gross_pence { 0 };
    std::string message;
};

struct ReconcileReport {
    std::string agency;
    std::string period;  // YYYY-MM
    std::string as_of;   // YYYY-MM-DD
    std::int64_t payout_due_days { 0 };
    std::vector<PayoutReconciliation> payouts;
    GlSummary gl;
    std::vector<AgeingBand> suspense_ageing;
    std::vector<UnmatchedItem> unmatched;
    std::vector<NotPaidOver> not_paid_over;
    bool reconciles() const;  // every payout of the period

    std::string to_text() const;
    std::string to_json() const;
    std::string to_csv() const;
    std::string to_html() const;
};

// Whether text is a month, YYYY-MM.
bool is_period(std::string_view text);

// The agency's report for the period, as of the date (ageing and overdue payouts count
// from it). The agency needs a contract for payout_due_days (default 35 without one).
base::Result<ReconcileReport> reconcile(store::Ledger& ledger, model::AgencyConfig const& agency, std::string const& period, base::Date as_of);

// The pure part, for the tests: one payout's lines against the reported payments.
// The agency's payments by payment id.
using PaymentsById = std::unordered_map<std::string, store::MoneyRecord>;
PayoutReconciliation reconcile_payout(store::Payout const& payout, std::vector<store::PayoutItem> const& items, PaymentsById const& payments);

// The band of an age in days.
std::size_t ageing_band(std::int64_t age_days);

} // namespace dcagw::reporting
