// The order of a placement run (place.hpp); the per-row work is in placement_run.cpp.
#include "gateway/pipeline/place.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/base/text.hpp"
#include "gateway/pipeline/messages.hpp"
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

base::Result<std::filesystem::path> input_of(model::GatewayConfig const& config, PlaceOptions const& options)
{
    if (!options.input && !config.input)
        return make_error(ErrorCode::Usage, "no input: give --input FILE or set \"input\" in the configuration");
    if (options.mode == RunMode::DryRun && !options.dry_run_folder)
        return make_error(ErrorCode::Usage, "a dry run needs --out FOLDER for the plaintext files");
    return options.input ? *options.input : *config.input;
}

// The one way a run ends other than success. From the moment the run row exists, every
// failure (an error returned, or a return this guard did not see coming) rolls back the
// run's transaction and records the run as failed with the reason, for `dcagw runs list`;
// only settle() after the last step stops it. A failure after the commit (the placements
// stand, a file may be unpublished) is recorded as interrupted: the next run's recovery
// publishes the sealed files (docs/ledger.md).
class RunGuard {
public:
    RunGuard(store::Ledger& ledger, RunMode mode) : m_ledger(ledger), m_mode(mode) {}
    ~RunGuard()
    {
        if (!m_settled)
            end("the run stopped before it finished");
    }
    RunGuard(RunGuard const&) = delete;
    RunGuard& operator=(RunGuard const&) = delete;

    void opened(std::int64_t run) { m_run = run; }
    void committed() { m_committed = true; }
    void settle() { m_settled = true; }
    base::Error fail(base::Error error)
    {
        if (!m_settled)
            end(error.to_text());
        return error;
    }

private:
    void end(std::string const& reason)
    {
        m_settled = true;
        (void)m_ledger.rollback();
        if (m_mode != RunMode::Real || m_run == 0)
            return;
        std::string summary_json = "{\"error\":";
        base::append_json_string(summary_json, reason);
        summary_json += '}';
        (void)m_ledger.finish_run(m_run, m_committed ? "interrupted" : "failed", summary_json);
    }

    store::Ledger& m_ledger;
    RunMode m_mode;
    std::int64_t m_run { 0 };
    bool m_committed { false };
    bool m_settled { false };
};

// One placement run from its open ledger to its end, in the order of docs/architecture.md
// ("Data flow of dcagw place"); place() below prepares it and routes every failure
// through the guard.
class PlaceDriver {
public:
    PlaceDriver(model::GatewayConfig const& config, PlaceOptions const& options, std::filesystem::path input, store::Ledger& ledger,
        PlaceSummary& summary, RunGuard& guard)
        : m_config(config)
        , m_options(options)
        , m_input(std::move(input))
        , m_ledger(ledger)
        , m_summary(summary)
        , m_guard(guard)
        , m_run(config, options, ledger, summary)
        , m_journal(ledger, options.actor)
        , m_audited(options.mode == RunMode::Real && options.record_audit)
    {
    }

    base::Result<void> run()
    {
        TRY(m_run.prepare_agencies());
        TRY(m_run.check_keys());
        TRY(record_run_start());
        TRY(find_duplicates());
        auto reader = TRY(open_input(m_config, m_input));
        // A second connection for look-ups, opened before this run's write transaction: it
        // sees the placements of earlier runs only, which is what the look-ups are for.
        auto lookups = TRY(store::Ledger::open(m_config.state_directory, store::OpenMode::Create));
        TRY(lookups->use_small_page_cache());
        bool const ledger_has_placements = TRY(lookups->has_placements());
        m_summary.open_accounts = ledger_has_placements ? TRY(lookups->count_open_accounts()) : 0;
        if (m_audited)
            m_subjects = TRY(audit::SubjectRecorder::open(m_ledger));
        TRY(open_run());
        TRY(process(*reader, *lookups, ledger_has_placements));
        lookups.reset();
        TRY(check_vanished());
        if (m_options.on_progress)
            m_options.on_progress({ PlaceProgress::Phase::Placing, m_summary.rows_read, m_duplicates->rows(), true });
        // The reader's notes (an unknown column, key or element, once each) are warnings of
        // the run, printed once per file whatever the format (docs/input-formats.md).
        for (auto const& warning : reader->warnings())
            m_summary.warnings.push_back("reading " + m_input.string() + ": " + warning);
        return settle();
    }

private:
    // First pass: which (account_ref, person_ref) keys repeat. Reading twice keeps memory
    // flat; the second pass can then reject every row of a disagreeing pair, including the
    // first one, before anything is written.
    // The reader's errors already say "reading FILE" (cases/case_reader), so none is added.
    // This is the input's first reading: a file refused as a whole is refused here.
    base::Result<void> find_duplicates()
    {
        auto opened = open_input(m_config, m_input);
        if (opened.is_error())
            return refused_as_a_whole(opened.release_error());
        auto const& progress = m_options.on_progress;
        auto built = DuplicateIndex::build(*opened.value(), m_config.state_directory / "tmp", [&](std::int64_t rows) {
            if (progress)
                progress({ PlaceProgress::Phase::Checking, rows, 0, false });
        });
        if (built.is_error())
            return refused_as_a_whole(built.release_error());
        m_duplicates = built.release_value();
        if (progress)
            progress({ PlaceProgress::Phase::Checking, m_duplicates->rows(), m_duplicates->rows(), true });
        return {};
    }

