// crypto/age: the age v1 file format (https://c2sp.org/age) with X25519 recipients, native.
//
// Owns: "age1..." recipients and "AGE-SECRET-KEY-1..." identities, streaming encryption
// and decryption (constant memory, 64 KiB STREAM chunks), the ASCII armor, and publishing
// a decrypted file only once its last chunk has authenticated.
// Must never: release plaintext that has not authenticated, keep secret key material
// outside SecretBuffer, accept a header beyond its hard limits, or report one failure kind
// as another (a parse error is HeaderInvalid, never HeaderMacMismatch).
//
// Failure kinds (base::ErrorCode): HeaderInvalid ("header failure"), NoMatchingIdentity
// ("no match"), HeaderMacMismatch ("HMAC failure"), PayloadCorrupt ("payload failure"),
// ArmorInvalid ("armor failure"), UnsupportedRecipient (scrypt passphrase and ML-KEM
// hybrid stanzas, which this gateway does not implement). See docs/age.md.
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::crypto {

// Hard limits of the decoder (documented in docs/age.md).
inline constexpr std::size_t age_max_header_bytes = 64 * 1024;
inline constexpr std::size_t age_max_stanzas = 128;
inline constexpr std::size_t age_max_identity_file_bytes = 64 * 1024;
inline constexpr std::size_t age_max_identities_per_file = 256;
// Whitespace accepted before and after an armored file.
inline constexpr std::size_t age_max_armor_whitespace = 1024;

// An X25519 public key, written "age1..." (lower-case Bech32).
struct AgeRecipient {
    std::array<std::uint8_t, 32> public_key {};

    // Parses "age1...", validating the Bech32 checksum, case and key length (KeyInvalid).
    static base::Result<AgeRecipient> parse(std::string_view text);
    std::string to_string() const;

    friend bool operator==(AgeRecipient const&, AgeRecipient const&) = default;
};

// An X25519 secret key, written "AGE-SECRET-KEY-1..." (upper-case Bech32).
class AgeIdentity {
public:
    // Parses one identity (KeyInvalid); the text is not kept.
    static base::Result<AgeIdentity> parse(std::string_view text);
    // Parses an identity file: one identity per line; empty lines and lines starting with
    // '#' are ignored. Errors name the line number, never its content.
    static base::Result<std::vector<AgeIdentity>> parse_file_text(std::string_view text);
    // Loads an identity file with read_secret_file (a symbolic link, another owner, group
    // or other access: refused; PermissionsTooOpen), refusing one larger than
    // age_max_identity_file_bytes. The text stays in protected memory.
    static base::Result<std::vector<AgeIdentity>> load_file(std::filesystem::path const& path);
    // A new random identity.
    static AgeIdentity generate();

    AgeIdentity(AgeIdentity&&) noexcept = default;
    AgeIdentity& operator=(AgeIdentity&&) noexcept = default;

    AgeRecipient const& recipient() const { return m_recipient; }
    std::span<std::uint8_t const> secret_scalar() const { return m_secret.bytes(); }
    // The "AGE-SECRET-KEY-1..." text, for writing a key file only: the returned string is
    // ordinary memory, so the caller writes it out and lets it go at once.
    std::string secret_key_text() const;

private:
    AgeIdentity(SecretBuffer secret, AgeRecipient recipient);

    SecretBuffer m_secret;
    AgeRecipient m_recipient;
};

// A freshly generated key pair in age-keygen's file layout, for `dcagw keys generate
// --type age`: identity_file_text holds the secret ("# created: ...", "# public key:
// age1...", "AGE-SECRET-KEY-1...") and must be written with mode 0600.
// The text is wiped when the value is destroyed (a moved-from value holds nothing).
struct AgeGeneratedKey {
    AgeGeneratedKey() = default;
    AgeGeneratedKey(AgeGeneratedKey&&) noexcept = default;
    AgeGeneratedKey& operator=(AgeGeneratedKey&&) noexcept = default;
    AgeGeneratedKey(AgeGeneratedKey const&) = delete;
    AgeGeneratedKey& operator=(AgeGeneratedKey const&) = delete;
    ~AgeGeneratedKey();

    std::string identity_file_text;
    std::string recipient;
};
AgeGeneratedKey generate_age_identity_file_text();

enum class Armor { No, Yes };

// Encrypts a stream to one or more recipients; write() plaintext, then finish(). Memory is
// constant (one 64 KiB chunk) whatever the size of the input.
class AgeEncryptor final : public base::ByteSink {
public:
    // Writes the header to `output` at once. `output` must outlive the encryptor.
    static base::Result<std::unique_ptr<AgeEncryptor>> create(
        std::span<AgeRecipient const> recipients, base::ByteSink& output, Armor armor);
    ~AgeEncryptor() override;

    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override;
    // Writes the final chunk (also for empty input) and the armor footer, then finishes
    // `output`.
    base::Result<void> finish() override;

    struct State;

private:
    explicit AgeEncryptor(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

enum class AgeInput {
    // Binary when the input starts with "age-encryption.org/", armored otherwise.
    Detect,
    Binary,
    Armored,
};

// Decrypts a stream fed through write(); each chunk's plaintext goes to `output` only
// after that chunk has authenticated. finish() fails with PayloadCorrupt when the input
// was truncated. After any failure every later call returns the same error.
class AgeDecryptor final : public base::ByteSink {
public:
    // `identities` and `output` must outlive the decryptor.
    static base::Result<std::unique_ptr<AgeDecryptor>> create(
        std::span<AgeIdentity const> identities, base::ByteSink& output, AgeInput input = AgeInput::Detect);
    ~AgeDecryptor() override;

    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override;
    // Authenticates the final chunk, then finishes `output`.
    base::Result<void> finish() override;

    struct State;

private:
    explicit AgeDecryptor(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

// Decrypts path_in into path_out through base::AtomicFile: nothing appears at path_out
// unless the whole file, final chunk included, authenticates. Refuses an existing
// path_out (AlreadyExists).
base::Result<void> decrypt_file_to(std::filesystem::path const& path_in,
    std::span<AgeIdentity const> identities, std::filesystem::path const& path_out);

// Encrypts path_in to path_out through base::AtomicFile (mode 0600, never replacing).
base::Result<void> encrypt_file_to(std::filesystem::path const& path_in,
    std::span<AgeRecipient const> recipients, std::filesystem::path const& path_out, Armor armor);

} // namespace dcagw::crypto
