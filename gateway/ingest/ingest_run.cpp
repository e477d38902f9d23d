#include "gateway/ingest/ingest_run.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/base/enum_names.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/inbound/inbound.hpp"
#include "gateway/store/returns.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers.hpp"

#include <algorithm>
#include <optional>

namespace dcagw::ingest {

using base::ErrorCode;

namespace {

constexpr base::EnumNames<IngestOutcome, 4> outcome_names { { {
    { IngestOutcome::Applied, "applied" },
    { IngestOutcome::AlreadyApplied, "already_applied" },
    { IngestOutcome::Refused, "refused" },
    { IngestOutcome::Problem, "problem" },
} } };

// What the file itself is to blame for: it is refused for good (kept, recorded, audited)
// and never read again. Anything else (I/O, the ledger, a key that does not load) may
// succeed on the next run, so the file is left as it is.
bool refuses_the_file(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InputTooLarge:
    case ErrorCode::InputMalformed:
    case ErrorCode::HeaderInvalid:
    case ErrorCode::NoMatchingIdentity:
    case ErrorCode::HeaderMacMismatch:
    case ErrorCode::PayloadCorrupt:
    case ErrorCode::ArmorInvalid:
    case ErrorCode::UnsupportedRecipient:
    case ErrorCode::SignatureInvalid:
        return true;
    default:
        return false;
    }
}

// The inbound audit entries name the fields the layout reads (canonical names, never
// values) and who signed the file.
ReceivedFileFacts received_facts(model::AgencyConfig const& agency, inbound::ReturnFileFacts const& facts)
{
    ReceivedFileFacts received;
    received.sha256 = facts.sha256_of_collected;
    received.layout = facts.layout;
    received.signer = facts.signature_verified ? facts.signer : std::string();
    for (auto const& layout : agency.mapping.returns)
        if (layout.name == facts.layout)
            for (auto const& column : layout.columns)
                if (column.field != model::ReturnField::Ignore)
                    received.fields.emplace_back(model::to_string(column.field));
    return received;
}

// The inbound reader's sink: opens the applier's transaction once the file's kind and
// hash are known, and passes every line on.
class ApplierSink final : public inbound::ReturnFileSink {
public:
    ApplierSink(ReturnApplier& applier, InboundFileFacts facts, audit::Journal& journal, model::AgencyConfig const& agency, bool record_received)
        : m_applier(applier), m_facts(std::move(facts)), m_journal(journal), m_agency(agency), m_record_received(record_received)
    {
    }

    base::Result<inbound::ReadOn> start(inbound::ReturnFileFacts const& facts) override
    {
        m_facts.sha256 = facts.sha256_of_collected;
        m_facts.kind = facts.kind;
        m_started = true;
        if (TRY(m_applier.begin(m_facts)) == FileOutcome::AlreadyApplied) {
            m_already_applied = true;
            return inbound::ReadOn::Stop;
        }
        if (m_record_received)
            TRY(m_applier.record_received(m_journal, received_facts(m_agency, facts)));
        return inbound::ReadOn::Lines;
    }
    base::Result<void> accept(model::ReturnLine const& line) override { return m_applier.accept(line); }
    base::Result<void> reject(model::Rejection const& rejection) override { return m_applier.reject(rejection); }

