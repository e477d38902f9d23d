// Option parsing and the one --format check (cli/parse), on a small command table of the
// test's own and on the real one.
#include "gateway/cli/command.hpp"
#include "gateway/cli/messages.hpp"
#include "gateway/cli/parse.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

using namespace dcagw::cli;
using dcagw::base::ErrorCode;
using dcagw::base::ExitCode;
using Action = ParsedCommandLine::Action;

namespace {

dcagw::base::Result<ExitCode> never_run(Arguments const&)
{
    return ExitCode::Ok;
}

std::vector<Command> const& test_table()
{
    static std::vector<Command> const table {
        { { "things", "list" }, "list things", "", 0, { { "config", "FILE", "the configuration" }, { "tag", "T", "a tag", true } }, "", never_run,
            { Format::Table, Format::Json, Format::Csv } },
        { { "things" }, "the things", "", 0, {}, "", never_run },
        { { "copy" }, "copy", "IN [OUT]", 2,
            { { "armor", "", "armored", false, 'a' }, { "output", "OUT", "where", false, 'o' } }, "", never_run, { Format::Text, Format::Json } },
    };
    return table;
}

dcagw::base::Result<ParsedCommandLine> parse(std::vector<std::string_view> const& words)
{
    return parse_command_line(words, test_table());
}

std::string error_text(std::vector<std::string_view> const& words)
{
    auto const parsed = parse(words);
    REQUIRE(parsed.is_error());
    CHECK(parsed.error().code() == ErrorCode::Usage);
    return parsed.error().to_text();
}

} // namespace

TEST_CASE("no arguments shows the overview with exit 2; --help with exit 0")
{
    auto const none = parse({});
    REQUIRE(none.ok());
    CHECK(none.value().action == Action::ShowOverview);
    CHECK(none.value().exit_code == ExitCode::Usage);
    auto const help = parse({ "--help" });
    REQUIRE(help.ok());
    CHECK(help.value().action == Action::ShowOverview);
    CHECK(help.value().exit_code == ExitCode::Ok);
    CHECK(parse({ "--version" }).value().action == Action::ShowVersion);
}

TEST_CASE("the longest run of words that names a command is chosen")
{
    auto const list = parse({ "things", "list" });
    REQUIRE(list.ok());
    CHECK(command_name(*list.value().command) == "things list");
    auto const things = parse({ "things" });
    REQUIRE(things.ok());
    CHECK(command_name(*things.value().command) == "things");
    auto const unknown = parse({ "frobnicate" });
    REQUIRE(unknown.is_error());
    CHECK(unknown.error().to_text() == "unknown command 'frobnicate'");
    CHECK(unknown.error().hint() == "run `dcagw --help` for the list of commands");
}

TEST_CASE("options take values in both spellings, repeat only when declared, and flags take none")
{
    auto const parsed = parse({ "things", "list", "--config", "a.json", "--tag=x", "--tag", "y" });
    REQUIRE(parsed.ok());
    auto const& arguments = parsed.value().arguments;
    CHECK(arguments.value("config") == std::optional<std::string>("a.json"));
    CHECK(arguments.values("tag") == std::vector<std::string> { "x", "y" });
    CHECK_FALSE(arguments.has("format"));

    CHECK(error_text({ "things", "list", "--config", "a", "--config", "b" }) == "option '--config' given more than once");
    CHECK(error_text({ "things", "list", "--config" }) == "option '--config' needs a value (FILE)");
    CHECK(error_text({ "copy", "--armor=yes", "in" }) == "option '--armor' takes no value");
    auto const unknown = parse({ "things", "list", "--colour" });
    REQUIRE(unknown.is_error());
    CHECK(unknown.error().to_text() == "unknown option '--colour'");
    CHECK(unknown.error().hint() == "run `dcagw things list --help`");
}

TEST_CASE("short options, positional arguments and -- end the options")
{
    auto const parsed = parse({ "copy", "-a", "-o", "out.age", "--", "-in-" });
    REQUIRE(parsed.ok());
    auto const& arguments = parsed.value().arguments;
    CHECK(arguments.has("armor"));
    CHECK(arguments.value("output") == std::optional<std::string>("out.age"));
    CHECK(arguments.positional() == std::vector<std::string> { "-in-" });
    CHECK(error_text({ "copy", "a", "b", "c" }) == "unexpected argument 'c'");
    CHECK(error_text({ "copy", "-x" }) == "unknown option '-x'");
    CHECK(error_text({ "things", "extra" }) == "unexpected argument 'extra'");
}

TEST_CASE("-h or --help anywhere before -- asks for the command's help")
{
    auto const help = parse({ "copy", "-a", "--help" });
    REQUIRE(help.ok());
    CHECK(help.value().action == Action::ShowCommandHelp);
    CHECK(command_name(*help.value().command) == "copy");
    auto const after_end = parse({ "copy", "--", "-h" });
    REQUIRE(after_end.ok());
    CHECK(after_end.value().action == Action::RunCommand);
}

TEST_CASE("--format accepts exactly the command's declared words and defaults to the first")
{
    auto const default_format = parse({ "things", "list" });
    REQUIRE(default_format.ok());
    CHECK(default_format.value().arguments.format() == Format::Table);
    auto const csv = parse({ "things", "list", "--format", "csv" });
    REQUIRE(csv.ok());
    CHECK(csv.value().arguments.format() == Format::Csv);
    CHECK(parse({ "copy", "--format=json" }).value().arguments.format() == Format::Json);
    CHECK(parse({ "copy" }).value().arguments.format() == Format::Text);

    // A word another command accepts is still refused here, naming option and words.
    CHECK(error_text({ "copy", "--format", "csv" }) == "--format: unknown format 'csv' for `dcagw copy` (it accepts text (default) or json)");
    CHECK(error_text({ "things", "list", "--format", "yaml" })
        == "--format: unknown format 'yaml' for `dcagw things list` (it accepts table (default), json or csv)");
    // A command without formats has no --format option at all.
    CHECK(error_text({ "things", "--format", "json" }) == "unknown option '--format'");
}

TEST_CASE("the real command table: unique names, formats without repeats, and no --format among the options")
{
    std::set<std::string> names;
    for (auto const& command : command_table()) {
        INFO(command_name(command));
        CHECK(names.insert(command_name(command)).second);
        CHECK(command.handler);
        std::set<Format> formats(command.formats.begin(), command.formats.end());
        CHECK(formats.size() == command.formats.size());
        std::set<std::string_view> options;
        for (auto const& option : command.options) {
            CHECK(option.name != "format");
            CHECK(options.insert(option.name).second);
        }
    }
}

TEST_CASE("the real table's formats are the ones docs/cli.md documents")
{
    auto formats_of = [](std::string_view name) {
        for (auto const& command : command_table())
            if (command_name(command) == name)
                return format_words(command.formats);
        return std::string("(no such command)");
    };
    CHECK(formats_of("place") == "text (default) or json");
    CHECK(formats_of("send") == "text (default) or json");
    CHECK(formats_of("collect") == "text (default) or json");
    CHECK(formats_of("placements list") == "table (default), json or csv");
    CHECK(formats_of("transfers list") == "table (default), json or csv");
    CHECK(formats_of("audit shares") == "table (default), csv, json or html");
    CHECK(formats_of("config check").empty());
}
