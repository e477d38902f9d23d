// exchange/events: what the exchange reports about each transfer to the operator.
//
// Owns: TransferEvent (agency, direction, file, size, hash, duration, outcome), the
// per-run EventLog the CLI prints, record_event(), through which every event passes, and
// TransferProgress, what a run is doing right now (the file it starts, the backoff it
// waits), for the CLI's progress line.
// The audit entries for deliveries, collections and acknowledgements are NOT written here:
// they are appended in the same transaction as the ledger change they record (send.cpp,
// collect.cpp), so a crash cannot separate the two.
// Must never: carry credentials, file contents or case data: names, sizes, hashes, times
// and outcomes only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dcagw::exchange {

enum class Direction { Send, Collect };

enum class EventKind {
    Delivered,     // a file is under its final name on the agency's server
    Acknowledged,  // the agency's acknowledgement of a delivered file was collected
    Collected,     // a file from the agency is in the local inbox and recorded
    Failed,        // an attempt failed (outcome says whether it will be retried)
    Skipped,       // nothing transferred: already done, or refused (hostile name, too large)
};
std::string_view to_string(EventKind kind);

struct TransferEvent {
    EventKind kind { EventKind::Delivered };
    Direction direction { Direction::Send };
    std::string agency;
    std::string file;              // remote name
    std::int64_t transfer { 0 };   // the outbox row (send, acknowledgement), or 0
    std::int64_t collected { 0 };  // the collected_files row (collection), or 0
    std::uint64_t size { 0 };
    std::string sha256;
    std::chrono::milliseconds duration { 0 };
    std::string outcome;           // "delivered", "delivered (found on the server after a restart)", "retrying: ..."
};

// The events of one run, in order; each also becomes one log line.
class EventLog {
public:
    // Called with each event as it happens, so a long run logs as it goes (the CLI
    // prints the line to standard error).
    std::function<void(TransferEvent const&)> listener;

    void add(TransferEvent event);
    std::vector<TransferEvent> const& events() const { return m_events; }
    // "send example-agency 20261123-placement.csv.age 1234 bytes sha256 ab.. 12 ms: delivered"
    static std::string to_line(TransferEvent const& event);

private:
    std::vector<TransferEvent> m_events;
};

// What a send or collect run is doing now, reported before it happens (unlike the events,
// which report what was done): the CLI draws its progress line from these and the events.
struct TransferProgress {
    enum class Step {
        Starting,  // an attempt at `file` begins
        Waiting,   // attempt `attempt` failed (or connecting failed); waiting `wait` before the next
    };
    Step step { Step::Starting };
    Direction direction { Direction::Send };
    std::string agency;
    std::string file;               // empty while connecting
    std::uint64_t size { 0 };       // of the file, when known
    std::size_t index { 0 };        // 1-based among the files of this agency in this run
    std::size_t count { 0 };        // the files of this agency in this run (0: not known)
    int attempt { 1 };
    std::chrono::milliseconds wait { 0 };
};

// Every delivered / acknowledged / collected / failed / skipped event of send and collect
// goes through here, after the ledger (and the audit log) committed the state it reports.
void record_event(EventLog& log, TransferEvent event);

} // namespace dcagw::exchange
