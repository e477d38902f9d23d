// verify_ledger: the database side of `audit verify`. Reading SQLite and checking the
// chain run on two threads (a bounded hand-over of copied rows), since each is about half
// of the work and verification must keep up with a million entries a second; the subject
// lists are checked afterwards, in list order, against the disclosures collected.
#include "gateway/audit/verify.hpp"

#include "gateway/base/text.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

namespace dcagw::audit {

namespace {

constexpr std::size_t max_problems = 50;

// Compares each disclosure's subject list with the stored subject blocks, walking both in
// list order.
class SubjectChecker {
public:
    SubjectChecker(store::AuditLog& log, std::int64_t purged_through, VerifyReport& report)
        : m_log(log), m_purged_through(purged_through), m_report(report)
    {
    }

    base::Result<void> open()
    {
        m_cursor.emplace(TRY(m_log.subject_cursor()));
        return advance();
    }

    // Claims arrive sorted by list.
    base::Result<void> disclosure(ChainChecker::DisclosureClaim const& claim)
    {
        if (claim.list <= m_purged_through)
            return {}; // its subjects were purged (and the purge is an entry)
        // A file sent both as age and OpenPGP is two entries sharing one list: each must
        // commit to what the list holds.
        if (m_last_claimed && *m_last_claimed == claim.list) {
            compare(claim, m_last_count, m_last_digest, m_last_well_formed);
            return {};
        }
        m_last_claimed = claim.list;
        while (m_has_block && m_block.list < claim.list) {
            if (m_block.list > m_purged_through)
                m_unclaimed.insert(m_block.list);
            (void)count_block();
            TRY(advance());
        }
        SubjectDigest digest;
        std::int64_t expected_block = 0;
        bool well_formed = true;
        while (m_has_block && m_block.list == claim.list) {
            auto const parsed = count_block();
            // Blocks are numbered from 0 and full (256) except the last.
            well_formed = well_formed && m_block.block == expected_block && parsed == m_block.subject_count && digest.count() % store::audit_subjects_per_block == 0;
            ++expected_block;
            digest.add_encoded(m_block.bytes, parsed);
            TRY(advance());
        }
        m_last_count = digest.count();
        m_last_digest = hash_hex(digest.finish());
        m_last_well_formed = well_formed;
        compare(claim, m_last_count, m_last_digest, m_last_well_formed);
        return {};
    }

    base::Result<void> finish()
    {
        while (m_has_block) {
            if (m_block.list > m_purged_through)
                m_unclaimed.insert(m_block.list);
            (void)count_block();
            TRY(advance());
        }
        for (auto const list : m_unclaimed)
            problem(0, "subject list " + std::to_string(list) + " is in the subject table but no disclosure entry commits to it (inserted)");
        auto const index_entries = TRY(m_log.subject_index_count(m_purged_through));
        if (index_entries != m_expected_index_entries)
            problem(0, "the subject index has " + std::to_string(index_entries) + " entries but the subjects need " + std::to_string(m_expected_index_entries)
                + " (index edited: subject queries could miss or invent shares)");
        return {};
    }

private:
    void compare(ChainChecker::DisclosureClaim const& claim, std::int64_t count, std::string const& hex, bool well_formed)
    {
        if (!well_formed || count != claim.count || hex != claim.digest_hex)
            problem(claim.sequence, "entry " + std::to_string(claim.sequence) + ": subject list " + std::to_string(claim.list) + " has " + std::to_string(count)
                + " subjects with digest " + hex + ", but the entry committed to " + std::to_string(claim.count) + " with digest " + claim.digest_hex
                + " (subject rows edited, deleted or inserted)");
    }

    void problem(std::int64_t sequence, std::string what)
    {
        if (sequence > 0 && (!m_report.first_bad_entry || sequence < *m_report.first_bad_entry))
            m_report.first_bad_entry = sequence;
        if (m_report.problems.size() < max_problems)
            m_report.problems.push_back(std::move(what));
    }

