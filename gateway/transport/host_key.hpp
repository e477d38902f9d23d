// transport/host_key: SSH host key fingerprints as OpenSSH prints them.
//
// Owns: "SHA256:<unpadded base64>" of a raw host key blob, and reading a configured pin
// into that one canonical form so the comparison is a plain string equality.
// Must never: accept a pin that is not exactly a SHA-256 digest (a truncated or MD5 pin
// would match more keys than the agency's).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::transport {

// ssh-keygen -lf's fingerprint of a host key blob (the SSH wire encoding of the key).
std::string openssh_fingerprint(std::span<std::uint8_t const> key_blob);

// The same for a key given in base64, as in a known_hosts line; nullopt if not base64.
std::optional<std::string> openssh_fingerprint_of_base64(std::string_view key_base64);

// "SHA256:abc..." or "abc..." (43 base64 characters, or 44 with one '=') -> the canonical
// "SHA256:<43 characters>", or nullopt when it is not a SHA-256 fingerprint.
std::optional<std::string> canonical_fingerprint(std::string_view configured);

} // namespace dcagw::transport
