// `dcagw audit shares`: the record-of-processing report per agency and period, as a
// table, CSV, JSON (schemas/audit-shares.schema.json) or one self-contained HTML page.
#include "gateway/cli/commands.hpp"
#include "gateway/cli/commands_audit.hpp"

#include "gateway/base/date.hpp"
#include "gateway/base/text.hpp"

#include <cstdio>

namespace dcagw::cli {

namespace {

void append_json_list(std::string& out, std::vector<std::string> const& items)
{
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        base::append_json_string(out, items[i]);
    }
    out += ']';
}

void append_json_events(std::string& out, std::vector<audit::FileEvent> const& events)
{
    out += '[';
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i > 0)
            out += ',';
        out += "{\"entry\":" + std::to_string(events[i].sequence) + ",\"time\":";
        base::append_json_string(out, events[i].time);
        out += ",\"detail\":";
        base::append_json_string(out, events[i].detail);
        out += '}';
    }
    out += ']';
}

std::string shares_json(std::vector<audit::AgencyShares> const& report, std::string const& from, std::string const& to)
{
    std::string out = "{\"from\":";
    base::append_json_string(out, from);
    out += ",\"to\":";
    base::append_json_string(out, to);
    out += ",\"agencies\":[";
    for (std::size_t a = 0; a < report.size(); ++a) {
        auto const& agency = report[a];
        if (a > 0)
            out += ',';
        out += "{\"agency\":";
        base::append_json_string(out, agency.agency);
        out += ",\"file_count\":" + std::to_string(agency.files.size()) + ",\"records\":" + std::to_string(agency.records)
            + ",\"deliveries\":" + std::to_string(agency.deliveries) + ",\"acknowledgements\":" + std::to_string(agency.acknowledgements);
        out += ",\"agreements\":";
        append_json_list(out, agency.agreements);
        out += ",\"field_sets\":[";
        for (std::size_t i = 0; i < agency.field_sets.size(); ++i) {
            if (i > 0)
                out += ',';
            append_json_list(out, agency.field_sets[i]);
        }
        out += "],\"files\":[";
        for (std::size_t i = 0; i < agency.files.size(); ++i) {
            auto const& file = agency.files[i];
            if (i > 0)
                out += ',';
            out += "{\"entry\":" + std::to_string(file.sequence) + ",\"time\":";
            base::append_json_string(out, file.time);
            for (auto const& [name, value] : { std::pair<char const*, std::string const*> { "file", &file.file_name }, { "action", &file.action },
                     { "actor", &file.actor }, { "agreement_reference", &file.agreement_reference }, { "agreement_version", &file.agreement_version },
                     { "purpose", &file.purpose }, { "lawful_basis", &file.lawful_basis }, { "encryption", &file.encryption },
                     { "plaintext_sha256", &file.plaintext_sha256 }, { "ciphertext_sha256", &file.ciphertext_sha256 } }) {
                out += ",\"" + std::string(name) + "\":";
                base::append_json_string(out, *value);
            }
            out += ",\"records\":" + std::to_string(file.record_count) + ",\"fields\":";
            append_json_list(out, file.fields);
            out += ",\"recipients\":";
            append_json_list(out, file.recipients);
            out += ",\"deliveries\":";
            append_json_events(out, file.deliveries);
            out += ",\"acknowledgements\":";
            append_json_events(out, file.acknowledgements);
            out += '}';
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

std::string escaped(std::string_view text)
{
    std::string out;
    base::append_xml_escaped(out, text);
    return out;
}

std::string joined(std::vector<std::string> const& items, std::string_view separator)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += separator;
        out += items[i];
    }
    return out;
}

// One page, no external resources (a compliance officer opens and prints it offline).
std::string shares_html(std::vector<audit::AgencyShares> const& report, std::string const& from, std::string const& to)
{
    std::string out = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Data shares )" + escaped(from) + " to " + escaped(to) + R"(</title>
<style>
body { font-family: sans-serif; font-size: 10pt; margin: 2em; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 2em; border-bottom: 1px solid #444; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; } .hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
@media print { body { margin: 0; } h2 { page-break-before: auto; } tr { page-break-inside: avoid; } }
</style></head><body>
<h1>Record of data shared with debt collection agencies</h1>
<p>Period: )" + escaped(from) + " to " + escaped(to) + R"( (UTC dates, inclusive). Source: the gateway's hash-chained audit log; run
<code>dcagw audit verify</code> to check it has not been altered.</p>
)";
    if (report.empty())
        out += "<p>No data was shared in this period.</p>\n";
    for (auto const& agency : report) {
        out += "<h2>Agency " + escaped(agency.agency) + "</h2>\n<table>\n";
        out += "<tr><th>Files</th><td>" + std::to_string(agency.files.size()) + "</td></tr>\n";
        out += "<tr><th>Records (subjects)</th><td>" + std::to_string(agency.records) + "</td></tr>\n";
        out += "<tr><th>Agreements</th><td>" + escaped(joined(agency.agreements, "; ")) + "</td></tr>\n";
        out += "<tr><th>Field sets</th><td>";
        for (auto const& fields : agency.field_sets)
            out += escaped(joined(fields, ", ")) + "<br>";
        out += "</td></tr>\n<tr><th>Deliveries</th><td>" + std::to_string(agency.deliveries) + "</td></tr>\n";
        out += "<tr><th>Acknowledgements</th><td>" + std::to_string(agency.acknowledgements) + "</td></tr>\n</table>\n";
        out += "<table>\n<tr><th>Entry</th><th>Time</th><th>File</th><th>Records</th><th>Purpose / lawful basis</th><th>Delivered</th>"
               "<th>Acknowledged</th><th>SHA-256 (plaintext / ciphertext)</th></tr>\n";
        for (auto const& file : agency.files) {
            out += "<tr><td>" + std::to_string(file.sequence) + "</td><td>" + escaped(file.time) + "</td><td>" + escaped(file.file_name) + "<br>("
                + escaped(file.action) + ", " + escaped(file.encryption) + ")</td><td>" + std::to_string(file.record_count) + "</td><td>"
                + escaped(file.purpose) + "<br>" + escaped(file.lawful_basis) + "</td><td>" + escaped(joined(event_texts(file.deliveries), "; "))
                + "</td><td>" + escaped(joined(event_texts(file.acknowledgements), "; ")) + "</td><td class=\"hash\">" + escaped(file.plaintext_sha256)
                + "<br>" + escaped(file.ciphertext_sha256) + "</td></tr>\n";
        }
        out += "</table>\n";
    }
    out += "</body></html>\n";
    return out;
}

} // namespace

