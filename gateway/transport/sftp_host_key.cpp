// transport/sftp_host_key: the host key callbacks, pins per key type, known_hosts.
#include "gateway/transport/sftp_host_key.hpp"

namespace dcagw::transport {

namespace {

HostKeyType host_key_type_of(int curl_type)
{
    switch (curl_type) {
    case CURLKHTYPE_RSA: return HostKeyType::Rsa;
    case CURLKHTYPE_DSS: return HostKeyType::Dss;
    case CURLKHTYPE_ECDSA: return HostKeyType::Ecdsa;
    case CURLKHTYPE_ED25519: return HostKeyType::Ed25519;
    default: return HostKeyType::Any;
    }
}

// "SHA256:... (ssh-ed25519, the type negotiated)": the offered key for a refusal.
std::string describe_offered(HostKeyType type, std::string const& fingerprint)
{
    return fingerprint + " (" + std::string(type == HostKeyType::Any ? "unknown type" : host_key_type_name(type)) + ", the type negotiated)";
}

} // namespace

// Only pins: curl hands over the server's key blob and type, and we compare fingerprints.
// libssh2 chooses which of the server's host keys it asks for, so one pin per type the
// server may offer.
int check_pinned_host_key(void* user, int curl_type, char const* key, std::size_t length)
{
    auto& check = *static_cast<HostKeyCheck*>(user);
    auto const type = host_key_type_of(curl_type);
    auto const fingerprint = openssh_fingerprint(std::span(reinterpret_cast<std::uint8_t const*>(key), length));
    check.seen = describe_offered(type, fingerprint);
    if (matches_a_pin(check.pins, type, fingerprint))
        return CURLKHMATCH_OK;
    check.expected = describe_pins(check.pins);
    check.refusal = "is not a pinned host key";
    return CURLKHMATCH_MISMATCH;
}

// A known_hosts file (and maybe a pin too): libssh2 has looked the key up; anything but
// an exact match is refused, and a pin must match as well.
int check_known_host(CURL*, curl_khkey const* known, curl_khkey const* found, curl_khmatch match, void* user)
{
    auto& check = *static_cast<HostKeyCheck*>(user);
    auto const type = host_key_type_of(static_cast<int>(found->keytype));
    auto const fingerprint = found->len > 0 ? openssh_fingerprint(std::span(reinterpret_cast<std::uint8_t const*>(found->key), found->len))
                                            : openssh_fingerprint_of_base64(found->key).value_or("(unreadable key)");
    check.seen = describe_offered(type, fingerprint);
    if (match != CURLKHMATCH_OK) {
        check.expected = known ? openssh_fingerprint_of_base64(known->key).value_or("(unreadable entry)") : "none";
        check.refusal = match == CURLKHMATCH_MISMATCH ? "differs from the key in " + check.known_hosts
                                                      : "has no entry for this host and port in " + check.known_hosts;
        return CURLKHSTAT_REJECT;
    }
    if (!check.pins.empty() && !matches_a_pin(check.pins, type, fingerprint)) {
        check.expected = describe_pins(check.pins);
        check.refusal = "is in known_hosts but is not a pinned host key";
        return CURLKHSTAT_REJECT;
    }
    return CURLKHSTAT_FINE;
}

} // namespace dcagw::transport
