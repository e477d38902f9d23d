// transport/host_key: OpenSSH-style SHA-256 fingerprints.
#include "gateway/transport/host_key.hpp"

#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/hash.hpp"

namespace dcagw::transport {

namespace {
constexpr std::string_view prefix = "SHA256:";
}

std::string openssh_fingerprint(std::span<std::uint8_t const> key_blob)
{
    auto digest = crypto::Sha256::digest(key_blob);
    return std::string(prefix) + crypto::encode_base64(digest, crypto::Base64Padding::No);
}

std::optional<std::string> openssh_fingerprint_of_base64(std::string_view key_base64)
{
    auto blob = crypto::decode_base64(key_base64, crypto::Base64Padding::Yes);
    if (!blob)
        return std::nullopt;
    return openssh_fingerprint(*blob);
}

std::optional<std::string> canonical_fingerprint(std::string_view configured)
{
    if (configured.starts_with(prefix))
        configured.remove_prefix(prefix.size());
    if (configured.size() == 44 && configured.back() == '=')
        configured.remove_suffix(1);
    auto digest = crypto::decode_base64(configured, crypto::Base64Padding::No);
    if (!digest || digest->size() != 32)
        return std::nullopt;
    return std::string(prefix) + std::string(configured);
}

} // namespace dcagw::transport