    InboundFileFacts const& facts() const { return m_facts; }
    bool started() const { return m_started; }
    bool already_applied() const { return m_already_applied; }

private:
    ReturnApplier& m_applier;
    InboundFileFacts m_facts;
    audit::Journal& m_journal;
    model::AgencyConfig const& m_agency;
    bool m_record_received { true };
    bool m_started { false };
    bool m_already_applied { false };
};

struct AgencyRun {
    store::Ledger& ledger;
    model::GatewayConfig const& config;
    model::AgencyConfig const& agency;
    inbound::InboundKeys const& keys;
    crypto::PseudonymKey const* person_pseudonyms;
    IngestOptions const& options;
    audit::Journal& journal;
};

IngestedFile file_result(std::string const& agency, std::string const& file_name, IngestOutcome outcome = IngestOutcome::Applied, std::string reason = {})
{
    IngestedFile file;
    file.agency = agency;
    file.file_name = file_name;
    file.outcome = outcome;
    file.reason = std::move(reason);
    return file;
}

std::string audit_detail(IngestedFile const& file, inbound::ReturnFileFacts const* facts)
{
    std::string detail = "agency " + file.agency + " file " + file.file_name + " sha256 " + file.sha256 + ": " + std::string(to_string(file.outcome));
    if (!file.kind.empty())
        detail += " kind " + file.kind;
    if (facts != nullptr) {
        detail += " layout " + facts->layout + " lines " + std::to_string(facts->lines_accepted) + " accepted " + std::to_string(facts->lines_rejected)
            + " quarantined" + (facts->signature_verified ? " signed by " + facts->signer : std::string(" unsigned"));
    }
    if (!file.reason.empty())
        detail += " (" + file.reason + ")";
    return detail;
}

base::Result<IngestedFile> refuse(AgencyRun& run, ReturnApplier& applier, ApplierSink const& sink, std::filesystem::path const& path, base::Error const& error)
{
    auto result = file_result(run.agency.id, sink.facts().file_name);
    auto facts = sink.facts();
    facts.kind_known = sink.started();
    if (facts.sha256.empty())
        facts.sha256 = crypto::digest_hex(TRY(crypto::sha256_of_file(path)));
    result.sha256 = facts.sha256;
    result.kind = sink.started() ? std::string(model::to_string(facts.kind)) : std::string();
    result.outcome = IngestOutcome::Refused;
    result.reason = error.to_text();
    TRY(applier.refuse(facts, result.reason));
    TRY(run.journal.record_command("ingest", audit_detail(result, nullptr)));
    return result;
}

base::Result<IngestedFile> ingest_file(AgencyRun& run, std::filesystem::path const& path, std::string const& file_name, std::string const& collected_at)
{
    ReturnApplier applier(run.ledger, run.agency, run.person_pseudonyms, run.options.today);
    InboundFileFacts start;
    start.file_name = file_name;
    start.collected_at = collected_at;
    ApplierSink sink(applier, std::move(start), run.journal, run.agency, run.options.record_received);
    std::string const remote_folder = run.agency.transport ? run.agency.transport->collect_directory : std::string();
    inbound::InboundFile const file { path, file_name, remote_folder, run.config.state_directory / "work" / run.agency.id, run.config.limits, run.options.today };
    auto read = inbound::read_return_file(run.agency, run.keys, file, sink);
    if (read.is_error()) {
        applier.abandon();
        if (!refuses_the_file(read.error().code()))
            return file_result(run.agency.id, file_name, IngestOutcome::Problem, read.error().to_text());
        return refuse(run, applier, sink, path, read.error());
    }
    auto result = file_result(run.agency.id, file_name);
    result.sha256 = read.value().sha256_of_collected;
    result.kind = std::string(model::to_string(read.value().kind));
    if (sink.already_applied()) {
        result.outcome = IngestOutcome::AlreadyApplied;
        return result;
    }
    // The audit entries join the file's transaction: all are committed, or none.
    TRY(run.journal.record_command("ingest", audit_detail(result, &read.value())));
    for (auto const& acknowledged : applier.acknowledgements()) {
        audit::Acknowledgement entry;
        entry.agency = run.agency.id;
        entry.file_name = acknowledged.file_name;
        entry.acknowledgement = acknowledged.accepted ? "accepted" : "rejected";
        entry.reference = acknowledged.agency_code;
        entry.detail = "acknowledgement file " + file_name + " (signature verified by the envelope)";
        if (!acknowledged.account_refs.empty())
            entry.detail = "account rejected (" + acknowledged.reason + ") in " + entry.detail;
        entry.account_refs = acknowledged.account_refs;
        TRY(run.journal.record_acknowledgement(entry));
    }
    result.summary = TRY(applier.finish());
    return result;
}

// A collected file through the state directory: its ledger path parsed, opened without
// following a link (never the path as it stands).
base::Result<store::OpenedStateFile> open_collected(AgencyRun const& run, store::StateFiles const& files, store::CollectedFile const& collected)
{
    store::LedgerRow const row { "collected_files", collected.id, "local_path" };
    auto const state_file = TRY(store::parse_ledger_path(collected.local_path, store::StateArea::Inbox, run.agency.id, row));
    return files.open_for_reading(state_file, row);
}

// The collected files of one agency that may still need applying: not acknowledgements
// (collect settles those), not yet recorded as applied or refused.
base::Result<void> ingest_collected(AgencyRun& run, IngestSummary& summary)
{
    store::Transfers transfers(run.ledger);
    store::Returns returns(run.ledger);
    store::StateFiles const files(run.config.state_directory);
    std::vector<store::CollectedFile> pending;
    for (auto& collected : TRY(transfers.list_collected(run.agency.id)))
        if (collected.acknowledges == 0 && !TRY(returns.find_file(run.agency.id, collected.sha256)))
            pending.push_back(std::move(collected));
    for (std::size_t index = 0; index < pending.size(); ++index) {
        auto const& collected = pending[index];
        // Another collected copy of the same content may have been applied just now.
        if (index > 0 && TRY(returns.find_file(run.agency.id, collected.sha256)))
            continue;
        auto opened = open_collected(run, files, collected);
        if (opened.is_error()) {
            summary.files.push_back(file_result(run.agency.id, collected.remote_name, IngestOutcome::Problem, opened.error().to_text()));
            summary.files.back().sha256 = collected.sha256;
            continue;
        }
        if (run.options.on_progress)
            run.options.on_progress(IngestProgress { run.agency.id, collected.remote_name, opened.value().size(), index + 1, pending.size() });
        summary.files.push_back(TRY(ingest_file(run, opened.value().path(), collected.remote_name, collected.collected_at)));
    }
    return {};
}

// `ingest --retry ID`: a refused file read again, once the cause (the agency's keys, the
// layouts, the creditor's key) is mended. Its refusal is released (the record removed,
// an audit entry naming it, the reason and the actor, one transaction), then it is read
// as any new file: applied exactly once (agency + SHA-256), or refused again under a new
// id. Killed between the two, the file is simply not yet applied: the next ingest (or the
// same retry again, which finds the refusal released) applies it.
base::Result<void> retry_refused(AgencyRun& run, store::InboundFile const& refused, IngestSummary& summary)
{
    store::Returns returns(run.ledger);
    std::optional<store::OpenedStateFile> collected_copy;
    std::filesystem::path path;
    std::string collected_at;
    if (run.options.file) {
        path = *run.options.file;
        if (crypto::digest_hex(TRY(crypto::sha256_of_file(path))) != refused.sha256)
            return base::make_error(ErrorCode::Usage, path.string() + " is not the content of return file " + std::to_string(refused.id) + " (its SHA-256 differs)");
    } else {
        store::Transfers transfers(run.ledger);
        store::StateFiles const files(run.config.state_directory);
        for (auto const& collected : TRY(transfers.list_collected(run.agency.id)))
            if (collected.sha256 == refused.sha256 && !collected_copy) {
                collected_copy = TRY(open_collected(run, files, collected));
                collected_at = collected.collected_at;
            }
        if (!collected_copy)
            return base::make_error(ErrorCode::Usage, "return file " + std::to_string(refused.id) + " (" + refused.file_name
                + ") was not collected into the inbox: give the file with --file FILE as well");
        path = collected_copy->path();
    }
    if (refused.state == store::InboundState::Refused) {
        auto const release = [&]() -> base::Result<std::int64_t> {
            TRY(returns.release_refused_file(refused.id));
            return run.journal.record_command("ingest --retry", "agency " + run.agency.id + " file " + refused.file_name + " sha256 " + refused.sha256
                + ": refusal of return file " + std::to_string(refused.id) + " released for a retry (it was refused: " + refused.refusal_reason + ")");
        };
        auto released = run.ledger.transaction(release);
        if (released.is_error())
            return released.release_error();
    }
    summary.files.push_back(TRY(ingest_file(run, path, refused.file_name, collected_at)));
    return {};
}

// The return file a retry names: refused (or released by a retry that did not finish).
base::Result<store::InboundFile> file_to_retry(store::Ledger& ledger, std::int64_t id)
{
    store::Returns returns(ledger);
    auto const file = TRY(returns.find_file_by_id(id));
    if (!file)
        return base::make_error(ErrorCode::NotFound, "no return file " + std::to_string(id) + " (see `dcagw returns list`; a refusal already released "
            "for a retry is no longer listed, and the next ingest applies the file)");
    if (file->state == store::InboundState::Applied)
        return base::make_error(ErrorCode::Usage, "return file " + std::to_string(id) + " (" + file->file_name + " of " + file->agency + ") was applied at "
            + file->applied_at + ": a file is applied once, so a retry of an applied file is refused");
    return *file;
}

} // namespace

