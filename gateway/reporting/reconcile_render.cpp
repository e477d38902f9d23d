// The four renderings of a ReconcileReport (docs/postings.md, "dcagw reconcile" has the layouts).
#include "gateway/reporting/reconcile_report.hpp"

#include "gateway/base/text.hpp"

#include <array>
#include <optional>

namespace dcagw::reporting {

namespace {

std::string number(std::int64_t value) { return std::to_string(value); }

// "£12.50", "-£0.01".
std::string pounds(std::int64_t pence)
{
    return (pence < 0 ? "-£" : "£") + base::pence_to_pounds(pence < 0 ? -pence : pence);
}

std::string split_json(model::MoneySplit const& split)
{
    return "{\"gross_pence\": " + number(split.gross_pence) + ", \"commission_pence\": " + number(split.commission_pence) + ", \"vat_pence\": "
        + number(split.vat_pence) + ", \"net_pence\": " + number(split.net_pence) + "}";
}

std::string json_text(std::string_view text)
{
    std::string out;
    base::append_json_string(out, text);
    return out;
}

std::string_view problem_kind(money::PayoutProblemKind kind)
{
    switch (kind) {
    case money::PayoutProblemKind::TotalMismatch: return "total_mismatch";
    case money::PayoutProblemKind::UnknownPayment: return "unknown_payment";
    case money::PayoutProblemKind::AmountMismatch: return "amount_mismatch";
    case money::PayoutProblemKind::NotPaidOver: return "not_paid_over";
    }
    return "unknown";
}

std::string problem_json(money::PayoutProblem const& problem)
{
    return "{\"kind\": \"" + std::string(problem_kind(problem.kind)) + "\", \"part\": " + json_text(problem.part) + ", \"payment_id\": "
        + json_text(problem.payment_id) + ", \"stated_pence\": " + number(problem.stated_pence) + ", \"computed_pence\": " + number(problem.computed_pence)
        + ", \"difference_pence\": " + number(problem.stated_pence - problem.computed_pence) + ", \"message\": " + json_text(problem.describe()) + "}";
}

std::string gl_line_json(GlLine const& line)
{
    return "{\"count\": " + number(line.count) + ", \"split\": " + split_json(line.split) + "}";
}

template<typename Item, typename Render>
std::string json_array(std::vector<Item> const& items, Render render)
{
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i > 0 ? ", " : "") + render(items[i]);
    return out + "]";
}

std::string html(std::string_view text)
{
    std::string out;
    base::append_xml_escaped(out, text);
    return out;
}

std::string split_cells(model::MoneySplit const& split)
{
    std::string out;
    for (auto const pence : { split.gross_pence, split.commission_pence, split.vat_pence, split.net_pence })
        out += "<td class=\"n\">" + html(pounds(pence)) + "</td>";
    return out;
}

// CSV: section, payout_id, payment_id, account_ref, part, stated, computed, difference,
// gross, commission, vat, net, count, detail.
struct CsvRow {
    std::string section, payout_id, payment_id, account_ref, part;
    std::optional<std::int64_t> stated, computed;
    std::optional<model::MoneySplit> split;
    std::optional<std::int64_t> count;
    std::string detail;
};

void append_csv(std::string& out, CsvRow const& row)
{
    auto const optional_number = [](std::optional<std::int64_t> value) { return value ? number(*value) : std::string(); };
    std::vector<std::string> const fields { row.section, row.payout_id, row.payment_id, row.account_ref, row.part, optional_number(row.stated),
        optional_number(row.computed), row.stated && row.computed ? number(*row.stated - *row.computed) : std::string(),
        row.split ? number(row.split->gross_pence) : "", row.split ? number(row.split->commission_pence) : "",
        row.split ? number(row.split->vat_pence) : "", row.split ? number(row.split->net_pence) : "", optional_number(row.count), row.detail };
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        base::append_csv_field(out, fields[i]);
    }
    out += '\n';
}


} // namespace

