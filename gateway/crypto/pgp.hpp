// crypto/pgp: OpenPGP encrypt-and-sign and decrypt-and-verify through librnp, for
// agencies whose transfer contract asks for PGP (see docs/openpgp.md).
//
// Owns: loading keys from files only (the agency's public key, our secret key, an optional
// passphrase file) into a private in-memory keyring; streaming encryption as a
// base::ByteSink in constant memory; decryption that publishes its output only after the
// data has decrypted, authenticated and (when required) carried a good signature made by
// the expected key.
// Must never: use gpg-agent, a home keyring or any key not named by the caller; release
// plaintext under its final name before verification succeeded; accept an unencrypted or
// integrity-unprotected message; keep secret material outside SecretBuffer/librnp.
#pragma once

#include "gateway/base/file.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace dcagw::crypto {

enum class PgpArmor { Binary, Armored };
enum class RequireSignature { No, Yes };

struct PgpEncryptOptions {
    // The agency's public key (armored or binary); it must hold exactly one primary key.
    std::filesystem::path recipient_public_key;
    // Our secret key for signing; nullopt encrypts without signing (tests, or agencies
    // that refuse signed data). The file must be owner-only.
    std::optional<std::filesystem::path> signing_secret_key;
    // First line of this owner-only file unlocks a passphrase-protected secret key.
    std::optional<std::filesystem::path> passphrase_file;
    PgpArmor armor = PgpArmor::Armored;
    // Name stored in the literal-data packet (what `gpg --decrypt` may use as file name).
    std::string literal_file_name;
};

// Encrypts (AES-256, SHA-256 signatures, ZLIB compression, integrity-protected SEIPD v1
// that every gpg reads) everything written to it and streams the OpenPGP message to
// `output`. Memory stays constant for any input size: write() hands bytes to librnp through
// a bounded 1 MiB ring buffer that a worker thread drains inside rnp_op_encrypt_execute.
// The output sink is written from that worker thread, so the caller must not touch it
// until finish() has returned (or the encryptor is destroyed). finish() also finishes
// `output`. Destroying an unfinished encryptor abandons the message.
class PgpEncryptor final : public base::ByteSink {
public:
    static base::Result<std::unique_ptr<PgpEncryptor>> create(PgpEncryptOptions const& options, base::ByteSink& output);
    ~PgpEncryptor() override;
    PgpEncryptor(PgpEncryptor const&) = delete;
    PgpEncryptor& operator=(PgpEncryptor const&) = delete;

    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override;
    base::Result<void> finish() override;

    struct State;

private:
    explicit PgpEncryptor(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

// Encrypts a file to another file (published through base::AtomicFile, mode 0600, never
// replacing an existing file).
// The primary-key fingerprint (upper-case hex) of the one key in a public key file: what an
// audit disclosure entry names as the file's OpenPGP recipient.
base::Result<std::string> pgp_public_key_fingerprint(std::filesystem::path const& path);
// The same for a secret key file (0600), as the audit log names the signing key it loaded.
base::Result<std::string> pgp_secret_key_fingerprint(std::filesystem::path const& path);

base::Result<void> pgp_encrypt_file(PgpEncryptOptions const& options, std::filesystem::path const& input, std::filesystem::path const& output);

struct PgpDecryptOptions {
    // Our secret key (owner-only file) and its optional passphrase file.
    std::filesystem::path secret_key;
    std::optional<std::filesystem::path> passphrase_file;
    // The agency's public key; required when signatures are required.
    std::optional<std::filesystem::path> sender_public_key;
    RequireSignature require_signature = RequireSignature::Yes;
    // Plaintext beyond this is refused (InputTooLarge): compressed packets can expand
    // enormously, and no exchange file is this big.
    std::uint64_t max_plaintext_bytes = std::uint64_t(64) << 30;
};

enum class PgpSignatureStatus {
    Valid,       // at least one signature, all good, made by the sender's key
    Missing,     // no signature (only possible with RequireSignature::No)
    NotVerified, // signed, but not verifiable against the sender's key (RequireSignature::No)
};

struct PgpDecryptReport {
    std::uint64_t plaintext_bytes = 0;
    PgpSignatureStatus signature = PgpSignatureStatus::Missing;
    std::string signer_fingerprint; // primary-key fingerprint, upper-case hex, when Valid
};

// Decrypts `input` into `output`. Plaintext reaches `output` while it is being decrypted,
// before the signature and integrity checks at the end have passed: give it a sink that
// discards on error (an uncommitted AtomicFile), or use pgp_decrypt_file.
// Errors: NoMatchingIdentity (not encrypted to our key), PayloadCorrupt (damaged or not
// integrity-protected), HeaderInvalid (not an encrypted OpenPGP message), SignatureInvalid
// (missing/bad/other signer when required), KeyInvalid (bad key file or passphrase).
base::Result<PgpDecryptReport> pgp_decrypt(PgpDecryptOptions const& options, std::filesystem::path const& input, base::ByteSink& output);

// pgp_decrypt into base::AtomicFile, committed only after every check passed.
base::Result<PgpDecryptReport> pgp_decrypt_file(PgpDecryptOptions const& options, std::filesystem::path const& input, std::filesystem::path const& output);

} // namespace dcagw::crypto
