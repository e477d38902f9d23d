// The placement commands: place, placements list, quarantine list.
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/progress.hpp"
#include "gateway/cli/render.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/base/text.hpp"
#include "gateway/config/config_reader.hpp"
#include "gateway/model/lifecycle_message.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdio>

namespace dcagw::cli {

namespace {

// Standard error, in every format (as send and collect log their transfers there): the
// first rejected problems. The JSON summary carries them too ("rejections").
void print_rejections(pipeline::PlaceSummary const& summary, pipeline::RunMode mode)
{
    for (auto const& rejection : summary.rejections) {
        // Validation's reasons already start with the field's name; the readers' may not.
        bool const names_field = rejection.field.empty() || rejection.reason.starts_with(rejection.field + ":");
        print_message(MessageKind::Rejected,
            rejection.file + ":" + std::to_string(rejection.line) + ": " + (names_field ? "" : rejection.field + ": ") + rejection.reason);
    }
    bool const dry_run = mode == pipeline::RunMode::DryRun;
    if (summary.problems > static_cast<std::int64_t>(summary.rejections.size()))
        print_message(MessageKind::Rejected,
            "... and " + std::to_string(summary.problems - static_cast<std::int64_t>(summary.rejections.size()))
                + (dry_run ? " more (a dry run quarantines nothing: a real run lists them all in `dcagw quarantine list`)"
                           : " more (see `dcagw quarantine list`)"));
}

void print_summary(pipeline::PlaceSummary const& summary, pipeline::RunMode mode)
{
    bool const dry_run = mode == pipeline::RunMode::DryRun;
    if (dry_run)
        std::printf("DRY RUN: nothing was recorded; plaintext files written with mode 0600.\n");
    else
        std::printf("run %lld\n", static_cast<long long>(summary.run));
    std::printf("input %s: %lld rows read, %lld valid, %lld rejected (%lld problems %s)\n", summary.input_file.c_str(),
        static_cast<long long>(summary.rows_read), static_cast<long long>(summary.rows_valid), static_cast<long long>(summary.rows_rejected),
        static_cast<long long>(summary.problems), dry_run ? "found, none quarantined" : "quarantined");
    if (auto const vanished = summary.open_accounts - summary.open_accounts_listed; vanished > 0)
        std::printf("open accounts %lld: %lld missing from this export (reported, not closed; `dcagw close` ends one)\n",
            static_cast<long long>(summary.open_accounts), static_cast<long long>(vanished));
    for (auto const& agency : summary.agencies) {
        std::printf("agency %s: %lld placed", agency.agency.c_str(), static_cast<long long>(agency.placed));
        if (agency.rejected_by_mapping > 0)
            std::printf(", %lld rejected by its mapping", static_cast<long long>(agency.rejected_by_mapping));
        std::printf("\n");
        for (std::size_t i = 0; i < agency.excluded.size(); ++i)
            if (agency.excluded[i] > 0)
                std::printf("  excluded %-30s %lld\n", std::string(model::to_string(static_cast<model::ExclusionReason>(i))).c_str(),
                    static_cast<long long>(agency.excluded[i]));
        for (std::size_t kind = 0; kind < agency.messages_owed.size(); ++kind)
            if (agency.messages_owed[kind] > 0)
                std::printf("  owed %-34s %lld\n", std::string(model::to_string(static_cast<model::MessageKind>(kind))).c_str(),
                    static_cast<long long>(agency.messages_owed[kind]));
        for (auto const& file : agency.files)
            std::printf("  file %s\n", file.c_str());
    }
    if (summary.checkpoint)
        std::printf("audit checkpoint: %s\n", summary.checkpoint->c_str());
}

} // namespace

Outcome command_place(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    pipeline::PlaceOptions options;
    options.today = TRY(requested_date(arguments));
    options.actor = audit::current_actor();
    if (auto const input = arguments.value("input"))
        options.input = *input;
    options.agency = arguments.value("agency");
    if (arguments.has("confirm-mass-change"))
        options.mass_change = lifecycle::MassChange::Confirmed;
    if (arguments.has("dry-run")) {
        options.mode = pipeline::RunMode::DryRun;
        auto const out = arguments.value("out");
        if (!out)
            return usage_error("--dry-run needs --out FOLDER for the plaintext agency files");
        options.dry_run_folder = *out;
    } else if (arguments.has("out")) {
        return usage_error("--out is only for --dry-run: a real run writes ciphertext to the spool");
    }

    // Progress on standard error when it is a terminal (cli/progress), erased before the
    // summary or an error is printed.
    PlaceProgressLine progress(options.input ? options.input->string() : config.input ? config.input->string() : std::string("the input"),
        arguments.has("quiet") ? ProgressDisplay::Quiet : ProgressDisplay::Auto);
    if (progress.enabled())
        options.on_progress = [&progress](pipeline::PlaceProgress const& report) { progress.update(report); };
    auto placed = pipeline::place(config, options);
    progress.clear();
    auto const summary = TRY(std::move(placed));
    // What recovery did before the run is a note on standard error in every format (and
    // in the JSON summary's "recovered").
    for (auto const& line : summary.recovered)
        print_note("recovered: " + line);
    print_rejections(summary, options.mode);
    if (arguments.format() == Format::Json)
        std::printf("%s\n", summary.to_json().c_str());
    else
        print_summary(summary, options.mode);
    // Warnings (a checkpoint that could not be signed, an unknown column) on standard error
    // in every format, and in the JSON summary's "warnings".
    for (auto const& warning : summary.warnings)
        print_warning(warning);
    return summary.has_rejections() ? ExitCode::Rejected : ExitCode::Ok;
}

namespace {

// The ledger of a list command: it must exist (a read never creates an empty store).
base::Result<std::unique_ptr<store::Ledger>> open_listing(Arguments const& arguments)
{
    auto const config = TRY(load_configuration(arguments));
    return store::Ledger::open(config.state_directory, store::OpenMode::MustExist);
}

} // namespace

Outcome command_placements_list(Arguments const& arguments)
{
    // Every option is checked before the ledger is read: an unknown agency or status is a
    // mistake to be told about, not an empty list.
    auto const config = TRY(load_configuration(arguments));
    store::PlacementFilter filter;
    filter.agency = TRY(agency_option(arguments, config));
    filter.status = TRY(placement_status_option(arguments));
    auto const ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::MustExist));
    filter.reference = arguments.value("ref");
    filter.pseudonym = arguments.value("pseudonym");
    ListPrinter printer(arguments.format(), { "account_ref", "person_ref", "agency", "pseudonym", "balance_pence", "status", "fields", "file", "placed_at" },
        table_options(arguments, { "pseudonym", "file", "fields" }));
    auto listed = ledger->for_each_placement(filter, [&](store::Placement const& placement) {
        printer.row({ Cell::of(placement.account_ref), Cell::of(placement.person_ref), Cell::of(placement.agency), Cell::of(placement.pseudonym),
            Cell::of(placement.balance_pence), Cell::of(placement.status), Cell::of(placement.fields), Cell::of(placement.file),
            Cell::of(placement.placed_at) });
    });
    printer.finish();
    TRY(std::move(listed));
    return ExitCode::Ok;
}

