// Commission, VAT and net per line, in exact pence, and refunds that reverse a payment
// exactly (docs/returns-ledger.md, "Money").
#include "gateway/money/commission.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using money::CommissionBasis;
using model::MoneyKind;
using model::MoneySplit;

namespace {

// 25% on a first placement under a year old, 30% older; 40% on any second placement.
model::AgencyContract contract()
{
    model::AgencyContract terms;
    terms.commission = {
        { 1, 0, 365, 2500 },
        { 1, 365, std::nullopt, 3000 },
        { 2, 0, std::nullopt, 4000 },
    };
    terms.vat_basis_points = 2000;
    return terms;
}

MoneySplit split(model::AgencyContract const& terms, MoneyKind kind, std::int64_t gross, CommissionBasis basis = {})
{
    auto result = money::split_payment(terms, kind, gross, basis);
    if (result.is_error())
        FAIL(result.error().to_text());
    return result.value();
}

} // namespace

TEST_CASE("rounding is half up to the penny, on each line")
{
    CHECK(money::scale_half_up(1, 2500, 10000) == 0);   // 0.25p
    CHECK(money::scale_half_up(2, 2500, 10000) == 1);   // 0.5p rounds up
    CHECK(money::scale_half_up(3, 2500, 10000) == 1);   // 0.75p
    CHECK(money::scale_half_up(10001, 2500, 10000) == 2500); // 2500.25p
    CHECK(money::scale_half_up(10002, 2500, 10000) == 2501); // 2500.5p
    CHECK(money::scale_half_up(std::int64_t { 1 } << 61, 10000, 10000) == std::int64_t { 1 } << 61); // no overflow
}

TEST_CASE("a payment's commission follows the placement number and debt age band")
{
    auto const terms = contract();
    CHECK(split(terms, MoneyKind::Payment, 10000) == MoneySplit { 10000, 2500, 500, 7000 });
    CHECK(split(terms, MoneyKind::Payment, 10000, { 1, 364 }) == MoneySplit { 10000, 2500, 500, 7000 });
    CHECK(split(terms, MoneyKind::Payment, 10000, { 1, 365 }) == MoneySplit { 10000, 3000, 600, 6400 });
    CHECK(split(terms, MoneyKind::Payment, 10000, { 2, 10 }) == MoneySplit { 10000, 4000, 800, 5200 });
    // £12.34 at 25%: 308.5p -> 309p commission; VAT 61.8p -> 62p; net 1234 - 309 - 62.
    CHECK(split(terms, MoneyKind::Payment, 1234) == MoneySplit { 1234, 309, 62, 863 });
    auto const none = money::split_payment(terms, MoneyKind::Payment, 10000, { 3, 0 });
    REQUIRE(none.is_error());
    CHECK(none.error().code() == base::ErrorCode::RecordInvalid);
    CHECK(money::split_payment(terms, MoneyKind::Payment, 0, {}).is_error());
    CHECK(money::split_payment(terms, MoneyKind::Payment, -5, {}).is_error());
}

TEST_CASE("a fixed fee is added to each payment's commission and bears VAT")
{
    auto terms = contract();
    terms.fixed_fee_pence = 150;
    // 2500 + 150 = 2650 commission, VAT 530.
    CHECK(split(terms, MoneyKind::Payment, 10000) == MoneySplit { 10000, 2650, 530, 6820 });
}

TEST_CASE("a direct payment earns commission only when the contract says it is due")
{
    auto terms = contract();
    CHECK(split(terms, MoneyKind::DirectPayment, 10000) == MoneySplit { 10000, 0, 0, 10000 });
    terms.direct_payments = model::DirectPaymentCommission::Due;
    CHECK(split(terms, MoneyKind::DirectPayment, 10000) == MoneySplit { 10000, 2500, 500, 7000 });
    CHECK(money::remitted_pence(terms, MoneyKind::DirectPayment, MoneySplit { 10000, 2500, 500, 7000 }) == 0);
}

TEST_CASE("the amount paid over is net or gross as the remittance basis says")
{
    auto terms = contract();
    MoneySplit const line { 10000, 2500, 500, 7000 };
    CHECK(money::remitted_pence(terms, MoneyKind::Payment, line) == 7000);
    terms.remittance = model::RemittanceBasis::Gross;
    CHECK(money::remitted_pence(terms, MoneyKind::Payment, line) == 10000);
}

TEST_CASE("a full refund reverses the payment and its commission exactly")
{
    MoneySplit const payment { 1234, 309, 62, 863 };
    auto const reversal = money::reverse_payment(payment, {}, 1234);
    REQUIRE(reversal.ok());
    CHECK(reversal.value() == payment);
}

TEST_CASE("partial refunds reverse in proportion and together never more than the payment")
{
    MoneySplit const payment { 1000, 333, 67, 600 };
    MoneySplit reversed {};
    // Three refunds of 333p, 333p and 334p: the last takes exactly what is left.
    for (std::int64_t const amount : { 333, 333, 334 }) {
        auto const reversal = money::reverse_payment(payment, reversed, amount);
        REQUIRE(reversal.ok());
        CHECK(reversal.value().gross_pence == amount);
        CHECK(reversal.value().net_pence == amount - reversal.value().commission_pence - reversal.value().vat_pence);
        reversed = money::operator+(reversed, reversal.value());
    }
    CHECK(reversed == payment);
    // 333 of 1000 at 333p commission: 110.889 -> 111; VAT 22.311 -> 22.
    CHECK(money::reverse_payment(payment, {}, 333).value() == MoneySplit { 333, 111, 22, 200 });
    auto const over = money::reverse_payment(payment, reversed, 1);
    REQUIRE(over.is_error());
    CHECK(over.error().to_text().find("exceeds what is left of the payment (0 of 1000 pence)") != std::string::npos);
    CHECK(money::reverse_payment(payment, {}, 1001).is_error());
}
