// A debt an agency gave back (returned, closed, recalled or rejected) that stays in the
// export: the next run does not send it to that agency again, and does not fail on it.
#include "gateway/store/ledger.hpp"
#include "tests/unit/pipeline/place_example.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;

namespace {

std::int64_t excluded(pipeline::PlaceSummary const& summary, model::ExclusionReason reason)
{
    std::int64_t total = 0;
    for (auto const& agency : summary.agencies)
        total += agency.excluded[static_cast<std::size_t>(reason)];
    return total;
}

pipeline::PlaceSummary place(test::PlaceExample& example)
{
    auto placed = pipeline::place(example.config, example.options);
    if (placed.is_error())
        FAIL(placed.error().to_text());
    return placed.release_value();
}

} // namespace

TEST_CASE("place: a debt the agency returned is not placed with it again")
{
    auto const status = GENERATE(as<std::string> {}, "returned", "closed", "recalled");
    test::PlaceExample example("place-ended");
    auto const first = place(example);
    REQUIRE(first.agencies.size() == 1);
    auto const placed_first = first.agencies[0].placed;
    REQUIRE(placed_first > 0);
    {
        auto ledger = store::Ledger::open(example.config.state_directory, store::OpenMode::MustExist).release_value();
        REQUIRE(ledger->set_placement_status("example-agency", "FTA-100001", "P-500001", status).ok());
    }

    example.options.today = *base::Date::parse("2026-11-24");
    auto const second = place(example);
    CHECK(excluded(second, model::ExclusionReason::PreviouslyPlaced) == 1);
    CHECK(second.agencies[0].placed == 0);
    CHECK(excluded(second, model::ExclusionReason::AlreadyPlaced) == placed_first - 1);

    auto ledger = store::Ledger::open(example.config.state_directory, store::OpenMode::MustExist).release_value();
    store::AccountPlacements placements;
    REQUIRE(ledger->placements_of("FTA-100001", placements).ok());
    CHECK(placements.open.empty());
    REQUIRE(placements.ended.size() == 1);
    CHECK(placements.ended[0].agency == "example-agency");
}
