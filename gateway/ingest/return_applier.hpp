// ingest/return_applier: applies one agency return file, line by line, to the ledger
// (docs/returns-ledger.md): matching each line to its placement, moving placement states,
// recording payments, refunds and payouts once, and putting what matches nothing in
// suspense.
//
// Owns: the exactly-once rules (a file once per agency and SHA-256; a payment once per
// agency and payment id, a repeat with the same content a counted duplicate and with
// other content a quarantined conflict), the placement state machine, matching through
// the (agency, pseudonym) index with the customer reference checked where given, and the
// one transaction per file: begin() opens it, finish() commits it, anything else (an
// error, abandon(), destruction, a crash) leaves nothing of the file applied.
// An acknowledgement line, verified by the envelope like any return, marks the delivered
// placement file it names acknowledged (accepted or rejected by the agency).
// Must never: read or decrypt files (the inbound envelope and layouts do, and call
// accept/reject: this class is their ReturnSink), drop or post an unmatched line, or
// copy personal data into the quarantine.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/ingest/inbound_subjects.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/pseudonymiser.hpp"
#include "gateway/model/returns.hpp"
#include "gateway/store/returns.hpp"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dcagw::ingest {

// What the inbound envelope established about the file before its lines are read.
struct InboundFileFacts {
    std::string file_name;     // as collected
    std::string sha256;        // hex, of the file as collected
    model::ReturnKind kind { model::ReturnKind::Activity };
    std::string collected_at;  // UTC ISO 8601, where known
    bool kind_known { true };  // false: refused before a layout was chosen ("unknown")
};

enum class FileOutcome { Applied, AlreadyApplied };

// A delivered placement file that an acknowledgement line of this file settled, or one
// account of it the agency rejected (account_refs set).
struct AcknowledgedFile {
    std::string file_name;    // the delivered file, as named on the agency's server
    bool accepted { true };
    std::string agency_code;  // the agency's own status code, as written
    std::string reason;       // a rejected account: the canonical reason
    std::vector<std::string> account_refs;  // a rejected account: our account_ref
};

struct FileSummary {
    std::string agency;
    std::string file_name;
    FileOutcome outcome { FileOutcome::Applied };
    std::int64_t file_id { 0 };       // inbound_files.id (the earlier one when AlreadyApplied)
    std::int64_t same_name_as { 0 };  // an earlier file of this name with other content: flagged
    store::InboundCounts counts;
    std::int64_t state_changes { 0 };
    std::int64_t traces { 0 };
    model::MoneySplit payments;       // applied in this file
    model::MoneySplit refunds;
    std::vector<AcknowledgedFile> acknowledgements;
    // Overpayments, conflicts and payout discrepancies, one sentence each.
    std::vector<std::string> problems;
    bool payouts_reconcile { true };
};

class ReturnApplier {
public:
    // `person_pseudonyms`, when given, is the agency's pseudonymiser: a line's customer
    // reference is checked against the pseudonym of each candidate placement's person_ref.
    // Without it the customer reference is not checked (the summary says so once).
    // `today` bounds line dates (a payment dated after it is quarantined).
    ReturnApplier(store::Ledger& ledger, model::AgencyConfig const& agency, model::Pseudonymiser const* person_pseudonyms, base::Date today);
    ~ReturnApplier();
    ReturnApplier(ReturnApplier const&) = delete;
    ReturnApplier& operator=(ReturnApplier const&) = delete;

    // Opens the file's transaction. AlreadyApplied (and no transaction) when this agency's
    // file with this SHA-256 was applied or refused before: its lines must not be passed.
    base::Result<FileOutcome> begin(InboundFileFacts const& facts);
    // One line read and checked by the layout. An error means the ledger failed: the
    // caller abandons the file (a bad line is quarantined and returns success).
    base::Result<void> accept(model::ReturnLine const& line);
    // A line the layout refused: recorded with file, line, field and reason only.
    base::Result<void> reject(model::Rejection const& rejection);
    // The deliveries this file's acknowledgement lines settled so far: the caller records
    // each in the audit log before finish(), inside the file's transaction.
    std::vector<AcknowledgedFile> const& acknowledgements() const;
    // Audits the personal data this file brings (docs/audit.md, "Inbound entries"): after
    // begin(), before the first line; the lines' subjects are recorded as they match and
    // finish() appends the inbound entries through `journal` in the file's transaction.
    // Without it nothing is audited (the caller records nothing of the file).
    base::Result<void> record_received(audit::Journal& journal, ReceivedFileFacts facts);
    // Checks the payouts the file touched, records the counts and commits.
    base::Result<FileSummary> finish();
    // Rolls the file back (also done by the destructor when finish() was not reached).
    void abandon();

    // A file refused whole (bad envelope, unknown kind, header not the layout): recorded
    // as refused with the reason, in a transaction of its own, so it is kept and reported
    // and never applied. Returns its id (or the earlier record's, when seen before).
    base::Result<std::int64_t> refuse(InboundFileFacts const& facts, std::string const& reason);

    struct Context;

private:
    std::unique_ptr<Context> m_context;
};

// Applies a whole file: begin, every rejection and line, finish; abandoned on error.
base::Result<FileSummary> apply_file(store::Ledger& ledger, model::AgencyConfig const& agency, model::Pseudonymiser const* person_pseudonyms,
    base::Date today, InboundFileFacts const& facts, std::vector<model::ReturnLine> const& lines, std::vector<model::Rejection> const& rejections = {});

} // namespace dcagw::ingest
