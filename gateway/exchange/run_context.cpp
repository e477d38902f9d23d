#include "gateway/exchange/run_context.hpp"

#include "gateway/audit/keys_in_use.hpp"
#include "gateway/exchange/backoff.hpp"

#include <thread>

namespace dcagw::exchange::detail {

ExchangeOptions with_defaults(ExchangeOptions options)
{
    if (!options.connect)
        options.connect = [](model::TransportProfile const& profile) { return transport::connect(profile); };
    if (!options.sleep)
        options.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
    return options;
}

base::Result<std::vector<model::AgencyConfig const*>> select_agencies(model::GatewayConfig const& config, std::optional<std::string> const& agency)
{
    std::vector<model::AgencyConfig const*> selected;
    for (auto const& candidate : config.agencies)
        if (candidate.enabled && (!agency || *agency == candidate.id))
            selected.push_back(&candidate);
    if (selected.empty())
        return base::make_error(base::ErrorCode::Usage,
            agency ? "no enabled agency with id '" + *agency + "'" : std::string("no enabled agency in the configuration"));
    return selected;
}

base::Result<transport::Session*> AgencySession::get()
{
    if (m_session)
        return m_session.get();
    int const attempts = std::max(1, m_profile.max_attempts);
    for (int attempt = 1;; ++attempt) {
        auto connected = m_options.connect(m_profile);
        if (connected.ok()) {
            m_session = connected.release_value();
            m_server = m_session->describe();
            return m_session.get();
        }
        if (!base::is_transient(connected.error().code()) || attempt >= attempts)
            return connected.release_error().with_context("connecting (attempt " + std::to_string(attempt) + " of " + std::to_string(attempts) + ")");
        wait_before_retry(attempt);
    }
}

void AgencySession::wait_before_retry(int attempt) const
{
    m_options.sleep(backoff_delay(attempt, m_profile.backoff_initial, m_profile.backoff_max, jitter_fraction()));
}

std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

std::string reason_of(base::Error const& error)
{
    return std::string(base::to_string(error.code()));
}

base::Result<OpenRun> open_run(model::GatewayConfig const& config, std::string const& actor, std::vector<model::AgencyConfig const*> const& agencies)
{
    TRY(base::ensure_private_directory(config.state_directory));
    auto lock = TRY(base::ExclusiveLock::acquire(config.state_directory / "run.lock"));
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    auto journal = std::make_unique<audit::Journal>(*ledger, actor);
    auto const record_setup = [&]() -> base::Result<void> {
        if (!config.config_file.empty())
            TRY(journal->record_config_if_changed(config.config_file));
        return audit::record_keys_if_new(*journal, audit::transport_keys(config, agencies));
    };
    TRY(ledger->transaction(record_setup));
    return OpenRun { std::move(lock), std::move(ledger), std::move(journal) };
}

} // namespace dcagw::exchange::detail
