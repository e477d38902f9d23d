// store/audit_log: the audit log's tables (docs/audit.md): hash-chained entries, the
// subjects of each disclosure, the per-subject index and the signed checkpoints.
//
// Owns: the SQL of the audit tables (prepared statements, bound parameters), the sorted,
// chunked insertion of subject-index rows, and streaming reads for verification and
// queries. Reached through Ledger::audit(): it shares the ledger's connection and
// transactions, so an entry commits together with the ledger change it records.
// Must never: interpret an entry (encoding, hashing and checking belong to gateway/audit),
// update or delete an entry, or let SQLite types escape this module.
#pragma once

#include "gateway/base/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store {

// One row of audit_entries. `body` is the canonical encoding and `entry_hash` the 32 raw
// bytes of its chain hash; the other fields repeat parts of the body for queries.
struct AuditEntryRow {
    std::int64_t sequence { 0 };
    std::string_view kind;
    std::string_view recorded_at;
    std::string_view agency;
    std::string_view file_name;
    std::optional<std::int64_t> subject_list;
    std::string_view body;
    std::string_view entry_hash;
};

// Views valid only during the visit.
struct AuditSubjectRow {
    std::int64_t list { 0 };
    std::int64_t ordinal { 0 };
    std::string_view account_ref;
    std::string_view person_ref;
    std::string_view pseudonym;
};

struct AuditCheckpointRow {
    std::int64_t id { 0 };
    std::int64_t entry_count { 0 };
    std::string head_hash;   // lower-case hex
    std::string signed_at;   // UTC ISO 8601
    std::string signature;   // base64 Ed25519 signature
};

// Visitors return false to stop early.
using AuditEntryVisitor = std::function<bool(AuditEntryRow const&)>;
using AuditSubjectVisitor = std::function<bool(AuditSubjectRow const&)>;

// A stored block of one list's subjects: up to 256 consecutive subjects (block b holds
// ordinals 256 b + 1 ...), `bytes` their encodings back to back (for each subject
// u32be(len) account_ref, u32be(len) person_ref, u32be(len) pseudonym): exactly what the
// list's digest hashes. Views valid only during the visit.
struct AuditSubjectBlock {
    std::int64_t list { 0 };
    std::int64_t block { 0 };
    std::int64_t subject_count { 0 };
    std::string_view bytes;
};

inline constexpr std::int64_t audit_subjects_per_block = 256;

// Subject lists of disclosures are batch ids; those of inbound entries (data received)
// are numbered from here up, so the two never meet and each grows with time: a purge's
// "every list up to N" (N a batch id) never reaches an inbound list (docs/audit.md).
inline constexpr std::int64_t inbound_subject_list_base = 1'000'000'000'000'000;

// Splits a block's bytes into subjects; false when they do not parse.
bool for_each_subject_in_block(std::string_view bytes, std::function<void(std::string_view, std::string_view, std::string_view)> const& visit);

// Pulls subject blocks in (list, block) order, one at a time, so verification can walk
// them alongside the disclosures.
class AuditSubjectCursor {
public:
    ~AuditSubjectCursor();
    AuditSubjectCursor(AuditSubjectCursor&&) noexcept;
    AuditSubjectCursor& operator=(AuditSubjectCursor&&) = delete;
    // False at the end; the views stay valid until the next call.
    base::Result<bool> next(AuditSubjectBlock& block);

    struct State;
    explicit AuditSubjectCursor(std::unique_ptr<State> state);

private:
    std::unique_ptr<State> m_state;
};

class AuditLog {
public:
    ~AuditLog();
    AuditLog(AuditLog const&) = delete;
    AuditLog& operator=(AuditLog const&) = delete;

    // A read transaction: every read until end_snapshot() sees the log as it was at the
    // first one, while other processes go on appending (WAL). Verification reads the
    // entries and then the subjects; without it a run committing in between would look
    // like inserted subject rows.
    base::Result<void> begin_snapshot();
    void end_snapshot();

