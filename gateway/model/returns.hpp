// model/returns: what one line of an agency's return file states, once the agency's
// return layout has read and checked it.
//
// Owns: the kinds of return file, the canonical return reasons (domain.md, "Canonical
// return reasons") with their stable names, and the typed facts of one return line: the
// interface between the return file readers (layouts/, behind the inbound envelope) and
// the ingest use case that matches lines to placements and applies them to the ledger.
// Must never: read files, match a reference to a placement, compute commission or touch
// the ledger. Amounts are integer pence; there is no floating point anywhere here.
#pragma once

#include "gateway/base/date.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dcagw::model {

// One kind per return file; a file holds lines of one kind only.
enum class ReturnKind : std::uint8_t {
    Acknowledgement, // the agency accepted or rejected a placement file
    Activity,        // status changes on an account (may carry a canonical reason)
    Closure,         // the agency returns or closes an account
    Trace,           // a trace result: a new address, or trace failed
    Payment,         // money the agency collected from the debtor
    Refund,          // a refund or chargeback of an earlier payment
    Payout,          // a remittance: what the agency paid the creditor, per payout
};

// Canonical return reasons; names as in domain.md ("PIF", "INS-BKR", ...).
enum class ReturnReason : std::uint8_t {
    PaidInFull,            // PIF
    Settled,               // SET
    Arrangement,           // ARR
    Traced,                // TRC
    GoneAway,              // GNA
    Deceased,              // DEC
    InsolvencyBankruptcy,  // INS-BKR
    InsolvencyIva,         // INS-IVA
    InsolvencyDro,         // INS-DRO
    InsolvencyTrustDeed,   // INS-TD
    BreathingSpace,        // BSM
    MentalHealthCrisis,    // MHCM
    Dispute,               // DSP
    Complaint,             // CMP
    Vulnerable,            // VUL
    MentalCapacity,        // MCAP
    Emigrated,             // EMG
    Uneconomic,            // UNE
    ProcessExhausted,      // PEX
    StatuteBarred,         // SBD
    LackOfInformation,     // LOI
    Abusive,               // ABU
    Recalled,              // RCL
};

std::string_view to_string(ReturnKind kind);
std::optional<ReturnKind> return_kind_from_string(std::string_view text);
std::string_view to_string(ReturnReason reason);
std::optional<ReturnReason> return_reason_from_string(std::string_view text);

// The references every account line quotes: what we sent at placement.
struct AccountReference {
    std::string agency_reference;   // the per-agency pseudonym of account_ref (AccountRef)
    std::string customer_reference; // the pseudonym of person_ref, where the layout has one
};

struct AcknowledgementLine {
    std::string file_name;          // the placement file acknowledged
    bool accepted { true };
    std::string agency_code;        // the agency's own status code, as written
    std::optional<AccountReference> account; // per-account answer, where given
    // A per-account rejection: the canonical reason its code maps to (the layout's
    // `reasons`); a code with none is quarantined by the reader.
    std::optional<ReturnReason> reason;
};

// Activity and closure lines: a status change on one account.
struct ActivityLine {
    AccountReference account;
    base::Date date;
    std::string agency_code;              // as written, e.g. "DeceasedScrubDetected"
    std::optional<ReturnReason> reason;   // from the layout's code table; none: activity only
    bool closure { false };               // the code is one of the layout's closure codes
};

// A trace result: personal data received. Stored for the coordinator, never applied to
// the creditor's records.
struct TraceLine {
    AccountReference account;
    base::Date date;
    bool traced { false };                                   // false: trace failed (GNA)
    std::vector<std::pair<std::string, std::string>> fields; // canonical field -> value
};

enum class MoneyKind : std::uint8_t {
    Payment,        // collected by the agency
    DirectPayment,  // paid to the creditor direct, reported by the agency
    Refund,         // a refund of an earlier payment
    Chargeback,     // a card or bank chargeback of an earlier payment
};

struct PaymentLine {
    AccountReference account;
    std::string payment_id;         // unique per agency: the exactly-once key
    MoneyKind kind { MoneyKind::Payment };
    std::int64_t amount_pence { 0 }; // > 0
    base::Date payment_date;
    std::string paid_at;            // RFC 3339 as written, where the layout has one
};

struct RefundLine {
    AccountReference account;
    std::string refund_id;          // the agency's refund id, or derived from the payment id
    std::string payment_id;         // the payment it reverses
    MoneyKind kind { MoneyKind::Refund }; // Refund or Chargeback
    std::int64_t amount_pence { 0 }; // > 0: the amount reversed
    base::Date refund_date;
    std::string agency_code;        // RefundType / RefundReason as written
};

// Gross, commission, VAT on commission, and net: what one payment or one payout is worth
// to each side. net = gross - commission - vat.
struct MoneySplit {
    std::int64_t gross_pence { 0 };
    std::int64_t commission_pence { 0 };
    std::int64_t vat_pence { 0 };
    std::int64_t net_pence { 0 };
    auto operator<=>(MoneySplit const&) const = default;
};

// A payout (remittance) line. Either one payment inside a payout (InDebted's Payout
// Report: payment_id and amount), or a payout's stated totals (a remittance file's
// summary row: no payment_id, totals set).
struct PayoutLine {
    std::string payout_id;
    base::Date payout_date;
    std::optional<AccountReference> account;
    std::string payment_id;              // empty on a totals line
    std::int64_t amount_pence { 0 };     // the payment's amount as the payout lists it
    std::optional<MoneySplit> totals;    // the payout's stated totals
};

struct ReturnLine {
    std::uint64_t line_number { 0 }; // 1-based physical line of the plaintext file
    std::variant<AcknowledgementLine, ActivityLine, TraceLine, PaymentLine, RefundLine, PayoutLine> facts;
};

} // namespace dcagw::model