std::string_view to_string(IngestOutcome outcome) { return outcome_names.name(outcome); }

std::int64_t IngestSummary::count(IngestOutcome outcome) const
{
    return std::count_if(files.begin(), files.end(), [&](IngestedFile const& file) { return file.outcome == outcome; });
}

bool IngestSummary::has_rejections() const
{
    return std::any_of(files.begin(), files.end(), [](IngestedFile const& file) {
        return file.outcome == IngestOutcome::Refused || file.outcome == IngestOutcome::Problem
            || (file.outcome == IngestOutcome::Applied && (file.summary.counts.quarantined > 0 || file.summary.counts.conflicts > 0 || !file.summary.payouts_reconcile));
    });
}

namespace {

base::Result<IngestSummary> ingest_agencies(store::Ledger& ledger, model::GatewayConfig const& config, IngestOptions const& options)
{
    IngestSummary summary;
    audit::Journal journal(ledger, options.actor);
    std::optional<store::InboundFile> retry;
    if (options.retry) {
        retry = TRY(file_to_retry(ledger, *options.retry));
        if (options.agency && *options.agency != retry->agency)
            return base::make_error(ErrorCode::Usage, "return file " + std::to_string(retry->id) + " is of agency " + retry->agency + ", not " + *options.agency);
    }
    bool matched = false;
    for (auto const& agency : config.agencies) {
        if (retry ? agency.id != retry->agency : options.agency ? agency.id != *options.agency : (!agency.enabled || !agency.returns))
            continue;
        matched = true;
        auto const keys = TRY_CONTEXT(inbound::InboundKeys::load(agency), "agency " + agency.id);
        auto const person_pseudonyms = TRY_CONTEXT(crypto::PseudonymKey::load(agency.pseudonym_key_path), "agency " + agency.id);
        AgencyRun run { ledger, config, agency, keys, &person_pseudonyms, options, journal };
        if (options.file && !std::filesystem::is_regular_file(*options.file))
            return base::make_error(ErrorCode::FileNotFound, options.file->string() + ": no such file");
        if (retry) {
            TRY(retry_refused(run, *retry, summary));
        } else if (options.file) {
            summary.files.push_back(TRY(ingest_file(run, *options.file, options.file->filename().string(), "")));
        } else {
            TRY(ingest_collected(run, summary));
        }
    }
    if (retry && !matched)
        return base::make_error(ErrorCode::ConfigInvalid, "return file " + std::to_string(retry->id) + " is of agency " + retry->agency + ", which the configuration no longer has");
    if (options.agency && !matched)
        return base::make_error(ErrorCode::Usage, "--agency '" + *options.agency + "' is not an agency of the configuration");
    if (!matched)
        summary.warnings.push_back("no enabled agency has a 'returns' section: nothing to ingest (docs/configuration.md)");
    return summary;
}

} // namespace

base::Result<IngestSummary> ingest(store::Ledger& ledger, model::GatewayConfig const& config, IngestOptions const& options)
{
    if (options.file && !options.agency && !options.retry)
        return base::make_error(ErrorCode::Usage, "--file needs --agency: the agency whose envelope and layouts the file is read with");
    // The state directory's run lock, as place, send and collect take it: a run still
    // marked running is then one that was killed, and is marked interrupted here.
    auto const lock = TRY(base::ExclusiveLock::acquire(config.state_directory / "run.lock"));
    for (auto const& earlier : TRY(ledger.list_runs()))
        if (earlier.status == "running")
            TRY(ledger.finish_run(earlier.id, "interrupted", "{}"));
    auto const run = TRY(ledger.begin_run("ingest", options.file ? options.file->string() : std::string(), options.today.to_string()));
    auto summary = ingest_agencies(ledger, config, options);
    if (summary.is_error()) {
        (void)ledger.rollback();
        (void)ledger.finish_run(run, "failed", "{}");
        return summary;
    }
    TRY(ledger.finish_run(run, summary.value().has_rejections() ? "partial" : "succeeded", summary.value().to_json()));
    return summary;
}

} // namespace dcagw::ingest
