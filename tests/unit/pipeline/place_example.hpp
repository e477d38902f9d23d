// Test helper for the placement run's tests: the bundled example in a private workspace,
// its configuration loaded and a run date set.
#pragma once

#include "gateway/config/config_reader.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"
#include "tests/support/example_workspace.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
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

    pipeline::PlaceSummary place()
    {
        auto placed = pipeline::place(config, options);
        if (placed.is_error())
            FAIL(placed.error().to_text());
        return placed.release_value();
    }

    // Rewrites one column of the first export row of `account` (the example's CSV has no
    // quoted fields, so commas delimit).
    void set_column(std::string const& account, std::string const& column, std::string const& value)
    {
        auto text = read_text(work / "cases.csv");
        auto const header = text.substr(0, text.find('\n'));
        std::size_t index = 0;
        for (std::size_t at = 0; at < header.find(column); ++at)
            index += header[at] == ',' ? 1 : 0;
        std::size_t start = text.find("\n" + account + ",") + 1;
        for (std::size_t field = 0; field < index; ++field)
            start = text.find(',', start) + 1;
        text.replace(start, text.find(',', start) - start, value);
        std::ofstream(work / "cases.csv", std::ios::trunc) << text;
    }

    std::unique_ptr<store::Ledger> open_ledger()
    {
        return store::Ledger::open(config.state_directory, store::OpenMode::MustExist).release_value();
    }

    std::filesystem::path work;
    model::GatewayConfig config;
    pipeline::PlaceOptions options;
};

} // namespace dcagw::test
