// The returns matching index, timed, hidden by default ("[.benchmark]"):
//   ./build/tests/unit_store "[.benchmark]"
// A placement run pays nothing for the (agency, pseudonym) index: ingest brings it up to
// date from the placements added since its mark. This measures that catch-up for a
// million placements, and a million look-ups through it (docs/performance.md).
#include "ledger_test_support.hpp"

#include "gateway/store/returns.hpp"

#include <chrono>
#include <cstdio>

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

constexpr int placement_count = 1'000'000;

std::uint64_t spread(std::uint64_t value)
{
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

void pseudonym_of(int index, char (&out)[32])
{
    std::snprintf(out, sizeof out, "P%016llx%08x", static_cast<unsigned long long>(spread(static_cast<std::uint64_t>(index))), static_cast<unsigned>(index));
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_CASE("the pseudonym index catches up on a million placements and serves a million look-ups", "[.benchmark]")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-23"));
    auto const batch = make_batch(*ledger, run, "agency-a", "20261123", "a-1.csv");
    char account[16];
    char person[16];
    char pseudonym[32];
    auto const place_start = std::chrono::steady_clock::now();
    expect_ok(ledger->begin());
    for (int index = 0; index < placement_count; ++index) {
        std::snprintf(account, sizeof account, "HA%08d", index);
        std::snprintf(person, sizeof person, "PER%07d", index);
        pseudonym_of(index, pseudonym);
        expect_ok(ledger->add_placement(make_row(run, batch, "agency-a", account, person, pseudonym, 0)));
    }
    expect_ok(ledger->commit());
    WARN("1,000,000 x add_placement (no pseudonym index): " << seconds_since(place_start) << " s");

    Returns returns(*ledger);
    auto const index_start = std::chrono::steady_clock::now();
    expect_ok(ledger->begin());
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == placement_count);
    expect_ok(ledger->commit());
    WARN("refresh_pseudonym_index over 1,000,000 new placements: " << seconds_since(index_start) << " s");

    auto const again_start = std::chrono::steady_clock::now();
    CHECK(expect_ok(returns.refresh_pseudonym_index("agency-a")) == 0);
    WARN("refresh_pseudonym_index with nothing new: " << seconds_since(again_start) << " s");

    std::vector<MatchedPlacement> found;
    std::size_t matched = 0;
    auto const lookup_start = std::chrono::steady_clock::now();
    for (int index = 0; index < placement_count; ++index) {
        pseudonym_of(static_cast<int>(spread(static_cast<std::uint64_t>(index)) % placement_count), pseudonym);
        expect_ok(returns.placements_with_pseudonym("agency-a", pseudonym, found));
        matched += found.size();
    }
    WARN("1,000,000 x placements_with_pseudonym (random order): " << seconds_since(lookup_start) << " s");
    CHECK(matched == static_cast<std::size_t>(placement_count));
}
