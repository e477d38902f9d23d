// money/commission: what one payment or refund line is worth to each side, from the
// agency's contract (model/contract.hpp): gross, commission, VAT on commission, and net.
//
// Owns: the choice of commission band, the one rounding rule (docs/returns-ledger.md,
// "Money"): commission = gross x rate / 10000 rounded half up to the penny, plus the
// fixed fee; VAT = commission x VAT rate / 10000 rounded half up; net = gross -
// commission - VAT; each line on its own, never on a total. And the exact reversal of a
// payment by its refunds: all the refunds of a payment together reverse exactly its
// gross, commission, VAT and net, never a penny more.
// Must never: read files or the ledger, or use floating point.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/contract.hpp"
#include "gateway/model/returns.hpp"

#include <cstdint>

namespace dcagw::money {

// What selects the commission band of a payment.
struct CommissionBasis {
    std::int64_t placement_number { 1 };
    std::int64_t debt_age_days { 0 };
};

// x * numerator / denominator rounded half up (x, numerator >= 0, denominator > 0),
// without overflow for any amount below 2^62 pence.
std::int64_t scale_half_up(std::int64_t amount, std::int64_t numerator, std::int64_t denominator);

// The rate (basis points) of the first band that applies; RecordInvalid when none does
// (the line is quarantined: nothing is guessed).
base::Result<std::int64_t> commission_rate(model::AgencyContract const& contract, CommissionBasis const& basis);

// The split of one payment of `gross_pence` (> 0). A direct payment earns commission only
// when the contract says it is due.
base::Result<model::MoneySplit> split_payment(model::AgencyContract const& contract, model::MoneyKind kind, std::int64_t gross_pence,
    CommissionBasis const& basis);

// The reversal of `refund_gross_pence` of a payment whose split was `payment` and of which
// `already_reversed` has been reversed by earlier refunds. A refund that brings the
// total to the payment's gross reverses exactly the remainder of each part; a partial one
// reverses commission and VAT in proportion (rounded half up). InputMalformed when the
// refunds would exceed the payment.
base::Result<model::MoneySplit> reverse_payment(model::MoneySplit const& payment, model::MoneySplit const& already_reversed,
    std::int64_t refund_gross_pence);

// What the agency pays over for a line under the contract's remittance basis: net, or
// gross. A direct payment is already with the creditor: nothing is paid over for it.
std::int64_t remitted_pence(model::AgencyContract const& contract, model::MoneyKind kind, model::MoneySplit const& split);

model::MoneySplit operator+(model::MoneySplit const& left, model::MoneySplit const& right);
model::MoneySplit operator-(model::MoneySplit const& left, model::MoneySplit const& right);

} // namespace dcagw::money
