// cli/command: how `dcagw` subcommands are declared, parsed and helped.
//
// Owns: the command table, option parsing (--name VALUE, --name=VALUE, flags, repeated
// options, positional arguments, -h/--help on every subcommand), and the messages'
// shape (`dcagw: error: ...`, `dcagw: hint: ...`).
// Must never: contain business logic: handlers call the library and render its results.
#pragma once

#include "gateway/base/result.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cli {

// Exit codes (docs/cli.md).
enum ExitCode : int {
    exit_ok = 0,
    exit_rejected = 1,  // some records rejected, or a verification / decryption failure
    exit_usage = 2,     // usage or configuration error
    exit_runtime = 3,   // runtime failure
};

struct OptionSpec {
    std::string_view name;         // without the leading dashes, e.g. "config"
    std::string_view value_name;   // empty for a flag
    std::string_view description;
    bool repeatable { false };
    char short_name { 0 };         // e.g. 'r' for -r
};

class Arguments {
public:
    bool has(std::string_view name) const { return m_values.contains(std::string(name)); }
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> values(std::string_view name) const;
    std::vector<std::string> const& positional() const { return m_positional; }

    std::map<std::string, std::vector<std::string>, std::less<>> m_values;
    std::vector<std::string> m_positional;
};

struct Command {
    std::vector<std::string_view> words;   // e.g. {"placements", "list"}
    std::string_view summary;
    std::string_view positional_usage;     // e.g. "[IN]"
    std::size_t max_positional { 0 };
    std::vector<OptionSpec> options;
    std::string_view details;              // extra help text
    std::function<int(Arguments const&)> handler;
};

// Every command, in help order (commands.cpp).
std::vector<Command> const& command_table();

int run(int argc, char** argv);

// Prints `dcagw: error: <text>` and the hint for its kind when there is one; returns the
// exit code for the error.
int report_error(base::Error const& error);
void print_error(std::string_view text);
void print_hint(std::string_view text);
void print_warning(std::string_view text);

} // namespace dcagw::cli
