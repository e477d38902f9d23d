// crypto/password: console passwords and session secrets (issue #18, docs/console.md).
//
// Owns: hashing a password with argon2id (libsodium's crypto_pwhash_str, interactive limits,
// the salt and parameters inside the encoded hash), verifying one in constant time, telling
// whether a stored hash should be redone with today's limits, and the random tokens that
// name a session or guard a form (256 bits, URL-safe base64).
// Must never: keep a password after the call, log it, or compare secrets with memcmp.
#pragma once

#include "gateway/base/result.hpp"

#include <string>
#include <string_view>

namespace dcagw::crypto {

// The encoded "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, for the state store.
// Refused (Usage) for a password shorter than 12 characters or longer than 1024 bytes.
base::Result<std::string> hash_password(std::string_view password);

// Constant time; false for a wrong password and for a malformed stored hash alike.
bool password_matches(std::string const& stored_hash, std::string_view password);

// True when the hash was made with other limits than today's (rehash on the next login).
bool password_needs_rehash(std::string const& stored_hash);

// 32 random bytes, URL-safe base64 without padding (43 characters).
std::string random_token();

// Constant-time equality of two tokens of any length.
bool tokens_equal(std::string_view a, std::string_view b);

} // namespace dcagw::crypto
