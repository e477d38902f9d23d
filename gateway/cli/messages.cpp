#include "gateway/cli/messages.hpp"

#include <cstdio>

namespace dcagw::cli {

std::string_view to_string(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Error: return "error";
    case MessageKind::Hint: return "hint";
    case MessageKind::Warning: return "warning";
    case MessageKind::Note: return "note";
    case MessageKind::Rejected: return "rejected";
    case MessageKind::Audit: return "audit";
    case MessageKind::Transfer: return "transfer";
    }
    return "error";
}

std::string message_line(MessageKind kind, std::string_view text)
{
    std::string line = "dcagw: ";
    line += to_string(kind);
    line += ": ";
    line += text;
    return line;
}

void print_message(MessageKind kind, std::string_view text)
{
    auto const line = message_line(kind, text);
    std::fprintf(stderr, "%s\n", line.c_str());
}

std::vector<std::string> error_lines(base::Error const& error)
{
    auto const& kind = base::kind_of(error.code());
    std::vector<std::string> lines;
    if (kind.naming == base::Naming::KindFirst)
        lines.push_back(message_line(MessageKind::Error, std::string(kind.name) + ": " + error.to_text()));
    else
        lines.push_back(message_line(MessageKind::Error, error.to_text()));
    if (auto const hint = error.hint(); !hint.empty())
        lines.push_back(message_line(MessageKind::Hint, hint));
    return lines;
}

int report_error(base::Error const& error)
{
    for (auto const& line : error_lines(error))
        std::fprintf(stderr, "%s\n", line.c_str());
    return base::exit_code_for(error.code());
}

} // namespace dcagw::cli
