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
    log.add(std::move(event));
}

} // namespace dcagw::exchange