    // The block's subjects (-1 when its bytes do not parse), counted for the report and
    // the index they need.
    std::int64_t count_block()
    {
        std::int64_t count = 0;
        bool const parsed = store::for_each_subject_in_block(m_block.bytes, [&](std::string_view account, std::string_view person, std::string_view) {
            ++count;
            // The writer indexes a subject once when both references have one key; two
            // different references sharing a 64-bit key is not a case worth a hash here.
            if (m_block.list > m_purged_through)
                m_expected_index_entries += account == person ? 1 : 2;
        });
        m_report.subjects += count;
        return parsed ? count : -1;
    }

    base::Result<void> advance()
    {
        m_has_block = TRY(m_cursor->next(m_block));
        return {};
    }

    store::AuditLog& m_log;
    std::int64_t m_purged_through;
    VerifyReport& m_report;
    std::optional<store::AuditSubjectCursor> m_cursor;
    store::AuditSubjectBlock m_block;
    bool m_has_block { false };
    std::optional<std::int64_t> m_last_claimed;
    std::int64_t m_last_count { 0 };
    std::string m_last_digest;
    bool m_last_well_formed { true };
    std::set<std::int64_t> m_unclaimed;
    std::int64_t m_expected_index_entries { 0 };
};

// Rows copied out of SQLite (the views of AuditEntryRow die with the next step), their
// text back to back in one buffer reused from batch to batch: no allocation per row.
class RowBatch {
public:
    void clear()
    {
        m_bytes.clear();
        m_rows.clear();
    }

    void add(store::AuditEntryRow const& row)
    {
        Stored stored { row.sequence, row.subject_list, {} };
        std::string_view const pieces[] { row.kind, row.recorded_at, row.agency, row.file_name, row.body, row.entry_hash };
        for (std::size_t i = 0; i < piece_count; ++i) {
            stored.ends[i] = m_bytes.size() + pieces[i].size();
            m_bytes.append(pieces[i]);
        }
        m_rows.push_back(stored);
    }

    std::size_t size() const { return m_rows.size(); }

    // Valid until the next add() or clear().
    store::AuditEntryRow view(std::size_t index) const
    {
        auto const& stored = m_rows[index];
        std::size_t begin = index == 0 ? 0 : m_rows[index - 1].ends[piece_count - 1];
        std::string_view pieces[piece_count];
        for (std::size_t i = 0; i < piece_count; ++i) {
            pieces[i] = std::string_view(m_bytes).substr(begin, stored.ends[i] - begin);
            begin = stored.ends[i];
        }
        return { stored.sequence, pieces[0], pieces[1], pieces[2], pieces[3], stored.subject_list, pieces[4], pieces[5] };
    }

private:
    static constexpr std::size_t piece_count = 6;  // kind, recorded_at, agency, file_name, body, entry_hash
    struct Stored {
        std::int64_t sequence;
        std::optional<std::int64_t> subject_list;
        std::size_t ends[piece_count];  // where each piece ends in m_bytes
    };
    std::string m_bytes;
    std::vector<Stored> m_rows;
};

// Runs the chain checker on a thread of its own over batches of copied rows.
class CheckingThread {
public:
    explicit CheckingThread(ChainChecker& chain) : m_chain(chain), m_thread([this] { work(); }) {}
    ~CheckingThread() { finish(); }
    CheckingThread(CheckingThread const&) = delete;
    CheckingThread& operator=(CheckingThread const&) = delete;

    void add(store::AuditEntryRow const& row)
    {
        if (!m_filling) {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_free.empty() || m_made < max_batches; });
            if (!m_free.empty()) {
                m_filling = std::move(m_free.back());
                m_free.pop_back();
            } else {
                m_filling = std::make_unique<RowBatch>();
                ++m_made;
            }
            m_filling->clear();
        }
        m_filling->add(row);
        if (m_filling->size() == batch_size)
            hand_over();
    }

    // Waits for every row to be checked; returns the disclosures, sorted by list.
    std::vector<ChainChecker::DisclosureClaim> finish()
    {
        if (m_thread.joinable()) {
            hand_over();
            {
                std::lock_guard lock(m_mutex);
                m_closing = true;
            }
            m_changed.notify_all();
            m_thread.join();
        }
        std::sort(m_claims.begin(), m_claims.end(), [](auto const& a, auto const& b) { return a.list < b.list || (a.list == b.list && a.sequence < b.sequence); });
        return std::move(m_claims);
    }

private:
    static constexpr std::size_t batch_size = 4096;
    static constexpr std::size_t max_batches = 4;

