// A placement run against debts the agencies already hold: the changes each agency is owed
// are recorded once, in the run's transaction (issue 15; docs/lifecycle.md).
#include "gateway/store/ledger.hpp"
#include "gateway/store/lifecycle.hpp"
#include "tests/unit/pipeline/place_example.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

struct Example : test::PlaceExample {
    Example() : PlaceExample("place-lifecycle") {}
};

std::int64_t owed(pipeline::PlaceSummary const& summary, model::MessageKind kind)
{
    std::int64_t total = 0;
    for (auto const& agency : summary.agencies)
        total += agency.messages_owed[static_cast<std::size_t>(kind)];
    return total;
}

} // namespace

TEST_CASE("place: a changed balance and a new dispute become an update and a hold, once")
{
    Example example;
    // Without the audit log (benchmarks) place does not write the messages after its run,
    // so they stay owed here for the test to read (test_messages_write.cpp writes them).
    example.options.record_audit = false;
    auto const first = example.place();
    CHECK(owed(first, model::MessageKind::BalanceUpdate) == 0);
    std::string holder;
    {
        auto ledger = example.open_ledger();
        std::vector<store::OpenPlacement> open;
        REQUIRE(ledger->open_placements_of("FTA-100001", open).ok());
        REQUIRE(open.size() == 1);
        holder = open[0].agency;
        CHECK(open[0].balance_pence == 184532);
    }

    example.set_column("FTA-100001", "balance_pence", "174532");  // the debtor paid the creditor 100.00
    example.set_column("FTA-100001", "dispute", "Y");
    example.options.today = *base::Date::parse("2026-11-24");
    auto const second = example.place();
    CHECK(owed(second, model::MessageKind::Hold) == 1);
    CHECK(owed(second, model::MessageKind::BalanceUpdate) == 1);
    {
        auto ledger = example.open_ledger();
        store::LifecycleMessages messages(*ledger);
        auto const waiting = messages.unwritten(holder).release_value();
        REQUIRE(waiting.size() == 2);
        CHECK(waiting[0].kind == model::MessageKind::Hold);  // the hold goes first
        CHECK(waiting[0].reason == model::ReturnReason::Dispute);
        CHECK(waiting[1].kind == model::MessageKind::BalanceUpdate);
        CHECK(waiting[1].change_pence == -10000);
        CHECK(waiting[0].transaction_ref != waiting[1].transaction_ref);
        std::vector<store::OpenPlacement> open;
        REQUIRE(ledger->open_placements_of("FTA-100001", open).ok());
        CHECK(open[0].told_change_pence == -10000);
        CHECK(open[0].told_hold == "DSP");
    }

    // The same export again: the agency was told already, nothing more is owed.
    auto const third = example.place();
    for (std::size_t kind = 0; kind < 5; ++kind)
        CHECK(owed(third, static_cast<model::MessageKind>(kind)) == 0);

    // The dispute resolved: a release.
    example.set_column("FTA-100001", "dispute", "N");
    auto const fourth = example.place();
    CHECK(owed(fourth, model::MessageKind::Release) == 1);
    CHECK(owed(fourth, model::MessageKind::BalanceUpdate) == 0);
    auto ledger = example.open_ledger();
    store::LifecycleMessages messages(*ledger);
    CHECK(messages.unwritten(holder).release_value().size() == 3);
}

TEST_CASE("place: a debt whose new balance is a credit is quarantined, nothing is owed")
{
    Example example;
    example.place();
    example.set_column("FTA-100001", "balance_pence", "-500");
    auto const second = example.place();
    CHECK(owed(second, model::MessageKind::BalanceUpdate) == 0);
    auto const& rejections = second.rejections;
    auto const found = std::find_if(rejections.begin(), rejections.end(), [](model::Rejection const& rejection) { return rejection.account_ref == "FTA-100001"; });
    REQUIRE(found != rejections.end());
    CHECK(found->field == "balance_pence");
    CHECK_THAT(found->reason, Catch::Contains("nothing is sent for this debt"));
    CHECK(second.rejections.size() == example.place().rejections.size());  // the example's own bad rows, and this one
}

namespace {

// Keeps the header and the first `rows` rows of the example's export: what a truncated
// export looks like.
void truncate_export(test::PlaceExample& example, std::size_t rows)
{
    auto text = test::read_text(example.work / "cases.csv");
    std::size_t end = 0;
    for (std::size_t line = 0; line <= rows; ++line)
        end = text.find('\n', end) + 1;
    std::ofstream(example.work / "cases.csv", std::ios::trunc) << text.substr(0, end);
}

} // namespace

TEST_CASE("place: an export missing most open debts is refused unless the operator confirms")
{
    Example example;
    auto const first = example.place();
    CHECK(first.open_accounts == 0);
    auto const placed = first.agencies[0].placed;
    REQUIRE(placed > 4);

    truncate_export(example, 2);
    example.options.today = *base::Date::parse("2026-11-24");
    auto refused = pipeline::place(example.config, example.options);
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::RecordInvalid);
    CHECK_THAT(refused.error().to_text(), Catch::Contains("accounts with open placements are missing from this export"));
    CHECK_THAT(refused.error().to_text(), Catch::Contains("cases.csv"));
    {
        auto ledger = example.open_ledger();
        auto const runs = ledger->list_runs().release_value();
        CHECK(runs.back().status == "failed");
    }

    example.options.mass_change = lifecycle::MassChange::Confirmed;
    auto const confirmed = example.place();
    CHECK(confirmed.open_accounts >= placed - 1);  // joint debtors share an account
    CHECK(confirmed.open_accounts_listed <= 2);
    // Nothing was closed: every placement is still open.
    auto ledger = example.open_ledger();
    CHECK(ledger->count_open_accounts().release_value() == confirmed.open_accounts);
}

TEST_CASE("place: a few debts missing from the export are reported and left open")
{
    Example example;
    example.config.vanished.max_share_percent = 100;
    example.place();
    truncate_export(example, 3);
    auto const second = example.place();
    CHECK(second.open_accounts > second.open_accounts_listed);
    CHECK(second.open_accounts_listed > 0);
    CHECK(example.open_ledger()->count_open_accounts().release_value() == second.open_accounts);
}