    // The ledger's own key for the subject index's keyed hash (16 bytes).
    base::Result<std::string> subject_index_key();

    // Entries. append_entry refuses a sequence that is not the next one.
    base::Result<void> append_entry(AuditEntryRow const& row);
    // The last entry's sequence and hash (32 bytes), or nothing for an empty log.
    base::Result<std::optional<std::pair<std::int64_t, std::string>>> head();
    // Reads the whole log in sequence order. The connection's reads are memory-mapped
    // from then on (no copy per page through read(2): verification reads everything).
    base::Result<void> for_each_entry(AuditEntryVisitor const& visit);
    // recorded_at in [from, to) as text (UTC ISO 8601 compares as text).
    base::Result<void> for_each_entry_between(std::string_view from, std::string_view to, AuditEntryVisitor const& visit);
    base::Result<void> entries_of_list(std::int64_t list, AuditEntryVisitor const& visit);
    base::Result<void> entries_of_file(std::string_view file_name, AuditEntryVisitor const& visit);
    // Entries of one kind, oldest first, and the newest one (through an index on kind).
    base::Result<void> entries_of_kind(std::string_view kind, AuditEntryVisitor const& visit);
    base::Result<void> last_entry_of_kind(std::string_view kind, AuditEntryVisitor const& visit);
    // The subject list number for the next inbound entry: one above the highest list an
    // entry names, and at least inbound_subject_list_base.
    base::Result<std::int64_t> next_inbound_list();
    base::Result<void> entries_from(std::int64_t first_sequence, std::int64_t last_sequence, AuditEntryVisitor const& visit);

    // Subjects, in ordinal order 1, 2, ... per list. Whole blocks are written as they
    // fill; index entries are buffered and written as sorted chunks.
    // flush_subject_index() writes the lists' last, partial blocks and the buffered index
    // entries: it must run before the transaction commits, once the lists are complete
    // (the journal's SubjectRecorder does).
    base::Result<void> add_subject(AuditSubjectRow const& subject, std::uint64_t account_key, std::uint64_t person_key);
    base::Result<void> flush_subject_index();
    // Forgets buffered subjects and index entries (the ledger calls it on rollback).
    void discard_pending();
    base::Result<AuditSubjectCursor> subject_cursor();
    base::Result<void> subjects_of_list(std::int64_t list, AuditSubjectVisitor const& visit);
    // Subjects whose account_ref or person_ref has this index key (candidates: the caller
    // compares the reference itself).
    base::Result<void> subjects_with_key(std::uint64_t key, AuditSubjectVisitor const& visit);
    base::Result<std::int64_t> subject_count();
    // Index entries (those of lists above `above_list` when it is positive).
    base::Result<std::int64_t> subject_index_count(std::int64_t above_list = 0);
    // Every index entry (reference key, list, ordinal), in storage order; false when a
    // block's blob is not a whole number of entries or disagrees with its entry_count
    // (the visit still sees the whole entries it holds).
    base::Result<bool> for_each_subject_index_entry(std::function<void(std::int64_t key, std::int64_t list, std::int64_t ordinal)> const& visit);
    // Deletes the subject blocks of every list <= last_list (their index entries stay and
    // lead nowhere); returns the number of subjects deleted.
    base::Result<std::int64_t> purge_subjects_through(std::int64_t last_list);

    // Placements closed or returned, with when (for the agencies' deletion deadlines).
    struct EndedPlacement {
        std::string_view agency;
        std::string_view account_ref;
        std::string_view person_ref;
        std::string_view status;
        std::string_view ended_at;  // UTC ISO 8601
    };
    base::Result<void> for_each_ended_placement(std::function<void(EndedPlacement const&)> const& visit);

    // Checkpoints, oldest first.
    base::Result<void> add_checkpoint(AuditCheckpointRow const& checkpoint);
    base::Result<std::vector<AuditCheckpointRow>> checkpoints();

    struct State;
    explicit AuditLog(std::unique_ptr<State> state);

private:
    std::unique_ptr<State> m_state;
};

} // namespace dcagw::store
