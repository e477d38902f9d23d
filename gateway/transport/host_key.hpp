// transport/host_key: SSH host key fingerprints as OpenSSH prints them.
//
// Owns: "SHA256:<unpadded base64>" of a raw host key blob, reading a configured pin (a
// fingerprint, optionally with its key type) into that one canonical form so the
// comparison is a plain string equality, and matching an offered key against the pins.
// Must never: accept a pin that is not exactly a SHA-256 digest (a truncated or MD5 pin
// would match more keys than the agency's).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::transport {

// ssh-keygen -lf's fingerprint of a host key blob (the SSH wire encoding of the key).
std::string openssh_fingerprint(std::span<std::uint8_t const> key_blob);

// The same for a key given in base64, as in a known_hosts line; nullopt if not base64.
std::optional<std::string> openssh_fingerprint_of_base64(std::string_view key_base64);

// "SHA256:abc..." or "abc..." (43 base64 characters, or 44 with one '=') -> the canonical
// "SHA256:<43 characters>", or nullopt when it is not a SHA-256 fingerprint.
std::optional<std::string> canonical_fingerprint(std::string_view configured);

// Host key algorithms as far as a pin tells them apart (libcurl reports no ECDSA curve).
enum class HostKeyType : std::uint8_t { Any, Rsa, Dss, Ecdsa, Ed25519 };

// OpenSSH's name of the type ("ssh-ed25519", "ecdsa-sha2-*"), for messages.
std::string_view host_key_type_name(HostKeyType type);

// One configured pin: a fingerprint, and the key type it is for when the pin names one.
struct HostKeyPin {
    HostKeyType type { HostKeyType::Any };
    std::string fingerprint; // canonical, as canonical_fingerprint returns it
};

// "SHA256:..." or "<type> SHA256:...", the type as OpenSSH names the algorithm
// ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ssh-dss") or as ssh-keygen -l labels
// it ("ED25519", "RSA", "ECDSA", "DSA"); nullopt when it is neither.
std::optional<HostKeyPin> parse_host_key_pin(std::string_view configured);

// Whether a key the server offered matches one of the pins (same fingerprint, and the
// same type where the pin names one).
bool matches_a_pin(std::span<HostKeyPin const> pins, HostKeyType offered_type, std::string_view offered_fingerprint);

// "ssh-rsa SHA256:..., SHA256:..." for messages.
std::string describe_pins(std::span<HostKeyPin const> pins);

} // namespace dcagw::transport
