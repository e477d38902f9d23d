// verify_ledger: the database side of `audit verify`. Reading SQLite and checking the
// chain run on two threads (a bounded hand-over of copied rows), since each is about half
// of the work and verification must keep up with a million entries a second; the subject
// lists are checked (verify_subjects) on the reading thread while it reads.
#include "gateway/audit/verify.hpp"
#include "gateway/audit/verify_subjects.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace dcagw::audit {

namespace {

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

    // The disclosures of the rows checked since the last call, in sequence order.
    std::vector<ChainChecker::DisclosureClaim> take_claims()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_ready_claims, {});
    }

    // Waits for every row to be checked; returns the disclosures not taken yet.
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
        return take_claims();
    }

    static constexpr std::size_t batch_size = 4096;

private:
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
                m_ready_claims.insert(m_ready_claims.end(), std::make_move_iterator(m_claims.begin()), std::make_move_iterator(m_claims.end()));
                m_claims.clear();
                m_free.push_back(std::move(batch));
            }
            m_changed.notify_all();
        }
    }

    ChainChecker& m_chain;
    std::vector<ChainChecker::DisclosureClaim> m_claims;  // the worker's, for the batch it checks
    std::vector<ChainChecker::DisclosureClaim> m_ready_claims;  // under m_mutex
    std::unique_ptr<RowBatch> m_filling;
    std::size_t m_made { 0 };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<RowBatch>> m_pending;
    std::vector<std::unique_ptr<RowBatch>> m_free;
    bool m_closing { false };
    std::thread m_thread;
};

// Every disclosure's list claim, read again in a second walk: only for a log whose lists
// are out of order (rows edited), so the walk of an intact log holds none of them.
base::Result<std::vector<ChainChecker::DisclosureClaim>> disclosure_claims(store::AuditLog& log)
{
    VerifyReport ignored;  // the first walk reported the chain
    ChainChecker chain(genesis_hash, 1, {}, ignored);
    std::vector<ChainChecker::DisclosureClaim> claims;
    TRY(log.for_each_entry([&](store::AuditEntryRow const& row) {
        chain.entry(row);
        if (chain.last_disclosure)
            claims.push_back(std::move(*chain.last_disclosure));
        return true;
    }));
    return claims;
}

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
    bool file_had_lines = false;
    if (options.checkpoint_file && !std::filesystem::exists(*options.checkpoint_file, missing)) {
        // A file that is named but missing fails: it is what detects a database rolled back
        // to an earlier copy, so verifying without it must be asked for (no file given).
        if (database_lines.empty())
            report.problems.push_back("the checkpoint file " + options.checkpoint_file->string()
                + " does not exist (no checkpoint was signed yet, or it was removed): a rollback of the database could not be detected");
        else
            report.problems.push_back("the checkpoint file " + options.checkpoint_file->string() + " is missing, but the database has "
                + std::to_string(database_lines.size()) + " checkpoint(s): a rollback of the database could not be detected");
    } else if (options.checkpoint_file) {
        auto const lines = TRY_CONTEXT(read_checkpoint_file(*options.checkpoint_file), "reading the checkpoint file");
        file_had_lines = !lines.empty();
        auto file_claims = checked_claims(lines, options.checkpoint_file->string(), options.key, report);
        claims.insert(claims.end(), std::make_move_iterator(file_claims.begin()), std::make_move_iterator(file_claims.end()));
    } else {
        report.notes.push_back("no checkpoint file given or configured: a database rolled back to an earlier copy cannot be detected");
    }

    // The log is signed when any checkpoint exists, valid or not: then a purge entry must
    // be covered by a verified one before it exempts a subject list (verify_subjects).
    bool const has_checkpoints = !database_lines.empty() || file_had_lines;

    ChainChecker chain(genesis_hash, 1, std::move(claims), report);
    SubjectFeed subjects(log);
    {
        CheckingThread checking(chain);
        std::optional<base::Error> failed;
        std::size_t rows = 0;
        TRY(log.for_each_entry([&](store::AuditEntryRow const& row) {
            checking.add(row);
            if (++rows % CheckingThread::batch_size != 0)
                return true;
            auto fed = subjects.add(checking.take_claims());
            if (fed.is_error())
                failed = fed.error();
            return !failed;
        }));
        if (failed)
            return *failed;
        TRY(subjects.add(checking.finish()));
    }
    chain.finish();
    PurgeRules const rules { chain.purges(), chain.signed_through(), has_checkpoints };
    if (!has_checkpoints && !rules.purges.empty())
        report.notes.push_back("no checkpoint signs the log: its purge entries are taken on the chain's word alone");
    if (subjects.in_order())
        TRY(subjects.finish(rules, report));
    else {
        auto all_claims = TRY(disclosure_claims(log));
        TRY(check_subject_lists(log, std::move(all_claims), rules, report));
    }
    return report;
}

} // namespace dcagw::audit
