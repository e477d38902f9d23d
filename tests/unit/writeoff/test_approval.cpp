#include "gateway/writeoff/approval.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using writeoff::Person;
using writeoff::Tier;
using writeoff::TierTable;

TEST_CASE("the default tiers follow the domain's bands, a limit belonging to the band above")
{
    auto const tiers = TierTable::defaults();
    CHECK(tiers.tier_for(1).role == "line_manager");
    CHECK(tiers.tier_for(4'999).role == "line_manager");
    CHECK(tiers.tier_for(5'000).role == "officer");
    CHECK(tiers.tier_for(499'999).role == "officer");
    CHECK(tiers.tier_for(500'000).role == "chief_finance_officer");
    CHECK(tiers.tier_for(1'000'000).role == "executive_member");
    CHECK(tiers.tier_for(4'999'999).role == "executive_member");
    CHECK(tiers.tier_for(5'000'000).role == "cabinet");
    CHECK(tiers.tier_for(900'000'000'000).role == "cabinet");
}

TEST_CASE("a configured tier table must cover every amount with rising limits and one role each")
{
    CHECK(TierTable::make({ { 10'000, "manager" }, { std::nullopt, "director" } }).ok());
    auto const no_top = TierTable::make({ { 10'000, "manager" } });
    REQUIRE(no_top.is_error());
    CHECK(no_top.error().code() == base::ErrorCode::ConfigInvalid);
    CHECK(no_top.error().message() == "write-off tier 1: the last tier must have no upper limit, so that every amount has an approver");
    CHECK(TierTable::make({ { std::nullopt, "manager" }, { std::nullopt, "director" } }).error().message()
        == "write-off tier 1: only the last tier may be unbounded");
    CHECK(TierTable::make({ { 10'000, "manager" }, { 10'000, "officer" }, { std::nullopt, "director" } }).error().message()
        == "write-off tier 2: limits must rise: 100.00 is not above 100.00");
    CHECK(TierTable::make({ { 10'000, "manager" }, { std::nullopt, "manager" } }).error().message()
        == "write-off tier 2: role 'manager' already has a tier; each role approves one band");
    CHECK(TierTable::make({ { 0, "manager" }, { std::nullopt, "director" } }).is_error());
    CHECK(TierTable::make({}).is_error());
    CHECK(TierTable::make({ { std::nullopt, "" } }).is_error());
}

TEST_CASE("the approver must hold the tier's role and must not be the proposer")
{
    auto const tiers = TierTable::defaults();
    CHECK(writeoff::check_decision(tiers, 4'000, "alice", Person { "bob", "line_manager" }).ok());

    auto const own = writeoff::check_decision(tiers, 4'000, "bob", Person { "bob", "line_manager" });
    REQUIRE(own.is_error());
    CHECK(own.error().message() == "bob proposed this write-off and cannot also decide it");

    auto const wrong_tier = writeoff::check_decision(tiers, 600'000, "alice", Person { "bob", "officer" });
    REQUIRE(wrong_tier.is_error());
    CHECK(wrong_tier.error().code() == base::ErrorCode::Usage);
    CHECK(wrong_tier.error().message() == "a write-off of £6000.00 is decided by the chief_finance_officer tier, not by officer");

    // A role is compared whole: a higher authority does not decide a lower band.
    CHECK(writeoff::check_decision(tiers, 4'000, "alice", Person { "carol", "cabinet" }).is_error());
    CHECK(writeoff::check_decision(tiers, 4'000, "alice", Person { "dan", "line_manager_deputy" }).is_error());
    CHECK(writeoff::check_decision(tiers, 0, "alice", Person { "bob", "line_manager" }).is_error());
    CHECK(writeoff::check_decision(tiers, -100, "alice", Person { "bob", "line_manager" }).is_error());
}
