// Tests of the agency "contract" object (config/config_contract.cpp): bands, fee, VAT,
// direct payments and remittance basis load; problems are found at their JSON paths.
#include "tests/unit/config/config_test_support.hpp"

using namespace dcagw::test;

namespace {

std::string with_contract(std::string const& contract)
{
    return replaced(Installation::valid_config(), R"("agreement": {"reference": "DSA-2026-014")", R"("contract": )" + contract + R"(, "agreement": {"reference": "DSA-2026-014")");
}

} // namespace

TEST_CASE("an agency's contract loads with its bands and terms", "[config][contract]")
{
    Installation installation;
    auto const problems = installation.check(with_contract(R"({"commission": [{"placement_number": 1, "max_age_days": 365, "basis_points": 1500},
        {"basis_points": 3500}], "fixed_fee_pence": 150, "vat_basis_points": 2000, "commission_on_direct_payments": true,
        "remittance_basis": "gross", "payout_due_days": 40})"));
    INFO(describe(problems));
    REQUIRE(problems.empty());
    auto loaded = dcagw::config::load_config(installation.config_path());
    REQUIRE(loaded.ok());
    auto const& contract = loaded.value().agencies[0].contract;
    REQUIRE(contract.has_value());
    REQUIRE(contract->commission.size() == 2);
    CHECK(contract->commission[0].placement_number == 1);
    CHECK(contract->commission[0].max_age_days == 365);
    CHECK(contract->commission[0].basis_points == 1500);
    CHECK_FALSE(contract->commission[1].placement_number.has_value());
    CHECK(contract->fixed_fee_pence == 150);
    CHECK(contract->direct_payments == dcagw::model::DirectPaymentCommission::Due);
    CHECK(contract->remittance == dcagw::model::RemittanceBasis::Gross);
    CHECK(contract->payout_due_days == 40);
    CHECK_FALSE(loaded.value().agencies[1].contract.has_value());
}

TEST_CASE("contract problems are reported at their paths", "[config][contract]")
{
    Installation installation;
    auto const problems = installation.check(with_contract(R"({"commission": [{"basis_points": 10001}, {"min_age_days": 30, "max_age_days": 30,
        "basis_points": 10}], "remittance_basis": "nett", "vat_basis_points": 20000, "rate": 1})"));
    auto const text = describe(problems);
    INFO(text);
    CHECK(has_problem(problems, "/agencies/0/contract/commission/0/basis_points", "at most 10000"));
    CHECK(has_problem(problems, "/agencies/0/contract/commission/1/max_age_days", "above min_age_days"));
    CHECK(has_problem(problems, "/agencies/0/contract/remittance_basis", "'gross' or 'net'"));
    CHECK(has_problem(problems, "/agencies/0/contract/vat_basis_points", "at most 10000"));
    CHECK(has_problem(problems, "/agencies/0/contract/rate", "unknown key"));
    CHECK_FALSE(installation.check(with_contract(R"({"commission": []})")).empty());
}
