// The per-row work of a placement run (placement_run.hpp): decide() is the hot path.
#include "gateway/pipeline/placement_run.hpp"

#include "gateway/crypto/signature.hpp"
#include "gateway/pipeline/envelope.hpp"
#include "gateway/rules/eligibility.hpp"

namespace dcagw::pipeline::detail {

using base::ErrorCode;
using base::make_error;
using model::ExclusionReason;

base::Result<void> PlacementRun::prepare_agencies()
{
    for (auto const& agency : m_config.agencies) {
        if (!agency.enabled || (m_options.agency && *m_options.agency != agency.id))
            continue;
        auto run = std::make_unique<AgencyRun>();
        run->config = &agency;
        run->policy = agency.lifecycle_policy;
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

base::Result<void> PlacementRun::check_keys() const
{
    if (m_options.mode != RunMode::Real)
        return {}; // a dry run encrypts nothing and records nothing
    if (m_options.record_audit && m_config.signing_key) {
        auto const key = TRY_CONTEXT(crypto::Ed25519SigningKey::load(*m_config.signing_key),
            "refusing to start: the audit signing key (signing_key " + m_config.signing_key->string() + ") cannot be used");
        (void)key;
    }
    for (auto const& agency : m_agencies)
        for (auto const kind : envelope_kinds(agency->config->encryption.kind))
            TRY_CONTEXT(check_envelope_keys(m_config, *agency->config, kind), "refusing to start: the encryption keys of agency " + agency->config->id);
    return {};
}

std::vector<audit::AgencyPseudonymKey> PlacementRun::pseudonym_keys() const
{
    std::vector<audit::AgencyPseudonymKey> keys;
    for (auto const& agency : m_agencies)
        keys.push_back({ agency->config, agency->pseudonym_key->key_id() });
    return keys;
}

base::Result<void> PlacementRun::open_outputs(std::int64_t run)
{
    for (auto& agency : m_agencies) {
        if (m_options.mode == RunMode::Real)
            agency->output = TRY(AgencyOutput::open_real(m_config, *agency->config, m_ledger, run, m_options.today));
        else
            agency->output = TRY(AgencyOutput::open_dry_run(*agency->config, *m_options.dry_run_folder, m_ledger, m_options.today));
    }
    return {};
}

base::Result<void> PlacementRun::intern_field_sets()
{
    for (auto& agency : m_agencies)
        agency->field_set = TRY(m_ledger.intern_field_set(agency->outcome.fields));
    return {};
}

base::Result<void> PlacementRun::process(cases::CaseReader& reader, DuplicateIndex const& duplicates, std::int64_t run, LedgerWriter& writer,
    store::Ledger& lookups, bool ledger_has_placements)
{
    m_run = run;
    m_writer = &writer;
    m_lookups = &lookups;
    m_duplicates = &duplicates;
    m_check_ledger = ledger_has_placements;
    model::RawRecord raw;
    model::Rejection rejection;
    model::CaseRecord record;
    while (true) {
        auto const outcome = TRY(reader.next(raw, rejection));
        if (outcome == cases::ReadOutcome::End)
            break;
        if (++m_summary.rows_read % 4096 == 0 && m_options.on_progress)
            m_options.on_progress({ PlaceProgress::Phase::Placing, m_summary.rows_read, duplicates.rows(), false });
        if (outcome == cases::ReadOutcome::Rejected) {
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

base::Result<void> PlacementRun::finish_outputs()
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

base::Result<void> PlacementRun::publish_outputs()
{
    for (auto& agency : m_agencies) {
        if (agency->output->rows() == 0)
            continue;
        agency->outcome.files = TRY(agency->output->publish(m_ledger));
    }
    return {};
}

base::Result<void> PlacementRun::record_disclosures(audit::Journal& journal, audit::SubjectRecorder& subjects)
{
    for (auto& agency : m_agencies)
        if (agency->output->rows() > 0)
            TRY(record_disclosure(journal, subjects, *agency->config, *agency->output, agency->outcome.fields, m_run));
    return subjects.flush();
}

void PlacementRun::collect_outcomes()
{
    for (auto& agency : m_agencies)
        m_summary.agencies.push_back(agency->outcome);
}

void PlacementRun::add_duplicate_problem(model::RawRecord const& raw, DuplicateKey const& duplicate)
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

base::Result<void> PlacementRun::quarantine(model::Rejection const& rejection)
{
    ++m_summary.problems;
    if (m_summary_rejections.size() < rejections_shown)
        m_summary_rejections.push_back(rejection);
    m_writer_failed |= !m_writer->add_quarantine(m_run, rejection);
    return {};
}

bool PlacementRun::ended_at(std::string_view agency, std::string_view person_ref, std::string_view holder) const
{
    // While the account is open at this agency, only this person's own ended placement
    // stops them (a joint debtor added later still joins the open case); otherwise any
    // ended placement of the account there does: the agency gave the debt back.
    for (auto const& ended : m_placements.ended)
        if (ended.agency == agency && (holder.empty() || ended.person_ref == person_ref))
            return true;
    return false;
}

void PlacementRun::count_listed(std::optional<base::Fingerprint128> const& shared_account)
{
    if (shared_account && !m_listed_shared.insert(*shared_account).second)
        return;
    ++m_summary.open_accounts_listed;
}

base::Result<void> PlacementRun::decide(model::CaseRecord const& record)
{
    std::string_view holder;
    bool person_already_placed = false;
    store::OpenPlacement const* told = nullptr;  // the account's oldest placement at the holder
    if (m_check_ledger) {
        TRY(m_lookups->placements_of(record.account_ref(), m_placements));
        if (!m_placements.open.empty()) {
            holder = m_placements.open.front().agency;
            told = &m_placements.open.front();
            for (auto const& open : m_placements.open)
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
    if (!m_placements.open.empty())
        count_listed(shared_account);
    bool placed = false;
    for (std::size_t index = 0; index < m_agencies.size(); ++index) {
        auto& agency = m_agencies[index];
        std::optional<ExclusionReason> reason;
        if (placed || (!holder.empty() && holder != agency->config->id))
            reason = ExclusionReason::PlacedElsewhere;
        else if (person_already_placed)
            reason = ExclusionReason::AlreadyPlaced;
        else if (ended_at(agency->config->id, record.person_ref(), holder))
            reason = ExclusionReason::PreviouslyPlaced;
        else
            reason = rules::exclusion_for(record, agency->config->mapping.eligibility, m_options.today);
        if (reason == ExclusionReason::AlreadyPlaced && told != nullptr)
            TRY(owe_changes(record, *agency, *told));
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
        // The account's pseudonym as the mapping's pseudonym of account_ref gives it (the
        // same domain), so the agency's reference and the ledger's agree.
        agency->pseudonym_key->append_pseudonym(m_pseudonym, model::name_of(model::CaseField::account_ref), record.account_ref());
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

} // namespace dcagw::pipeline::detail
