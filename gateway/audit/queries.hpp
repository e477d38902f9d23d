// audit/queries: the compliance questions answered from the audit log: every share about
// one person or account (subject access), and what went to each agency in a period
// (record of processing).
//
// Owns: finding a subject through the per-subject index (never a scan of the log),
// joining disclosures with the deliveries and acknowledgements of their files, and the
// report data the CLI renders as table, CSV, JSON or HTML.
// Must never: answer from anything but the audit tables (the log is the evidence), or
// return a share whose subject does not match the reference exactly (the index keys are
// 64-bit hashes: candidates are confirmed).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::audit {

// A delivery or acknowledgement of a file, as one line for people.
struct FileEvent {
    std::int64_t sequence { 0 };
    std::string time;
    std::string kind;     // delivery | acknowledgement
    std::string detail;   // "sftp to host:/path, receipt ..." / "received (REF)"
};

// One disclosure (one file sent) or inbound entry (data received) as the reports show it.
struct FileShare {
    std::int64_t sequence { 0 };
    std::string direction { "outbound" };  // outbound: a disclosure; inbound: received
    std::int64_t line { 0 };               // inbound: a trace result's line (0: whole file)
    std::string detail;                    // inbound: "traced on DATE", "layout L, signed by K"

    std::string time;
    std::string actor;
    std::string agency;
    std::string action;          // outbound: placement, ...; inbound: the return kind
    std::string file_name;
    std::string purpose;
    std::string lawful_basis;
    std::string agreement_reference;
    std::string agreement_version;
    std::vector<std::string> fields;
    std::int64_t record_count { 0 };
    std::string encryption;
    std::vector<std::string> recipients;
    std::string plaintext_sha256;
    std::string ciphertext_sha256;
    std::vector<FileEvent> deliveries;
    std::vector<FileEvent> acknowledgements;
};

// A share about one subject: the file, and who in it.
struct SubjectShare {
    FileShare file;
    std::string account_ref;
    std::string person_ref;
    std::string pseudonym;
};

base::Result<std::vector<SubjectShare>> subject_shares(store::Ledger& ledger, std::string_view reference);

struct AgencyShares {
    std::string agency;
    std::vector<FileShare> files;
    std::int64_t records { 0 };                        // subjects disclosed (one per record)
    std::vector<std::vector<std::string>> field_sets;  // distinct, in first-seen order
    std::vector<std::string> agreements;               // "reference version", distinct
    std::int64_t deliveries { 0 };
    std::int64_t acknowledgements { 0 };
};

// Disclosures recorded on dates from..to (YYYY-MM-DD, inclusive, UTC), per agency.
base::Result<std::vector<AgencyShares>> shares_report(store::Ledger& ledger, std::string_view from, std::string_view to,
    std::optional<std::string> const& agency);

} // namespace dcagw::audit
