// exchange/run_context: what send, collect and agency test share: the options with their
// defaults filled in, choosing the agencies a run works on, checking the keys the run
// needs, opening the run, the loop over its agencies, and the one-session-per-agency
// connection with retries.
//
// Owns: the one driver of a send or collect run (ExchangeRun: open, for_each_agency,
// finish), connecting to an agency (transient failures retried with backoff and jitter),
// the error text of an agency-level failure.
// Must never: keep a session beyond the run, retry a permanent failure, start a run
// whose keys cannot be loaded, or let one agency's failure other than the ledger's stop
// the others.
#pragma once

#include "gateway/exchange/exchange.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/base/file.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers.hpp"

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
    AgencySession(model::TransportProfile const& profile, ExchangeOptions const& options, std::string agency, Direction direction)
        : m_profile(profile), m_options(options), m_agency(std::move(agency)), m_direction(direction) {}

    // Connects when needed, retrying transient failures up to max_attempts.
    base::Result<transport::Session*> get();
    void drop() { m_session.reset(); }
    std::string const& server() const { return m_server; }
    // Reports the wait (options.on_progress, with `about` naming the file), then sleeps.
    void wait_before_retry(int attempt, TransferProgress about = {}) const;
    // Reports the start of an attempt at a file (options.on_progress).
    void report_start(TransferProgress about) const;

private:
    model::TransportProfile const& m_profile;
    ExchangeOptions const& m_options;
    std::string m_agency;
    Direction m_direction;
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

// Every key a send or collect run needs, before anything is sent or fetched: the audit
// signing key (when configured: the run ends with a checkpoint), and each agency's
// transport credentials (private keys, passphrase, password, token and basic-auth files:
// present, regular, not empty, owner-only; known_hosts, CA and client certificate files:
// present and not empty). ConfigInvalid, naming every problem, when any is missing.
base::Result<void> check_run_keys(model::GatewayConfig const& config, std::vector<model::AgencyConfig const*> const& agencies);

// Ledger and programming errors stop a run; every other error concerns one agency or one
// file.
bool stops_the_run(base::ErrorCode code);

// The one driver of `send` and `collect`: options with defaults, the agencies chosen, their
// keys checked, the run opened (lock, ledger, journal), then each agency in turn, and the
// checkpoint at the end.
class ExchangeRun {
public:
    static base::Result<ExchangeRun> open(model::GatewayConfig const& config, ExchangeOptions const& options);

    // Calls work(agency, result) for each chosen agency with a transport, a fresh result
    // (its `agency` set) appended to `results` for every agency; an agency without one gets
    // `no_transport_note`. An error that does not stop the run is the agency's: it goes
    // to that result's errors and the next agency goes on.
    template<typename AgencyResult, typename Work>
    base::Result<void> for_each_agency(std::vector<AgencyResult>& results, std::string const& no_transport_note, Work&& work)
    {
        for (auto const* agency : m_agencies) {
            auto& result = results.emplace_back();
            result.agency = agency->id;
            if (!agency->transport) {
                result.note = no_transport_note;
                continue;
            }
            auto done = work(*agency, result);
            if (done.is_error()) {
                if (stops_the_run(done.error().code()))
                    return done.release_error();
                result.errors.push_back(done.error().to_text());
            }
        }
        return {};
    }

    // Signs the audit checkpoint when the run changed anything.
    void finish(bool changed_anything, std::optional<std::string>& checkpoint, std::vector<std::string>& warnings);

    ExchangeOptions const& options() const { return m_options; }
    model::GatewayConfig const& config() const { return *m_config; }
    audit::Journal& journal() { return *m_run.journal; }
    store::Transfers& transfers() { return *m_transfers; }
    store::StateFiles const& files() const { return m_files; }

private:
    ExchangeRun(model::GatewayConfig const& config, ExchangeOptions options, std::vector<model::AgencyConfig const*> agencies, OpenRun run);

    model::GatewayConfig const* m_config;
    ExchangeOptions m_options;
    std::vector<model::AgencyConfig const*> m_agencies;
    OpenRun m_run;
    std::unique_ptr<store::Transfers> m_transfers;
    store::StateFiles m_files;
};

// Milliseconds since `start`, for the transfer log.
std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start);

// The error code's stable name (base::to_string, e.g. "host key mismatch"), as the ledger
// stores failure reasons.
std::string reason_of(base::Error const& error);

} // namespace dcagw::exchange::detail
