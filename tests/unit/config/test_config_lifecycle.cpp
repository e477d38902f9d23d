// Tests of an agency's "lifecycle_policy" (config/config_lifecycle.cpp): the defaults, an
// explicit policy, an unknown action, and the refusal of a hold for an agency whose mapping
// carries no hold message (the bundled InDebted mapping publishes only recalls).
#include "tests/unit/config/config_test_support.hpp"

#include "gateway/base/file.hpp"
#include "gateway/config/config_reader.hpp"

using namespace dcagw::test;

namespace {

// The InDebted agency enabled, with the bundled indebted.json (Transaction Upload and
// Account Recall only) and `policy` as its lifecycle_policy ("" for none).
std::string indebted_with(Installation& installation, std::string const& policy)
{
    auto const bundled = dcagw::base::read_file_limited(fs::path(DCAGW_SOURCE_DIR) / "mappings/indebted.json", 1 << 20);
    REQUIRE(bundled.ok());
    write_file(installation.root() / "mappings/indebted.json", bundled.value());
    auto config = replaced(Installation::valid_config(), R"("id": "indebted", "name": "InDebted", "enabled": false)", R"("id": "indebted", "name": "InDebted", "enabled": true)");
    if (!policy.empty())
        config = replaced(config, R"("agreement": {"reference": "DSA-2026-020")", R"("lifecycle_policy": )" + policy + R"(, "agreement": {"reference": "DSA-2026-020")");
    return config;
}

constexpr char const* all_recall = R"({"breathing_space": "recall", "mental_health_crisis": "recall", "dispute": "recall", "complaint": "recall", "mental_capacity": "recall"})";

} // namespace

TEST_CASE("an agency without lifecycle_policy gets the documented defaults", "[config][lifecycle]")
{
    Installation installation;
    REQUIRE(installation.check(Installation::valid_config()).empty());
    auto const config = dcagw::config::load_config(installation.config_path());
    REQUIRE(config.ok());
    auto const& policy = config.value().agencies[0].lifecycle_policy;
    using dcagw::model::ConcernAction;
    CHECK(policy.breathing_space == ConcernAction::Hold);
    CHECK(policy.mental_health_crisis == ConcernAction::Hold);
    CHECK(policy.dispute == ConcernAction::Hold);
    CHECK(policy.complaint == ConcernAction::Hold);
    CHECK(policy.mental_capacity == ConcernAction::Hold);
    CHECK(policy.insolvency == ConcernAction::Recall);
    CHECK(policy.deceased == ConcernAction::Recall);
}

TEST_CASE("an explicit lifecycle_policy is read; an unknown action or key is a problem", "[config][lifecycle]")
{
    Installation installation;
    auto const config_text = replaced(Installation::valid_config(), R"("agreement": {"reference": "DSA-2026-014")",
        R"("lifecycle_policy": {"dispute": "recall", "deceased": "hold"}, "agreement": {"reference": "DSA-2026-014")");
    REQUIRE(installation.check(config_text).empty());
    auto const config = dcagw::config::load_config(installation.config_path());
    REQUIRE(config.ok());
    CHECK(config.value().agencies[0].lifecycle_policy.dispute == dcagw::model::ConcernAction::Recall);
    CHECK(config.value().agencies[0].lifecycle_policy.deceased == dcagw::model::ConcernAction::Hold);
    CHECK(config.value().agencies[0].lifecycle_policy.complaint == dcagw::model::ConcernAction::Hold);

    check_single_problem(installation.check(replaced(config_text, R"("dispute": "recall")", R"("dispute": "pause")")),
        "/agencies/0/lifecycle_policy/dispute", "'pause' is not an action: hold or recall");
    check_single_problem(installation.check(replaced(config_text, R"("dispute": "recall")", R"("disputes": "recall")")),
        "/agencies/0/lifecycle_policy/disputes", "unknown key");
}

TEST_CASE("config check refuses a hold for InDebted, whose mapping carries no hold", "[config][lifecycle]")
{
    Installation installation;
    auto problems = installation.check(indebted_with(installation, ""));
    INFO(describe(problems));
    // The defaults hold on five concerns: each is named.
    CHECK(problems.size() == 5);
    CHECK(has_problem(problems, "/agencies/1/lifecycle_policy/breathing_space", "agency indebted: the policy holds on breathing_space"));
    CHECK(has_problem(problems, "/agencies/1/lifecycle_policy/dispute", "has no message layout carrying hold"));
    CHECK(has_problem(problems, "/agencies/1/lifecycle_policy/mental_capacity", "set \"mental_capacity\": \"recall\""));

    problems = installation.check(indebted_with(installation, replaced(all_recall, R"("complaint": "recall")", R"("complaint": "hold")")));
    check_single_problem(problems, "/agencies/1/lifecycle_policy/complaint", "agency indebted: the policy holds on complaint");

    CHECK(installation.check(indebted_with(installation, all_recall)).empty());
}