Outcome command_quarantine_list(Arguments const& arguments)
{
    std::optional<std::int64_t> run;
    if (auto const text = arguments.value("run")) {
        run = base::parse_int64(*text);
        if (!run)
            return usage_error("--run '" + *text + "' is not a run number");
    }
    auto const ledger = TRY(open_listing(arguments));
    ListPrinter printer(arguments.format(), { "run", "file", "line", "account_ref", "person_ref", "field", "reason", "recorded_at" },
        table_options(arguments, { "recorded_at", "person_ref" }));
    auto listed = ledger->for_each_quarantine(run, [&](store::QuarantineEntry const& entry) {
        auto const& row = entry.row;
        printer.row({ Cell::of(entry.run), Cell::of(row.file), Cell::of(static_cast<std::int64_t>(row.line)), Cell::of(row.account_ref),
            Cell::of(row.person_ref), Cell::of(row.field), Cell::of(row.reason), Cell::of(entry.recorded_at) });
    });
    printer.finish();
    TRY(std::move(listed));
    return ExitCode::Ok;
}

Outcome command_runs_list(Arguments const& arguments)
{
    auto const ledger = TRY(open_listing(arguments));
    auto const runs = TRY(ledger->list_runs());
    ListPrinter printer(arguments.format(), { "run", "command", "input", "as_of", "started_at", "finished_at", "status", "excluded" },
        table_options(arguments, { "finished_at", "input" }));
    for (auto const& run : runs) {
        // The exclusion counts per agency and reason, from the ledger's exclusions table:
        // JSON objects {agency, reason, count}; "agency reason count" in a table or CSV.
        std::vector<Record> excluded;
        for (auto const& count : TRY(ledger->exclusion_counts(run.id)))
            excluded.push_back({ { "agency", count.agency }, { "reason", count.reason }, { "count", {}, count.count, true } });
        printer.row({ Cell::of(run.id), Cell::of(run.command), Cell::of(run.input_file), Cell::of(run.as_of), Cell::of(run.started_at),
            Cell::of(run.finished_at), Cell::of(run.status), Cell::of(std::move(excluded)) });
    }
    printer.finish();
    return ExitCode::Ok;
}

Outcome command_config_check(Arguments const& arguments)
{
    auto const path = TRY(required_value(arguments, "config", "FILE"));
    auto const problems = config::check_config(path);
    for (auto const& problem : problems)
        print_error(problem.file + ": " + (problem.json_path.empty() ? "/" : problem.json_path) + ": " + problem.reason);
    // Every problem is an error line of its own, so the status is returned, not one error.
    if (!problems.empty()) {
        print_hint(std::to_string(problems.size()) + " problem(s); nothing was run");
        return ExitCode::Usage;
    }
    auto const config = TRY(config::load_config(path));
    std::printf("%s: ok (%zu agencies)\n", path.c_str(), config.agencies.size());
    for (auto const& agency : config.agencies) {
        std::printf("  %s%s: mapping %s, %zu columns\n", agency.id.c_str(), agency.enabled ? "" : " (disabled)", agency.mapping_path.c_str(),
            agency.mapping.columns.size());
    }
    return ExitCode::Ok;
}

} // namespace dcagw::cli
