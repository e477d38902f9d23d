#include "gateway/ingest/inbound_subjects.hpp"

#include "gateway/store/audit_log.hpp"

namespace dcagw::ingest {

InboundSubjects::InboundSubjects() = default;
InboundSubjects::~InboundSubjects() = default;

void InboundSubjects::reset(model::ReturnKind kind)
{
    m_kind = kind;
    m_journal = nullptr;
    m_recorder.reset();  // its digests belong to the previous file (perhaps rolled back)
    m_list = 0;
    m_lines = 0;
    m_placements.clear();
    m_traces.clear();
}

void InboundSubjects::arm(audit::Journal& journal, ReceivedFileFacts facts)
{
    m_journal = &journal;
    m_facts = std::move(facts);
}

base::Result<void> InboundSubjects::add_matched(store::Ledger& ledger, std::vector<store::MatchedPlacement> const& placements, std::string_view pseudonym)
{
    if (!armed() || m_kind == model::ReturnKind::Trace)
        return {};
    ++m_lines;
    for (auto const& placement : placements) {
        if (!m_placements.insert(placement.id).second)
            continue;
        if (m_list == 0) {
            // Numbered now, appended by record(): no other list is numbered in between
            // (a trace file has no file list, and the file is one transaction).
            if (!m_recorder)
                m_recorder = TRY(audit::SubjectRecorder::open(ledger));
            m_list = TRY(ledger.audit().next_inbound_list());
        }
        TRY(m_recorder->add(m_list, placement.account_ref, placement.person_ref, pseudonym));
    }
    return {};
}

void InboundSubjects::add_trace(std::uint64_t line, model::TraceLine const& trace, std::vector<store::MatchedPlacement> const& placements)
{
    if (!armed())
        return;
    Trace received;
    received.line = line;
    received.traced = trace.traced;
    received.date = trace.date.to_string();
    // The fields the line carried (names only): the references, the date and outcome,
    // then each contact field received.
    received.fields.push_back("account_reference");
    if (!trace.account.customer_reference.empty())
        received.fields.push_back("customer_reference");
    received.fields.push_back("date");
    received.fields.push_back("code");
    for (auto const& [field, value] : trace.fields)
        received.fields.push_back(field);
    received.pseudonym = trace.account.agency_reference;
    for (auto const& placement : placements)
        received.subjects.emplace_back(placement.account_ref, placement.person_ref);
    m_traces.push_back(std::move(received));
}

base::Result<void> InboundSubjects::record(std::string const& agency, std::string const& file_name)
{
    if (!armed())
        return {};
    auto& journal = *m_journal;
    auto const& facts = m_facts;
    audit::Inbound entry;
    entry.agency = agency;
    entry.file_name = file_name;
    entry.sha256 = facts.sha256;
    entry.return_kind = std::string(model::to_string(m_kind));
    entry.layout = facts.layout;
    entry.signer = facts.signer;
    entry.inbound_file = facts.inbound_file;
    if (!m_traces.empty() && !m_recorder)
        m_recorder = TRY(audit::SubjectRecorder::open(journal.ledger()));
    for (auto const& trace : m_traces) {
        auto const list = TRY(journal.ledger().audit().next_inbound_list());
        for (auto const& [account_ref, person_ref] : trace.subjects)
            TRY(m_recorder->add(list, account_ref, person_ref, trace.pseudonym));
        auto const [count, digest] = m_recorder->finish_list(list);
        entry.fields = trace.fields;
        entry.record_count = 1;
        entry.line = static_cast<std::int64_t>(trace.line);
        entry.detail = (trace.traced ? "traced on " : "trace failed on ") + trace.date;
        entry.subject_list = list;
        entry.subject_count = count;
        entry.subject_digest = digest;
        TRY(journal.record_inbound(entry));
    }
    if (m_list != 0) {
        auto const [count, digest] = m_recorder->finish_list(m_list);
        entry.fields = facts.fields;
        entry.record_count = m_lines;
        entry.line = 0;
        entry.detail.clear();
        entry.subject_list = m_list;
        entry.subject_count = count;
        entry.subject_digest = digest;
        TRY(journal.record_inbound(entry));
    }
    if (m_recorder)
        TRY(m_recorder->flush());
    return {};
}

} // namespace dcagw::ingest
