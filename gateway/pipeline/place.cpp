#include "gateway/pipeline/place.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/base/text.hpp"
#include "gateway/codec/case_reader.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/minimise/minimiser.hpp"
#include "gateway/pipeline/agency_output.hpp"
#include "gateway/pipeline/duplicates.hpp"
#include "gateway/pipeline/ledger_writer.hpp"
#include "gateway/rules/eligibility.hpp"
#include "gateway/rules/validation.hpp"
#include "gateway/store/ledger.hpp"

#include <algorithm>
#include <unordered_map>

namespace dcagw::pipeline {

using base::ErrorCode;
using base::make_error;
using model::ExclusionReason;

namespace {

// How many rejections a summary carries for display; all of them go to the ledger.
constexpr std::size_t rejections_shown = 50;

// Remembers the last two pseudonyms it computed. A row asks for the same reference more
// than once (the mapping's column, then the ledger's copy), and a keyed hash per request
// is a measurable share of a million-case run.
class RememberingPseudonymiser final : public model::Pseudonymiser {
public:
    explicit RememberingPseudonymiser(crypto::PseudonymKey key) : m_key(std::move(key)) {}

    void append_pseudonym(std::string& out, std::string_view input) const override
    {
        for (auto& slot : m_slots) {
            if (slot.valid && slot.input == input) {
                out.append(slot.output);
                return;
            }
        }
        auto& slot = m_slots[m_next];
        m_next = 1 - m_next;
        slot.input.assign(input);
        slot.output.clear();
        m_key.append_pseudonym(slot.output, input);
        slot.valid = true;
        out.append(slot.output);
    }

private:
    struct Slot {
        std::string input;
        std::string output;
        bool valid { false };
    };
    crypto::PseudonymKey m_key;
    mutable std::array<Slot, 2> m_slots;
    mutable std::size_t m_next { 0 };
};

struct AgencyRun {
    model::AgencyConfig const* config { nullptr };
    std::unique_ptr<RememberingPseudonymiser> pseudonym_key;
    std::unique_ptr<minimise::Minimiser> minimiser;
    std::unique_ptr<AgencyOutput> output;
    std::int64_t field_set { 0 };
    AgencyOutcome outcome;
    std::vector<std::string> values;
};

class PlacementRun {
public:
    PlacementRun(model::GatewayConfig const& config, PlaceOptions const& options, store::Ledger& ledger, PlaceSummary& summary)
        : m_config(config)
        , m_options(options)
        , m_ledger(ledger)
        , m_summary(summary)
        , m_validator(options.today)
    {
    }

    base::Result<void> prepare_agencies()
    {
        for (auto const& agency : m_config.agencies) {
            if (!agency.enabled || (m_options.agency && *m_options.agency != agency.id))
                continue;
            auto run = std::make_unique<AgencyRun>();
            run->config = &agency;
            run->pseudonym_key = std::make_unique<RememberingPseudonymiser>(
                TRY_CONTEXT(crypto::PseudonymKey::load(agency.pseudonym_key_path), "agency " + agency.id));
            run->minimiser = std::make_unique<minimise::Minimiser>(agency.mapping, *run->pseudonym_key);
            run->outcome.agency = agency.id;
            run->outcome.fields = run->minimiser->column_names();
            m_agencies.push_back(std::move(run));
        }
        if (m_agencies.empty()) {
            auto message = m_options.agency ? "no enabled agency with id '" + *m_options.agency + "'" : std::string("no enabled agency in the configuration");
            return make_error(ErrorCode::Usage, message);
        }
        return {};
    }

    std::vector<model::AgencyConfig const*> agencies() const
    {
        std::vector<model::AgencyConfig const*> configs;
        for (auto const& agency : m_agencies)
            configs.push_back(agency->config);
        return configs;
    }

    base::Result<void> open_outputs(std::int64_t run)
    {
        for (auto& agency : m_agencies) {
            if (m_options.mode == RunMode::Real)
                agency->output = TRY(AgencyOutput::open_real(m_config, *agency->config, m_ledger, run, m_options.today));
            else
                agency->output = TRY(AgencyOutput::open_dry_run(*agency->config, *m_options.dry_run_folder, m_ledger, m_options.today));
        }
        return {};
    }

    base::Result<void> intern_field_sets()
    {
        for (auto& agency : m_agencies)
            agency->field_set = TRY(m_ledger.intern_field_set(agency->outcome.fields));
        return {};
    }

