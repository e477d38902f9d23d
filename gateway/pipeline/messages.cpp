// The lifecycle message files (messages.hpp): one file per agency and message layout.
#include "gateway/pipeline/messages.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/layouts/message_writer.hpp"
#include "gateway/model/case_fields.hpp"
#include "gateway/pipeline/agency_output.hpp"
#include "gateway/pipeline/envelope.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/lifecycle.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <algorithm>
#include <set>

namespace dcagw::pipeline {

using base::ErrorCode;
using base::make_error;

namespace {

model::UtcTime utc_now()
{
    auto const now = std::chrono::system_clock::now();
    auto const seconds = std::chrono::system_clock::to_time_t(now);
    auto const millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm parts {};
    ::gmtime_r(&seconds, &parts);
    model::UtcTime time;
    time.date = base::Date { parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday };
    time.hour = parts.tm_hour;
    time.minute = parts.tm_min;
    time.second = parts.tm_sec;
    time.millisecond = static_cast<int>(millis);
    return time;
}

// "2026-11-24T09:30:00Z" (base::utc_timestamp), as the ledger keeps a notice's time.
std::optional<model::UtcTime> parse_utc(std::string_view text)
{
    if (text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    auto const date = base::Date::parse(text.substr(0, 10));
    if (!date)
        return std::nullopt;
    auto number = [&](std::size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); };
    for (std::size_t at : { 11u, 14u, 17u })
        if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9')
            return std::nullopt;
    model::UtcTime time;
    time.date = *date;
    time.hour = number(11);
    time.minute = number(14);
    time.second = number(17);
    return time;
}

model::UtcTime one_second_later(model::UtcTime time)
{
    if (++time.second < 60)
        return time;
    time.second = 0;
    if (++time.minute < 60)
        return time;
    time.minute = 0;
    if (++time.hour < 24)
        return time;
    time.hour = 0;
    time.date = time.date.plus_days(1);
    return time;
}

std::string yyyymmdd(base::Date date)
{
    char text[16];
    std::snprintf(text, sizeof text, "%04d%02d%02d", date.year, date.month, date.day);
    return text;
}

// Accepts every byte: the layout is asked whether it can say a message before a file exists.
class DiscardSink final : public base::ByteSink {
public:
    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const>) override { return {}; }
    base::Result<void> finish() override { return {}; }
};

// The audit entry's action for a file of this layout (docs/audit.md): by its first kind.
std::string action_of(model::MessageLayout const& layout)
{
    switch (layout.kinds.empty() ? model::MessageKind::Hold : layout.kinds.front()) {
    case model::MessageKind::BalanceUpdate: return "update";
    case model::MessageKind::Hold:
    case model::MessageKind::Release: return "hold";
    case model::MessageKind::Recall: return "recall";
    case model::MessageKind::Close: return "closure";
    }
    return "hold";
}

// One message as it goes into a file: the ledger's row and the layout's view of it.
struct Prepared {
    store::OwedMessage owed;
    model::LifecycleMessage message;
};

struct Group {
    model::MessageLayout const* layout { nullptr };
    std::vector<Prepared> messages;
};

class MessagesRun {
public:
    MessagesRun(model::GatewayConfig const& config, MessagesOptions const& options, store::Ledger& ledger, MessagesSummary& summary)
        : m_config(config), m_options(options), m_ledger(ledger), m_summary(summary), m_journal(ledger, options.actor)
        , m_made_at(options.made_at ? *options.made_at : utc_now())
    {
        // The file is dated the run's day, as placement files are; the time is the clock's.
        if (!options.made_at)
            m_made_at.date = options.today;
    }

