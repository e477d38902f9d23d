// model/contract: the commercial terms agreed with one agency, as the configuration
// states them (docs/configuration.md, "contract"): what commission it earns on the money
// it collects, VAT on that commission, and how it pays the money over.
//
// Owns: the terms as plain values: rates in basis points (1/100 of a percent: 2500 is
// 25%), fees in pence. Must never: compute anything (money/ does), or hold floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace dcagw::model {

// One commission rate and where it applies: the placement number (1: the first agency
// the debt was placed with, 2: the second, ...) and the debt's age band in days. A band
// with no placement number or no age limit applies to every value of it. The first band
// that applies wins, in configuration order.
struct CommissionBand {
    std::optional<std::int64_t> placement_number;
    std::int64_t min_age_days { 0 };                // inclusive
    std::optional<std::int64_t> max_age_days;       // exclusive; none: no upper limit
    std::int64_t basis_points { 0 };                // 0 to 10000
};

// Gross: the agency pays over every penny collected and invoices its commission. Net: it
// deducts commission and VAT and pays over the rest.
enum class RemittanceBasis : std::uint8_t { Gross, Net };

// Whether commission is due on a payment the debtor made to the creditor direct, after
// placement, that the agency reports.
enum class DirectPaymentCommission : std::uint8_t { NotDue, Due };

struct AgencyContract {
    std::vector<CommissionBand> commission;
    std::int64_t fixed_fee_pence { 0 };       // per payment, on top of the rate; 0: none
    std::int64_t vat_basis_points { 2000 };   // VAT on commission (UK standard rate 20%)
    DirectPaymentCommission direct_payments { DirectPaymentCommission::NotDue };
    RemittanceBasis remittance { RemittanceBasis::Net };
    // A reported payment that is in no payout this many days after its date is flagged.
    std::int64_t payout_due_days { 35 };
};

} // namespace dcagw::model