std::string ReconcileReport::to_json() const
{
    std::string out = "{\"agency\": " + json_text(agency) + ", \"period\": " + json_text(period) + ", \"as_of\": " + json_text(as_of)
        + ", \"payout_due_days\": " + number(payout_due_days) + ", \"reconciles\": " + (reconciles() ? "true" : "false") + ", \"payouts\": ";
    out += json_array(payouts, [](PayoutReconciliation const& payout) {
        return "{\"payout_id\": " + json_text(payout.payout_id) + ", \"payout_date\": " + json_text(payout.payout_date) + ", \"reconciles\": "
            + (payout.reconciles() ? "true" : "false") + ", \"lines\": " + json_array(payout.lines, [](PayoutLineView const& line) {
                return "{\"payment_id\": " + json_text(line.payment_id) + ", \"account_ref\": " + json_text(line.account_ref) + ", \"listed_pence\": "
                    + number(line.listed_pence) + ", \"reported\": " + (line.reported ? split_json(*line.reported) : "null") + "}";
            }) + ", \"computed\": " + split_json(payout.computed) + ", \"stated\": " + (payout.stated ? split_json(*payout.stated) : "null")
            + ", \"differences\": " + json_array(payout.problems, problem_json) + "}";
    });
    out += ", \"gl\": {\"payments\": " + gl_line_json(gl.payments) + ", \"direct_payments\": " + gl_line_json(gl.direct_payments) + ", \"refunds\": "
        + gl_line_json(gl.refunds) + ", \"total\": " + split_json(gl.total()) + "}";
    out += ", \"suspense_ageing\": " + json_array(suspense_ageing, [](AgeingBand const& band) {
        return "{\"band\": " + json_text(band.band) + ", \"count\": " + number(band.count) + ", \"amount_pence\": " + number(band.amount_pence) + "}";
    });
    out += ", \"unmatched\": " + json_array(unmatched, [](UnmatchedItem const& item) {
        return "{\"source\": " + json_text(item.source) + ", \"id\": " + json_text(item.id) + ", \"kind\": " + json_text(item.kind) + ", \"reference\": "
            + json_text(item.reference) + ", \"amount_pence\": " + number(item.amount_pence) + ", \"date\": " + json_text(item.date) + ", \"age_days\": "
            + number(item.age_days) + ", \"file\": " + json_text(item.file) + ", \"line\": " + number(item.line) + ", \"reason\": " + json_text(item.reason) + "}";
    });
    out += ", \"not_paid_over\": " + json_array(not_paid_over, [](NotPaidOver const& item) {
        return "{\"payment_id\": " + json_text(item.payment_id) + ", \"account_ref\": " + json_text(item.account_ref) + ", \"payment_date\": "
            + json_text(item.payment_date) + ", \"gross_pence\": " + number(item.gross_pence) + ", \"message\": " + json_text(item.message) + "}";
    });
    return out + "}";
}

