#include "gateway/money/commission.hpp"

#include <string>

namespace dcagw::money {

using base::ErrorCode;
using base::make_error;

std::int64_t scale_half_up(std::int64_t amount, std::int64_t numerator, std::int64_t denominator)
{
    // 128-bit intermediate: a pence amount times a rate cannot overflow.
    auto const product = static_cast<__int128>(amount) * numerator;
    return static_cast<std::int64_t>((product * 2 + denominator) / (static_cast<__int128>(denominator) * 2));
}

base::Result<std::int64_t> commission_rate(model::AgencyContract const& contract, CommissionBasis const& basis)
{
    for (auto const& band : contract.commission) {
        if (band.placement_number && *band.placement_number != basis.placement_number)
            continue;
        if (basis.debt_age_days < band.min_age_days)
            continue;
        if (band.max_age_days && basis.debt_age_days >= *band.max_age_days)
            continue;
        return band.basis_points;
    }
    return make_error(ErrorCode::RecordInvalid, "no commission band of the contract applies to placement number "
        + std::to_string(basis.placement_number) + " at debt age " + std::to_string(basis.debt_age_days) + " days");
}

base::Result<model::MoneySplit> split_payment(model::AgencyContract const& contract, model::MoneyKind kind, std::int64_t gross_pence,
    CommissionBasis const& basis)
{
    if (gross_pence <= 0)
        return make_error(ErrorCode::RecordInvalid, "a payment's amount must be above zero, not " + std::to_string(gross_pence) + " pence");
    if (kind == model::MoneyKind::Refund || kind == model::MoneyKind::Chargeback)
        return make_error(ErrorCode::Internal, "a refund is split by reverse_payment, from the payment it reverses");
    model::MoneySplit split;
    split.gross_pence = gross_pence;
    if (kind == model::MoneyKind::DirectPayment && contract.direct_payments == model::DirectPaymentCommission::NotDue) {
        split.net_pence = gross_pence;
        return split;
    }
    auto const rate = TRY(commission_rate(contract, basis));
    split.commission_pence = scale_half_up(gross_pence, rate, 10000) + contract.fixed_fee_pence;
    split.vat_pence = scale_half_up(split.commission_pence, contract.vat_basis_points, 10000);
    split.net_pence = split.gross_pence - split.commission_pence - split.vat_pence;
    return split;
}

base::Result<model::MoneySplit> reverse_payment(model::MoneySplit const& payment, model::MoneySplit const& already_reversed,
    std::int64_t refund_gross_pence)
{
    if (refund_gross_pence <= 0)
        return make_error(ErrorCode::RecordInvalid, "a refund's amount must be above zero, not " + std::to_string(refund_gross_pence) + " pence");
    auto const remaining = payment - already_reversed;
    if (refund_gross_pence > remaining.gross_pence)
        return make_error(ErrorCode::InputMalformed, "a refund of " + std::to_string(refund_gross_pence) + " pence exceeds what is left of the payment ("
            + std::to_string(remaining.gross_pence) + " of " + std::to_string(payment.gross_pence) + " pence)");
    if (refund_gross_pence == remaining.gross_pence)
        return remaining;
    model::MoneySplit reversal;
    reversal.gross_pence = refund_gross_pence;
    reversal.commission_pence = scale_half_up(payment.commission_pence, refund_gross_pence, payment.gross_pence);
    reversal.vat_pence = scale_half_up(payment.vat_pence, refund_gross_pence, payment.gross_pence);
    // Never more than is left of either (rounding up on several partial refunds could
    // otherwise pass the payment's own commission before the last one).
    if (reversal.commission_pence > remaining.commission_pence)
        reversal.commission_pence = remaining.commission_pence;
    if (reversal.vat_pence > remaining.vat_pence)
        reversal.vat_pence = remaining.vat_pence;
    reversal.net_pence = reversal.gross_pence - reversal.commission_pence - reversal.vat_pence;
    return reversal;
}

std::int64_t remitted_pence(model::AgencyContract const& contract, model::MoneyKind kind, model::MoneySplit const& split)
{
    if (kind == model::MoneyKind::DirectPayment)
        return 0;
    return contract.remittance == model::RemittanceBasis::Net ? split.net_pence : split.gross_pence;
}

model::MoneySplit operator+(model::MoneySplit const& left, model::MoneySplit const& right)
{
    return { left.gross_pence + right.gross_pence, left.commission_pence + right.commission_pence, left.vat_pence + right.vat_pence,
        left.net_pence + right.net_pence };
}

model::MoneySplit operator-(model::MoneySplit const& left, model::MoneySplit const& right)
{
    return { left.gross_pence - right.gross_pence, left.commission_pence - right.commission_pence, left.vat_pence - right.vat_pence,
        left.net_pence - right.net_pence };
}

} // namespace dcagw::money