    // Reads every record and decides it. Writes go to `writer` (the ledger's writer thread);
    // look-ups of earlier runs' placements go to `lookups`, a second connection that sees
    // what was committed before this run began. Placements made earlier in this run are
    // known from `duplicates` (accounts on several rows) and m_run_holders.
    base::Result<void> process(codec::CaseReader& reader, DuplicateIndex const& duplicates, std::int64_t run, LedgerWriter& writer,
        store::Ledger& lookups, bool ledger_has_open_placements)
    {
        m_run = run;
        m_writer = &writer;
        m_lookups = &lookups;
        m_duplicates = &duplicates;
        m_check_ledger = ledger_has_open_placements;
        model::RawRecord raw;
        model::Rejection rejection;
        model::CaseRecord record;
        while (true) {
            auto const outcome = TRY(reader.next(raw, rejection));
            if (outcome == codec::ReadOutcome::End)
                break;
            ++m_summary.rows_read;
            if (outcome == codec::ReadOutcome::Rejected) {
                ++m_summary.rows_rejected;
                TRY(quarantine(rejection));
                continue;
            }
            m_problems.clear();
            bool const valid = m_validator.validate(raw, record, m_problems);
            if (!duplicates.empty()) {
                if (auto const* duplicate = duplicates.find(key_fingerprint(raw)))
                    add_duplicate_problem(raw, *duplicate);
            }
            if (!m_problems.empty()) {
                ++m_summary.rows_rejected;
                for (auto const& problem : m_problems)
                    TRY(quarantine(problem));
                continue;
            }
            (void)valid;
            ++m_summary.rows_valid;
            TRY(decide(record));
            if (m_writer_failed)
                break; // finish() reports the writer's error
        }
        return {};
    }

    base::Result<void> finish_outputs()
    {
        for (auto& agency : m_agencies) {
            if (agency->output->rows() == 0) {
                TRY(agency->output->abandon(m_ledger));
                continue;
            }
            TRY(agency->output->seal(m_ledger));
        }
        return {};
    }

    base::Result<void> publish_outputs()
    {
        for (auto& agency : m_agencies) {
            if (agency->output->rows() == 0)
                continue;
            agency->outcome.files = TRY(agency->output->publish(m_ledger));
        }
        return {};
    }

    // One disclosure entry per sealed file, in the run's transaction (disclosures.cpp).
    base::Result<void> record_disclosures(audit::Journal& journal, audit::SubjectRecorder& subjects)
    {
        for (auto& agency : m_agencies)
            if (agency->output->rows() > 0)
                TRY(record_disclosure(journal, subjects, *agency->config, *agency->output, agency->outcome.fields, m_run));
        return subjects.flush();
    }

    void collect_outcomes()
    {
        for (auto& agency : m_agencies)
            m_summary.agencies.push_back(agency->outcome);
    }

private:
    void add_duplicate_problem(model::RawRecord const& raw, DuplicateKey const& duplicate)
    {
        if (!duplicate.rows_disagree && raw.location.line == duplicate.first_line)
            return; // the first of identical rows goes ahead
        model::Rejection problem;
        problem.file = std::string(raw.location.file);
        problem.line = raw.location.line;
        problem.account_ref = std::string(raw.value(model::CaseField::account_ref));
        problem.person_ref = std::string(raw.value(model::CaseField::person_ref));
        if (duplicate.rows_disagree) {
            problem.reason = "account_ref and person_ref appear on " + std::to_string(duplicate.occurrences)
                + " rows that disagree (first on line " + std::to_string(duplicate.first_line)
                + "); all of them are held back because the gateway cannot know which is right";
        } else {
            problem.reason = "identical duplicate of line " + std::to_string(duplicate.first_line) + "; only that row is placed";
        }
        m_problems.push_back(std::move(problem));
    }

    base::Result<void> quarantine(model::Rejection const& rejection)
    {
        ++m_summary.problems;
        if (m_summary_rejections.size() < rejections_shown)
            m_summary_rejections.push_back(rejection);
        m_writer_failed |= !m_writer->add_quarantine(m_run, rejection);
        return {};
    }