std::string ReconcileReport::to_csv() const
{
    std::string out = "section,payout_id,payment_id,account_ref,part,stated_pence,computed_pence,difference_pence,gross_pence,commission_pence,"
                      "vat_pence,net_pence,count,detail\n";
    for (auto const& payout : payouts) {
        for (auto const& line : payout.lines)
            append_csv(out, { "payout_line", payout.payout_id, line.payment_id, line.account_ref, "", line.listed_pence,
                line.reported ? std::optional(line.reported->gross_pence) : std::nullopt, line.reported, std::nullopt, "" });
        append_csv(out, { "payout_computed", payout.payout_id, "", "", "", {}, {}, payout.computed, static_cast<std::int64_t>(payout.lines.size()),
            payout.reconciles() ? "reconciles" : "does not reconcile" });
        if (payout.stated)
            append_csv(out, { "payout_stated", payout.payout_id, "", "", "", {}, {}, payout.stated, {}, "" });
        for (auto const& problem : payout.problems)
            append_csv(out, { "difference", payout.payout_id, problem.payment_id, "", problem.part, problem.stated_pence, problem.computed_pence, {}, {},
                problem.describe() });
    }
    std::array<std::pair<char const*, GlLine const*>, 3> const gl_lines { { { "payments", &gl.payments }, { "direct_payments", &gl.direct_payments },
        { "refunds", &gl.refunds } } };
    for (auto const& [part, line] : gl_lines)
        append_csv(out, { "gl", "", "", "", part, {}, {}, line->split, line->count, "" });
    append_csv(out, { "gl", "", "", "", "total", {}, {}, gl.total(), {}, "payments + direct_payments - refunds" });
    for (auto const& band : suspense_ageing)
        append_csv(out, { "suspense_ageing", "", "", "", band.band, {}, band.amount_pence, {}, band.count, "" });
    for (auto const& item : unmatched)
        append_csv(out, { "unmatched", item.source == "payout" ? item.id : "", item.source == "payout" ? item.reference : "", "", item.source, {},
            item.amount_pence, {}, {}, item.reason });
    for (auto const& item : not_paid_over)
        append_csv(out, { "not_paid_over", "", item.payment_id, item.account_ref, "", {}, item.gross_pence, {}, {}, item.message });
    return out;
}

std::string ReconcileReport::to_text() const
{
    std::string out = "Reconciliation of agency " + agency + " for " + period + " (as of " + as_of + ")\n";
    for (auto const& payout : payouts) {
        out += "payout " + payout.payout_id + " of " + payout.payout_date + ": " + number(static_cast<std::int64_t>(payout.lines.size())) + " line(s), gross "
            + pounds(payout.computed.gross_pence) + ", commission " + pounds(payout.computed.commission_pence) + ", VAT " + pounds(payout.computed.vat_pence)
            + ", net " + pounds(payout.computed.net_pence) + (payout.reconciles() ? ": reconciles\n" : ": DOES NOT RECONCILE\n");
        for (auto const& problem : payout.problems)
            out += "  DIFFERENCE: " + problem.describe() + "\n";
    }
    if (payouts.empty())
        out += "no payout in this period\n";
    auto const total = gl.total();
    out += "GL: payments " + number(gl.payments.count) + " gross " + pounds(gl.payments.split.gross_pence) + "; direct payments "
        + number(gl.direct_payments.count) + " gross " + pounds(gl.direct_payments.split.gross_pence) + "; refunds " + number(gl.refunds.count) + " gross "
        + pounds(gl.refunds.split.gross_pence) + "; total gross " + pounds(total.gross_pence) + ", commission " + pounds(total.commission_pence) + ", VAT "
        + pounds(total.vat_pence) + ", net " + pounds(total.net_pence) + "\n";
    out += "suspense ageing (days):";
    for (auto const& band : suspense_ageing)
        out += " " + band.band + ": " + number(band.count) + " (" + pounds(band.amount_pence) + ")";
    out += "\n";
    for (auto const& item : unmatched)
        out += "unmatched " + item.source + " " + item.id + ": " + item.reference + " " + pounds(item.amount_pence) + " (" + item.reason + ")\n";
    for (auto const& item : not_paid_over)
        out += "NOT PAID OVER: " + item.message + "\n";
    return out;
}

