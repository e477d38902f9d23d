// crypto/key_file: the gateway's own text format for secret keys, and the only code that
// reads secret-key files into memory.
//
// Owns: the key-file layout (see docs/keys.md), the owner, mode and no-symlink checks on load,
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
// into sodium-protected memory (no unprotected copy is kept). The file is opened first
// (O_NOFOLLOW: a symbolic link is refused) and judged by the open descriptor: it must be a
// regular file, not accessible to group or others (PermissionsTooOpen, with the chmod
// hint), owned by this process's effective user or root (PermissionsTooOpen), and at most
// max_bytes long (InputTooLarge).
base::Result<SecretBuffer> read_secret_file(std::filesystem::path const& path, std::size_t max_bytes);

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
