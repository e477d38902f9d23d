// The JSON form of the ingest summary (schemas/ingest-summary.schema.json).
#include "gateway/ingest/ingest_run.hpp"

#include "gateway/base/text.hpp"

namespace dcagw::ingest {

namespace {

void add_text(std::string& out, std::string_view key, std::string_view value)
{
    out += '"';
    out += key;
    out += "\": ";
    base::append_json_string(out, value);
}

void add_number(std::string& out, std::string_view key, std::int64_t value)
{
    out += ", \"";
    out += key;
    out += "\": ";
    out += std::to_string(value);
}

void add_split(std::string& out, std::string_view key, model::MoneySplit const& split)
{
    out += ", \"";
    out += key;
    out += "\": {\"gross_pence\": " + std::to_string(split.gross_pence) + ", \"commission_pence\": " + std::to_string(split.commission_pence)
        + ", \"vat_pence\": " + std::to_string(split.vat_pence) + ", \"net_pence\": " + std::to_string(split.net_pence) + "}";
}

void add_strings(std::string& out, std::string_view key, std::vector<std::string> const& values)
{
    out += ", \"";
    out += key;
    out += "\": [";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ", ";
        base::append_json_string(out, values[i]);
    }
    out += ']';
}

void add_file(std::string& out, IngestedFile const& file)
{
    out += "{";
    add_text(out, "agency", file.agency);
    out += ", ";
    add_text(out, "file", file.file_name);
    out += ", ";
    add_text(out, "sha256", file.sha256);
    out += ", ";
    add_text(out, "outcome", to_string(file.outcome));
    out += ", ";
    add_text(out, "kind", file.kind);
    out += ", ";
    add_text(out, "reason", file.reason);
    auto const& counts = file.summary.counts;
    add_number(out, "lines", counts.lines);
    add_number(out, "applied", counts.applied);
    add_number(out, "duplicates", counts.duplicates);
    add_number(out, "conflicts", counts.conflicts);
    add_number(out, "quarantined", counts.quarantined);
    add_number(out, "suspense", counts.suspense);
    add_number(out, "state_changes", file.summary.state_changes);
    add_number(out, "traces", file.summary.traces);
    add_split(out, "payments", file.summary.payments);
    add_split(out, "refunds", file.summary.refunds);
    out += std::string(", \"payouts_reconcile\": ") + (file.summary.payouts_reconcile ? "true" : "false");
    add_strings(out, "problems", file.summary.problems);
    out += "}";
}

} // namespace

std::string IngestSummary::to_json() const
{
    std::string out = "{\n  \"files_applied\": " + std::to_string(count(IngestOutcome::Applied));
    add_number(out, "files_already_applied", count(IngestOutcome::AlreadyApplied));
    add_number(out, "files_refused", count(IngestOutcome::Refused));
    add_number(out, "files_with_problems", count(IngestOutcome::Problem));
    out += ",\n  \"files\": [";
    for (std::size_t i = 0; i < files.size(); ++i) {
        out += i > 0 ? ",\n    " : "\n    ";
        add_file(out, files[i]);
    }
    out += files.empty() ? "]" : "\n  ]";
    add_strings(out, "warnings", warnings);
    out += "\n}";
    return out;
}

} // namespace dcagw::ingest
