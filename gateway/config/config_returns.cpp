#include "gateway/config/config_returns.hpp"

#include "gateway/base/file.hpp"
#include "gateway/config/config_transport.hpp"

#include <array>

namespace dcagw::config::detail {

namespace {

constexpr std::array<std::string_view, 6> returns_keys { "encryption", "require_signature", "signature_keys", "decryption_key", "decryption_passphrase_file", "description" };
constexpr std::array<std::string_view, 3> encryption_names { "openpgp", "age", "none" };

void check_public_key(std::filesystem::path const& path, std::string const& json_path, ProblemSink& sink)
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        sink.add(json_path, "OpenPGP public key file not found: " + path.string());
}

} // namespace

std::optional<model::ReturnsProfile> check_returns(Json const* value, std::string const& agency_path,
    std::optional<model::TransportProfile> const& transport, ProblemSink& sink, std::filesystem::path const& folder)
{
    bool const transport_requires = transport && transport->returns_require_signature;
    auto const path = join_path(agency_path, "returns");
    if (value == nullptr) {
        if (transport_requires)
            sink.add(join_path(join_path(agency_path, "transport"), "returns_require_signature"),
                "needs the agency's 'returns' section (encryption 'openpgp', signature_keys, decryption_key) to verify signatures with; it is now set there as returns.require_signature (docs/configuration.md)");
        return std::nullopt;
    }
    if (!expect_object(*value, path, sink))
        return std::nullopt;
    ObjectReader reader(*value, path, sink, returns_keys);
    model::ReturnsProfile profile;
    bool encryption_known = true;
    if (auto encryption = reader.string("encryption", Presence::Required)) {
        if (*encryption == "openpgp")
            profile.encryption = model::ReturnEncryption::OpenPgp;
        else if (*encryption == "age")
            profile.encryption = model::ReturnEncryption::Age;
        else if (*encryption == "none")
            profile.encryption = model::ReturnEncryption::None;
        else {
            encryption_known = false;
            sink.add(reader.path_of("encryption"), "must be 'openpgp', 'age' or 'none', not " + in_quotes(*encryption) + did_you_mean(*encryption, encryption_names));
        }
    } else {
        encryption_known = false;
    }
    if (auto required = reader.boolean("require_signature", Presence::Required))
        profile.require_signature = *required;
    if (transport_requires && !profile.require_signature)
        sink.add(reader.path_of("require_signature"), "is false but transport.returns_require_signature is true: say it once, here");
    if (auto keys = reader.string_array("signature_keys", Presence::Optional, 8)) {
        for (std::size_t index = 0; index < keys->size(); ++index) {
            auto resolved = base::resolve_against(folder, (*keys)[index]);
            check_public_key(resolved, join_path(reader.path_of("signature_keys"), index), sink);
            profile.signature_keys.push_back(std::move(resolved));
        }
    }
    if (auto key = reader.string("decryption_key", Presence::Optional)) {
        profile.decryption_key = base::resolve_against(folder, *key);
        check_secret_file(*profile.decryption_key, reader.path_of("decryption_key"), sink);
    }
    if (auto passphrase = reader.string("decryption_passphrase_file", Presence::Optional)) {
        profile.decryption_passphrase_file = base::resolve_against(folder, *passphrase);
        check_secret_file(*profile.decryption_passphrase_file, reader.path_of("decryption_passphrase_file"), sink);
    }
    if (!encryption_known)
        return profile; // the rules below depend on the encryption

    bool const encrypted = profile.encryption != model::ReturnEncryption::None;
    if (encrypted && !profile.decryption_key)
        sink.add(reader.path_of("decryption_key"), "encryption '" + std::string(profile.encryption == model::ReturnEncryption::Age ? "age" : "openpgp") + "' needs the creditor's decryption_key");
    if (!encrypted && profile.decryption_key)
        sink.add(reader.path_of("decryption_key"), "given but encryption is 'none': it would not be used");
    if (profile.decryption_passphrase_file && profile.encryption != model::ReturnEncryption::OpenPgp)
        sink.add(reader.path_of("decryption_passphrase_file"), "only an OpenPGP secret key takes a passphrase");
    if (profile.require_signature && profile.encryption != model::ReturnEncryption::OpenPgp)
        sink.add(reader.path_of("require_signature"), "a signature is verified inside an OpenPGP message (sign + encrypt); with encryption '" + std::string(encrypted ? "age" : "none") + "' nothing could verify it");
    if (profile.require_signature && profile.signature_keys.empty() && !reader.has("signature_keys"))
        sink.add(reader.path_of("signature_keys"), "require_signature needs the agency's OpenPGP public key(s)");
    if (!profile.require_signature && !profile.signature_keys.empty())
        sink.add(reader.path_of("signature_keys"), "given but require_signature is false: a signature that is never required proves nothing");
    return profile;
}

} // namespace dcagw::config::detail
