// The placement commands: place, placements list, quarantine list.
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/render.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/base/text.hpp"
#include "gateway/config/config_reader.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdio>

namespace dcagw::cli {

base::Result<model::GatewayConfig> load_configuration(Arguments const& arguments)
{
    auto const path = arguments.value("config");
    if (!path)
        return base::make_error(base::ErrorCode::Usage, "--config FILE is required");
    return config::load_config(*path);
}

std::optional<Format> requested_format(Arguments const& arguments, Format fallback)
{
    auto const text = arguments.value("format");
    if (!text)
        return fallback;
    auto const format = format_from_string(*text);
    if (!format) {
        print_error("unknown format '" + *text + "'");
        print_hint("use table, json or csv");
    }
    return format;
}

base::Result<base::Date> requested_date(Arguments const& arguments)
{
    auto const text = arguments.value("as-of");
    if (!text)
        return base::today_local();
    auto const date = base::Date::parse(*text);
    if (!date)
        return base::make_error(base::ErrorCode::Usage, "--as-of '" + *text + "' is not a date (YYYY-MM-DD)");
    return *date;
}

namespace {

void print_summary(pipeline::PlaceSummary const& summary, pipeline::RunMode mode)
{
    for (auto const& line : summary.recovered)
        std::printf("recovered: %s\n", line.c_str());
    for (auto const& rejection : summary.rejections) {
        // Validation's reasons already start with the field's name; the readers' may not.
        bool const names_field = rejection.field.empty() || rejection.reason.starts_with(rejection.field + ":");
        std::fprintf(stderr, "dcagw: rejected: %s:%llu: %s%s%s\n", rejection.file.c_str(), static_cast<unsigned long long>(rejection.line),
            names_field ? "" : rejection.field.c_str(), names_field ? "" : ": ", rejection.reason.c_str());
    }
    if (summary.problems > static_cast<std::int64_t>(summary.rejections.size()))
        std::fprintf(stderr, "dcagw: rejected: ... and %lld more (see `dcagw quarantine list`)\n",
            static_cast<long long>(summary.problems - static_cast<std::int64_t>(summary.rejections.size())));

    if (mode == pipeline::RunMode::DryRun)
        std::printf("DRY RUN: nothing was recorded; plaintext files written with mode 0600.\n");
    else
        std::printf("run %lld\n", static_cast<long long>(summary.run));
    std::printf("input %s: %lld rows read, %lld valid, %lld rejected (%lld problems quarantined)\n", summary.input_file.c_str(),
        static_cast<long long>(summary.rows_read), static_cast<long long>(summary.rows_valid), static_cast<long long>(summary.rows_rejected),
        static_cast<long long>(summary.problems));
    for (auto const& agency : summary.agencies) {
        std::printf("agency %s: %lld placed", agency.agency.c_str(), static_cast<long long>(agency.placed));
        if (agency.rejected_by_mapping > 0)
            std::printf(", %lld rejected by its mapping", static_cast<long long>(agency.rejected_by_mapping));
        std::printf("\n");
        for (std::size_t i = 0; i < agency.excluded.size(); ++i)
            if (agency.excluded[i] > 0)
                std::printf("  excluded %-30s %lld\n", std::string(model::to_string(static_cast<model::ExclusionReason>(i))).c_str(),
                    static_cast<long long>(agency.excluded[i]));
        for (auto const& file : agency.files)
            std::printf("  file %s\n", file.c_str());
    }
    if (summary.checkpoint)
        std::printf("audit checkpoint: %s\n", summary.checkpoint->c_str());
    for (auto const& warning : summary.warnings)
        print_warning(warning);
}

} // namespace

int command_place(Arguments const& arguments)
{
    auto config = load_configuration(arguments);
    if (config.is_error())
        return report_error(config.error());
    auto today = requested_date(arguments);
    if (today.is_error())
        return report_error(today.error());

    pipeline::PlaceOptions options;
    options.today = today.value();
    options.actor = audit::current_actor();
    if (auto const input = arguments.value("input"))
        options.input = *input;
    options.agency = arguments.value("agency");
    if (arguments.has("dry-run")) {
        options.mode = pipeline::RunMode::DryRun;
        auto const out = arguments.value("out");
        if (!out) {
            print_error("--dry-run needs --out FOLDER for the plaintext agency files");
            return exit_usage;
        }
        options.dry_run_folder = *out;
    } else if (arguments.has("out")) {
        print_error("--out is only for --dry-run: a real run writes ciphertext to the spool");
        return exit_usage;
    }
    auto const json = arguments.value("format") == std::optional<std::string>("json");

    auto summary = pipeline::place(config.value(), options);
    if (summary.is_error())
        return report_error(summary.error());
    if (json)
        std::printf("%s\n", summary.value().to_json().c_str());
    else
        print_summary(summary.value(), options.mode);
    return summary.value().has_rejections() ? exit_rejected : exit_ok;
}

namespace {

// The shared start of every list command: the configuration, the output format and the
// ledger. On failure it has reported the problem and `exit_code` says what to return.
struct Listing {
    Format format { Format::Table };
    std::unique_ptr<store::Ledger> ledger;
};

std::optional<Listing> open_listing(Arguments const& arguments, int& exit_code)
{
    auto config = load_configuration(arguments);
    if (config.is_error()) {
        exit_code = report_error(config.error());
        return std::nullopt;
    }
    auto const format = requested_format(arguments, Format::Table);
    if (!format) {
        exit_code = exit_usage;
        return std::nullopt;
    }
    auto ledger = store::Ledger::open(config.value().state_directory);
    if (ledger.is_error()) {
        exit_code = report_error(ledger.error());
        return std::nullopt;
    }
    return Listing { *format, ledger.release_value() };
}

} // namespace

int command_placements_list(Arguments const& arguments)
{
    int exit_code = exit_ok;
    auto listing = open_listing(arguments, exit_code);
    if (!listing)
        return exit_code;
    store::PlacementFilter filter;
    filter.agency = arguments.value("agency");
    filter.status = arguments.value("status");
    filter.reference = arguments.value("ref");
    filter.pseudonym = arguments.value("pseudonym");
    ListPrinter printer(listing->format, { "account_ref", "person_ref", "agency", "pseudonym", "balance_pence", "status", "fields", "file", "placed_at" });
    auto listed = listing->ledger->for_each_placement(filter, [&](store::Placement const& placement) {
        printer.row({ Cell::of(placement.account_ref), Cell::of(placement.person_ref), Cell::of(placement.agency), Cell::of(placement.pseudonym),
            Cell::of(placement.balance_pence), Cell::of(placement.status), Cell::of(placement.fields), Cell::of(placement.file),
            Cell::of(placement.placed_at) });
    });
    printer.finish();
    if (listed.is_error())
        return report_error(listed.error());
    return exit_ok;
}

int command_quarantine_list(Arguments const& arguments)
{
    std::optional<std::int64_t> run;
    if (auto const text = arguments.value("run")) {
        run = base::parse_int64(*text);
        if (!run) {
            print_error("--run '" + *text + "' is not a run number");
            return exit_usage;
        }
    }
    int exit_code = exit_ok;
    auto listing = open_listing(arguments, exit_code);
    if (!listing)
        return exit_code;
    ListPrinter printer(listing->format, { "run", "file", "line", "account_ref", "person_ref", "field", "reason", "recorded_at" });
    auto listed = listing->ledger->for_each_quarantine(run, [&](store::QuarantineEntry const& entry) {
        printer.row({ Cell::of(entry.run), Cell::of(entry.file), Cell::of(static_cast<std::int64_t>(entry.line)), Cell::of(entry.account_ref),
            Cell::of(entry.person_ref), Cell::of(entry.field), Cell::of(entry.reason), Cell::of(entry.recorded_at) });
    });
    printer.finish();
    if (listed.is_error())
        return report_error(listed.error());
    return exit_ok;
}

int command_runs_list(Arguments const& arguments)
{
    int exit_code = exit_ok;
    auto listing = open_listing(arguments, exit_code);
    if (!listing)
        return exit_code;
    auto runs = listing->ledger->list_runs();
    if (runs.is_error())
        return report_error(runs.error());
    ListPrinter printer(listing->format, { "run", "command", "input", "as_of", "started_at", "finished_at", "status", "excluded" });
    for (auto const& run : runs.value()) {
        // The exclusion counts per agency and reason, from the ledger's exclusions table.
        std::vector<std::string> excluded;
        auto counts = listing->ledger->exclusion_counts(run.id);
        if (counts.is_error())
            return report_error(counts.error());
        for (auto const& count : counts.value())
            excluded.push_back(count.agency + " " + count.reason + " " + std::to_string(count.count));
        printer.row({ Cell::of(run.id), Cell::of(run.command), Cell::of(run.input_file), Cell::of(run.as_of), Cell::of(run.started_at),
            Cell::of(run.finished_at), Cell::of(run.status), Cell::of(std::move(excluded)) });
    }
    printer.finish();
    return exit_ok;
}

int command_config_check(Arguments const& arguments)
{
    auto const path = arguments.value("config");
    if (!path) {
        print_error("--config FILE is required");
        return exit_usage;
    }
    auto const problems = config::check_config(*path);
    for (auto const& problem : problems)
        std::fprintf(stderr, "dcagw: error: %s: %s: %s\n", problem.file.c_str(), problem.json_path.empty() ? "/" : problem.json_path.c_str(),
            problem.reason.c_str());
    if (!problems.empty()) {
        print_hint(std::to_string(problems.size()) + " problem(s); nothing was run");
        return exit_usage;
    }
    auto config = config::load_config(*path);
    if (config.is_error())
        return report_error(config.error());
    std::printf("%s: ok (%zu agencies)\n", path->c_str(), config.value().agencies.size());
    for (auto const& agency : config.value().agencies) {
        std::printf("  %s%s: mapping %s, %zu columns\n", agency.id.c_str(), agency.enabled ? "" : " (disabled)", agency.mapping_path.c_str(),
            agency.mapping.columns.size());
    }
    return exit_ok;
}

} // namespace dcagw::cli