    base::Result<void> run()
    {
        bool any_agency = false;
        for (auto const& agency : m_config.agencies) {
            if (!agency.enabled || (m_options.agency && *m_options.agency != agency.id))
                continue;
            any_agency = true;
            TRY_CONTEXT(write_agency(agency), "writing the lifecycle messages of agency " + agency.id);
        }
        if (!any_agency && m_options.agency)
            return make_error(ErrorCode::Usage, "no enabled agency with id '" + *m_options.agency + "'");
        if (m_run != 0) {
            auto const status = m_summary.refused.empty() ? "succeeded" : "partial";
            TRY(m_ledger.finish_run(m_run, status, m_summary.to_json()));
            audit::checkpoint_at_end_of_run(m_ledger, m_config, m_options.actor, m_summary.checkpoint, m_summary.warnings);
        }
        return {};
    }

private:
    base::Result<void> write_agency(model::AgencyConfig const& agency)
    {
        store::LifecycleMessages ledger_messages(m_ledger);
        auto const owed = TRY(ledger_messages.unwritten(agency.id));
        if (owed.empty())
            return {};
        auto const key = TRY(crypto::PseudonymKey::load(agency.pseudonym_key_path));
        std::vector<Group> groups;
        for (auto const& layout : agency.mapping.messages)
            groups.push_back({ &layout, {} });
        for (auto const& message : owed)
            place_in_group(agency, key, message, groups);
        for (auto& group : groups) {
            if (group.messages.empty())
                continue;
            TRY(open_run_once(agency, key));
            TRY(write_file(agency, *group.layout, group.messages));
        }
        return {};
    }

    void refuse(model::AgencyConfig const& agency, store::OwedMessage const& owed, std::string const& why)
    {
        RefusedMessage refused;
        refused.agency = agency.id;
        refused.account_ref = owed.account_ref;
        refused.kind = std::string(model::to_string(owed.kind));
        refused.reason = owed.reason ? std::string(model::to_string(*owed.reason)) : std::string();
        refused.error = "agency " + agency.id + ", account " + owed.account_ref + ": the " + refused.kind
            + (refused.reason.empty() ? std::string() : " for reason " + refused.reason) + " (" + owed.transaction_ref
            + ") is not written: " + why + "; it stays owed";
        m_summary.refused.push_back(std::move(refused));
    }

    // Finds the layout that carries the message's kind and asks it whether it can say
    // the message (a reason with no code is refused): a refused message is reported and
    // stays owed; the others go.
    void place_in_group(model::AgencyConfig const& agency, crypto::PseudonymKey const& key, store::OwedMessage const& owed, std::vector<Group>& groups)
    {
        auto const found = std::find_if(groups.begin(), groups.end(), [&](Group const& group) { return group.layout->carries(owed.kind); });
        if (found == groups.end())
            return refuse(agency, owed, "the mapping declares no message layout for this kind");
        Prepared prepared { owed, {} };
        auto& message = prepared.message;
        message.kind = owed.kind;
        message.account_reference = owed.pseudonym;
        // The person's pseudonym as the placement file gave it (a mapping's pseudonym of
        // person_ref alone is in the domain "person_ref").
        key.append_pseudonym(message.customer_reference, model::name_of(model::CaseField::person_ref), owed.person_ref);
        message.transaction_ref = owed.transaction_ref;
        message.processed_at = parse_utc(owed.notice_received_at).value_or(m_made_at);
        message.reason = owed.reason;
        message.balance_change_pence = owed.change_pence;
        if (owed.until)
            message.until = base::Date::parse(*owed.until);
        message.force = owed.force;
        DiscardSink discard;
        auto trial = layouts::make_message_writer(*found->layout, discard);
        if (trial.is_error())
            return refuse(agency, owed, trial.error().to_text());
        if (auto written = trial.value()->write(message); written.is_error())
            return refuse(agency, owed, written.error().to_text());
        found->messages.push_back(std::move(prepared));
    }

    // A run row for the batches (batches.run) and the audit log's configuration and key
    // entries, once, and only when there is a file to write.
    base::Result<void> open_run_once(model::AgencyConfig const& agency, crypto::PseudonymKey const& key)
    {
        if (m_run == 0) {
            m_run = TRY(m_ledger.begin_run("messages write", "", m_options.today.to_string()));
            m_summary.run = m_run;
            m_subjects = TRY(audit::SubjectRecorder::open(m_ledger));
            if (!m_config.config_file.empty()) {
                auto recorded = m_ledger.transaction([&]() -> base::Result<void> {
                    TRY(m_journal.record_config_if_changed(m_config.config_file));
                    return {};
                });
                TRY(std::move(recorded));
            }
        }
        if (m_keys_recorded.insert(agency.id).second) {
            auto const keys = TRY(audit::placement_keys(m_config, { { &agency, key.key_id() } }));
            TRY(m_ledger.transaction([&] { return audit::record_keys_if_new(m_journal, keys); }));
        }
        return {};
    }