Outcome command_audit_shares(Arguments const& arguments)
{
    auto const period = TRY(requested_period(arguments));
    auto context = TRY(open_audit(arguments));
    auto const& from = period.from;
    auto const& to = period.to;
    auto const format = arguments.format();
    auto const only_agency = TRY(agency_option(arguments, context.config));
    auto const report = TRY(audit::shares_report(*context.ledger, from, to, only_agency));
    if (format == Format::Html) {
        std::fputs(shares_html(report, from, to).c_str(), stdout);
        return ExitCode::Ok;
    }
    if (format == Format::Json) {
        std::printf("%s\n", shares_json(report, from, to).c_str());
        return ExitCode::Ok;
    }
    ListPrinter printer(format, { "agency", "entry", "time", "file", "action", "records", "agreement", "fields", "delivered", "acknowledged" },
        table_options(arguments, { "action", "agreement", "fields" }));
    for (auto const& agency : report)
        for (auto const& file : agency.files)
            printer.row({ Cell::of(agency.agency), Cell::of(file.sequence), Cell::of(file.time), Cell::of(file.file_name), Cell::of(file.action),
                Cell::of(file.record_count), Cell::of(file.agreement_reference + " " + file.agreement_version), Cell::of(file.fields),
                Cell::of(event_texts(file.deliveries)), Cell::of(event_texts(file.acknowledgements)) });
    printer.finish();
    if (format == Format::Table)
        for (auto const& agency : report)
            std::printf("agency %s: %zu file(s), %lld record(s), %zu field set(s), agreements %s, %lld delivery(ies), %lld acknowledgement(s)\n",
                agency.agency.c_str(), agency.files.size(), static_cast<long long>(agency.records), agency.field_sets.size(),
                joined(agency.agreements, "; ").c_str(), static_cast<long long>(agency.deliveries), static_cast<long long>(agency.acknowledgements));
    return ExitCode::Ok;
}

} // namespace dcagw::cli
