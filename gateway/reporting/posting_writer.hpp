// reporting/posting_writer: the posting files for the housing system (docs/postings.md):
// one CSV per agency and run, keyed by OUR account_ref, one line per cleared payment or
// refund, each line in exactly one posting file ever.
//
// Owns: the CSV layout, the order of the steps that make a posting file crash-safe
// (claim in the store, write under a temporary name, fsync, rename, then mark published
// with the rows it took, in one transaction) and the recovery of a file a killed run left
// pending (its lines re-derived from the store, the same bytes written again, or found
// already in place and only marked).
// Must never: write a pseudonym or anything from the agency but its transaction ids,
// replace a file of another content, or mark a file published before its rename.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/postings.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::reporting {

// The header row of every posting file.
inline constexpr char const* posting_header = "posting_id,agency,account_ref,type,amount_pence,date,agency_transaction_id,payment_id";

// "postings-<agency>-<sequence, six digits>.csv".
std::string posting_file_name(std::string_view agency, std::int64_t sequence);
// The whole file: the header, then one line per entry (LF line ends). The same file and
// lines give the same bytes.
std::string posting_csv(store::PostingFile const& file, std::vector<store::PostingLine> const& lines);

struct PostingOptions {
    std::optional<std::string> agency;           // only this agency
    std::optional<std::filesystem::path> output; // default <state>/postings
};

struct WrittenPostingFile {
    std::string agency;
    std::int64_t sequence { 0 };
    std::string file_name;
    std::filesystem::path path;
    std::string sha256;
    std::int64_t lines { 0 };
    std::int64_t payments { 0 };
    std::int64_t refunds { 0 };
    std::int64_t payments_pence { 0 };  // sum of the payment lines
    std::int64_t refunds_pence { 0 };   // sum of the refund lines (negative or 0)
    std::int64_t total_pence { 0 };
    bool recovered { false };           // a file an earlier, interrupted run had claimed
};

struct PostingSummary {
    std::filesystem::path output;
    std::vector<WrittenPostingFile> files;
    std::int64_t lines() const;
    std::int64_t total_pence() const;
    std::string to_json() const;  // schemas/postings-summary.schema.json
};

base::Result<PostingSummary> write_postings(store::Ledger& ledger, model::GatewayConfig const& config, PostingOptions const& options);

} // namespace dcagw::reporting