    // The file's plain name: the layout's pattern, kept apart from every other file of the
    // agency (a pattern without {sequence} gets "-N" before its extension, or, when it
    // has {time}, the next free second: InDebted's names are only a date and time).
    base::Result<std::string> free_name(model::AgencyConfig const& agency, model::MessageLayout const& layout, std::string const& extension,
        std::int64_t sequence)
    {
        auto const& pattern = layout.file_name_pattern;
        bool const has_sequence = pattern.find("{sequence") != std::string::npos;
        bool const has_time = pattern.find("{time}") != std::string::npos;
        auto moment = m_made_at;
        for (int attempt = 1; attempt <= 1000; ++attempt) {
            auto name = layouts::message_file_name(layout, agency.id, moment, static_cast<unsigned>(sequence));
            if (!has_sequence && !has_time && attempt > 1) {
                auto const dot = name.find('.');
                name.insert(dot == std::string::npos ? name.size() : dot, "-" + std::to_string(attempt));
            }
            if (!TRY(m_ledger.file_name_in_use(agency.id, name + extension)) && m_names.insert(agency.id + "/" + name).second)
                return name;
            moment = one_second_later(moment);
        }
        return make_error(ErrorCode::Internal, "no free file name for layout " + layout.name + " of agency " + agency.id);
    }

    base::Result<void> write_file(model::AgencyConfig const& agency, model::MessageLayout const& layout, std::vector<Prepared> const& messages);

