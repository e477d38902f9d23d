// `dcagw messages write --format json` (schemas/messages-summary.schema.json), and the copy
// stored with the run. Hand-written: only the config module may use a JSON library.
#include "gateway/base/text.hpp"
#include "gateway/pipeline/messages.hpp"

namespace dcagw::pipeline {

namespace {

void append_field(std::string& out, char const* name, std::string_view value)
{
    out += '"';
    out += name;
    out += "\":";
    base::append_json_string(out, value);
}

std::string json_strings(std::vector<std::string> const& values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        base::append_json_string(out, values[i]);
    }
    return out + "]";
}

} // namespace

std::string MessagesSummary::to_json() const
{
    std::string out = "{\"run\":" + std::to_string(run) + ",\"messages_written\":" + std::to_string(messages_written()) + ",\"files\":[";
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto const& file = files[i];
        out += i > 0 ? ",{" : "{";
        append_field(out, "agency", file.agency);
        out += ',';
        append_field(out, "layout", file.layout);
        out += ',';
        append_field(out, "file_name", file.file_name);
        out += ',';
        append_field(out, "remote_folder", file.remote_folder);
        out += ",\"messages\":" + std::to_string(file.messages) + ",\"paths\":[";
        for (std::size_t p = 0; p < file.files.size(); ++p) {
            if (p > 0)
                out += ',';
            base::append_json_string(out, file.files[p].string());
        }
        out += "]}";
    }
    out += "],\"refused\":[";
    for (std::size_t i = 0; i < refused.size(); ++i) {
        auto const& message = refused[i];
        out += i > 0 ? ",{" : "{";
        append_field(out, "agency", message.agency);
        out += ',';
        append_field(out, "account_ref", message.account_ref);
        out += ',';
        append_field(out, "kind", message.kind);
        out += ',';
        append_field(out, "reason", message.reason);
        out += ',';
        append_field(out, "error", message.error);
        out += '}';
    }
    out += "],\"recovered\":" + json_strings(recovered) + ",\"warnings\":" + json_strings(warnings) + ",";
    append_field(out, "audit_checkpoint", checkpoint.value_or(""));
    return out + "}";
}

} // namespace dcagw::pipeline