    // Decides, for each agency in configuration order, whether this case goes to it. A
    // case (the account) stays with the agency that has it open; otherwise the first
    // eligible agency gets it and the later ones see it as placed elsewhere.
    base::Result<void> decide(model::CaseRecord const& record)
    {
        std::string_view holder;
        bool person_already_placed = false;
        if (m_check_ledger) {
            m_open.clear();
            TRY(m_lookups->open_placements_of(record.account_ref(), m_open));
            if (!m_open.empty()) {
                holder = m_open.front().agency;
                for (auto const& open : m_open)
                    if (open.agency == holder && open.person_ref == record.person_ref())
                        person_already_placed = true;
            }
        }
        // An account on several rows (joint debtors) stays with the agency its first row
        // went to in this run.
        std::optional<base::Fingerprint128> shared_account;
        if (m_duplicates->shared_account_count() > 0) {
            auto const account = account_fingerprint(record.account_ref());
            if (m_duplicates->account_is_shared(account)) {
                shared_account = account;
                if (holder.empty()) {
                    if (auto const found = m_run_holders.find(account); found != m_run_holders.end())
                        holder = m_agencies[found->second]->config->id;
                }
            }
        }
        bool placed = false;
        for (std::size_t index = 0; index < m_agencies.size(); ++index) {
            auto& agency = m_agencies[index];
            std::optional<ExclusionReason> reason;
            if (placed || (!holder.empty() && holder != agency->config->id))
                reason = ExclusionReason::PlacedElsewhere;
            else if (person_already_placed)
                reason = ExclusionReason::AlreadyPlaced;
            else
                reason = rules::exclusion_for(record, agency->config->mapping.eligibility, m_options.today);
            if (reason) {
                ++agency->outcome.excluded[static_cast<std::size_t>(*reason)];
                m_writer_failed |= !m_writer->add_exclusion(m_run, agency->config->id, record.account_ref(), record.person_ref(), *reason);
                continue;
            }
            auto rendered = agency->minimiser->apply(record, agency->values);
            if (rendered.is_error()) {
                ++agency->outcome.rejected_by_mapping;
                model::Rejection problem;
                problem.file = std::string(record.raw->location.file);
                problem.line = record.raw->location.line;
                problem.account_ref = std::string(record.account_ref());
                problem.person_ref = std::string(record.person_ref());
                problem.reason = "agency " + agency->config->id + ": " + rendered.error().to_text();
                TRY(quarantine(problem));
                continue;
            }
            TRY(agency->output->write_row(agency->values));
            m_pseudonym.clear();
            agency->pseudonym_key->append_pseudonym(m_pseudonym, record.account_ref());
            store::PlacementRow row;
            row.run = m_run;
            row.batch = agency->output->primary_batch();
            row.agency = agency->config->id;
            row.account_ref = record.account_ref();
            row.person_ref = record.person_ref();
            row.pseudonym = m_pseudonym;
            row.debt_type = model::to_string(record.debt_type);
            row.balance_pence = record.balance_pence;
            row.field_set = agency->field_set;
            m_writer_failed |= !m_writer->add_placement(row);
            ++agency->outcome.placed;
            placed = true;
            if (shared_account)
                m_run_holders.emplace(*shared_account, index);
        }
        return {};
    }

public:
    std::vector<model::Rejection> m_summary_rejections;

private:
    model::GatewayConfig const& m_config;
    PlaceOptions const& m_options;
    store::Ledger& m_ledger;
    PlaceSummary& m_summary;
    rules::Validator m_validator;
    std::vector<std::unique_ptr<AgencyRun>> m_agencies;
    std::vector<model::Rejection> m_problems;
    std::vector<store::OpenPlacement> m_open;
    std::string m_pseudonym;
    std::int64_t m_run { 0 };
    LedgerWriter* m_writer { nullptr };
    store::Ledger* m_lookups { nullptr };
    DuplicateIndex const* m_duplicates { nullptr };
    bool m_check_ledger { true };
    bool m_writer_failed { false };
    // Accounts shared by several rows of this export, and the agency placed with.
    std::unordered_map<base::Fingerprint128, std::size_t, base::Fingerprint128Hash> m_run_holders;
};

base::Result<std::unique_ptr<codec::CaseReader>> open_input(model::GatewayConfig const& config, std::filesystem::path const& input)
{
    return codec::open_case_reader(input, config.input_format, config.limits, input.string());
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
    auto ledger = TRY(store::Ledger::open(config.state_directory));

    PlacementRun run(config, options, *ledger, summary);
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
    auto lookups = TRY(store::Ledger::open(config.state_directory));
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
            auto const keys = TRY(audit::placement_keys(config, run.agencies()));
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
    summary.rejections = std::move(run.m_summary_rejections);
    if (options.mode == RunMode::Real)
        TRY(ledger->finish_run(run_id, summary.has_rejections() ? "partial" : "succeeded", summary.to_json()));
    if (audited)
        audit::checkpoint_at_end_of_run(*ledger, config, options.actor, summary.checkpoint, summary.warnings);
    return summary;
}

} // namespace dcagw::pipeline
