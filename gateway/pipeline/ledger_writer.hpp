// pipeline/ledger_writer: the placement run's ledger writes, on a thread of their own.
//
// Owns: a worker thread that applies placements, exclusions and quarantine entries to the
// ledger (inside the transaction the caller opened) while the main thread goes on reading,
// validating, minimising and encrypting; the bounded hand-over between them.
// Must never: hold more than a fixed number of pending rows (memory stays flat), reorder
// writes, or let the caller touch the ledger while the worker owns it (between
// construction and finish()).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/exclusion.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/lifecycle.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace dcagw::audit {
class SubjectRecorder;
}

namespace dcagw::pipeline {

class LedgerWriter {
public:
    // With `subjects`, every placement is also recorded as a subject of its batch's
    // disclosure (the audit log), on the same thread and in the same transaction.
    explicit LedgerWriter(store::Ledger& ledger, audit::SubjectRecorder* subjects = nullptr);
    ~LedgerWriter();
    LedgerWriter(LedgerWriter const&) = delete;
    LedgerWriter& operator=(LedgerWriter const&) = delete;

    // Queue one write; returns false once the worker has failed (finish() says why).
    bool add_placement(store::PlacementRow const& row);
    bool add_exclusion(std::int64_t run, std::string_view agency, std::string_view account_ref, std::string_view person_ref,
        model::ExclusionReason reason);
    bool add_quarantine(std::int64_t run, model::Rejection const& rejection);
    // A lifecycle message owed, recorded with what the agency was told (store/lifecycle).
    bool add_message(store::OwedMessage const& message);

    // Waits until every queued write is applied and the worker has stopped; the ledger is
    // the caller's again. Returns the first write error, if any.
    base::Result<void> finish();

    struct Item {
        enum class Kind : std::uint8_t { Placement, Exclusion, Quarantine, Message } kind { Kind::Placement };
        std::int64_t run { 0 };
        std::int64_t batch { 0 };
        std::int64_t balance_pence { 0 };
        std::int64_t field_set { 0 };
        model::ExclusionReason reason { model::ExclusionReason::AlreadyPlaced };
        std::string agency;
        std::string account_ref;
        std::string person_ref;
        std::string pseudonym;
        std::string debt_type;
        model::Rejection rejection;
        store::OwedMessage message;
    };

private:
    using Batch = std::vector<Item>;
    Item& next_item();
    void hand_over();
    void work();
    base::Result<void> apply(Item const& item);

    // Rows travel in batches so the two threads synchronise once per batch, not per row;
    // batches are recycled, so their strings keep their capacity and a steady run
    // allocates nothing.
    static constexpr std::size_t batch_size = 1024;
    static constexpr std::size_t max_pending_batches = 8;

    store::Ledger& m_ledger;
    store::LifecycleMessages m_messages { m_ledger };
    audit::SubjectRecorder* m_subjects { nullptr };
    std::unique_ptr<Batch> m_filling;
    std::size_t m_filled { 0 };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::pair<std::unique_ptr<Batch>, std::size_t>> m_pending;
    std::vector<std::unique_ptr<Batch>> m_free;
    bool m_closing { false };
    std::atomic<bool> m_failed { false };
    std::optional<base::Error> m_error;
    std::thread m_worker;
    bool m_finished { false };
};

} // namespace dcagw::pipeline