    // Says what became of the run when the input file as a whole was refused.
    base::Error refused_as_a_whole(base::Error error) const
    {
        auto const code = error.code();
        if (code != ErrorCode::InputMalformed && code != ErrorCode::InputTooLarge && code != ErrorCode::FileNotFound
            && code != ErrorCode::FileUnreadable)
            return error;
        if (m_options.mode != RunMode::Real)
            return std::move(error).with_hint("the whole input was refused: nothing was decided or written (dry run)");
        return std::move(error).with_hint("the whole input was refused: nothing was placed; the attempt is recorded as failed run "
            + std::to_string(m_run_id) + " (`dcagw runs list`)");
    }

    // A real run's row is committed before the input is first read, so an input refused as
    // a whole (unreadable, empty, a bad header, a DOCTYPE) is recorded as a failed run with
    // its reason, like any other failure (docs/input-formats.md, "A whole-file failure").
    base::Result<void> record_run_start()
    {
        if (m_options.mode != RunMode::Real)
            return {};
        m_run_id = TRY(m_ledger.begin_run("place", m_input.string(), m_options.today.to_string()));
        m_guard.opened(m_run_id);
        return {};
    }

    base::Result<void> open_run()
    {
        auto const as_of = m_options.today.to_string();
        if (m_options.mode == RunMode::DryRun) {
            // A dry run does everything inside one transaction that is rolled back at the
            // end: the same decisions as a real run, and nothing recorded.
            TRY(m_ledger.begin());
            m_run_id = TRY(m_ledger.begin_run("place --dry-run", m_input.string(), as_of));
            TRY(m_run.open_outputs(m_run_id));
            return m_run.intern_field_sets();
        }
        // The run and each output file's batch row are committed before any file is
        // written, so a crash leaves a trace that recovery can act on.
        TRY(m_run.open_outputs(m_run_id));
        TRY(m_ledger.begin());
        if (m_audited) {
            if (!m_config.config_file.empty())
                TRY(m_journal.record_config_if_changed(m_config.config_file));
            auto const keys = TRY(audit::placement_keys(m_config, m_run.pseudonym_keys()));
            TRY(audit::record_keys_if_new(m_journal, keys));
        }
        return m_run.intern_field_sets();
    }

    // Reading, validating, minimising and encrypting run on this thread; the ledger's
    // inserts on a writer thread of their own, so the two overlap (docs/architecture.md).
    base::Result<void> process(cases::CaseReader& reader, store::Ledger& lookups, bool ledger_has_placements)
    {
        base::Result<void> processed = {};
        {
            LedgerWriter writer(m_ledger, m_subjects.get());
            processed = m_run.process(reader, *m_duplicates, m_run_id, writer, lookups, ledger_has_placements);
            auto written = writer.finish();
            if (processed.ok() && written.is_error())
                processed = written.release_error();
        }
        // The reader's errors name the file already; the others (spool, ledger) their own.
        return processed;
    }

    // A debt missing from the export is never closed by a run; a mass disappearance (a
    // truncated export looks exactly like one) stops the run before anything is committed.
    base::Result<void> check_vanished() const
    {
        auto const vanished = static_cast<std::uint64_t>(m_summary.open_accounts - m_summary.open_accounts_listed);
        auto checked = lifecycle::check_vanished(static_cast<std::uint64_t>(m_summary.open_accounts), vanished,
            m_config.vanished.max_share_percent, m_options.mass_change);
        if (checked.is_error())
            return checked.release_error().with_context("reading " + m_input.string());
        return {};
    }

