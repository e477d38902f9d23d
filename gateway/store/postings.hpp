// store/postings: which payments and refunds went to the housing system, in which posting
// file (migration 7; docs/postings.md).
//
// Owns: the posting_files and posted_money tables and every SQL statement on them
// (prepared, parameters bound), and the one rule of what a posting file may take: the
// agency's cleared money (payments of kind `payment`, and the refunds and chargebacks of
// such payments) that no published posting file took, up to the row marks recorded when
// the file was claimed. Those marks make a pending file's lines a function of the store,
// so a rerun after a crash derives the same lines again.
// Must never: write a file (reporting/ does, through base::AtomicFile), hand out an
// agency's pseudonym (a line carries our account_ref, read from the placement), or let a
// row be taken by two posting files (the primary key of posted_money forbids it).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store {

enum class PostingFileState { Pending, Published };
std::string_view to_string(PostingFileState state);

struct PostingFile {
    std::int64_t id { 0 };
    std::string agency;
    std::int64_t sequence { 0 };  // 1, 2, ... per agency
    std::string file_name;
    PostingFileState state { PostingFileState::Pending };
    std::int64_t last_payment { 0 };  // the highest payments.id this file may take
    std::int64_t last_refund { 0 };   // the highest refunds.id
    std::string created_at;
    std::string published_at;
    std::string sha256;
    std::int64_t lines { 0 };
    std::int64_t total_pence { 0 };
};

enum class PostingSource { Payment, Refund };

// One line of a posting file, as the store holds it.
struct PostingLine {
    PostingSource source { PostingSource::Payment };
    std::int64_t row { 0 };        // payments.id or refunds.id
    std::string kind;              // payment | refund | chargeback
    std::string account_ref;       // ours, from the placement (never the pseudonym)
    std::int64_t amount_pence { 0 }; // signed: a payment positive, a refund negative
    std::string date;              // YYYY-MM-DD
    std::string money_id;          // the agency's payment_id or refund_id
    std::string payment_id;        // the payment (a refund's: the one it reverses)
};

class Postings {
public:
    // Shares the ledger's connection; the ledger must outlive this object.
    explicit Postings(Ledger& ledger);

    // The agency's posting file claimed by an earlier run and never marked published.
    base::Result<std::optional<PostingFile>> pending_file(std::string_view agency);
    // Claims the agency's next posting file when it has cleared money no file took:
    // records it pending with the current row marks and the name `name_of(sequence)`.
    // None when there is nothing to post. Refuses while a file is pending.
    base::Result<std::optional<PostingFile>> claim_file(std::string_view agency, std::function<std::string(std::int64_t)> const& name_of);
    // The file's lines in file order: a pending file's derived from the marks, a
    // published one's read from posted_money.
    base::Result<std::vector<PostingLine>> lines_of(PostingFile const& file);
    // Records which file took each line and marks the file published, in one
    // transaction (the caller's, or its own).
    base::Result<void> mark_published(PostingFile const& file, std::vector<PostingLine> const& lines, std::string_view sha256, std::int64_t total_pence);
    base::Result<std::vector<PostingFile>> list_files(std::optional<std::string> const& agency);

private:
    Ledger& m_ledger;
};

} // namespace dcagw::store
