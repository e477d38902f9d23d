#include "gateway/writeoff/candidates.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using model::ReturnReason;
using writeoff::CandidateReason;

namespace {

base::Date const today { 2026, 12, 7 };

writeoff::CaseFacts owing(std::int64_t pence)
{
    writeoff::CaseFacts facts;
    facts.account_ref = "ACC-1";
    facts.balance_pence = pence;
    facts.due_date = base::Date { 2024, 12, 7 };
    facts.limitation.status = rules::LimitationStatus::InTime;
    return facts;
}

std::vector<writeoff::Candidate> candidates(writeoff::CaseFacts const& facts, writeoff::CandidateRules const& rules = {})
{
    return writeoff::candidates_for(facts, rules, writeoff::TierTable::defaults(), today);
}

std::vector<CandidateReason> reasons(std::vector<writeoff::Candidate> const& found)
{
    std::vector<CandidateReason> result;
    for (auto const& candidate : found)
        result.push_back(candidate.reason);
    return result;
}

} // namespace

TEST_CASE("a debt with no qualifying facts is no candidate, and a credit balance never is")
{
    CHECK(candidates(owing(120'000)).empty());
    auto credit = owing(-500);
    credit.last_letter = writeoff::Evidence { "reminder letter", base::Date { 2026, 1, 1 }, "letters" };
    CHECK(candidates(credit).empty());
}

TEST_CASE("a candidate shows the amount, the debt's age, its evidence and the deciding tier")
{
    auto facts = owing(3'000);
    facts.last_letter = writeoff::Evidence { "final reminder", base::Date { 2026, 10, 1 }, "letters log" };
    auto const found = candidates(facts);
    REQUIRE(found.size() == 1);
    CHECK(found[0].reason == CandidateReason::Uneconomic);
    CHECK(found[0].amount_pence == 3'000);
    CHECK(found[0].debt_age_days == 730);
    CHECK(found[0].tier_role == "line_manager");
    REQUIRE(found[0].evidence.size() == 1);
    CHECK(found[0].evidence[0].what == "final reminder");
}

TEST_CASE("uneconomic needs a small balance and a letter at least the configured days ago")
{
    auto facts = owing(4'999);
    CHECK(candidates(facts).empty()); // no letter
    facts.last_letter = writeoff::Evidence { "reminder", base::Date { 2026, 11, 10 }, "letters" }; // 27 days
    CHECK(candidates(facts).empty());
    facts.last_letter->date = base::Date { 2026, 11, 9 }; // 28 days
    CHECK(reasons(candidates(facts)) == std::vector { CandidateReason::Uneconomic });
    facts.balance_pence = 5'000;
    CHECK(candidates(facts).empty());
    writeoff::CandidateRules lenient;
    lenient.uneconomic_below_pence = 10'000;
    CHECK(reasons(candidates(facts, lenient)) == std::vector { CandidateReason::Uneconomic });
}

TEST_CASE("deceased needs the death, a no-estate confirmation and no joint party left")
{
    auto facts = owing(800'000); // £8,000
    facts.death = writeoff::Evidence { "deceased (export)", base::Date { 2026, 3, 2 }, "cases.csv line 4" };
    CHECK(candidates(facts).empty());
    facts.no_estate = writeoff::Evidence { "executor confirmed no estate", base::Date { 2026, 6, 1 }, "letter from executor" };
    auto found = candidates(facts);
    REQUIRE(reasons(found) == std::vector { CandidateReason::Deceased });
    CHECK(found[0].evidence.size() == 2);
    CHECK(found[0].tier_role == "chief_finance_officer");
    facts.joint_party_remaining = true;
    CHECK(candidates(facts).empty());
}

TEST_CASE("gone away needs an in-house and an agency trace, both failed and not found since")
{
    auto facts = owing(20'000);
    facts.traces.push_back({ "in-house", false, base::Date { 2026, 5, 1 }, "trace log" });
    CHECK(candidates(facts).empty());
    facts.traces.push_back({ "ophelos", false, base::Date { 2026, 8, 1 }, "ophelos trace file line 2" });
    facts.returns.push_back({ "ophelos", ReturnReason::GoneAway, base::Date { 2026, 8, 2 }, "ophelos closure line 5", "" });
    auto found = candidates(facts);
    REQUIRE(reasons(found) == std::vector { CandidateReason::GoneAway });
    CHECK(found[0].evidence.size() == 3);
    CHECK(found[0].evidence[1].what == "ophelos trace failed");
    facts.traces.push_back({ "indebted", true, base::Date { 2026, 9, 1 }, "indebted trace line 1" });
    CHECK(candidates(facts).empty()); // a later agency trace found the person
}

TEST_CASE("statute-barred cites the limitation calculation")
{
    auto facts = owing(15'000);
    facts.limitation.status = rules::LimitationStatus::StatuteBarred;
    facts.limitation.expiry = base::Date { 2025, 1, 1 };
    facts.limitation.explanation = "six years from the due date 2019-01-01";
    auto const found = candidates(facts);
    REQUIRE(reasons(found) == std::vector { CandidateReason::StatuteBarred });
    CHECK(found[0].evidence[0].what == "limitation: six years from the due date 2019-01-01");
    CHECK(found[0].evidence[0].date == base::Date { 2025, 1, 1 });
}

TEST_CASE("insolvency needs an insolvency return with its reference")
{
    auto facts = owing(15'000);
    facts.returns.push_back({ "ophelos", ReturnReason::InsolvencyDro, base::Date { 2026, 4, 1 }, "closure line 2", "" });
    CHECK(candidates(facts).empty());
    facts.returns.push_back({ "ophelos", ReturnReason::InsolvencyDro, base::Date { 2026, 4, 2 }, "closure line 3", "DRO-12345" });
    auto const found = candidates(facts);
    REQUIRE(reasons(found) == std::vector { CandidateReason::Insolvency });
    CHECK(found[0].evidence[0].what == "ophelos returned the debt: INS-DRO (reference DRO-12345)");
}

TEST_CASE("process exhausted needs PEX from the configured number of different agencies")
{
    auto facts = owing(15'000);
    facts.returns.push_back({ "ophelos", ReturnReason::ProcessExhausted, base::Date { 2026, 4, 1 }, "a", "" });
    facts.returns.push_back({ "ophelos", ReturnReason::ProcessExhausted, base::Date { 2026, 5, 1 }, "b", "" });
    CHECK(candidates(facts).empty());
    facts.returns.push_back({ "indebted", ReturnReason::ProcessExhausted, base::Date { 2026, 6, 1 }, "c", "" });
    auto const found = candidates(facts);
    REQUIRE(reasons(found) == std::vector { CandidateReason::ProcessExhausted });
    CHECK(found[0].evidence.size() == 2);
    writeoff::CandidateRules three;
    three.process_exhausted_agencies = 3;
    CHECK(candidates(facts, three).empty());
}

TEST_CASE("a debt meeting several rules is a candidate under each, in the rules' order")
{
    auto facts = owing(2'000);
    facts.last_letter = writeoff::Evidence { "reminder", base::Date { 2026, 1, 1 }, "letters" };
    facts.limitation.status = rules::LimitationStatus::StatuteBarred;
    facts.limitation.expiry = base::Date { 2025, 1, 1 };
    CHECK(reasons(candidates(facts)) == std::vector { CandidateReason::Uneconomic, CandidateReason::StatuteBarred });
}
