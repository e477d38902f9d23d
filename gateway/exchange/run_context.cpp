#include "gateway/exchange/run_context.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/crypto/signature.hpp"
#include "gateway/exchange/backoff.hpp"
#include "gateway/transport/credentials.hpp"

#include <sys/statvfs.h>
#include <cerrno>
#include <cstring>
#include <thread>

namespace dcagw::exchange::detail {

ExchangeOptions with_defaults(ExchangeOptions options)
{
    if (!options.connect)
        options.connect = [](model::TransportProfile const& profile) { return transport::connect(profile); };
    if (!options.sleep)
        options.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
    if (!options.free_bytes)
        options.free_bytes = [](std::filesystem::path const& folder) -> base::Result<std::uint64_t> {
            struct statvfs status {};
            if (::statvfs(folder.c_str(), &status) != 0)
                return base::make_error(base::ErrorCode::FileUnreadable, "free space of " + folder.string() + ": " + std::strerror(errno));
            return static_cast<std::uint64_t>(status.f_bavail) * static_cast<std::uint64_t>(status.f_frsize);
        };
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

void AgencySession::wait_before_retry(int attempt, TransferProgress about) const
{
    auto const delay = backoff_delay(attempt, m_profile.backoff_initial, m_profile.backoff_max, jitter_fraction());
    if (m_options.on_progress) {
        about.step = TransferProgress::Step::Waiting;
        about.direction = m_direction;
        about.agency = m_agency;
        about.attempt = attempt;
        about.wait = delay;
        m_options.on_progress(about);
    }
    m_options.sleep(delay);
}

void AgencySession::report_start(TransferProgress about) const
{
    if (!m_options.on_progress)
        return;
    about.step = TransferProgress::Step::Starting;
    about.direction = m_direction;
    about.agency = m_agency;
    m_options.on_progress(about);
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

namespace {

enum class KeyFile { Secret, SecretLine, Public };

void check_key_file(std::vector<std::string>& problems, std::string const& agency, std::string_view setting, std::filesystem::path const& path, KeyFile kind)
{
    auto const problem = [&](std::string const& why) { problems.push_back("agency " + agency + ": " + std::string(setting) + " " + path.string() + ": " + why); };
    if (kind == KeyFile::SecretLine) {
        // Read as the session will read it; the secret is wiped when the buffer goes.
        if (auto line = transport::read_credential_line(path); line.is_error())
            problem(line.error().to_text());
        return;
    }
    std::error_code error;
    auto const size = std::filesystem::file_size(path, error);
    if (error || !std::filesystem::is_regular_file(path, error))
        return problem("not a readable regular file");
    if (size == 0)
        return problem("the file is empty");
    if (kind == KeyFile::Secret)
        if (auto owner_only = base::check_owner_only(path); owner_only.is_error())
            problem(owner_only.error().to_text());
}

} // namespace

base::Result<void> check_run_keys(model::GatewayConfig const& config, std::vector<model::AgencyConfig const*> const& agencies)
{
    std::vector<std::string> problems;
    if (config.signing_key)
        if (auto key = crypto::Ed25519SigningKey::load(*config.signing_key); key.is_error())
            problems.push_back("signing_key " + config.signing_key->string() + ": " + key.error().to_text());
    for (auto const* agency : agencies) {
        if (!agency->transport)
            continue;
        auto const& profile = *agency->transport;
        auto const check = [&](std::string_view setting, std::optional<std::filesystem::path> const& path, KeyFile kind) {
            if (path && !path->empty())
                check_key_file(problems, agency->id, setting, *path, kind);
        };
        if (profile.kind == model::TransportKind::Sftp) {
            check("sftp.private_key", profile.sftp.private_key, KeyFile::Secret);
            check("sftp.private_key_passphrase_file", profile.sftp.private_key_passphrase_file, KeyFile::SecretLine);
            check("sftp.password_file", profile.sftp.password_file, KeyFile::SecretLine);
            check("sftp.known_hosts", profile.sftp.known_hosts, KeyFile::Public);
        } else if (profile.kind == model::TransportKind::Https) {
            check("https.ca_file", profile.https.ca_file, KeyFile::Public);
            check("https.client_certificate", profile.https.client_certificate, KeyFile::Public);
            check("https.client_key", profile.https.client_key, KeyFile::Secret);
            check("https.bearer_token_file", profile.https.bearer_token_file, KeyFile::SecretLine);
            check("https.basic_auth_file", profile.https.basic_auth_file, KeyFile::SecretLine);
        }
    }
    if (problems.empty())
        return {};
    std::string message = "refusing to start: a key the run needs cannot be used";
    for (auto const& problem : problems)
        message += "; " + problem;
    // Not the kind's "run config check" hint: config check reads no secret key and passes.
    return base::make_error(base::ErrorCode::ConfigInvalid, message)
        .with_hint("replace or fix the key file named (`dcagw config check` checks permissions only, never a key's content)");
}

bool stops_the_run(base::ErrorCode code)
{
    return code == base::ErrorCode::StoreFailure || code == base::ErrorCode::StoreCorrupt || code == base::ErrorCode::Internal;
}

ExchangeRun::ExchangeRun(model::GatewayConfig const& config, ExchangeOptions options, std::vector<model::AgencyConfig const*> agencies, OpenRun run)
    : m_config(&config)
    , m_options(std::move(options))
    , m_agencies(std::move(agencies))
    , m_run(std::move(run))
    , m_transfers(std::make_unique<store::Transfers>(*m_run.ledger))
    , m_files(config.state_directory)
{
}

base::Result<ExchangeRun> ExchangeRun::open(model::GatewayConfig const& config, ExchangeOptions const& given_options)
{
    auto options = with_defaults(given_options);
    auto agencies = TRY(select_agencies(config, options.agency));
    TRY(check_run_keys(config, agencies));
    auto run = TRY(open_run(config, options.actor, agencies));
    return ExchangeRun(config, std::move(options), std::move(agencies), std::move(run));
}

void ExchangeRun::finish(bool changed_anything, std::optional<std::string>& checkpoint, std::vector<std::string>& warnings)
{
    if (changed_anything)
        audit::checkpoint_at_end_of_run(*m_run.ledger, *m_config, m_options.actor, checkpoint, warnings);
}

} // namespace dcagw::exchange::detail
