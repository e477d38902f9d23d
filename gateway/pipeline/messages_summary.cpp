// `dcagw messages write --format json` (schemas/messages-summary.schema.json), and the copy
// stored with the run. Hand-written: only the config module may use a JSON library.
#include "gateway/base/json_writer.hpp"
#include "gateway/pipeline/messages.hpp"

namespace dcagw::pipeline {

namespace {

std::string file_json(MessageFileOutcome const& file)
{
    std::vector<std::string> paths;
    for (auto const& path : file.files)
        paths.push_back(path.string());
    return base::JsonObject()
        .text("agency", file.agency)
        .text("layout", file.layout)
        .text("file_name", file.file_name)
        .text("remote_folder", file.remote_folder)
        .number("messages", file.messages)
        .strings("paths", paths)
        .take();
}

std::string refused_json(RefusedMessage const& message)
{
    return base::JsonObject()
        .text("agency", message.agency)
        .text("account_ref", message.account_ref)
        .text("kind", message.kind)
        .text("reason", message.reason)
        .text("error", message.error)
        .take();
}

} // namespace

std::string MessagesSummary::to_json() const
{
    std::vector<std::string> file_entries;
    for (auto const& file : files)
        file_entries.push_back(file_json(file));
    std::vector<std::string> refused_entries;
    for (auto const& message : refused)
        refused_entries.push_back(refused_json(message));
    return base::JsonObject()
        .number("run", run)
        .number("messages_written", messages_written())
        .json("files", base::json_array(file_entries))
        .json("refused", base::json_array(refused_entries))
        .strings("recovered", recovered)
        .strings("warnings", warnings)
        .text("audit_checkpoint", checkpoint.value_or(""))
        .take();
}

} // namespace dcagw::pipeline
