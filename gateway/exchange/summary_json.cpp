// The JSON forms of the send and collect summaries (schemas/send-summary.schema.json,
// schemas/collect-summary.schema.json).
#include "gateway/exchange/exchange.hpp"

#include "gateway/base/text.hpp"

#include <initializer_list>
#include <utility>

namespace dcagw::exchange {

namespace {

void add_key(std::string& out, std::string_view key, bool& first)
{
    if (!first)
        out += ", ";
    first = false;
    base::append_json_string(out, key);
    out += ": ";
}

void add_string(std::string& out, std::string_view key, std::string_view value, bool& first)
{
    add_key(out, key, first);
    base::append_json_string(out, value);
}

void add_number(std::string& out, std::string_view key, std::int64_t value, bool& first)
{
    add_key(out, key, first);
    out += std::to_string(value);
}

// Counts in the order given: the order the schema documents them.
void add_numbers(std::string& out, std::initializer_list<std::pair<std::string_view, std::int64_t>> counts, bool& first)
{
    for (auto const& [key, value] : counts)
        add_number(out, key, value, first);
}

void add_strings(std::string& out, std::string_view key, std::vector<std::string> const& values, bool& first)
{
    add_key(out, key, first);
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ", ";
        base::append_json_string(out, values[i]);
    }
    out += ']';
}

void add_events(std::string& out, EventLog const& log)
{
    out += ",\n  \"events\": [";
    bool first_event = true;
    for (auto const& event : log.events()) {
        out += first_event ? "\n    {" : ",\n    {";
        first_event = false;
        bool first = true;
        add_string(out, "event", to_string(event.kind), first);
        add_string(out, "direction", event.direction == Direction::Send ? "send" : "collect", first);
        add_string(out, "agency", event.agency, first);
        add_string(out, "file", event.file, first);
        add_number(out, "size_bytes", static_cast<std::int64_t>(event.size), first);
        add_string(out, "sha256", event.sha256, first);
        add_number(out, "duration_ms", event.duration.count(), first);
        add_string(out, "outcome", event.outcome.empty() ? std::string(to_string(event.kind)) : event.outcome, first);
        out += '}';
    }
    out += first_event ? "]" : "\n  ]";
}

// The run's audit checkpoint line ("" when none was written) and its warnings.
void add_run_audit(std::string& out, std::optional<std::string> const& checkpoint, std::vector<std::string> const& warnings)
{
    bool first = false;
    out += "\n  ";
    add_string(out, "audit_checkpoint", checkpoint.value_or(""), first);
    out += "\n  ";
    add_strings(out, "warnings", warnings, first);
}

// The document both summaries share: one object per agency (its id, server, the counts
// `add_counts` writes, errors and note), then the events and the run's audit lines.
template<typename Summary, typename AddCounts>
std::string summary_json(Summary const& summary, AddCounts const& add_counts)
{
    std::string out = "{\n  \"agencies\": [";
    bool first_agency = true;
    for (auto const& agency : summary.agencies) {
        out += first_agency ? "\n    {" : ",\n    {";
        first_agency = false;
        bool first = true;
        add_string(out, "agency", agency.agency, first);
        add_string(out, "server", agency.server, first);
        add_counts(out, agency, first);
        add_strings(out, "errors", agency.errors, first);
        add_string(out, "note", agency.note, first);
        out += '}';
    }
    out += summary.agencies.empty() ? "]" : "\n  ]";
    add_events(out, summary.log);
    add_run_audit(out, summary.checkpoint, summary.warnings);
    out += "\n}";
    return out;
}

} // namespace

std::string SendSummary::to_json() const
{
    return summary_json(*this, [](std::string& out, AgencySendResult const& agency, bool& first) {
        add_numbers(out, { { "queued", agency.queued }, { "delivered", agency.delivered }, { "recovered", agency.recovered },
            { "failed_transient", agency.failed_transient }, { "failed_permanent", agency.failed_permanent },
            { "left_queued", agency.left_queued } }, first);
    });
}

std::string CollectSummary::to_json() const
{
    return summary_json(*this, [](std::string& out, AgencyCollectResult const& agency, bool& first) {
        add_numbers(out, { { "listed", agency.listed }, { "collected", agency.collected },
            { "already_collected", agency.already_collected }, { "refused", agency.refused }, { "hidden", agency.hidden },
            { "acknowledgements", agency.acknowledgements }, { "failed", agency.failed },
            { "same_name_different_content", agency.same_name_different_content },
            { "deferred_over_cap", agency.deferred_over_cap } }, first);
    });
}

} // namespace dcagw::exchange
