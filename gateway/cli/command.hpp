// cli/command: how `dcagw` subcommands are declared, and the entry point that parses a
// command line (cli/parse) and dispatches it.
//
// Owns: the shape of the command table (words, options, the output formats a command
// offers, the handler), help texts, and the one place where a handler's error is
// reported and turned into the exit code.
// Must never: contain business logic: handlers call the library and render its results.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/cli/render.hpp"

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cli {

using base::ExitCode;

struct OptionSpec {
    std::string_view name;         // without the leading dashes, e.g. "config"
    std::string_view value_name;   // empty for a flag
    std::string_view description;
    bool repeatable { false };
    char short_name { 0 };         // e.g. 'r' for -r
};

// What the parser found on the command line for one command. The output format has been
// checked against the command's declared formats (cli/parse).
class Arguments {
public:
    bool has(std::string_view name) const { return m_values.contains(name); }
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> values(std::string_view name) const;
    std::vector<std::string> const& positional() const { return m_positional; }
    // --format's value, or the command's default (its first declared format).
    Format format() const { return m_format; }

    std::map<std::string, std::vector<std::string>, std::less<>> m_values;
    std::vector<std::string> m_positional;
    Format m_format { Format::Text };
};

// A handler's outcome when it ran to the end: ok, or a documented non-zero status such as
// "some records were rejected". Failures are returned as errors and reported by run().
using Handler = std::function<base::Result<ExitCode>(Arguments const&)>;

struct Command {
    std::vector<std::string_view> words;   // e.g. {"placements", "list"}
    std::string_view summary;
    std::string_view positional_usage;     // e.g. "[IN]"
    std::size_t max_positional { 0 };
    std::vector<OptionSpec> options;       // --format is not listed here: see formats
    std::string_view details;              // extra help text
    Handler handler;
    // The formats --format accepts, the default first; empty: the command has no --format.
    std::vector<Format> formats {};
};

// Every command, in help order (command_table.cpp).
std::vector<Command> const& command_table();

// "placements list".
std::string command_name(Command const& command);
void print_command_help(Command const& command);
void print_overview(std::vector<Command> const& table, std::FILE* out);

// Parses, dispatches, reports any error once; returns the process exit code.
int run(int argc, char** argv);

} // namespace dcagw::cli
