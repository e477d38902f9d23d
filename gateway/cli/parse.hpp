// cli/parse: turning argv into what to do, without doing it.
//
// Owns: choosing the command (the longest run of words that names one), option syntax
// (--name VALUE, --name=VALUE, -x VALUE, flags, repeated options, `--`, positional
// arguments, -h/--help on every subcommand), and the one --format check: the word must
// be one the command declares, else a usage error naming the option and the accepted
// words.
// Must never: print, or run a handler: every problem is returned as a Usage error.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/cli/command.hpp"

#include <span>
#include <string_view>

namespace dcagw::cli {

struct ParsedCommandLine {
    enum class Action {
        ShowOverview,     // `dcagw`, `dcagw --help`, `dcagw help`
        ShowVersion,      // `dcagw --version`
        ShowCommandHelp,  // `dcagw COMMAND ... --help`
        RunCommand,
    };
    Action action { Action::ShowOverview };
    // ShowOverview without any argument is a usage error's answer (exit 2).
    ExitCode exit_code { ExitCode::Ok };
    Command const* command { nullptr };
    Arguments arguments;
};

// arguments: argv without the program name.
base::Result<ParsedCommandLine> parse_command_line(std::span<std::string_view const> arguments, std::span<Command const> table);

// "table (default), json or csv": the words --format accepts, for help and messages.
std::string format_words(std::vector<Format> const& formats);

} // namespace dcagw::cli
