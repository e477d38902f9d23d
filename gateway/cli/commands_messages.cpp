// `dcagw messages write`: the thin client of pipeline::write_messages (docs/lifecycle.md,
// "Writing the messages").
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/pipeline/messages.hpp"

#include <cstdio>

namespace dcagw::cli {

Outcome command_messages_write(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    pipeline::MessagesOptions options;
    options.today = TRY(requested_date(arguments));
    options.actor = audit::current_actor();
    options.agency = arguments.value("agency");
    auto const summary = TRY(pipeline::write_messages(config, options));
    // A refused message is an error of its own on standard error, whatever the format.
    for (auto const& refused : summary.refused)
        std::fprintf(stderr, "dcagw: error: %s\n", refused.error.c_str());
    if (arguments.format() == Format::Json) {
        std::printf("%s\n", summary.to_json().c_str());
    } else {
        for (auto const& line : summary.recovered)
            std::printf("recovered: %s\n", line.c_str());
        for (auto const& file : summary.files)
            std::printf("agency %s: %s (%s): %lld message(s)%s%s\n", file.agency.c_str(), file.file_name.c_str(), file.layout.c_str(),
                static_cast<long long>(file.messages), file.remote_folder.empty() ? "" : ", remote folder ", file.remote_folder.c_str());
        std::printf("%zu file(s), %lld message(s) written, %zu refused\n", summary.files.size(), static_cast<long long>(summary.messages_written()),
            summary.refused.size());
        for (auto const& warning : summary.warnings)
            std::printf("warning: %s\n", warning.c_str());
        if (summary.checkpoint)
            std::printf("audit checkpoint: %s\n", summary.checkpoint->c_str());
    }
    return summary.refused.empty() ? ExitCode::Ok : ExitCode::Rejected;
}

} // namespace dcagw::cli
