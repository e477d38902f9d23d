// crypto/key_file_generate: one entry point for `dcagw keys generate --type ...`.
//
// Owns: creating a new secret key file of any type the gateway uses (age identity,
// Ed25519 signing key, pseudonym key) with mode 0600, and returning its public half.
// Must never: overwrite an existing key file, or return or print secret material.
#pragma once

#include "gateway/base/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace dcagw::crypto {

enum class GeneratedKeyType { Age, Ed25519, Pseudonym };

// "age" | "ed25519" | "pseudonym"; nullopt-like failure as Usage error for anything else.
base::Result<GeneratedKeyType> parse_generated_key_type(std::string_view text);

// Writes a new secret key file at `secret_path` (AlreadyExists if present) and returns
// the public text to publish: the "age1..." recipient, the "dcagw-ed25519-public-1..."
// key, or the empty string for a pseudonym key (it has no public half).
base::Result<std::string> generate_key(GeneratedKeyType type, std::filesystem::path const& secret_path);

// Writes an Ed25519 public key file ("# dcagw ed25519 public key" + the key line), e.g.
// creditor-signing.ed25519.pub next to the .key; never replaces a file.
base::Result<void> write_ed25519_public_key_file(std::filesystem::path const& path, std::string_view public_text);

} // namespace dcagw::crypto
