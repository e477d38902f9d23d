#include "gateway/cli/parse.hpp"

#include <algorithm>

namespace dcagw::cli {

namespace {

using base::ErrorCode;
using base::make_error;

OptionSpec const format_option { "format", "FORMAT", "" };
// Every command that offers the table format offers --wide (cli/table).
OptionSpec const wide_option { "wide", "", "" };

bool offers_table(Command const& command)
{
    return std::find(command.formats.begin(), command.formats.end(), Format::Table) != command.formats.end();
}

OptionSpec const* find_option(Command const& command, std::string_view name)
{
    if (name == format_option.name && !command.formats.empty())
        return &format_option;
    if (name == wide_option.name && offers_table(command))
        return &wide_option;
    for (auto const& option : command.options)
        if (option.name == name)
            return &option;
    return nullptr;
}

OptionSpec const* find_short_option(Command const& command, char letter)
{
    for (auto const& option : command.options)
        if (option.short_name == letter)
            return &option;
    return nullptr;
}

// The longest command whose words prefix the arguments.
Command const* choose_command(std::span<std::string_view const> arguments, std::span<Command const> table)
{
    Command const* chosen = nullptr;
    for (auto const& command : table) {
        if (command.words.size() > arguments.size())
            continue;
        bool matches = true;
        for (std::size_t i = 0; i < command.words.size(); ++i)
            matches = matches && command.words[i] == arguments[i];
        if (matches && (!chosen || command.words.size() > chosen->words.size()))
            chosen = &command;
    }
    return chosen;
}

std::string quoted_option(OptionSpec const& option)
{
    return "'--" + std::string(option.name) + "'";
}

base::Result<Format> checked_format(Command const& command, std::string_view word)
{
    auto const format = format_from_string(word);
    for (auto const accepted : command.formats)
        if (format == accepted)
            return accepted;
    return make_error(ErrorCode::Usage,
        "--format: unknown format '" + std::string(word) + "' for `dcagw " + command_name(command) + "` (it accepts " + format_words(command.formats) + ")");
}

// Stores one option's value (or flag) in parsed; `next` is the argument after it, taken
// as its value when it needs one and none was given inline.
base::Result<bool> store_option(OptionSpec const& option, std::optional<std::string_view> inline_value, std::optional<std::string_view> next,
    Arguments& parsed)
{
    auto& slot = parsed.m_values[std::string(option.name)];
    if (!slot.empty() && !option.repeatable)
        return make_error(ErrorCode::Usage, "option " + quoted_option(option) + " given more than once");
    if (option.value_name.empty()) {
        if (inline_value)
            return make_error(ErrorCode::Usage, "option " + quoted_option(option) + " takes no value");
        slot.emplace_back();
        return false;
    }
    if (inline_value) {
        slot.emplace_back(*inline_value);
        return false;
    }
    if (!next)
        return make_error(ErrorCode::Usage, "option " + quoted_option(option) + " needs a value (" + std::string(option.value_name) + ")");
    slot.emplace_back(*next);
    return true;
}

// Parses what follows the command's words. Returns false when -h/--help asked for help.
base::Result<bool> parse_options(Command const& command, std::span<std::string_view const> rest, Arguments& parsed)
{
    bool options_ended = false;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        auto const argument = rest[i];
        if (!options_ended && (argument == "-h" || argument == "--help"))
            return false;
        if (!options_ended && argument == "--") {
            options_ended = true;
            continue;
        }
        OptionSpec const* option = nullptr;
        std::optional<std::string_view> inline_value;
        if (!options_ended && argument.starts_with("--")) {
            auto name = argument.substr(2);
            if (auto const equals = name.find('='); equals != std::string_view::npos) {
                inline_value = name.substr(equals + 1);
                name = name.substr(0, equals);
            }
            option = find_option(command, name);
            if (!option)
                return make_error(ErrorCode::Usage, "unknown option '--" + std::string(name) + "'")
                    .with_hint("run `dcagw " + command_name(command) + " --help`");
        } else if (!options_ended && argument.size() == 2 && argument[0] == '-' && argument[1] != '-') {
            option = find_short_option(command, argument[1]);
            if (!option)
                return make_error(ErrorCode::Usage, "unknown option '" + std::string(argument) + "'")
                    .with_hint("run `dcagw " + command_name(command) + " --help`");
        }
        if (!option) {
            if (parsed.m_positional.size() >= command.max_positional)
                return make_error(ErrorCode::Usage, "unexpected argument '" + std::string(argument) + "'");
            parsed.m_positional.emplace_back(argument);
            continue;
        }
        auto const next = i + 1 < rest.size() ? std::optional(rest[i + 1]) : std::nullopt;
        if (TRY(store_option(*option, inline_value, next, parsed)))
            ++i;
    }
    return true;
}

// `dcagw placements` names a group of commands, not one: the hint lists the group's
// commands (`placements list`); any other word is an unknown command.
base::Error unknown_command(std::span<std::string_view const> arguments, std::span<Command const> table)
{
    std::string group;
    for (auto const& command : table) {
        if (command.words.size() < 2 || command.words.front() != arguments.front())
            continue;
        group += group.empty() ? "`dcagw " : ", `dcagw ";
        group += command_name(command) + "`";
    }
    if (!group.empty()) {
        bool const second_word = arguments.size() > 1 && !arguments[1].starts_with("-");
        auto const message = second_word ? "unknown command '" + std::string(arguments[0]) + " " + std::string(arguments[1]) + "'"
                                         : "`dcagw " + std::string(arguments.front()) + "` needs a subcommand";
        return make_error(ErrorCode::Usage, message).with_hint("did you mean " + group + "?");
    }
    return make_error(ErrorCode::Usage, "unknown command '" + std::string(arguments.front()) + "'").with_hint("run `dcagw --help` for the list of commands");
}

} // namespace

std::string format_words(std::vector<Format> const& formats)
{
    std::string words;
    for (std::size_t i = 0; i < formats.size(); ++i) {
        if (i > 0)
            words += i + 1 == formats.size() ? " or " : ", ";
        words += to_string(formats[i]);
        if (i == 0)
            words += " (default)";
    }
    return words;
}

base::Result<ParsedCommandLine> parse_command_line(std::span<std::string_view const> arguments, std::span<Command const> table)
{
    ParsedCommandLine parsed;
    if (arguments.empty() || arguments.front() == "-h" || arguments.front() == "--help" || arguments.front() == "help") {
        parsed.action = ParsedCommandLine::Action::ShowOverview;
        parsed.exit_code = arguments.empty() ? ExitCode::Usage : ExitCode::Ok;
        return parsed;
    }
    if (arguments.front() == "--version") {
        parsed.action = ParsedCommandLine::Action::ShowVersion;
        return parsed;
    }
    parsed.command = choose_command(arguments, table);
    if (!parsed.command)
        return unknown_command(arguments, table);
    auto const& command = *parsed.command;
    if (!TRY(parse_options(command, arguments.subspan(command.words.size()), parsed.arguments))) {
        parsed.action = ParsedCommandLine::Action::ShowCommandHelp;
        return parsed;
    }
    if (!command.formats.empty()) {
        auto const word = parsed.arguments.value(format_option.name);
        parsed.arguments.m_format = word ? TRY(checked_format(command, *word)) : command.formats.front();
    }
    parsed.action = ParsedCommandLine::Action::RunCommand;
    return parsed;
}

} // namespace dcagw::cli
