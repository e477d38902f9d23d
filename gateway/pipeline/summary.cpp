#include "gateway/base/text.hpp"
#include "gateway/pipeline/place.hpp"

#include "gateway/model/lifecycle_message.hpp"

namespace dcagw::pipeline {

namespace {

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

// The run summary as JSON: stored with the run in the ledger and printed by
// `dcagw place --format json`. Hand-written because only the config module may use a JSON
// library, and this shape is fixed and small.
std::string PlaceSummary::to_json() const
{
    std::string out = "{\"run\":" + std::to_string(run) + ",\"input\":";
    base::append_json_string(out, input_file);
    out += ",\"rows_read\":" + std::to_string(rows_read);
    out += ",\"rows_valid\":" + std::to_string(rows_valid);
    out += ",\"rows_rejected\":" + std::to_string(rows_rejected);
    out += ",\"open_accounts\":" + std::to_string(open_accounts);
    out += ",\"open_accounts_listed\":" + std::to_string(open_accounts_listed);
    out += ",\"problems\":" + std::to_string(problems);
    out += ",\"agencies\":[";
    bool first_agency = true;
    for (auto const& agency : agencies) {
        if (!first_agency)
            out += ',';
        first_agency = false;
        out += "{\"agency\":";
        base::append_json_string(out, agency.agency);
        out += ",\"placed\":" + std::to_string(agency.placed);
        out += ",\"rejected_by_mapping\":" + std::to_string(agency.rejected_by_mapping);
        out += ",\"messages_owed\":{";
        for (std::size_t kind = 0; kind < agency.messages_owed.size(); ++kind) {
            out += kind == 0 ? "\"" : ",\"";
            out += model::to_string(static_cast<model::MessageKind>(kind));
            out += "\":" + std::to_string(agency.messages_owed[kind]);
        }
        out += "}";
        out += ",\"excluded\":{";
        bool first_reason = true;
        for (std::size_t i = 0; i < agency.excluded.size(); ++i) {
            if (agency.excluded[i] == 0)
                continue;
            if (!first_reason)
                out += ',';
            first_reason = false;
            base::append_json_string(out, model::to_string(static_cast<model::ExclusionReason>(i)));
            out += ':' + std::to_string(agency.excluded[i]);
        }
        out += "},\"files\":[";
        for (std::size_t i = 0; i < agency.files.size(); ++i) {
            if (i > 0)
                out += ',';
            base::append_json_string(out, agency.files[i].string());
        }
        out += "],\"fields\":[";
        for (std::size_t i = 0; i < agency.fields.size(); ++i) {
            if (i > 0)
                out += ',';
            base::append_json_string(out, agency.fields[i]);
        }
        out += "]}";
    }
    out += "]";
    // What the text summary prints around the counts: the first quarantined problems (the
    // `dcagw: rejected:` lines), what recovery did first, the warnings, and the checkpoint.
    out += ",\"rejections\":[";
    for (std::size_t i = 0; i < rejections.size(); ++i) {
        auto const& rejection = rejections[i];
        if (i > 0)
            out += ',';
        out += "{\"file\":";
        base::append_json_string(out, rejection.file);
        out += ",\"line\":" + std::to_string(rejection.line) + ",\"account_ref\":";
        base::append_json_string(out, rejection.account_ref);
        out += ",\"person_ref\":";
        base::append_json_string(out, rejection.person_ref);
        out += ",\"field\":";
        base::append_json_string(out, rejection.field);
        out += ",\"reason\":";
        base::append_json_string(out, rejection.reason);
        out += '}';
    }
    out += "],\"recovered\":" + json_strings(recovered);
    out += ",\"warnings\":" + json_strings(warnings);
    out += ",\"audit_checkpoint\":";
    base::append_json_string(out, checkpoint.value_or(""));
    out += '}';
    return out;
}

} // namespace dcagw::pipeline
