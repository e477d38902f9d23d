// ingest/inbound_subjects: whom the personal data in one return file is about, gathered
// while the file is applied, and its inbound audit entries (docs/audit.md, "Inbound
// entries"): one per trace result, and one per other file whose lines matched placements,
// listing each matched placement once.
//
// Owns: recording the subjects (OUR account_ref and person_ref of each matched placement,
// with the pseudonym the agency quoted) into the audit subject tables as lines match, so
// memory stays bounded whatever the file's size, and the shape of the inbound entries.
// Must never: put a received value (an address, an amount) in the audit log (field names
// only), or write outside the file's transaction.
#pragma once

#include "gateway/audit/journal.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/returns.hpp"
#include "gateway/store/returns.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace dcagw::ingest {

// What the inbound envelope and layout say about the file, for its inbound entries.
struct ReceivedFileFacts {
    std::string sha256;
    std::string layout;
    std::string signer;                  // empty when the file was not signed
    std::vector<std::string> fields;     // the layout's canonical fields, in column order
    std::int64_t inbound_file { 0 };
};

class InboundSubjects {
public:
    InboundSubjects();
    ~InboundSubjects();
    InboundSubjects(InboundSubjects const&) = delete;
    InboundSubjects& operator=(InboundSubjects const&) = delete;

    // A new file (after a rollback the audit tables have forgotten what was recorded).
    // Nothing is recorded until arm(): subjects without their entry would be orphans.
    void reset(model::ReturnKind kind);
    // From now on the file's subjects are recorded, and record() writes its entries.
    void arm(audit::Journal& journal, ReceivedFileFacts facts);
    bool armed() const { return m_journal != nullptr; }
    // A line matched these placements (not for trace lines: add_trace).
    base::Result<void> add_matched(store::Ledger& ledger, std::vector<store::MatchedPlacement> const& placements, std::string_view pseudonym);
    // A trace result stored: its own entry, with the fields it carried.
    void add_trace(std::uint64_t line, model::TraceLine const& trace, std::vector<store::MatchedPlacement> const& placements);
    // Appends the file's inbound entries (when armed); inside the file's transaction,
    // before it commits.
    base::Result<void> record(std::string const& agency, std::string const& file_name);

private:
    struct Trace {
        std::uint64_t line { 0 };
        bool traced { false };
        std::string date;
        std::vector<std::string> fields;
        std::string pseudonym;
        std::vector<std::pair<std::string, std::string>> subjects;  // account_ref, person_ref
    };

    model::ReturnKind m_kind { model::ReturnKind::Activity };
    audit::Journal* m_journal { nullptr };
    ReceivedFileFacts m_facts;
    std::unique_ptr<audit::SubjectRecorder> m_recorder;
    std::int64_t m_list { 0 };        // the file's list, once a line matched
    std::int64_t m_lines { 0 };       // lines matched
    std::unordered_set<std::int64_t> m_placements;
    std::vector<Trace> m_traces;
};

} // namespace dcagw::ingest
