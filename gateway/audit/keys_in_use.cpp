#include "gateway/audit/keys_in_use.hpp"

#include "gateway/crypto/key_file.hpp"
#include "gateway/crypto/pgp.hpp"

namespace dcagw::audit {

base::Result<std::vector<KeyInUse>> placement_keys(model::GatewayConfig const& config, std::vector<AgencyPseudonymKey> const& agencies)
{
    std::vector<KeyInUse> keys;
    bool openpgp = false;
    for (auto const& [agency, key_id] : agencies) {
        keys.push_back({ "pseudonym", key_id, agency->pseudonym_key_path, "pseudonyms for agency " + agency->id });
        openpgp = openpgp || agency->encryption.kind != model::EncryptionKind::Age;
    }
    if (openpgp && config.pgp_signing_key) {
        auto fingerprint = TRY_CONTEXT(crypto::pgp_secret_key_fingerprint(*config.pgp_signing_key), "loading the OpenPGP signing key");
        keys.push_back({ "openpgp", std::move(fingerprint), *config.pgp_signing_key, "signing OpenPGP files" });
    }
    return keys;
}

std::vector<KeyInUse> transport_keys(std::vector<model::AgencyConfig const*> const& agencies)
{
    std::vector<KeyInUse> keys;
    auto add = [&](std::string type, std::filesystem::path const& path, std::string use) {
        // A key file that cannot be read is left to the connection, which fails for that
        // agency alone and says why; the other agencies' runs go on.
        if (auto identity = crypto::secret_file_sha256(path); identity.ok())
            keys.push_back({ std::move(type), identity.release_value(), path, std::move(use) });
    };
    for (auto const* agency : agencies) {
        if (!agency->transport)
            continue;
        auto const& transport = *agency->transport;
        if (transport.kind == model::TransportKind::Sftp && !transport.sftp.private_key.empty())
            add("ssh-private-key", transport.sftp.private_key, "SFTP login to agency " + agency->id);
        else if (transport.kind == model::TransportKind::Https && transport.https.client_key)
            add("tls-client-key", *transport.https.client_key, "TLS client authentication to agency " + agency->id);
    }
    return keys;
}

base::Result<void> record_keys_if_new(Journal& journal, std::vector<KeyInUse> const& keys)
{
    for (auto const& key : keys)
        TRY(journal.record_key_if_new(key));
    return {};
}

} // namespace dcagw::audit