    model::GatewayConfig const& m_config;
    MessagesOptions const& m_options;
    store::Ledger& m_ledger;
    MessagesSummary& m_summary;
    audit::Journal m_journal;
    std::unique_ptr<audit::SubjectRecorder> m_subjects;
    model::UtcTime m_made_at;
    std::int64_t m_run { 0 };
    std::set<std::string> m_keys_recorded;
    std::set<std::string> m_names;
};

// One file: its batch rows committed first (a crash from here on is recovered as a
// placement file's: a writing batch is discarded with its messages still owed, a sealed
// one published), the messages streamed through the envelopes, then one transaction
// that seals the batches, assigns the messages and appends the disclosure entries.
base::Result<void> MessagesRun::write_file(model::AgencyConfig const& agency, model::MessageLayout const& layout, std::vector<Prepared> const& messages)
{
    auto const folder = spool_folder(m_config, agency.id);
    TRY(base::ensure_private_directory(folder));
    auto const file_date = yyyymmdd(m_made_at.date);
    auto const sequence = TRY(m_ledger.next_sequence(agency.id, file_date));
    auto const kinds = envelope_kinds(agency.encryption.kind);
    auto const plain_name = TRY(free_name(agency, layout, envelope_extension(kinds.front(), agency.encryption), sequence));
    std::vector<std::unique_ptr<Envelope>> envelopes;
    std::vector<base::ByteSink*> heads;
    for (auto const kind : kinds) {
        auto envelope = TRY(Envelope::open_encrypted(m_config, agency, kind, folder / (plain_name + envelope_extension(kind, agency.encryption))));
        store::Batch batch;
        batch.run = m_run;
        batch.agency = agency.id;
        batch.file_name = envelope->file_name();
        batch.temporary_path = envelope->temporary_path().string();
        batch.final_path = envelope->final_path().string();
        batch.status = store::BatchStatus::Writing;
        batch.file_date = file_date;
        batch.sequence = sequence;
        envelope->batch = TRY(m_ledger.create_batch(batch));
        heads.push_back(&envelope->head());
        envelopes.push_back(std::move(envelope));
    }
    crypto::HashingSink plaintext_hash;
    heads.push_back(&plaintext_hash);
    FanoutSink fanout(std::move(heads));
    auto writer = TRY(layouts::make_message_writer(layout, fanout));
    for (auto const& prepared : messages)
        TRY(writer->write(prepared.message));
    TRY(writer->finish());  // finishes every encryptor and syncs every temporary file
    if (m_options.on_step)
        m_options.on_step("written");

    auto const primary = envelopes.front()->batch;
    auto const count = static_cast<std::int64_t>(messages.size());
    std::vector<std::int64_t> ids;
    for (auto const& prepared : messages)
        ids.push_back(prepared.owed.id);
    std::vector<std::string> fields;
    for (auto const& column : layout.columns)
        fields.push_back(column.name);
    auto const plaintext_sha256 = crypto::digest_hex(plaintext_hash.digest());
    auto sealed = m_ledger.transaction([&]() -> base::Result<void> {
        for (auto const& envelope : envelopes)
            TRY(m_ledger.update_batch(envelope->batch, store::BatchStatus::Sealed, count, static_cast<std::int64_t>(envelope->size_bytes()), envelope->sha256_hex()));
        store::LifecycleMessages ledger_messages(m_ledger);
        TRY(ledger_messages.assign_batch(ids, primary));
        for (auto const& prepared : messages)
            TRY(m_subjects->add(primary, prepared.owed.account_ref, prepared.owed.person_ref, prepared.owed.pseudonym));
        auto const [subject_count, digest] = m_subjects->finish_list(primary);
        for (auto const& envelope : envelopes) {
            audit::Disclosure const disclosure { .action = action_of(layout), .agency = agency.id, .purpose = agency.purpose,
                .lawful_basis = agency.lawful_basis, .agreement_reference = agency.agreement_reference, .agreement_version = agency.agreement_version,
                .fields = fields, .record_count = count, .file_name = envelope->file_name(), .plaintext_sha256 = plaintext_sha256,
                .ciphertext_sha256 = envelope->sha256_hex(), .ciphertext_bytes = static_cast<std::int64_t>(envelope->size_bytes()),
                .encryption = envelope->encryption, .recipients = envelope->recipients, .subject_list = primary, .subject_count = subject_count,
                .subject_digest = digest, .run = m_run };
            TRY(m_journal.record_disclosure(disclosure));
        }
        return m_subjects->flush();
    });
    TRY(std::move(sealed));
    if (m_options.on_step)
        m_options.on_step("committed");

    MessageFileOutcome outcome { agency.id, layout.name, envelopes.front()->file_name(), layout.remote_folder, {}, count };
    for (auto& envelope : envelopes) {
        TRY(envelope->publish());
        TRY(m_ledger.update_batch(envelope->batch, store::BatchStatus::Spooled, count, static_cast<std::int64_t>(envelope->size_bytes()), envelope->sha256_hex()));
        outcome.files.push_back(envelope->final_path());
    }
    m_summary.files.push_back(std::move(outcome));
    return {};
}

} // namespace

std::int64_t MessagesSummary::messages_written() const
{
    std::int64_t total = 0;
    for (auto const& file : files)
        total += file.messages;
    return total;
}

base::Result<MessagesSummary> write_messages_locked(model::GatewayConfig const& config, MessagesOptions const& options)
{
    MessagesSummary summary;
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    MessagesRun run(config, options, *ledger, summary);
    if (auto ran = run.run(); ran.is_error()) {
        (void)ledger->rollback();
        if (summary.run != 0) {
            std::string failure = "{\"error\":";
            base::append_json_string(failure, ran.error().to_text());
            (void)ledger->finish_run(summary.run, "failed", failure + "}");
        }
        return ran.release_error();
    }
    return summary;
}

base::Result<MessagesSummary> write_messages(model::GatewayConfig const& config, MessagesOptions const& options)
{
    TRY(base::ensure_private_directory(config.state_directory));
    auto const lock = TRY(base::ExclusiveLock::acquire(config.state_directory / "run.lock"));
    auto recovered = TRY(recover_interrupted_batches(config));
    auto summary = TRY(write_messages_locked(config, options));
    summary.recovered = std::move(recovered);
    return summary;
}

} // namespace dcagw::pipeline
