#include "gateway/audit/keys_in_use.hpp"

#include "gateway/crypto/key_file.hpp"
#include "gateway/crypto/pgp.hpp"
#include "gateway/crypto/public_identity.hpp"

namespace dcagw::audit {

base::Result<std::vector<KeyInUse>> placement_keys(model::GatewayConfig const& config, std::vector<AgencyPseudonymKey> const& agencies)
{
    std::vector<KeyInUse> keys;
    bool openpgp = false;
    for (auto const& [agency, key_id] : agencies) {
        keys.push_back({ "pseudonym", key_id, recorded_key_path(config, agency->pseudonym_key_path), "pseudonyms for agency " + agency->id });
        openpgp = openpgp || agency->encryption.kind != model::EncryptionKind::Age;
    }
    if (openpgp && config.pgp_signing_key) {
        auto fingerprint = TRY_CONTEXT(crypto::pgp_secret_key_fingerprint(*config.pgp_signing_key), "loading the OpenPGP signing key");
        keys.push_back({ "openpgp", std::move(fingerprint), recorded_key_path(config, *config.pgp_signing_key), "signing OpenPGP files" });
    }
    return keys;
}

std::vector<KeyInUse> transport_keys(model::GatewayConfig const& config, std::vector<model::AgencyConfig const*> const& agencies)
{
    std::vector<KeyInUse> keys;
    // A key that cannot be named is left to the connection, which fails for that agency
    // alone and says why; the other agencies' runs go on.
    auto add = [&](std::string type, base::Result<std::string> identity, std::filesystem::path const& path, std::string use) {
        if (identity.ok())
            keys.push_back({ std::move(type), identity.release_value(), recorded_key_path(config, path), std::move(use) });
    };
    for (auto const* agency : agencies) {
        if (!agency->transport)
            continue;
        auto const& transport = *agency->transport;
        if (transport.kind == model::TransportKind::Sftp && !transport.sftp.private_key.empty())
            add("ssh-private-key", crypto::ssh_public_key_fingerprint(transport.sftp.private_key), transport.sftp.private_key,
                "SFTP login to agency " + agency->id);
        else if (transport.kind == model::TransportKind::Https && transport.https.client_key && transport.https.client_certificate)
            add("tls-client-key", crypto::certificate_public_key_sha256(*transport.https.client_certificate), *transport.https.client_key,
                "TLS client authentication to agency " + agency->id);
    }
    return keys;
}

std::string recorded_key_path(model::GatewayConfig const& config, std::filesystem::path const& path)
{
    std::error_code error;
    auto const absolute = std::filesystem::absolute(path, error).lexically_normal();
    if (!config.config_file.empty()) {
        auto const folder = std::filesystem::absolute(config.config_file, error).lexically_normal().parent_path();
        auto const relative = absolute.lexically_relative(folder);
        if (!relative.empty() && *relative.begin() != ".." && relative.is_relative())
            return relative.string();
    }
    return absolute.filename().string();
}

base::Result<void> record_keys_if_new(Journal& journal, std::vector<KeyInUse> const& keys)
{
    for (auto const& key : keys)
        TRY(journal.record_key_if_new(key));
    return {};
}

} // namespace dcagw::audit
