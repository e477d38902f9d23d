// Suspense decisions: an item resolved to one of our accounts (a payment item becomes that
// placement's payment) or rejected, once, with who and why in the audit log.
#include "ingest_test_support.hpp"

#include "gateway/ingest/suspense_resolution.hpp"
#include "gateway/store/audit_log.hpp"

using namespace dcagw;
using namespace dcagw::ingest;
using namespace dcagw::ingest::testing;
using model::ReturnKind;

namespace {

// The bodies of the log's `command` entries (the canonical encoding holds the texts as is).
std::vector<std::string> command_entries(store::Ledger& ledger)
{
    std::vector<std::string> bodies;
    expect_ok(ledger.audit().entries_of_kind("command", [&](store::AuditEntryRow const& row) {
        bodies.emplace_back(row.body);
        return true;
    }));
    return bodies;
}

model::GatewayConfig config_of(Workspace const& work)
{
    model::GatewayConfig config;
    config.agencies.push_back(work.agency);
    return config;
}

} // namespace

TEST_CASE("a suspense payment resolved to our account becomes that placement's payment, audited")
{
    Workspace work;
    expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-OLD", "PAY-1", 2000) }));
    store::Returns returns(*work.ledger);
    auto const items = expect_ok(returns.list_suspense(std::nullopt, store::SuspenseState::Open));
    REQUIRE(items.size() == 1);
    auto const config = config_of(work);

    auto const unknown = decide_suspense(*work.ledger, config, { items[0].id, std::string("NO-SUCH"), "quoted an old reference", "operator:alice" });
    REQUIRE(unknown.is_error());
    CHECK(unknown.error().to_text().find("account NO-SUCH was never placed with agency-a") != std::string::npos);
    CHECK(decide_suspense(*work.ledger, config, { items[0].id, std::string("A2"), "", "operator:alice" }).is_error()); // no reason

    auto const outcome = expect_ok(decide_suspense(*work.ledger, config, { items[0].id, std::string("A2"), "quoted an old reference", "operator:alice" }));
    CHECK(outcome.state == "resolved");
    CHECK(outcome.payment_applied);
    auto const payment = expect_ok(returns.find_payment("agency-a", "PAY-1"));
    REQUIRE(payment);
    CHECK(payment->split == model::MoneySplit { 2000, 500, 100, 1400 });
    CHECK(expect_ok(returns.placement_money(payment->placement)).outstanding() == 3000);
    auto const resolved = expect_ok(returns.find_suspense(items[0].id));
    CHECK(resolved->resolved_by == "operator:alice");
    CHECK(resolved->resolved_account == "A2");
    auto const entries = command_entries(*work.ledger);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].find("suspense resolve") != std::string::npos);
    CHECK(entries[0].find("operator:alice") != std::string::npos);
    CHECK(entries[0].find("resolved to account A2: quoted an old reference") != std::string::npos);

    auto const twice = decide_suspense(*work.ledger, config, { items[0].id, std::nullopt, "changed my mind", "operator:bob" });
    REQUIRE(twice.is_error());
    CHECK(twice.error().to_text().find("already resolved") != std::string::npos);
}

TEST_CASE("a rejected suspense item applies nothing and is recorded with who and why")
{
    Workspace work;
    expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-OLD", "PAY-1", 2000) }));
    store::Returns returns(*work.ledger);
    auto const items = expect_ok(returns.list_suspense(std::nullopt, std::nullopt));
    REQUIRE(items.size() == 1);
    auto const outcome = expect_ok(decide_suspense(*work.ledger, config_of(work), { items[0].id, std::nullopt, "another creditor's debtor", "operator:bob" }));
    CHECK(outcome.state == "rejected");
    CHECK_FALSE(expect_ok(returns.find_payment("agency-a", "PAY-1")));
    auto const rejected = expect_ok(returns.find_suspense(items[0].id));
    CHECK(rejected->state == store::SuspenseState::Rejected);
    CHECK(rejected->resolved_reason == "another creditor's debtor");
    CHECK(expect_ok(returns.list_suspense(std::nullopt, store::SuspenseState::Open)).empty());
    auto const entries = command_entries(*work.ledger);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].find("rejected: another creditor's debtor") != std::string::npos);
    CHECK(entries[0].find("operator:bob") != std::string::npos);
}