    void hand_over()
    {
        if (!m_filling)
            return;
        {
            std::lock_guard lock(m_mutex);
            m_pending.push_back(std::move(m_filling));
        }
        m_changed.notify_all();
    }

    void work()
    {
        while (true) {
            std::unique_ptr<RowBatch> batch;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return !m_pending.empty() || m_closing; });
                if (m_pending.empty())
                    return;
                batch = std::move(m_pending.front());
                m_pending.pop_front();
            }
            for (std::size_t i = 0; i < batch->size(); ++i) {
                m_chain.entry(batch->view(i));
                if (m_chain.last_disclosure)
                    m_claims.push_back(*m_chain.last_disclosure);
            }
            {
                std::lock_guard lock(m_mutex);
                m_free.push_back(std::move(batch));
            }
            m_changed.notify_all();
        }
    }

    ChainChecker& m_chain;
    std::vector<ChainChecker::DisclosureClaim> m_claims;  // touched by the worker only until finish()
    std::unique_ptr<RowBatch> m_filling;
    std::size_t m_made { 0 };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<RowBatch>> m_pending;
    std::vector<std::unique_ptr<RowBatch>> m_free;
    bool m_closing { false };
    std::thread m_thread;
};

} // namespace

base::Result<VerifyReport> verify_ledger(store::Ledger& ledger, VerifyOptions const& options)
{
    VerifyReport report;
    auto& log = ledger.audit();
    if (ledger.in_transaction())
        return base::make_error(base::ErrorCode::Internal, "verifying the audit log inside a write transaction");
    TRY(log.begin_snapshot());
    struct EndSnapshot {
        store::AuditLog& log;
        ~EndSnapshot() { log.end_snapshot(); }
    } end_snapshot { log };

    std::vector<CheckpointFileLine> database_lines;
    for (auto& [id, checkpoint] : TRY(stored_checkpoints(ledger)))
        database_lines.push_back({ static_cast<std::size_t>(id), std::move(checkpoint) });
    auto claims = checked_claims(database_lines, "database checkpoint", options.key, report);
    std::error_code missing;
    if (options.checkpoint_file && !std::filesystem::exists(*options.checkpoint_file, missing)) {
        // No file yet is normal before the first checkpoint; after one, it was removed.
        if (database_lines.empty())
            report.notes.push_back("the checkpoint file " + options.checkpoint_file->string() + " does not exist yet (no checkpoint was signed)");
        else
            report.problems.push_back("the checkpoint file " + options.checkpoint_file->string() + " is missing, but the database has "
                + std::to_string(database_lines.size()) + " checkpoint(s): a rollback of the database could not be detected");
    } else if (options.checkpoint_file) {
        auto const lines = TRY_CONTEXT(read_checkpoint_file(*options.checkpoint_file), "reading the checkpoint file");
        auto file_claims = checked_claims(lines, options.checkpoint_file->string(), options.key, report);
        claims.insert(claims.end(), std::make_move_iterator(file_claims.begin()), std::make_move_iterator(file_claims.end()));
    } else {
        report.notes.push_back("no checkpoint file given or configured: a database rolled back to an earlier copy cannot be detected");
    }

    // The newest purge says up to which list the subjects were deleted on purpose. It is
    // read ahead of the walk; the walk then checks the purge entry like any other.
    std::int64_t purged_through = 0;
    TRY(log.last_entry_of_kind(to_string(EntryKind::Purge), [&](store::AuditEntryRow const& row) {
        if (auto entry = decode(row.body); entry.ok())
            purged_through = entry.value().number("subject_lists_through");
        return false;
    }));

    ChainChecker chain(genesis_hash, 1, std::move(claims), report);
    std::vector<ChainChecker::DisclosureClaim> disclosures;
    {
        CheckingThread checking(chain);
        TRY(log.for_each_entry([&](store::AuditEntryRow const& row) {
            checking.add(row);
            return true;
        }));
        disclosures = checking.finish();
    }
    chain.finish();

    SubjectChecker subjects(log, purged_through, report);
    TRY(subjects.open());
    for (auto const& disclosure : disclosures)
        TRY(subjects.disclosure(disclosure));
    TRY(subjects.finish());
    return report;
}

} // namespace dcagw::audit