std::string ReconcileReport::to_html() const
{
    std::string out = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation )" + html(agency) + " " + html(period) + R"(</title>
<style>
body { font-family: sans-serif; font-size: 10pt; margin: 2em; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 2em; border-bottom: 1px solid #444; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; font-family: monospace; }
.fail { color: #a00; font-weight: bold; } .ok { color: #060; }
@media print { body { margin: 0; } tr { page-break-inside: avoid; } }
</style></head><body>
<h1>Reconciliation: agency )" + html(agency) + ", " + html(period) + "</h1>\n<p>As of " + html(as_of) + ". "
        + (reconciles() ? "<span class=\"ok\">Every payout reconciles.</span>" : "<span class=\"fail\">A payout does not reconcile.</span>") + "</p>\n";
    out += "<h2>Payouts</h2>\n";
    if (payouts.empty())
        out += "<p>No payout in this period.</p>\n";
    for (auto const& payout : payouts) {
        out += "<h3>Payout " + html(payout.payout_id) + " (" + html(payout.payout_date) + ") "
            + (payout.reconciles() ? "<span class=\"ok\">reconciles</span>" : "<span class=\"fail\">does not reconcile</span>") + "</h3>\n";
        out += "<table>\n<tr><th>Payment</th><th>Account</th><th>Listed</th><th>Gross</th><th>Commission</th><th>VAT</th><th>Net</th></tr>\n";
        for (auto const& line : payout.lines)
            out += "<tr><td>" + html(line.payment_id) + "</td><td>" + html(line.account_ref) + "</td><td class=\"n\">" + html(pounds(line.listed_pence)) + "</td>"
                + (line.reported ? split_cells(*line.reported) : "<td colspan=\"4\" class=\"fail\">not reported</td>") + "</tr>\n";
        out += "<tr><th colspan=\"3\">Lines add up to</th>" + split_cells(payout.computed) + "</tr>\n";
        if (payout.stated)
            out += "<tr><th colspan=\"3\">Agency states</th>" + split_cells(*payout.stated) + "</tr>\n";
        out += "</table>\n";
        for (auto const& problem : payout.problems)
            out += "<p class=\"fail\">" + html(problem.describe()) + "</p>\n";
    }
    auto const total = gl.total();
    out += "<h2>GL summary</h2>\n<table>\n<tr><th>Line</th><th>Count</th><th>Gross</th><th>Commission</th><th>VAT</th><th>Net</th></tr>\n";
    out += "<tr><td>Payments</td><td class=\"n\">" + number(gl.payments.count) + "</td>" + split_cells(gl.payments.split) + "</tr>\n";
    out += "<tr><td>Direct payments</td><td class=\"n\">" + number(gl.direct_payments.count) + "</td>" + split_cells(gl.direct_payments.split) + "</tr>\n";
    out += "<tr><td>Refunds</td><td class=\"n\">" + number(gl.refunds.count) + "</td>" + split_cells(gl.refunds.split) + "</tr>\n";
    out += "<tr><th>Total</th><td></td>" + split_cells(total) + "</tr>\n</table>\n";
    out += "<h2>Suspense ageing</h2>\n<table>\n<tr><th>Age (days)</th><th>Items</th><th>Amount</th></tr>\n";
    for (auto const& band : suspense_ageing)
        out += "<tr><td>" + html(band.band) + "</td><td class=\"n\">" + number(band.count) + "</td><td class=\"n\">" + html(pounds(band.amount_pence)) + "</td></tr>\n";
    out += "</table>\n<h2>Unmatched items</h2>\n";
    if (unmatched.empty())
        out += "<p>None.</p>\n";
    else {
        out += "<table>\n<tr><th>Source</th><th>Id</th><th>Reference</th><th>Amount</th><th>Date</th><th>Age</th><th>File</th><th>Line</th><th>Reason</th></tr>\n";
        for (auto const& item : unmatched)
            out += "<tr><td>" + html(item.source) + "</td><td>" + html(item.id) + "</td><td>" + html(item.reference) + "</td><td class=\"n\">"
                + html(pounds(item.amount_pence)) + "</td><td>" + html(item.date) + "</td><td class=\"n\">" + number(item.age_days) + "</td><td>" + html(item.file)
                + "</td><td class=\"n\">" + number(item.line) + "</td><td>" + html(item.reason) + "</td></tr>\n";
        out += "</table>\n";
    }
    out += "<h2>Payments in no payout after " + number(payout_due_days) + " days</h2>\n";
    if (not_paid_over.empty())
        out += "<p>None.</p>\n";
    for (auto const& item : not_paid_over)
        out += "<p class=\"fail\">" + html(item.account_ref) + ": " + html(item.message) + "</p>\n";
    out += "</body></html>\n";
    return out;
}

} // namespace dcagw::reporting
