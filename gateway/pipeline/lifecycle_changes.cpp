// PlacementRun::owe_changes: what an agency must be told about a debt it already holds,
// recorded in the placement run's transaction (issue #15; docs/lifecycle.md).
#include "gateway/pipeline/placement_run.hpp"
#include "gateway/pipeline/told_state.hpp"

#include "gateway/base/date.hpp"

namespace dcagw::pipeline::detail {

namespace {


void apply_to(lifecycle::ToldState& told, lifecycle::Change const& change)
{
    if (change.kind == model::MessageKind::BalanceUpdate)
        told.balance_pence += change.balance_change_pence;
    else if (change.kind == model::MessageKind::Hold)
        told.hold = change.reason;
    else if (change.kind == model::MessageKind::Release)
        told.hold.reset();
}

} // namespace

base::Result<void> PlacementRun::owe_changes(model::CaseRecord const& record, AgencyRun& agency, store::OpenPlacement const& placement)
{
    // A recall asked for and not yet confirmed: the agency is giving the debt back, so
    // nothing more is sent until it confirms (or refuses) the recall.
    if (!placement.told_recall.empty())
        return {};
    // A joint debt is on several rows. The first row compares with the ledger; later
    // rows compare with what the first row's messages will have told the agency, and
    // never release: a hold may stand for another debtor's concern, which this row
    // cannot see (a joint debt's hold is released by the operator, docs/lifecycle.md).
    std::optional<base::Fingerprint128> shared;
    if (m_duplicates->shared_account_count() > 0) {
        auto const account = account_fingerprint(record.account_ref());
        if (m_duplicates->account_is_shared(account))
            shared = account;
    }
    lifecycle::ToldState told = told_state_of(placement);
    lifecycle::ToldState* run_told = nullptr;  // a joint debt's told state during this run
    bool later_row_of_joint_debt = false;
    if (shared) {
        auto const [entry, first] = m_run_told.try_emplace(*shared, told);
        later_row_of_joint_debt = !first;
        run_told = &entry->second;
        told = *run_told;
    }
    auto changes = lifecycle::derive_changes(told, record, agency.policy, m_options.today);
    if (changes.is_error()) {
        model::Rejection problem;
        problem.file = std::string(record.raw->location.file);
        problem.line = record.raw->location.line;
        problem.account_ref = std::string(record.account_ref());
        problem.person_ref = std::string(record.person_ref());
        problem.field = "balance_pence";
        problem.reason = "agency " + agency.config->id + ": " + changes.error().to_text() + "; nothing is sent for this debt";
        return quarantine(problem);
    }
    for (auto const& change : changes.value()) {
        if (later_row_of_joint_debt && change.kind == model::MessageKind::Release)
            continue;
        store::OwedMessage message;
        message.agency = agency.config->id;
        message.account_ref = std::string(record.account_ref());
        message.placement = placement.id;
        message.kind = change.kind;
        message.reason = change.reason;
        message.change_pence = change.balance_change_pence;
        if (change.until)
            message.until = change.until->to_string();
        // Unique per agency: the run's number and the message's place in it. It says
        // nothing about the debt or the person.
        message.transaction_ref = "R" + std::to_string(m_run) + "-" + std::to_string(++m_messages_owed);
        message.origin = store::MessageOrigin::Export;
        message.run = m_run;
        message.actor = m_options.actor;
        message.notice_received_at = base::utc_timestamp_now();
        m_writer_failed |= !m_writer->add_message(message);
        ++agency.outcome.messages_owed[static_cast<std::size_t>(change.kind)];
        if (run_told != nullptr)
            apply_to(*run_told, change);
    }
    return {};
}

} // namespace dcagw::pipeline::detail
