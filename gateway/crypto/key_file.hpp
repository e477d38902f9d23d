// crypto/key_file: the gateway's own text format for secret keys, and the only code that
// reads secret-key files into memory.
//
// Owns: the key-file layout (see docs/keys.md), the owner-only permission check on load,
// bounded reads straight into SecretBuffer, and creating new key files with mode 0600.
// Must never: copy secret bytes into std::string or any other unprotected buffer that is
// not wiped, print or log key material, load a file that group or others can access, or
// overwrite an existing key file.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::crypto {

// The kinds of secret key that live in our own format. age identities and OpenPGP keys
// keep the formats of their own tools.
enum class SecretKeyType {
    Pseudonym,
    Ed25519,
};

// "pseudonym" / "ed25519": the word used in the file's first comment line and in messages.
std::string_view secret_key_type_name(SecretKeyType type);

// The prefix of the key line, e.g. "DCAGW-PSEUDONYM-KEY-1"; the version digit lets the
// format change without a silent misreading of old files.
std::string_view secret_key_prefix(SecretKeyType type);

// Number of secret bytes the key line carries (32 for both types today).
std::size_t secret_key_size(SecretKeyType type);

// Key files are a few hundred bytes; anything larger is not a key file, so reading stops.
inline constexpr std::size_t max_secret_key_file_bytes = 4096;

// Reads a whole secret file (ours, an age identity, an OpenPGP secret key, a passphrase)
// after refusing it when group or others can access it. The content lands directly in
// sodium-protected memory; no unprotected copy is kept.
base::Result<SecretBuffer> read_secret_file(std::filesystem::path const& path, std::size_t max_bytes);

// SHA-256 (lower-case hex, as sha256sum prints it) of a secret file's bytes, read with
// read_secret_file: how the audit log names a key file whose format is not ours (an SSH
// or TLS client key). Only for high-entropy keys: the hash of a password file could be
// guessed back.
base::Result<std::string> secret_file_sha256(std::filesystem::path const& path);

// Loads a key file of the given type and returns exactly secret_key_size(type) bytes.
// Refuses: group/other access (PermissionsTooOpen, with the chmod hint), a file over the
// size cap (InputTooLarge), a wrong prefix, bad base64 or wrong length (KeyInvalid).
base::Result<SecretBuffer> load_secret_key_file(std::filesystem::path const& path, SecretKeyType type);

// Parses key-file text already in protected memory (the loader's second half, exposed so
// tests and other loaders can share it).
base::Result<SecretBuffer> parse_secret_key_text(std::span<std::uint8_t const> text, SecretKeyType type);

// Writes a new key file with mode 0600 through base::AtomicFile. Refuses to replace an
// existing file (AlreadyExists): losing a key loses every pseudonym or signature made
// with it. `secret` must be secret_key_size(type) bytes.
base::Result<void> write_secret_key_file(std::filesystem::path const& path, SecretKeyType type, std::span<std::uint8_t const> secret);

// A fresh random key of the given type written with write_secret_key_file.
base::Result<void> generate_secret_key_file(std::filesystem::path const& path, SecretKeyType type);

} // namespace dcagw::crypto
