// Shared by the tests of a mapping's layout sections ("returns", "messages"): a minimal
// valid mapping with the section's layouts, checked as a file, and a look-up of one
// problem by JSON path and the start of its reason.
#pragma once

#include "gateway/config/config_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace dcagw::test {

// The problems config::check_mapping reports for a mapping whose `section` array holds
// `layouts` (JSON objects, comma-separated).
inline std::vector<config::ConfigProblem> mapping_section_problems(std::string const& section, std::string const& layouts, model::Mapping* out = nullptr)
{
    static int counter = 0;
    auto const path = std::filesystem::temp_directory_path()
        / ("dcagw-test-" + section + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json");
    std::ofstream(path, std::ios::binary) << R"({"agency": "test-agency", "format": "csv", "file_name_pattern": "{date}.csv", "columns": [{"name": "ref", "transform": "pseudonym", "sources": ["account_ref"]}], ")"
            + section + R"(": [)" + layouts + "]}";
    auto problems = config::check_mapping(path, out);
    std::filesystem::remove(path);
    return problems;
}

inline bool has_problem(std::vector<config::ConfigProblem> const& problems, std::string const& path, std::string const& start)
{
    return std::any_of(problems.begin(), problems.end(), [&](config::ConfigProblem const& problem) {
        return problem.json_path == path && problem.reason.starts_with(start);
    });
}

inline std::string describe_problems(std::vector<config::ConfigProblem> const& problems)
{
    std::string text;
    for (auto const& problem : problems)
        text += config::to_text(problem) + "\n";
    return text;
}

} // namespace dcagw::test
