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

std::string_view host_key_type_name(HostKeyType type)
{
    switch (type) {
    case HostKeyType::Rsa: return "ssh-rsa";
    case HostKeyType::Dss: return "ssh-dss";
    case HostKeyType::Ecdsa: return "ecdsa-sha2-*";
    case HostKeyType::Ed25519: return "ssh-ed25519";
    case HostKeyType::Any: break;
    }
    return "any type";
}

std::optional<HostKeyPin> parse_host_key_pin(std::string_view configured)
{
    HostKeyPin pin;
    auto const space = configured.rfind(' ');
    if (space != std::string_view::npos) {
        auto const type = configured.substr(0, space);
        if (type == "ssh-ed25519" || type == "ED25519")
            pin.type = HostKeyType::Ed25519;
        else if (type == "ssh-rsa" || type == "RSA")
            pin.type = HostKeyType::Rsa;
        else if (type.starts_with("ecdsa-sha2-nistp") || type == "ECDSA")
            pin.type = HostKeyType::Ecdsa;
        else if (type == "ssh-dss" || type == "DSA")
            pin.type = HostKeyType::Dss;
        else
            return std::nullopt;
        configured.remove_prefix(space + 1);
    }
    auto fingerprint = canonical_fingerprint(configured);
    if (!fingerprint)
        return std::nullopt;
    pin.fingerprint = std::move(*fingerprint);
    return pin;
}

bool matches_a_pin(std::span<HostKeyPin const> pins, HostKeyType offered_type, std::string_view offered_fingerprint)
{
    for (auto const& pin : pins)
        if (pin.fingerprint == offered_fingerprint && (pin.type == HostKeyType::Any || pin.type == offered_type))
            return true;
    return false;
}

std::string describe_pins(std::span<HostKeyPin const> pins)
{
    std::string text;
    for (auto const& pin : pins) {
        if (!text.empty())
            text += ", ";
        if (pin.type != HostKeyType::Any)
            text += std::string(host_key_type_name(pin.type)) + " ";
        text += pin.fingerprint;
    }
    return text;
}

} // namespace dcagw::transport
