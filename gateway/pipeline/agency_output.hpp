// pipeline/agency_output: one agency's output file(s) during a placement run.
//
// Owns: the chain a row travels through: the agency's layout writer, then, in a real
// run, the agency's encryption envelope(s) (age, OpenPGP or both) and a SHA-256 of the
// ciphertext, into an AtomicFile in the spool; in a dry run, plaintext into the operator's
// folder with mode 0600. Also the file name from the mapping's pattern, and the batch rows
// that make publication crash-safe.
// Must never: let plaintext reach the spool, or publish a file before its batch is sealed.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/layouts/agency_writer.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace dcagw::audit {
class Journal;
class SubjectRecorder;
}

namespace dcagw::pipeline {

class Envelope;

// One sealed output file, as the audit log's disclosure entry describes it.
struct OutputFile {
    std::int64_t batch { 0 };
    std::string file_name;
    std::int64_t size_bytes { 0 };
    std::string sha256;                   // of the ciphertext
    std::string encryption;               // age | openpgp
    std::vector<std::string> recipients;
};

// "{date}-placement.csv" with date 2026-11-23 and sequence 2 -> "20261123-placement-2.csv":
// a pattern without {sequence} gets "-N" before its extension for every file after the
// first of the day, so a second run on the same day never collides.
std::string expand_file_name(std::string_view pattern, std::string_view agency, base::Date date, std::int64_t sequence);

// The spool folder of an agency: <state>/spool/<agency>.
std::filesystem::path spool_folder(model::GatewayConfig const& config, std::string_view agency);

class AgencyOutput {
public:
    static base::Result<std::unique_ptr<AgencyOutput>> open_real(model::GatewayConfig const& config, model::AgencyConfig const& agency,
        store::Ledger& ledger, std::int64_t run, base::Date date);
    static base::Result<std::unique_ptr<AgencyOutput>> open_dry_run(model::AgencyConfig const& agency, std::filesystem::path const& folder,
        store::Ledger& ledger, base::Date date);
    ~AgencyOutput();

    base::Result<void> write_row(std::span<std::string const> values);
    std::int64_t rows() const { return m_rows; }
    // The batch placements are recorded against (the first envelope's).
    std::int64_t primary_batch() const;

    // Finishes every writer and envelope and, in a real run, marks the batches sealed
    // (inside the caller's ledger transaction).
    base::Result<void> seal(store::Ledger& ledger);
    // After seal(): the files, and the SHA-256 of the plaintext they all encrypt.
    std::vector<OutputFile> files() const;
    std::string plaintext_sha256_hex() const;
    // Renames the sealed files into place; in a real run marks the batches spooled.
    base::Result<std::vector<std::filesystem::path>> publish(store::Ledger& ledger);
    // Nothing was placed: discard the temporary files and mark the batches abandoned.
    base::Result<void> abandon(store::Ledger& ledger);

private:
    AgencyOutput() = default;
    base::Result<void> attach_writer(model::Mapping const& mapping);

    std::vector<std::unique_ptr<Envelope>> m_envelopes;
    std::unique_ptr<crypto::HashingSink> m_plaintext_hash;  // the plaintext, hashed once
    std::unique_ptr<base::ByteSink> m_fanout;
    std::unique_ptr<layouts::AgencyFileWriter> m_writer;
    std::int64_t m_rows { 0 };
    bool m_dry_run { false };
};

// Appends the disclosure entries of an agency's sealed output (one per file, sharing the
// subject list of its first batch) inside the run's transaction (disclosures.cpp).
base::Result<void> record_disclosure(audit::Journal& journal, audit::SubjectRecorder& subjects, model::AgencyConfig const& agency,
    AgencyOutput const& output, std::vector<std::string> const& fields, std::int64_t run);

} // namespace dcagw::pipeline
