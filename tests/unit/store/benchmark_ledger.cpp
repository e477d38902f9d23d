// Hot-path timing, hidden by default ("[.benchmark]"): run it with
//   ./build/tests/unit_store "[.benchmark]"
// A placement run does one open_placements_of lookup and one add_placement (or an
// add_exclusion) per case inside one transaction; a million of either should take well
// under 1.5 seconds on a two-core machine with a release build.
#include "ledger_test_support.hpp"

#include <chrono>
#include <cstdio>
#include <sys/resource.h>

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

constexpr int case_count = 1'000'000;

// Pseudonyms are keyed hashes: spread evenly, unlike account references, which is the
// harder case for the (agency, pseudonym) index.
std::uint64_t mix(std::uint64_t value)
{
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of this process so far. The limit is checked against CPU
// time because wall time on a shared build machine mostly measures the other jobs.
double cpu_seconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

TEST_CASE("a million placement lookups and inserts in one transaction", "[.benchmark]")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const batch = make_batch(*ledger, run, "agency-a", "20261123", "a-1.csv");
    auto const fields = expect_ok(ledger->intern_field_set({ "account_ref", "balance_pence", "first_name", "last_name", "postcode" }));

    std::vector<OpenPlacement> open;
    char account[16];
    char person[16];
    char pseudonym[32];
    auto const start = std::chrono::steady_clock::now();
    double const cpu_start = cpu_seconds();
    expect_ok(ledger->begin());
    for (int index = 0; index < case_count; ++index) {
        std::snprintf(account, sizeof account, "HA%08d", index);
        std::snprintf(person, sizeof person, "PER%07d", index);
        std::snprintf(pseudonym, sizeof pseudonym, "P%016llx%08x", static_cast<unsigned long long>(mix(static_cast<std::uint64_t>(index))),
            static_cast<unsigned>(index));
        auto looked_up = ledger->open_placements_of(account, open);
        REQUIRE(looked_up.ok());
        PlacementRow row;
        row.run = run;
        row.batch = batch;
        row.agency = "agency-a";
        row.account_ref = account;
        row.person_ref = person;
        row.pseudonym = pseudonym;
        row.debt_type = "FTA";
        row.balance_pence = 10000 + index;
        row.field_set = fields;
        auto added = ledger->add_placement(row);
        if (added.is_error())
            FAIL(added.error().to_text());
    }
    double const loop_seconds = seconds_since(start);
    expect_ok(ledger->commit());
    double const total_seconds = seconds_since(start);
    double const total_cpu = cpu_seconds() - cpu_start;
    WARN("1,000,000 x (open_placements_of + add_placement): " << loop_seconds << " s in the transaction, " << total_seconds
                                                              << " s with commit (wall), " << total_cpu << " s CPU");
    // A benchmark reports; it asserts no timing (docs/performance.md records the numbers).

    // A second pass sees every case as already placed: the lookup now finds a row.
    auto const hit_start = std::chrono::steady_clock::now();
    double const hit_cpu_start = cpu_seconds();
    std::size_t found = 0;
    for (int index = 0; index < case_count; ++index) {
        std::snprintf(account, sizeof account, "HA%08d", index);
        REQUIRE(ledger->open_placements_of(account, open).ok());
        found += open.size();
    }
    double const hit_seconds = seconds_since(hit_start);
    WARN("1,000,000 x open_placements_of finding one open placement: " << hit_seconds << " s wall, " << cpu_seconds() - hit_cpu_start << " s CPU");
    CHECK(found == static_cast<std::size_t>(case_count));
}

TEST_CASE("a million exclusions in one transaction", "[.benchmark]")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    char account[16];
    char person[16];
    auto const start = std::chrono::steady_clock::now();
    double const cpu_start = cpu_seconds();
    expect_ok(ledger->begin());
    for (int index = 0; index < case_count; ++index) {
        std::snprintf(account, sizeof account, "HA%08d", index);
        std::snprintf(person, sizeof person, "PER%07d", index);
        auto const reason = static_cast<model::ExclusionReason>(index % static_cast<int>(model::exclusion_reason_count));
        auto added = ledger->add_exclusion(run, index % 2 == 0 ? "agency-a" : "agency-b", account, person, reason);
        if (added.is_error())
            FAIL(added.error().to_text());
    }
    expect_ok(ledger->commit());
    double const seconds = seconds_since(start);
    double const cpu = cpu_seconds() - cpu_start;
    WARN("1,000,000 x add_exclusion: " << seconds << " s with commit (wall), " << cpu << " s CPU");

    auto const counts_start = std::chrono::steady_clock::now();
    double const counts_cpu_start = cpu_seconds();
    auto const counts = expect_ok(ledger->exclusion_counts(run));
    WARN("exclusion_counts over 1,000,000 rows: " << seconds_since(counts_start) << " s wall, " << cpu_seconds() - counts_cpu_start << " s CPU");
    CHECK(counts.size() == 2 * model::exclusion_reason_count);
}
