#include "gateway/cli/command.hpp"

#include <cstdio>
#include <cstring>

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

void print_error(std::string_view text)
{
    std::fprintf(stderr, "dcagw: error: %.*s\n", static_cast<int>(text.size()), text.data());
}

void print_hint(std::string_view text)
{
    std::fprintf(stderr, "dcagw: hint: %.*s\n", static_cast<int>(text.size()), text.data());
}

void print_warning(std::string_view text)
{
    std::fprintf(stderr, "dcagw: warning: %.*s\n", static_cast<int>(text.size()), text.data());
}

int report_error(base::Error const& error)
{
    using base::ErrorCode;
    switch (error.code()) {
    // Decryption failures are named by kind first, as the age testkit names them, so an
    // operator (and a script) can tell a wrong key from a damaged file.
    case ErrorCode::HeaderInvalid:
    case ErrorCode::NoMatchingIdentity:
    case ErrorCode::HeaderMacMismatch:
    case ErrorCode::PayloadCorrupt:
    case ErrorCode::ArmorInvalid:
    case ErrorCode::UnsupportedRecipient:
    case ErrorCode::SignatureInvalid:
        print_error(std::string(base::to_string(error.code())) + ": " + error.to_text());
        break;
    default:
        print_error(error.to_text());
    }
    switch (error.code()) {
    case ErrorCode::ConfigInvalid:
    case ErrorCode::MappingInvalid:
        print_hint("run `dcagw config check --config FILE` to list every problem");
        break;
    case ErrorCode::NoMatchingIdentity:
        print_hint("the file was not encrypted to any of the identities given");
        break;
    default:
        break;
    }
    return base::exit_code_for(error.code());
}

namespace {

void print_command_help(Command const& command)
{
    std::string words;
    for (auto word : command.words) {
        words += ' ';
        words += word;
    }
    std::printf("Usage: dcagw%s [options]%s%.*s\n\n%.*s\n", words.c_str(), command.positional_usage.empty() ? "" : " ",
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
        std::printf("%-34s %.*s%s\n", left.c_str(), static_cast<int>(option.description.size()), option.description.data(),
            option.repeatable ? " (repeatable)" : "");
    }
    std::printf("  %-32s %s\n", "-h, --help", "show this help");
    std::printf("\nExit codes: 0 ok, 1 some records rejected or a verification failed, 2 usage or configuration error, 3 runtime failure.\n");
}

void print_overview()
{
    std::printf("dcagw - secure data exchange between a creditor and its debt collection agencies\n\nUsage: dcagw COMMAND [options]\n\nCommands:\n");
    for (auto const& command : command_table()) {
        std::string words;
        for (auto word : command.words) {
            if (!words.empty())
                words += ' ';
            words += word;
        }
        std::printf("  %-22s %.*s\n", words.c_str(), static_cast<int>(command.summary.size()), command.summary.data());
    }
    std::printf("\nRun `dcagw COMMAND --help` for a command's options. Documentation: docs/cli.md.\n");
}

OptionSpec const* find_option(Command const& command, std::string_view name)
{
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

} // namespace

int run(int argc, char** argv)
{
    std::vector<std::string_view> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments.front() == "-h" || arguments.front() == "--help" || arguments.front() == "help") {
        print_overview();
        return arguments.empty() ? exit_usage : exit_ok;
    }
    if (arguments.front() == "--version") {
        std::printf("dcagw 0.1.0\n");
        return exit_ok;
    }

    // The longest command whose words prefix the arguments.
    Command const* chosen = nullptr;
    for (auto const& command : command_table()) {
        if (command.words.size() > arguments.size())
            continue;
        bool matches = true;
        for (std::size_t i = 0; i < command.words.size(); ++i)
            matches = matches && command.words[i] == arguments[i];
        if (matches && (!chosen || command.words.size() > chosen->words.size()))
            chosen = &command;
    }
    if (!chosen) {
        print_error("unknown command '" + std::string(arguments.front()) + "'");
        print_hint("run `dcagw --help` for the list of commands");
        return exit_usage;
    }

    Arguments parsed;
    bool options_ended = false;
    for (std::size_t i = chosen->words.size(); i < arguments.size(); ++i) {
        auto const argument = arguments[i];
        if (!options_ended && (argument == "-h" || argument == "--help")) {
            print_command_help(*chosen);
            return exit_ok;
        }
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
            option = find_option(*chosen, name);
            if (!option) {
                print_error("unknown option '--" + std::string(name) + "'");
                print_hint("run `dcagw " + std::string(chosen->words.front()) + (chosen->words.size() > 1 ? " " + std::string(chosen->words[1]) : "") + " --help`");
                return exit_usage;
            }
        } else if (!options_ended && argument.size() == 2 && argument[0] == '-' && argument[1] != '-') {
            option = find_short_option(*chosen, argument[1]);
            if (!option) {
                print_error("unknown option '" + std::string(argument) + "'");
                return exit_usage;
            }
        }
        if (!option) {
            if (parsed.m_positional.size() >= chosen->max_positional) {
                print_error("unexpected argument '" + std::string(argument) + "'");
                return exit_usage;
            }
            parsed.m_positional.emplace_back(argument);
            continue;
        }
        auto& slot = parsed.m_values[std::string(option->name)];
        if (!slot.empty() && !option->repeatable) {
            print_error("option '--" + std::string(option->name) + "' given more than once");
            return exit_usage;
        }
        if (option->value_name.empty()) {
            if (inline_value) {
                print_error("option '--" + std::string(option->name) + "' takes no value");
                return exit_usage;
            }
            slot.emplace_back();
            continue;
        }
        if (inline_value) {
            slot.emplace_back(*inline_value);
        } else if (i + 1 < arguments.size()) {
            slot.emplace_back(arguments[++i]);
        } else {
            print_error("option '--" + std::string(option->name) + "' needs a value (" + std::string(option->value_name) + ")");
            return exit_usage;
        }
    }
    return chosen->handler(parsed);
}

} // namespace dcagw::cli
