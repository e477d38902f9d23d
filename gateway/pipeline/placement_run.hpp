// pipeline/placement_run: one placement run's per-agency state and its per-row work,
// which place() (place.cpp) drives: choosing the agencies, opening their outputs,
// validating and deciding each row, quarantining what fails, sealing and publishing.
//
// Owns: the decision, per row, of which agency (if any) gets a case, and what each agency
// was given (its outcome), in the order place.cpp calls them.
// Must never: commit, roll back or order the run's transaction (place() does), or decide a
// case without the ledger's and this run's earlier placements in view.
#pragma once

#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/cases/case_reader.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/lifecycle/changes.hpp"
#include "gateway/minimise/minimiser.hpp"
#include "gateway/pipeline/agency_output.hpp"
#include "gateway/pipeline/duplicates.hpp"
#include "gateway/pipeline/ledger_writer.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/rules/validation.hpp"
#include "gateway/store/ledger.hpp"

#include <array>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace dcagw::pipeline::detail {

// How many rejections a summary carries for display; all of them go to the ledger.
inline constexpr std::size_t rejections_shown = 50;

// Remembers the last two pseudonyms it computed. A row asks for the same reference more
// than once (the mapping's column, then the ledger's copy), and a keyed hash per request
// is a measurable share of a million-case run.
class RememberingPseudonymiser final : public model::Pseudonymiser {
public:
    explicit RememberingPseudonymiser(crypto::PseudonymKey key) : m_key(std::move(key)) {}

    std::string key_id() const { return m_key.key_id(); }

    void append_pseudonym(std::string& out, std::string_view domain, std::string_view input) const override
    {
        for (auto& slot : m_slots) {
            if (slot.valid && slot.input == input && slot.domain == domain) {
                out.append(slot.output);
                return;
            }
        }
        auto& slot = m_slots[m_next];
        m_next = 1 - m_next;
        slot.domain.assign(domain);
        slot.input.assign(input);
        slot.output.clear();
        m_key.append_pseudonym(slot.output, domain, input);
        slot.valid = true;
        out.append(slot.output);
    }

private:
    struct Slot {
        std::string domain;
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
    // What the agency's agreement says to do when a concern arrives (docs/lifecycle.md).
    lifecycle::Policy policy;
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

    base::Result<void> prepare_agencies();
    // Every other key a real run needs, loaded before anything is recorded, spooled or
    // disclosed (prepare_agencies loads the pseudonym keys): the audit signing key, when
    // one is configured, and each agency's encryption recipients. A run that could not
    // sign its checkpoint or encrypt to every recipient does not start.
    base::Result<void> check_keys() const;
    // Each agency of the run with the id of the pseudonym key loaded for it.
    std::vector<audit::AgencyPseudonymKey> pseudonym_keys() const;
    base::Result<void> open_outputs(std::int64_t run);
    base::Result<void> intern_field_sets();

    // Reads every record and decides it. Writes go to `writer` (the ledger's writer thread);
    // look-ups of earlier runs' placements go to `lookups`, a second connection that sees
    // what was committed before this run began. Placements made earlier in this run are
    // known from `duplicates` (accounts on several rows) and m_run_holders.
    base::Result<void> process(cases::CaseReader& reader, DuplicateIndex const& duplicates, std::int64_t run, LedgerWriter& writer,
        store::Ledger& lookups, bool ledger_has_placements);
    base::Result<void> finish_outputs();
    base::Result<void> publish_outputs();

    // One disclosure entry per sealed file, in the run's transaction (disclosures.cpp).
    base::Result<void> record_disclosures(audit::Journal& journal, audit::SubjectRecorder& subjects);
    void collect_outcomes();
    // The first rejections, for the summary (all of them go to the ledger).
    std::vector<model::Rejection> take_rejections() { return std::move(m_summary_rejections); }

private:
    void add_duplicate_problem(model::RawRecord const& raw, DuplicateKey const& duplicate);
    base::Result<void> quarantine(model::Rejection const& rejection);

    // Decides, for each agency in configuration order, whether this case goes to it. A
    // case (the account) stays with the agency that has it open; otherwise the first
    // eligible agency gets it and the later ones see it as placed elsewhere.
    base::Result<void> decide(model::CaseRecord const& record);
    // Whether this person's debt ended at the agency before (see the .cpp for joint debts).
    bool ended_at(std::string_view agency, std::string_view person_ref, std::string_view holder) const;
    // Counts an account the ledger holds open as listed by this export, once however many
    // rows it has (the vanished-debt guard, place.cpp).
    void count_listed(std::optional<base::Fingerprint128> const& shared_account);
    // For a debt the agency already holds: compares the row with what the agency was told
    // and records the messages owed, in the run's transaction (lifecycle_changes.cpp).
    // A row that would take the agency's balance below zero is quarantined instead.
    base::Result<void> owe_changes(model::CaseRecord const& record, AgencyRun& agency, store::OpenPlacement const& placement);

private:
    model::GatewayConfig const& m_config;
    PlaceOptions const& m_options;
    store::Ledger& m_ledger;
    PlaceSummary& m_summary;
    rules::Validator m_validator;
    std::vector<std::unique_ptr<AgencyRun>> m_agencies;
    std::vector<model::Rejection> m_problems;
    store::AccountPlacements m_placements;
    std::string m_pseudonym;
    std::int64_t m_run { 0 };
    LedgerWriter* m_writer { nullptr };
    store::Ledger* m_lookups { nullptr };
    DuplicateIndex const* m_duplicates { nullptr };
    bool m_check_ledger { true };
    bool m_writer_failed { false };
    // Accounts shared by several rows of this export, and the agency placed with.
    std::unordered_map<base::Fingerprint128, std::size_t, base::Fingerprint128Hash> m_run_holders;
    // Shared accounts with an open placement already counted in open_accounts_listed.
    std::unordered_set<base::Fingerprint128, base::Fingerprint128Hash> m_listed_shared;
    std::vector<model::Rejection> m_summary_rejections;
    // Joint debts (accounts on several rows) compared earlier in this run, with what the
    // agency is told once this run's messages are sent: the lookups connection sees only
    // what was committed before the run.
    std::unordered_map<base::Fingerprint128, lifecycle::ToldState, base::Fingerprint128Hash> m_run_told;
    std::int64_t m_messages_owed { 0 };  // numbers this run's transaction references
};

} // namespace dcagw::pipeline::detail
