// Runs every CLI scenario in tests/cli/scenarios/. A scenario file is a list of steps:
//
//   # a comment
//   run: place --config {work}/gateway.json --as-of 2026-11-23
//   exit: 1
//   stdout: 5 placed            (the output contains this text; may repeat)
//   stderr: balance_pence
//   stdout-not: ACC-            (the output does not contain this text)
//   stdout-max-width: 120       (no line of the output is longer, in characters)
//   stderr-not: ...
//   file: {work}/out/x.csv      (this file exists)
//   no-file: {work}/state/spool/x.csv
//   file-contains: {work}/out/x.csv | text
//   write: {work}/bad.json | {"text": 1}\n   (a step that writes a file instead of running;
//                                            \n in the text becomes a newline; missing
//                                            folders are created)
//   mkdir: {work}/server/incoming             (a step that creates a folder)
//   shell: sqlite3 state/ledger.sqlite "..."  (a step that runs a shell command in {work},
//                                            which must succeed: to stage what no dcagw
//                                            command makes, such as a crashed run)
//
// DCAGW_SCENARIO=NAME in the environment runs only NAME.scenario.
//
// Each scenario gets a fresh workspace {work} holding the bundled example (gateway.json
// with its paths pointing into the workspace, cases.csv, and private copies of the example
// keys in {work}/keys). {source} is the repository, {dcagw} the binary.
#include "tests/support/example_workspace.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using dcagw::test::read_text;
using dcagw::test::replace_all;

namespace {

fs::path make_workspace(std::string const& name)
{
    auto const work = fs::temp_directory_path() / ("dcagw-cli-" + std::to_string(::getpid()) + "-" + name);
    dcagw::test::make_example_workspace(DCAGW_SOURCE_DIR, work);
    return work;
}

struct Step {
    std::string command;          // empty for a bare `dcagw` when is_run
    bool is_run { false };
    std::size_t line { 0 };
    int exit_code { 0 };
    std::vector<std::pair<std::string, std::string>> checks; // kind, argument
};

std::vector<Step> parse_scenario(fs::path const& path)
{
    std::vector<Step> steps;
    std::ifstream file(path);
    std::string line;
    std::size_t number = 0;
    while (std::getline(file, line)) {
        ++number;
        if (line.empty() || line.front() == '#')
            continue;
        auto const colon = line.find(':');
        REQUIRE(colon != std::string::npos);
        auto const key = line.substr(0, colon);
        auto value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.erase(0, 1);
        if (key == "run") {
            steps.push_back({ value, true, number, 0, {} });
            continue;
        }
        if (key == "write" || key == "mkdir" || key == "shell") {
            steps.push_back({ "", false, number, 0, { { key, value } } });
            continue;
        }
        REQUIRE_FALSE(steps.empty());
        if (key == "exit")
            steps.back().exit_code = std::atoi(value.c_str());
        else
            steps.back().checks.emplace_back(key, value);
    }
    return steps;
}

} // namespace

TEST_CASE("CLI scenarios")
{
    fs::path const folder = fs::path(DCAGW_SOURCE_DIR) / "tests/cli/scenarios";
    // DCAGW_SCENARIO=NAME runs that scenario only (while working on one).
    char const* const only = std::getenv("DCAGW_SCENARIO");
    std::vector<fs::path> scenarios;
    for (auto const& entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".scenario" && (only == nullptr || entry.path().stem() == only))
            scenarios.push_back(entry.path());
    std::sort(scenarios.begin(), scenarios.end());
    REQUIRE_FALSE(scenarios.empty());

    for (auto const& scenario : scenarios) {
        auto const name = scenario.stem().string();
        auto const work = make_workspace(name);
        auto substitute = [&](std::string text) {
            replace_all(text, "{work}", work.string());
            replace_all(text, "{source}", DCAGW_SOURCE_DIR);
            replace_all(text, "{dcagw}", DCAGW_BINARY);
            return text;
        };
        for (auto const& step : parse_scenario(scenario)) {
            if (!step.is_run && step.checks.front().first == "shell") {
                auto const shell = "cd '" + work.string() + "' && " + substitute(step.checks.front().second);
                INFO(scenario.filename().string() << ":" << step.line << ": " << shell);
                REQUIRE(std::system(shell.c_str()) == 0);
                continue;
            }
            if (!step.is_run && step.checks.front().first == "mkdir") {
                fs::create_directories(substitute(step.checks.front().second));
                continue;
            }
            if (!step.is_run) {
                auto const argument = substitute(step.checks.front().second);
                auto const bar = argument.find(" | ");
                REQUIRE(bar != std::string::npos);
                auto content = argument.substr(bar + 3);
                replace_all(content, "\\n", "\n");
                fs::path const target = argument.substr(0, bar);
                fs::create_directories(target.parent_path());
                std::ofstream(target) << content;
                continue;
            }
            auto const command = substitute(step.command);
            INFO(scenario.filename().string() << ":" << step.line << ": dcagw " << command);
            auto const shell = "cd '" + work.string() + "' && '" + DCAGW_BINARY + "' " + command + " >'" + (work / "stdout").string() + "' 2>'"
                + (work / "stderr").string() + "'";
            int const status = std::system(shell.c_str());
            REQUIRE(WIFEXITED(status));
            auto const out = read_text(work / "stdout");
            auto const err = read_text(work / "stderr");
            INFO("stdout:\n" << out << "\nstderr:\n" << err);
            CHECK(WEXITSTATUS(status) == step.exit_code);
            for (auto const& [kind, raw_argument] : step.checks) {
                auto const argument = substitute(raw_argument);
                INFO(kind << ": " << argument);
                if (kind == "stdout")
                    CHECK(out.find(argument) != std::string::npos);
                else if (kind == "stderr")
                    CHECK(err.find(argument) != std::string::npos);
                else if (kind == "stdout-not")
                    CHECK(out.find(argument) == std::string::npos);
                else if (kind == "stderr-not")
                    CHECK(err.find(argument) == std::string::npos);
                else if (kind == "stdout-max-width") {
                    std::istringstream lines(out);
                    std::string line;
                    std::size_t longest = 0;
                    while (std::getline(lines, line)) {
                        std::size_t characters = 0;
                        for (unsigned char const c : line)
                            characters += (c & 0xC0) != 0x80 ? 1 : 0;
                        longest = std::max(longest, characters);
                    }
                    CHECK(longest <= static_cast<std::size_t>(std::stoul(argument)));
                } else if (kind == "file")
                    CHECK(fs::exists(argument));
                else if (kind == "no-file")
                    CHECK_FALSE(fs::exists(argument));
                else if (kind == "file-contains") {
                    auto const bar = argument.find(" | ");
                    REQUIRE(bar != std::string::npos);
                    CHECK(read_text(argument.substr(0, bar)).find(argument.substr(bar + 3)) != std::string::npos);
                } else if (kind == "file-lacks") {
                    auto const bar = argument.find(" | ");
                    REQUIRE(bar != std::string::npos);
                    CHECK(read_text(argument.substr(0, bar)).find(argument.substr(bar + 3)) == std::string::npos);
                } else {
                    FAIL("unknown check '" << kind << "'");
                }
            }
        }
        fs::remove_all(work);
    }
}
