// exchange/exchange: the delivery and collection use cases (`dcagw send`, `dcagw collect`,
// `dcagw agency test`, `dcagw transfers list|retry`) over the ledger's outbox and an
// agency's transport session.
//
// Owns: the order of a send run (queue spooled files, one session per agency, publish
// under a temporary name then the final one, recover `sending` transfers by looking at the
// server first, retry transient failures with backoff and jitter, stop at permanent ones),
// the order of a collect run (check every remote name and the inbox's free space,
// download atomically into the inbox, verify, decide by content hash whether it was
// collected before, record, then archive/delete remotely), and
// the summaries the CLI renders.
// Must never: deliver a file twice or under a partial name, write a file under a name the
// server chose without check_remote_name, log credentials or contents, or run while
// another dcagw run holds the state directory's run lock.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/exchange/events.hpp"
#include "gateway/model/config.hpp"
#include "gateway/transport/session.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::exchange {

using SessionFactory = std::function<base::Result<std::unique_ptr<transport::Session>>(model::TransportProfile const&)>;
using Sleeper = std::function<void(std::chrono::milliseconds)>;

struct ExchangeOptions {
    std::optional<std::string> agency;  // only this agency
    // Who ran it, for the audit log: "scheduler" or "operator:<user>" (audit::current_actor).
    std::string actor { "operator" };
    // Tests replace these; by default transport::connect and a real sleep.
    SessionFactory connect;
    Sleeper sleep;
    // Called with each transfer event as it happens (the CLI logs it to standard error).
    std::function<void(TransferEvent const&)> on_event;
    // Called before each attempt at a file and before each backoff wait (the CLI's
    // progress line); may be empty.
    std::function<void(TransferProgress const&)> on_progress;
    // Free bytes in a local folder (collect checks the inbox before each download); by
    // default statvfs. Tests replace it.
    std::function<base::Result<std::uint64_t>(std::filesystem::path const&)> free_bytes;
};

struct AgencySendResult {
    std::string agency;
    std::string server;            // the session's describe(): never a credential
    std::int64_t queued { 0 };     // newly queued this run
    std::int64_t delivered { 0 };
    std::int64_t recovered { 0 };  // found delivered on the server after a crash
    std::int64_t failed_transient { 0 };
    std::int64_t failed_permanent { 0 };
    std::int64_t left_queued { 0 };  // not attempted (the agency's session failed)
    std::vector<std::string> errors;
    std::vector<std::string> warnings;  // e.g. a file sent again after an uncertain interruption
    std::string note;              // e.g. "no transport configured: files stay in the spool"
};

struct SendSummary {
    std::vector<AgencySendResult> agencies;
    EventLog log;
    // The signed audit checkpoint line written at the end of the run, when one was.
    std::optional<std::string> checkpoint;
    std::vector<std::string> warnings;
    bool has_failures() const;
    bool has_refusals() const { return false; }
    std::string to_json() const;
};

base::Result<SendSummary> send(model::GatewayConfig const& config, ExchangeOptions const& options);

struct AgencyCollectResult {
    std::string agency;
    std::string server;
    std::int64_t listed { 0 };
    std::int64_t collected { 0 };
    std::int64_t already_collected { 0 };
    std::int64_t refused { 0 };        // hostile names, too large
    std::int64_t hidden { 0 };         // names starting with '.': the agency's uploads in progress
    std::int64_t acknowledgements { 0 };
    std::int64_t failed { 0 };
    // Collected although an earlier, different file had the same name (the agency reused
    // a name): each is described in `flagged` and in the run's warnings.
    std::int64_t same_name_different_content { 0 };
    // Left on the server for the next run: this run reached collect_max_bytes_per_run.
    std::int64_t deferred_over_cap { 0 };
    std::uint64_t deferred_bytes { 0 };
    std::vector<std::string> flagged;
    std::vector<std::string> errors;
    std::string note;
};

struct CollectSummary {
    std::vector<AgencyCollectResult> agencies;
    EventLog log;
    std::optional<std::string> checkpoint;
    std::vector<std::string> warnings;
    bool has_failures() const;   // something could not be collected or disposed of
    bool has_refusals() const;   // a remote file was refused (hostile name, too large)
    std::string to_json() const;
};

base::Result<CollectSummary> collect(model::GatewayConfig const& config, ExchangeOptions const& options);

// `dcagw agency test`: connect, verify the server, list the upload and collect areas.
struct AgencyCheck {
    std::string name;    // "connect", "list upload area", ...
    bool ok { false };
    std::string detail;
};
struct AgencyTestReport {
    std::string agency;
    std::string server;
    std::vector<AgencyCheck> checks;
    bool all_ok() const;
};
base::Result<AgencyTestReport> test_agency(model::GatewayConfig const& config, std::string const& agency, ExchangeOptions const& options);

// `dcagw transfers list`: the outbox with each delivery's acknowledgement state.
struct TransferView {
    std::int64_t id { 0 };
    std::string agency;
    std::string file_name;
    std::string status;
    std::int64_t attempts { 0 };
    std::string remote_name;
    std::int64_t size_bytes { 0 };
    std::string sha256;
    std::string queued_at;
    std::string last_attempt_at;
    std::string delivered_at;
    std::string failure_reason;
    std::string last_error;
    bool permanent { false };
    // not_required | awaiting | overdue | acknowledged
    std::string acknowledgement;
    std::string acknowledged_at;
};
base::Result<std::vector<TransferView>> list_transfers(model::GatewayConfig const& config, std::optional<std::string> const& agency);
// `dcagw transfers retry`: a failed transfer back to queued; the operator's decision is
// an audit `command` entry, committed with it.
base::Result<void> retry_transfer(model::GatewayConfig const& config, std::int64_t id, std::string const& actor = "operator");

} // namespace dcagw::exchange
