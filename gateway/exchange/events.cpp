#include "gateway/exchange/events.hpp"

namespace dcagw::exchange {

std::string_view to_string(EventKind kind)
{
    switch (kind) {
    case EventKind::Delivered: return "delivered";
    case EventKind::Acknowledged: return "acknowledged";
    case EventKind::Collected: return "collected";
    case EventKind::Failed: return "failed";
    case EventKind::Skipped: return "skipped";
    }
    return "unknown";
}

void EventLog::add(TransferEvent event)
{
    if (listener)
        listener(event);
    m_events.push_back(std::move(event));
}

std::string EventLog::to_line(TransferEvent const& event)
{
    std::string line = event.direction == Direction::Send ? "send " : "collect ";
    line += event.agency + " " + event.file + " " + std::to_string(event.size) + " bytes";
    if (!event.sha256.empty())
        line += " sha256 " + event.sha256;
    line += " " + std::to_string(event.duration.count()) + " ms: ";
    line += event.outcome.empty() ? std::string(to_string(event.kind)) : event.outcome;
    return line;
}

void record_event(EventLog& log, TransferEvent event)
{
    // ------------------------------------------------------------------------------
    // AUDIT HOOK (issue 5). Every transfer event of `dcagw send` and `dcagw collect`
    // passes here exactly once, after the ledger has durably recorded it:
    //   EventKind::Delivered    - event.transfer: outbox row; file, size, sha256 delivered
    //   EventKind::Acknowledged - event.transfer: the delivery acknowledged; file: the ack
    //   EventKind::Collected    - event.collected: collected_files row; file, size, sha256
    // Append the audit entry here (Delivered, Acknowledged and Collected are disclosures
    // or receipts the audit log must hold; Failed and Skipped are operational).
    // ------------------------------------------------------------------------------
    log.add(std::move(event));
}

} // namespace dcagw::exchange
