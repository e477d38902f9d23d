#include "gateway/cli/command.hpp"

#include "gateway/cli/messages.hpp"
#include "gateway/cli/parse.hpp"

#include <algorithm>
#include <cstdio>

namespace dcagw::cli {

std::optional<std::string> Arguments::value(std::string_view name) const
{
    auto const found = m_values.find(name);
    if (found == m_values.end() || found->second.empty())
        return std::nullopt;
    return found->second.back();
}

std::vector<std::string> Arguments::values(std::string_view name) const
{
    auto const found = m_values.find(name);
    if (found == m_values.end())
        return {};
    return found->second;
}

std::string command_name(Command const& command)
{
    std::string words;
    for (auto word : command.words) {
        if (!words.empty())
            words += ' ';
        words += word;
    }
    return words;
}

namespace {

void print_option_line(std::string left, std::string_view description, bool repeatable)
{
    std::printf("%-34s %.*s%s\n", left.c_str(), static_cast<int>(description.size()), description.data(), repeatable ? " (repeatable)" : "");
}

} // namespace

void print_command_help(Command const& command)
{
    std::printf("Usage: dcagw %s [options]%s%.*s\n\n%.*s\n", command_name(command).c_str(), command.positional_usage.empty() ? "" : " ",
        static_cast<int>(command.positional_usage.size()), command.positional_usage.data(), static_cast<int>(command.summary.size()),
        command.summary.data());
    if (!command.details.empty())
        std::printf("\n%.*s\n", static_cast<int>(command.details.size()), command.details.data());
    std::printf("\nOptions:\n");
    for (auto const& option : command.options) {
        std::string left = "  ";
        if (option.short_name)
            left += std::string("-") + option.short_name + ", ";
        left += "--" + std::string(option.name);
        if (!option.value_name.empty())
            left += " " + std::string(option.value_name);
        print_option_line(left, option.description, option.repeatable);
    }
    if (!command.formats.empty())
        print_option_line("  --format FORMAT", "output as " + format_words(command.formats), false);
    if (std::find(command.formats.begin(), command.formats.end(), Format::Table) != command.formats.end())
        print_option_line("  --wide", "table: every column, values in full (default: fit the terminal, or 120 characters)", false);
    std::printf("  %-32s %s\n", "-h, --help", "show this help");
    std::printf("\nExit codes: 0 ok, 1 some records rejected or a verification failed, 2 usage or configuration error, 3 runtime failure.\n");
}

void print_overview(std::vector<Command> const& table, std::FILE* out)
{
    std::fprintf(out, "dcagw - secure data exchange between a creditor and its debt collection agencies\n\nUsage: dcagw COMMAND [options]\n\nCommands:\n");
    for (auto const& command : table)
        std::fprintf(out, "  %-22s %.*s\n", command_name(command).c_str(), static_cast<int>(command.summary.size()), command.summary.data());
    std::fprintf(out, "\nRun `dcagw COMMAND --help` for a command's options. Documentation: docs/cli.md.\n");
}

namespace {

// Does what the parsed command line asks; a handler's failure is returned, not printed.
base::Result<ExitCode> dispatch(ParsedCommandLine const& parsed)
{
    using Action = ParsedCommandLine::Action;
    switch (parsed.action) {
    case Action::ShowOverview:
        // Asked for (`dcagw --help`): the result, on standard output. A bare `dcagw` is a
        // usage mistake: the same text goes to standard error, as git and age do, exit 2.
        print_overview(command_table(), parsed.exit_code == ExitCode::Ok ? stdout : stderr);
        return parsed.exit_code;
    case Action::ShowVersion:
        std::printf("dcagw 0.1.0\n");
        return ExitCode::Ok;
    case Action::ShowCommandHelp:
        print_command_help(*parsed.command);
        return ExitCode::Ok;
    case Action::RunCommand:
        return parsed.command->handler(parsed.arguments);
    }
    return base::make_error(base::ErrorCode::Internal, "unknown command line action");
}

} // namespace

int run(int argc, char** argv)
{
    std::vector<std::string_view> const arguments(argv + 1, argv + argc);
    auto const& table = command_table();
    auto outcome = [&]() -> base::Result<ExitCode> {
        auto const parsed = TRY(parse_command_line(arguments, table));
        return dispatch(parsed);
    }();
    // The one place an error becomes a message and an exit code.
    if (outcome.is_error())
        return report_error(outcome.error());
    return static_cast<int>(outcome.value());
}

} // namespace dcagw::cli
