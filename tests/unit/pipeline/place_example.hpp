// Test helper for the placement run's tests: the bundled example in a private workspace,
// its configuration loaded and a run date set.
#pragma once

#include "gateway/config/config_reader.hpp"
#include "gateway/pipeline/place.hpp"
#include "tests/support/example_workspace.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace dcagw::test {

struct PlaceExample {
    // `name` keeps the workspaces of different test files apart.
    explicit PlaceExample(std::string const& name)
    {
        work = std::filesystem::temp_directory_path() / ("dcagw-" + name + "-" + std::to_string(::getpid()));
        make_example_workspace(DCAGW_SOURCE_DIR, work);
        auto loaded = config::load_config(work / "gateway.json");
        if (loaded.is_error())
            FAIL(loaded.error().to_text());
        config = loaded.release_value();
        options.today = *base::Date::parse("2026-11-23");
    }
    ~PlaceExample() { std::filesystem::remove_all(work); }
    PlaceExample(PlaceExample const&) = delete;
    PlaceExample& operator=(PlaceExample const&) = delete;

    std::filesystem::path work;
    model::GatewayConfig config;
    pipeline::PlaceOptions options;
};

} // namespace dcagw::test
