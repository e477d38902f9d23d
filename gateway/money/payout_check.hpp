// money/payout_check: does what the agency paid over add up, to the penny?
//
// Owns: three checks over values the caller reads from the ledger: a payout's stated
// totals against the sum of its lines (any part one penny off fails that payout, with
// both figures); every payment a payout lists against a reported payment, by id and
// amount; and reported payments in no payout after the contract's number of days.
// Must never: read the ledger or files, stop at the first problem, or round.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/returns.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::money {

enum class PayoutProblemKind : std::uint8_t {
    TotalMismatch,   // a stated total differs from the sum of the payout's lines
    UnknownPayment,  // the payout lists a payment id no payment line reported
    AmountMismatch,  // listed with another amount than the payment line reported
    NotPaidOver,     // a reported payment in no payout after payout_due_days
};

struct PayoutProblem {
    PayoutProblemKind kind { PayoutProblemKind::TotalMismatch };
    std::string payout_id;
    std::string payment_id;
    std::string part;                 // gross | commission | vat | net (TotalMismatch)
    std::int64_t stated_pence { 0 };  // what the agency says
    std::int64_t computed_pence { 0 }; // what the lines add up to / the payment reported
    std::string describe() const;    // one sentence with both figures
};

// A payment as the ledger reports it, for the checks.
struct ReportedPayment {
    std::string payment_id;
    std::int64_t gross_pence { 0 };
    base::Date payment_date;
    std::string payout_id;  // empty: in no payout yet
};

// A payment listed in a payout.
struct ListedPayment {
    std::string payment_id;
    std::int64_t amount_pence { 0 };
};

// Each part of `stated` against the same part of `computed`.
std::vector<PayoutProblem> check_payout_totals(std::string const& payout_id, model::MoneySplit const& stated, model::MoneySplit const& computed);

// Each listed payment against the reported ones (by id, then amount).
std::vector<PayoutProblem> check_payout_lines(std::string const& payout_id, std::vector<ListedPayment> const& listed,
    std::vector<ReportedPayment> const& reported);

// Reported payments dated more than `due_days` before `as_of` that are in no payout.
std::vector<PayoutProblem> payments_not_paid_over(std::vector<ReportedPayment> const& reported, base::Date as_of, std::int64_t due_days);

} // namespace dcagw::money