TEST_CASE("an unmatched payment sent again is a duplicate, not a second suspense item; resolved, it stays one payment")
{
    Workspace work;
    expect_ok(work.apply(facts("p1.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-OLD", "PAY-1", 2000) }));
    auto const again = expect_ok(work.apply(facts("p2.csv", "s2", ReturnKind::Payment),
        { payment_line(2, "REF-OLD", "PAY-1", 2000), payment_line(3, "REF-OLD", "PAY-1", 2001) }));
    CHECK(again.counts.duplicates == 1);
    CHECK(again.counts.conflicts == 1);
    CHECK(again.counts.suspense == 0);
    store::Returns returns(*work.ledger);
    auto const items = expect_ok(returns.list_suspense(std::nullopt, std::nullopt));
    REQUIRE(items.size() == 1);
    expect_ok(decide_suspense(*work.ledger, config_of(work), { items[0].id, std::string("A2"), "old reference", "operator:alice" }));
    auto const later = expect_ok(work.apply(facts("p3.csv", "s3", ReturnKind::Payment), { payment_line(2, "REF-OLD", "PAY-1", 2000) }));
    CHECK(later.counts.duplicates == 1);
    CHECK(later.counts.conflicts == 0);
    std::int64_t payments = 0;
    expect_ok(returns.for_each_payment({}, [&](store::MoneyRecord const&) { ++payments; }));
    CHECK(payments == 1);
}

TEST_CASE("a suspense item is recorded unassigned and gets an owner by suspense assign, audited")
{
    Workspace work;
    expect_ok(work.apply(facts("p.csv", "s1", ReturnKind::Payment), { payment_line(2, "REF-OLD", "PAY-1", 2000), payment_line(3, "REF-OLDER", "PAY-2", 100) }));
    store::Returns returns(*work.ledger);
    auto const items = expect_ok(returns.list_suspense(std::nullopt, std::nullopt));
    REQUIRE(items.size() == 2);
    CHECK(items[0].owner.empty());

    CHECK(expect_ok(assign_suspense(*work.ledger, { items[0].id, "income-team", "operator:bob" })).empty());
    CHECK(expect_ok(assign_suspense(*work.ledger, { items[0].id, "alice", "operator:bob" })) == "income-team");
    CHECK(expect_ok(returns.find_suspense(items[0].id))->owner == "alice");
    auto const entries = command_entries(*work.ledger);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].find("assigned to income-team (was unassigned)") != std::string::npos);
    CHECK(entries[1].find("assigned to alice (was income-team)") != std::string::npos);
    CHECK(entries[0].find("operator:bob") != std::string::npos);

    auto const empty = assign_suspense(*work.ledger, { items[0].id, "", "operator:bob" });
    REQUIRE(empty.is_error());
    CHECK(empty.error().code() == base::ErrorCode::Usage);
    CHECK(assign_suspense(*work.ledger, { items[0].id, "tab\there", "operator:bob" }).is_error());
    auto const missing = assign_suspense(*work.ledger, { 999, "alice", "operator:bob" });
    REQUIRE(missing.is_error());
    CHECK(missing.error().code() == base::ErrorCode::NotFound);
    // A decided item keeps the owner it had.
    expect_ok(assign_suspense(*work.ledger, { items[1].id, "income-team", "operator:bob" }));
    expect_ok(decide_suspense(*work.ledger, config_of(work), { items[1].id, std::nullopt, "not ours", "operator:bob" }));
    auto const decided = assign_suspense(*work.ledger, { items[1].id, "alice", "operator:bob" });
    REQUIRE(decided.is_error());
    CHECK(decided.error().code() == base::ErrorCode::Usage);
    CHECK(expect_ok(returns.find_suspense(items[1].id))->owner == "income-team");
    CHECK(command_entries(*work.ledger).size() == 4);
}
