// crypto/signature: Ed25519 detached signatures over files and byte strings in the
// gateway's own text format (docs/keys.md), e.g. for archive manifests, audit checkpoints
// and evidence packs.
//
// Owns: Ed25519PublicKey and Ed25519SigningKey, the "dcagw-signature-v1" text format, the
// domain-separated message ("dcagw-signature-v1\0" || SHA-256(content)), streaming
// hashing of large files, and verification with a precise reason on failure.
// Must never: print or expose the secret key, accept a signature whose key, hash or
// signature line does not check out, or read unbounded signature text.
#pragma once

#include "gateway/crypto/hash.hpp"

#include "gateway/base/result.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::crypto {


// The public half: safe to print, share and commit.
class Ed25519PublicKey {
public:
    static constexpr std::string_view text_prefix = "dcagw-ed25519-public-1";

    // "dcagw-ed25519-public-1<base64 of 32 bytes>" (no surrounding spaces).
    static base::Result<Ed25519PublicKey> parse(std::string_view text);
    // A .pub file: '#' comment lines and exactly one key line.
    static base::Result<Ed25519PublicKey> load(std::filesystem::path const& path);
    static Ed25519PublicKey from_bytes(std::array<std::uint8_t, 32> const& bytes) { return Ed25519PublicKey(bytes); }

    std::string to_text() const;
    std::array<std::uint8_t, 32> const& bytes() const { return m_bytes; }
    bool operator==(Ed25519PublicKey const&) const = default;

private:
    explicit Ed25519PublicKey(std::array<std::uint8_t, 32> const& bytes) : m_bytes(bytes) {}
    std::array<std::uint8_t, 32> m_bytes;
};

// The secret half, in protected memory. Deliberately has no printing or text conversion.
class Ed25519SigningKey {
public:
    // Loads a DCAGW-ED25519-SECRET-KEY-1 file (owner-only permissions required).
    static base::Result<Ed25519SigningKey> load(std::filesystem::path const& path);
    // From the 32-byte seed the key file stores (known-answer tests use fixed seeds).
    static base::Result<Ed25519SigningKey> from_seed(std::span<std::uint8_t const> seed);

    Ed25519SigningKey(Ed25519SigningKey&&) noexcept = default;
    Ed25519SigningKey& operator=(Ed25519SigningKey&&) noexcept = default;

    Ed25519PublicKey const& public_key() const { return m_public; }

    // Signs the domain-separated message for a content digest; returns the signature text.
    std::string sign_digest(Sha256Digest const& digest) const;
    // Plain Ed25519 (RFC 8032) over exactly these bytes, for formats that define their own
    // signed message (the audit checkpoints, docs/audit.md).
    std::array<std::uint8_t, 64> sign_raw(std::span<std::uint8_t const> message) const;

private:
    Ed25519SigningKey(SecretBuffer secret, Ed25519PublicKey public_key);
    SecretBuffer m_secret; // libsodium's 64-byte form: seed || public key
    Ed25519PublicKey m_public;
};

// SHA-256 of a byte string, and of a file read in 64 KiB pieces (constant memory).


// Signature text (see docs/keys.md):
//   dcagw-signature-v1
//   algorithm: ed25519
//   key: dcagw-ed25519-public-1<base64>
//   signed-sha256: <64 lowercase hex digits>
//   signature: <base64 of 64 bytes>
base::Result<std::string> sign_bytes(Ed25519SigningKey const& key, std::span<std::uint8_t const> content);
base::Result<std::string> sign_file(Ed25519SigningKey const& key, std::filesystem::path const& path);

// Parsed signature text; parse_signature_text checks the layout strictly.
struct SignatureText {
    Ed25519PublicKey key;
    Sha256Digest signed_sha256;
    std::array<std::uint8_t, 64> signature;
};
inline constexpr std::size_t max_signature_text_bytes = 1024;
base::Result<SignatureText> parse_signature_text(std::string_view text);

// Verifies, in this order, each failing with SignatureInvalid and its own message:
// the signature names `expected` as its key ("signed by a different key"), the Ed25519
// signature over the stated hash is valid ("signature does not verify"), and the content
// hashes to the stated value ("content changed since it was signed").
// Plain Ed25519 verification over exactly these bytes (the counterpart of sign_raw).
bool verify_raw(Ed25519PublicKey const& key, std::span<std::uint8_t const> message, std::span<std::uint8_t const, 64> signature);

base::Result<void> verify_bytes(Ed25519PublicKey const& expected, std::span<std::uint8_t const> content, std::string_view signature_text);
base::Result<void> verify_file(Ed25519PublicKey const& expected, std::filesystem::path const& path, std::string_view signature_text);

// Path-level helpers for the CLI: the signature goes to (or is read from) its own file,
// written through base::AtomicFile and never replacing an existing file.
base::Result<void> sign_file_to(std::filesystem::path const& secret_key_path, std::filesystem::path const& content_path, std::filesystem::path const& signature_path);
base::Result<void> verify_file_from(std::filesystem::path const& public_key_path, std::filesystem::path const& content_path, std::filesystem::path const& signature_path);

} // namespace dcagw::crypto
