// The order of a placement run (place.hpp); the per-row work is in placement_run.cpp.
#include "gateway/pipeline/place.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/base/text.hpp"
#include "gateway/pipeline/placement_run.hpp"

#include <algorithm>

namespace dcagw::pipeline {

using base::ErrorCode;
using base::make_error;

namespace {

base::Result<std::unique_ptr<cases::CaseReader>> open_input(model::GatewayConfig const& config, std::filesystem::path const& input)
{
    return cases::open_case_reader(input, config.input_format, config.limits, input.string());
}

} // namespace

bool PlaceSummary::has_rejections() const
{
    if (problems > 0)
        return true;
    return std::any_of(agencies.begin(), agencies.end(), [](AgencyOutcome const& outcome) { return outcome.rejected_by_mapping > 0; });
}

base::Result<PlaceSummary> place(model::GatewayConfig const& config, PlaceOptions const& options)
{
    if (!options.input && !config.input)
        return make_error(ErrorCode::Usage, "no input: give --input FILE or set \"input\" in the configuration");
    if (options.mode == RunMode::DryRun && !options.dry_run_folder)
        return make_error(ErrorCode::Usage, "a dry run needs --out FOLDER for the plaintext files");
    auto const input = options.input ? *options.input : *config.input;

    PlaceSummary summary;
    summary.input_file = input.string();
    // One run at a time per state directory, held to the end of the run: recovery below
    // must never mistake a live run's files for a crashed run's.
    TRY(base::ensure_private_directory(config.state_directory));
    auto const lock = TRY(base::ExclusiveLock::acquire(config.state_directory / "run.lock"));
    if (options.mode == RunMode::Real)
        summary.recovered = TRY(recover_interrupted_batches(config));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));

    detail::PlacementRun run(config, options, *ledger, summary);
    TRY(run.prepare_agencies());

    // First pass: which (account_ref, person_ref) keys repeat. Reading twice keeps memory
    // flat; the second pass can then reject every row of a disagreeing pair, including
    // the first one, before anything is written.
    auto duplicate_reader = TRY(open_input(config, input));
    auto const duplicates = TRY_CONTEXT(DuplicateIndex::build(*duplicate_reader, config.state_directory / "tmp"), "reading " + input.string());
    duplicate_reader.reset();

    auto reader = TRY(open_input(config, input));
    // A second connection for look-ups, opened before this run's write transaction: it
    // sees the placements of earlier runs only, which is what the look-ups are for.
    auto lookups = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    bool const ledger_has_open_placements = TRY(lookups->has_open_placements());
    std::int64_t run_id = 0;
    bool const audited = options.mode == RunMode::Real && options.record_audit;
    audit::Journal journal(*ledger, options.actor);
    std::unique_ptr<audit::SubjectRecorder> subjects;
    if (audited)
        subjects = TRY(audit::SubjectRecorder::open(*ledger));
    if (options.mode == RunMode::Real) {
        // The run and each output file's batch row are committed before any file is
        // written, so a crash leaves a trace that recovery can act on.
        run_id = TRY(ledger->begin_run("place", input.string(), options.today.to_string()));
        TRY(run.open_outputs(run_id));
        TRY(ledger->begin());
        if (audited && !config.config_file.empty())
            TRY(journal.record_config_if_changed(config.config_file));
        if (audited) {
            auto const keys = TRY(audit::placement_keys(config, run.pseudonym_keys()));
            TRY(audit::record_keys_if_new(journal, keys));
        }
    } else {
        // A dry run does everything inside one transaction that is rolled back at the
        // end: the same decisions as a real run, and nothing recorded.
        TRY(ledger->begin());
        run_id = TRY(ledger->begin_run("place --dry-run", input.string(), options.today.to_string()));
        TRY(run.open_outputs(run_id));
    }
    TRY(run.intern_field_sets());

    // Reading, validating, minimising and encrypting run on this thread; the ledger's
    // inserts on a writer thread of their own, so the two overlap (docs/architecture.md).
    base::Result<void> processed = {};
    {
        LedgerWriter writer(*ledger, subjects.get());
        processed = run.process(*reader, duplicates, run_id, writer, *lookups, ledger_has_open_placements);
        auto written = writer.finish();
        if (processed.ok() && written.is_error())
            processed = written.release_error();
    }
    lookups.reset();
    // A failed run places nothing (its transaction is rolled back; recovery discards its
    // temporary files); the run row keeps the reason for `dcagw runs list`.
    auto fail = [&](base::Error error) -> base::Error {
        (void)ledger->rollback();
        if (options.mode == RunMode::Real) {
            std::string summary_json = "{\"error\":";
            base::append_json_string(summary_json, error.to_text());
            summary_json += '}';
            (void)ledger->finish_run(run_id, "failed", summary_json);
        }
        return error;
    };
    if (processed.is_error())
        return fail(processed.release_error().with_context("reading " + input.string()));
    if (auto sealed = run.finish_outputs(); sealed.is_error())
        return fail(sealed.release_error());
    if (audited) {
        if (auto recorded = run.record_disclosures(journal, *subjects); recorded.is_error())
            return fail(recorded.release_error().with_context("recording the audit log"));
    }
    if (options.mode == RunMode::Real) {
        TRY(ledger->commit());
        summary.run = run_id;
    } else {
        TRY(ledger->rollback());
    }
    TRY(run.publish_outputs());
    run.collect_outcomes();
    summary.rejections = run.take_rejections();
    if (options.mode == RunMode::Real)
        TRY(ledger->finish_run(run_id, summary.has_rejections() ? "partial" : "succeeded", summary.to_json()));
    if (audited)
        audit::checkpoint_at_end_of_run(*ledger, config, options.actor, summary.checkpoint, summary.warnings);
    return summary;
}

} // namespace dcagw::pipeline
