#include "gateway/cli/progress.hpp"

#include <catch2/catch.hpp>

using dcagw::cli::files_time_left;

TEST_CASE("the time left of a run of files follows the pace of the files done")
{
    CHECK_FALSE(files_time_left(5.0, 0, 10).has_value()); // nothing finished yet
    CHECK_FALSE(files_time_left(5.0, 3, 0).has_value());  // count unknown
    CHECK_FALSE(files_time_left(5.0, 10, 10).has_value()); // done
    CHECK_FALSE(files_time_left(0.0, 1, 10).has_value());
    REQUIRE(files_time_left(6.0, 3, 10).has_value());
    CHECK(*files_time_left(6.0, 3, 10) == Approx(14.0));
    CHECK(*files_time_left(1.0, 1, 2) == Approx(1.0));
}

TEST_CASE("numbers are grouped by thousands")
{
    CHECK(dcagw::cli::grouped(0) == "0");
    CHECK(dcagw::cli::grouped(999) == "999");
    CHECK(dcagw::cli::grouped(1'234'567) == "1,234,567");
}
