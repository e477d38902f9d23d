// cli/messages: every line the CLI writes to standard error.
//
// Owns: the `dcagw: <kind>: text` shape of every message (the kind says what the line
// is, so a person and a script can tell an error from a note), and reporting an Error:
// its text, kind-first when the catalogue says so, then its hint.
// Must never: print to standard error any other way; print secret material.
#pragma once

#include "gateway/base/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cli {

enum class MessageKind {
    Error,     // the command failed, or one of its parts did
    Hint,      // what to try, after an error
    Warning,   // worth attention; the command still did its job
    Note,      // information about what was done (recorded entries, signatures)
    Rejected,  // an input row refused by validation
    Audit,     // an audit log verification problem
    Transfer,  // one transfer's log line (send, collect)
};
std::string_view to_string(MessageKind kind);

// "dcagw: error: text".
std::string message_line(MessageKind kind, std::string_view text);
void print_message(MessageKind kind, std::string_view text);
inline void print_error(std::string_view text) { print_message(MessageKind::Error, text); }
inline void print_hint(std::string_view text) { print_message(MessageKind::Hint, text); }
inline void print_warning(std::string_view text) { print_message(MessageKind::Warning, text); }
inline void print_note(std::string_view text) { print_message(MessageKind::Note, text); }

// The lines report_error prints for an error: the error (its kind's name first when the
// catalogue says so), then the hint if there is one.
std::vector<std::string> error_lines(base::Error const& error);
// Prints error_lines on standard error and returns the error's exit code.
int report_error(base::Error const& error);

} // namespace dcagw::cli
