// crypto/age_x25519: the X25519 recipient stanza, internal to the crypto module.
//
// Owns: wrapping a file key to an "age1..." recipient (ephemeral share, HKDF-SHA-256 with
// salt share||recipient, ChaCha20-Poly1305 with a zero nonce) and unwrapping it with an
// identity, including the all-zero shared secret check.
// Must never: report a malformed X25519 stanza as "no match" (it is a header failure), or
// keep the wrap key or file key outside SecretBuffer.
#pragma once

#include "gateway/crypto/age.hpp"
#include "gateway/crypto/age_header.hpp"

#include <optional>

namespace dcagw::crypto::age_detail {

inline constexpr std::string_view x25519_stanza_type = "X25519";

base::Result<Stanza> wrap_file_key_x25519(AgeRecipient const& recipient, std::span<std::uint8_t const> file_key);

// HeaderInvalid when the stanza is not a well-formed X25519 stanza (checked even without
// a matching identity).
base::Result<void> check_x25519_stanza(Stanza const& stanza);

// The file key, nullopt when this identity does not open this stanza, HeaderInvalid for a
// malformed stanza or a low-order share.
base::Result<std::optional<SecretBuffer>> unwrap_file_key_x25519(AgeIdentity const& identity, Stanza const& stanza);

} // namespace dcagw::crypto::age_detail
