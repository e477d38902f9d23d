// The run summary as JSON: stored with the run in the ledger and printed by
// `dcagw place --format json` (schemas/place-summary.schema.json). Hand-written because
// only the config module may use a JSON library, and this shape is fixed and small.
#include "gateway/base/json_writer.hpp"
#include "gateway/pipeline/place.hpp"

#include "gateway/model/lifecycle_message.hpp"

namespace dcagw::pipeline {

namespace {

std::string messages_owed_json(AgencyOutcome const& agency)
{
    base::JsonObject owed;
    for (std::size_t kind = 0; kind < agency.messages_owed.size(); ++kind)
        owed.number(model::to_string(static_cast<model::MessageKind>(kind)), agency.messages_owed[kind]);
    return owed.take();
}

// Only the reasons that excluded something.
std::string excluded_json(AgencyOutcome const& agency)
{
    base::JsonObject excluded;
    for (std::size_t i = 0; i < agency.excluded.size(); ++i) {
        if (agency.excluded[i] != 0)
            excluded.number(model::to_string(static_cast<model::ExclusionReason>(i)), agency.excluded[i]);
    }
    return excluded.take();
}

std::string agency_json(AgencyOutcome const& agency)
{
    std::vector<std::string> files;
    for (auto const& file : agency.files)
        files.push_back(file.string());
    return base::JsonObject()
        .text("agency", agency.agency)
        .number("placed", agency.placed)
        .number("rejected_by_mapping", agency.rejected_by_mapping)
        .json("messages_owed", messages_owed_json(agency))
        .json("excluded", excluded_json(agency))
        .strings("files", files)
        .strings("fields", agency.fields)
        .take();
}

std::string rejection_json(model::Rejection const& rejection)
{
    return base::JsonObject()
        .text("file", rejection.file)
        .number("line", static_cast<std::int64_t>(rejection.line))
        .text("account_ref", rejection.account_ref)
        .text("person_ref", rejection.person_ref)
        .text("field", rejection.field)
        .text("reason", rejection.reason)
        .take();
}

} // namespace

std::string PlaceSummary::to_json() const
{
    std::vector<std::string> agency_entries;
    for (auto const& agency : agencies)
        agency_entries.push_back(agency_json(agency));
    // What the text summary prints around the counts: the first quarantined problems (the
    // `dcagw: rejected:` lines), what recovery did first, the warnings, and the checkpoint.
    std::vector<std::string> rejection_entries;
    for (auto const& rejection : rejections)
        rejection_entries.push_back(rejection_json(rejection));
    return base::JsonObject()
        .number("run", run)
        .text("input", input_file)
        .number("rows_read", rows_read)
        .number("rows_valid", rows_valid)
        .number("rows_rejected", rows_rejected)
        .number("open_accounts", open_accounts)
        .number("open_accounts_listed", open_accounts_listed)
        .number("problems", problems)
        .json("agencies", base::json_array(agency_entries))
        .json("rejections", base::json_array(rejection_entries))
        .strings("recovered", recovered)
        .strings("warnings", warnings)
        .text("audit_checkpoint", checkpoint.value_or(""))
        .take();
}

} // namespace dcagw::pipeline