    // Seals and records, commits (a dry run rolls back), publishes, then ends the run.
    base::Result<void> settle()
    {
        TRY(m_run.finish_outputs());
        if (m_audited) {
            if (auto recorded = m_run.record_disclosures(m_journal, *m_subjects); recorded.is_error())
                return recorded.release_error().with_context("recording the audit log");
        }
        if (m_options.mode == RunMode::Real) {
            TRY(m_ledger.commit());
            m_guard.committed();
            m_summary.run = m_run_id;
        } else {
            TRY(m_ledger.rollback());
        }
        TRY(m_run.publish_outputs());
        m_run.collect_outcomes();
        m_summary.rejections = m_run.take_rejections();
        if (m_options.mode == RunMode::Real)
            TRY(m_ledger.finish_run(m_run_id, m_summary.has_rejections() ? "partial" : "succeeded", m_summary.to_json()));
        m_guard.settle();
        if (m_audited)
            audit::checkpoint_at_end_of_run(m_ledger, m_config, m_options.actor, m_summary.checkpoint, m_summary.warnings);
        return {};
    }

    model::GatewayConfig const& m_config;
    PlaceOptions const& m_options;
    std::filesystem::path m_input;
    store::Ledger& m_ledger;
    PlaceSummary& m_summary;
    RunGuard& m_guard;
    detail::PlacementRun m_run;
    audit::Journal m_journal;
    bool m_audited;
    std::unique_ptr<audit::SubjectRecorder> m_subjects;
    std::optional<DuplicateIndex> m_duplicates;
    std::int64_t m_run_id { 0 };
};

} // namespace

// The messages the run derived are written the same day (docs/lifecycle.md, "Writing the
// messages"), still under the run lock. The run has committed: a failure here is a
// warning, and the messages stay owed for `dcagw messages write` or the next run.
static void write_messages_after_run(model::GatewayConfig const& config, PlaceOptions const& options, PlaceSummary& summary)
{
    MessagesOptions messages;
    messages.agency = options.agency;
    messages.today = options.today;
    messages.actor = options.actor;
    auto written = write_messages_locked(config, messages);
    if (written.is_error()) {
        summary.warnings.push_back("writing the lifecycle messages owed: " + written.error().to_text() + "; they stay owed (`dcagw messages write`)");
        return;
    }
    for (auto const& refused : written.value().refused)
        summary.warnings.push_back(refused.error);
    for (auto const& file : written.value().files)
        for (auto& agency : summary.agencies)
            if (agency.agency == file.agency)
                agency.files.insert(agency.files.end(), file.files.begin(), file.files.end());
}

bool PlaceSummary::has_rejections() const
{
    if (problems > 0)
        return true;
    return std::any_of(agencies.begin(), agencies.end(), [](AgencyOutcome const& outcome) { return outcome.rejected_by_mapping > 0; });
}

base::Result<PlaceSummary> place(model::GatewayConfig const& config, PlaceOptions const& options)
{
    auto const input = TRY(input_of(config, options));
    PlaceSummary summary;
    summary.input_file = input.string();
    // One run at a time per state directory, held to the end of the run: recovery below
    // must never mistake a live run's files for a crashed run's.
    TRY(base::ensure_private_directory(config.state_directory));
    auto const lock = TRY(base::ExclusiveLock::acquire(config.state_directory / "run.lock"));
    if (options.mode == RunMode::Real)
        summary.recovered = TRY(recover_interrupted_batches(config));
    {
        auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
        // A failed run places nothing (its transaction is rolled back; recovery discards its
        // temporary files); the run row keeps the reason.
        RunGuard guard(*ledger, options.mode);
        PlaceDriver driver(config, options, input, *ledger, summary, guard);
        if (auto ran = driver.run(); ran.is_error())
            return guard.fail(ran.release_error());
    }
    // The run's connection is closed first: the messages run opens its own, and two full
    // page caches side by side would double the memory of a large ledger.
    if (options.mode == RunMode::Real && options.record_audit)
        write_messages_after_run(config, options, summary);
    return summary;
}

} // namespace dcagw::pipeline
