// exchange/run_context: what send, collect and agency test share: the options with their
// defaults filled in, choosing the agencies a run works on, and the one-session-per-agency
// connection with retries.
//
// Owns: connecting to an agency (transient failures retried with backoff and jitter), the
// error text of an agency-level failure.
// Must never: keep a session beyond the run, or retry a permanent failure.
#pragma once

#include "gateway/exchange/exchange.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/base/file.hpp"
#include "gateway/store/ledger.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace dcagw::exchange::detail {

// Fills in transport::connect and a real sleep where the caller left them empty.
ExchangeOptions with_defaults(ExchangeOptions options);

// The enabled agencies the run works on, in configuration order; Usage when --agency
// names none.
base::Result<std::vector<model::AgencyConfig const*>> select_agencies(model::GatewayConfig const& config, std::optional<std::string> const& agency);

// One session per agency per run, opened on first use and dropped after a transient
// failure so the next attempt starts on a fresh connection.
class AgencySession {
public:
    AgencySession(model::TransportProfile const& profile, ExchangeOptions const& options) : m_profile(profile), m_options(options) {}

    // Connects when needed, retrying transient failures up to max_attempts.
    base::Result<transport::Session*> get();
    void drop() { m_session.reset(); }
    std::string const& server() const { return m_server; }
    void wait_before_retry(int attempt) const;

private:
    model::TransportProfile const& m_profile;
    ExchangeOptions const& m_options;
    std::unique_ptr<transport::Session> m_session;
    std::string m_server;
};

// What a send or collect run holds for its whole length: the state directory's run lock
// (place, send and collect never run at once on one state directory), the ledger, and the
// audit journal, with a configuration change since the last run and the agencies' login
// keys not recorded yet already in the log.
struct OpenRun {
    base::ExclusiveLock lock;
    std::unique_ptr<store::Ledger> ledger;
    std::unique_ptr<audit::Journal> journal;
};
base::Result<OpenRun> open_run(model::GatewayConfig const& config, std::string const& actor, std::vector<model::AgencyConfig const*> const& agencies);

// Milliseconds since `start`, for the transfer log.
std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start);

// The error code's stable name (base::to_string, e.g. "host key mismatch"), as the ledger
// stores failure reasons.
std::string reason_of(base::Error const& error);

} // namespace dcagw::exchange::detail
