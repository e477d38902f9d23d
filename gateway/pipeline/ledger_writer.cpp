#include "gateway/pipeline/ledger_writer.hpp"

#include "gateway/audit/journal.hpp"

namespace dcagw::pipeline {

LedgerWriter::LedgerWriter(store::Ledger& ledger, audit::SubjectRecorder* subjects)
    : m_ledger(ledger)
    , m_subjects(subjects)
    , m_filling(std::make_unique<Batch>(batch_size))
{
    m_worker = std::thread([this] { work(); });
}

LedgerWriter::~LedgerWriter()
{
    if (!m_finished)
        (void)finish();
}

LedgerWriter::Item& LedgerWriter::next_item()
{
    if (m_filled == batch_size)
        hand_over();
    return (*m_filling)[m_filled++];
}

void LedgerWriter::hand_over()
{
    if (m_filled == 0)
        return;
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_pending.size() < max_pending_batches || m_failed.load(); });
    m_pending.emplace_back(std::move(m_filling), m_filled);
    if (!m_free.empty()) {
        m_filling = std::move(m_free.back());
        m_free.pop_back();
    } else {
        m_filling = std::make_unique<Batch>(batch_size);
    }
    m_filled = 0;
    m_changed.notify_all();
}

bool LedgerWriter::add_placement(store::PlacementRow const& row)
{
    auto& item = next_item();
    item.kind = Item::Kind::Placement;
    item.run = row.run;
    item.batch = row.batch;
    item.balance_pence = row.balance_pence;
    item.field_set = row.field_set;
    item.agency.assign(row.agency);
    item.account_ref.assign(row.account_ref);
    item.person_ref.assign(row.person_ref);
    item.pseudonym.assign(row.pseudonym);
    item.debt_type.assign(row.debt_type);
    return !m_failed.load(std::memory_order_relaxed);
}

bool LedgerWriter::add_exclusion(std::int64_t run, std::string_view agency, std::string_view account_ref, std::string_view person_ref,
    model::ExclusionReason reason)
{
    auto& item = next_item();
    item.kind = Item::Kind::Exclusion;
    item.run = run;
    item.reason = reason;
    item.agency.assign(agency);
    item.account_ref.assign(account_ref);
    item.person_ref.assign(person_ref);
    return !m_failed.load(std::memory_order_relaxed);
}

bool LedgerWriter::add_quarantine(std::int64_t run, model::Rejection const& rejection)
{
    auto& item = next_item();
    item.kind = Item::Kind::Quarantine;
    item.run = run;
    item.rejection = rejection;
    return !m_failed.load(std::memory_order_relaxed);
}

bool LedgerWriter::add_message(store::OwedMessage const& message)
{
    auto& item = next_item();
    item.kind = Item::Kind::Message;
    item.message = message;
    return !m_failed.load(std::memory_order_relaxed);
}

base::Result<void> LedgerWriter::apply(Item const& item)
{
    switch (item.kind) {
    case Item::Kind::Placement: {
        store::PlacementRow const row { .run = item.run, .batch = item.batch, .agency = item.agency, .account_ref = item.account_ref,
            .person_ref = item.person_ref, .pseudonym = item.pseudonym, .debt_type = item.debt_type,
            .balance_pence = item.balance_pence, .field_set = item.field_set };
        TRY(m_ledger.add_placement(row));
        if (m_subjects != nullptr)
            TRY(m_subjects->add(item.batch, item.account_ref, item.person_ref, item.pseudonym));
        return {};
    }
    case Item::Kind::Exclusion:
        return m_ledger.add_exclusion(item.run, item.agency, item.account_ref, item.person_ref, item.reason);
    case Item::Kind::Quarantine:
        return m_ledger.add_quarantine(item.run, item.rejection);
    case Item::Kind::Message:
        TRY(m_messages.record(item.message));
        return {};
    }
    return {};
}

void LedgerWriter::work()
{
    while (true) {
        std::unique_ptr<Batch> batch;
        std::size_t count = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_pending.empty() || m_closing; });
            if (m_pending.empty())
                return; // closing and drained
            batch = std::move(m_pending.front().first);
            count = m_pending.front().second;
            m_pending.pop_front();
            m_changed.notify_all();
        }
        if (!m_failed.load()) {
            for (std::size_t i = 0; i < count; ++i) {
                auto applied = apply((*batch)[i]);
                if (applied.is_error()) {
                    std::lock_guard lock(m_mutex);
                    m_error = applied.release_error();
                    m_failed.store(true);
                    m_changed.notify_all();
                    break;
                }
            }
        }
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(batch));
    }
}

base::Result<void> LedgerWriter::finish()
{
    if (m_finished)
        return m_error ? base::Result<void>(*m_error) : base::Result<void>();
    hand_over();
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
        m_changed.notify_all();
    }
    m_worker.join();
    m_finished = true;
    if (m_error)
        return *m_error;
    return {};
}

} // namespace dcagw::pipeline
