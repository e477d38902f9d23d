#include "gateway/crypto/pgp.hpp"
#include "gateway/crypto/pgp_keyring.hpp"

#include <optional>

namespace dcagw::crypto {

namespace {

// Where decrypted bytes go while rnp works: counted, capped, forwarded to the caller.
struct DecryptOutput {
    base::ByteSink* sink { nullptr };
    std::uint64_t limit { 0 };
    std::uint64_t written { 0 };
    std::optional<base::Error> error;

    static bool write(void* context, void const* buffer, std::size_t length)
    {
        auto& output = *static_cast<DecryptOutput*>(context);
        if (output.written + length > output.limit) {
            output.error = base::make_error(base::ErrorCode::InputTooLarge, "decrypted data larger than the limit of " + std::to_string(output.limit) + " bytes");
            return false;
        }
        try {
            auto result = output.sink->write(std::span<std::uint8_t const>(static_cast<std::uint8_t const*>(buffer), length));
            if (result.is_error()) {
                output.error = result.release_error();
                return false;
            }
        } catch (...) {
            // Exceptions must not unwind through librnp's C frames.
            output.error = base::make_error(base::ErrorCode::FileWriteFailed, "writing decrypted data failed");
            return false;
        }
        output.written += length;
        return true;
    }
    static void close(void*, bool) {}
};

// Owns the rnp objects of one decryption.
struct DecryptOperation {
    rnp_input_t input { nullptr };
    rnp_output_t output { nullptr };
    rnp_op_verify_t verify { nullptr };
    ~DecryptOperation()
    {
        if (verify != nullptr)
            rnp_op_verify_destroy(verify);
        if (input != nullptr)
            rnp_input_destroy(input);
        if (output != nullptr)
            rnp_output_destroy(output);
    }
};

base::Result<std::string> primary_fingerprint_of(rnp_key_handle_t key)
{
    bool primary = false;
    if (rnp_key_is_primary(key, &primary) != RNP_SUCCESS)
        return base::make_error(base::ErrorCode::CryptoFailure, "cannot inspect the signing key");
    char* fingerprint = nullptr;
    auto const result = primary ? rnp_key_get_fprint(key, &fingerprint) : rnp_key_get_primary_fprint(key, &fingerprint);
    if (result != RNP_SUCCESS)
        return base::make_error(base::ErrorCode::CryptoFailure, "cannot read the signing key's fingerprint");
    return take_rnp_string(fingerprint);
}

// Checks every signature: all must be good and at least one made by the sender's key.
// Returns the status to report, or SignatureInvalid when `require` is Yes and it fails.
base::Result<PgpSignatureStatus> check_signatures(rnp_op_verify_t verify, std::optional<std::string> const& sender, RequireSignature require, std::string& signer)
{
    std::size_t count = 0;
    if (auto const result = rnp_op_verify_get_signature_count(verify, &count); result != RNP_SUCCESS)
        return rnp_error(result, "counting signatures");
    auto const refuse = [&](std::string message) -> base::Result<PgpSignatureStatus> {
        if (require == RequireSignature::Yes)
            return base::make_error(base::ErrorCode::SignatureInvalid, std::move(message));
        return PgpSignatureStatus::NotVerified;
    };
    if (count == 0) {
        if (require == RequireSignature::Yes)
            return base::make_error(base::ErrorCode::SignatureInvalid, "the file is not signed, and a signature by the sender is required");
        return PgpSignatureStatus::Missing;
    }
    if (!sender.has_value())
        return refuse("no sender public key was given to verify the signature with");
    bool by_sender = false;
    for (std::size_t index = 0; index < count; ++index) {
        rnp_op_verify_signature_t signature = nullptr;
        if (auto const result = rnp_op_verify_get_signature_at(verify, index, &signature); result != RNP_SUCCESS)
            return rnp_error(result, "reading a signature");
        auto const status = rnp_op_verify_signature_get_status(signature);
        if (status != RNP_SUCCESS)
            return refuse(std::string("signature ") + std::to_string(index + 1) + " is not valid: " + rnp_result_to_string(status)
                + (status == RNP_ERROR_KEY_NOT_FOUND ? " (made by a key other than the sender's)" : ""));
        rnp_key_handle_t raw = nullptr;
        if (rnp_op_verify_signature_get_key(signature, &raw) != RNP_SUCCESS || raw == nullptr)
            return refuse("signature " + std::to_string(index + 1) + ": signing key unknown");
        PgpKeyHandle const key(raw);
        auto const fingerprint = TRY(primary_fingerprint_of(key.get()));
        if (fingerprint != *sender)
            return refuse("signature " + std::to_string(index + 1) + " was made by key " + fingerprint + ", not by the sender's key " + *sender);
        by_sender = true;
        signer = fingerprint;
    }
    if (!by_sender)
        return refuse("no signature by the sender's key");
    return PgpSignatureStatus::Valid;
}

} // namespace

base::Result<PgpDecryptReport> pgp_decrypt(PgpDecryptOptions const& options, std::filesystem::path const& input, base::ByteSink& output)
{
    if (options.require_signature == RequireSignature::Yes && !options.sender_public_key.has_value())
        return base::make_error(base::ErrorCode::Usage, "a signature is required but no sender public key was given");
    auto keyring = TRY(PgpKeyring::create());
    if (options.passphrase_file.has_value())
        TRY_CONTEXT(keyring.load_passphrase_file(*options.passphrase_file), "reading the passphrase file");
    TRY_CONTEXT(keyring.load_secret_key_file(options.secret_key), "loading our OpenPGP secret key");
    std::optional<std::string> sender;
    if (options.sender_public_key.has_value())
        sender = TRY_CONTEXT(keyring.load_public_key_file(*options.sender_public_key), "loading the sender's OpenPGP key");

    DecryptOutput sink { &output, options.max_plaintext_bytes, 0, std::nullopt };
    DecryptOperation operation;
    std::string const doing = "decrypting " + input.string();
    if (auto const result = rnp_input_from_path(&operation.input, input.c_str()); result != RNP_SUCCESS)
        return base::make_error(base::ErrorCode::FileUnreadable, input.string() + ": cannot open (" + rnp_result_to_string(result) + ")");
    if (auto const result = rnp_output_to_callback(&operation.output, &DecryptOutput::write, &DecryptOutput::close, &sink); result != RNP_SUCCESS)
        return rnp_error(result, doing);
    if (auto const result = rnp_op_verify_create(&operation.verify, keyring.ffi(), operation.input, operation.output); result != RNP_SUCCESS)
        return rnp_error(result, doing);
    // Signature policy is ours (check_signatures), so rnp is told not to fail on
    // signatures; everything else (decryption, integrity) still fails the execute.
    if (auto const result = rnp_op_verify_set_flags(operation.verify, RNP_VERIFY_IGNORE_SIGS_ON_DECRYPT); result != RNP_SUCCESS)
        return rnp_error(result, doing);

    auto const executed = rnp_op_verify_execute(operation.verify);
    if (sink.error.has_value())
        return base::Error(*sink.error).with_context(doing);
    // librnp reports a failed integrity (MDC) check or a damaged packet stream inside the
    // encrypted data as a generic error; with the keys already loaded, that is what it means.
    if (executed == RNP_ERROR_GENERIC)
        return base::make_error(base::ErrorCode::PayloadCorrupt, doing + ": the message is damaged or was altered (integrity check failed)");
    if (executed != RNP_SUCCESS)
        return rnp_error(executed, doing);

    char* mode_text = nullptr;
    char* cipher_text = nullptr;
    bool integrity_valid = false;
    if (auto const result = rnp_op_verify_get_protection_info(operation.verify, &mode_text, &cipher_text, &integrity_valid); result != RNP_SUCCESS)
        return rnp_error(result, doing);
    std::string const mode = take_rnp_string(mode_text);
    std::string const cipher = take_rnp_string(cipher_text);
    if (mode == "none")
        return base::make_error(base::ErrorCode::HeaderInvalid, doing + ": the file is not encrypted");
    if (!integrity_valid)
        return base::make_error(base::ErrorCode::PayloadCorrupt, doing + ": the encrypted data has no valid integrity protection (mode " + mode + ")");

    PgpDecryptReport report;
    report.plaintext_bytes = sink.written;
    report.signature = TRY_CONTEXT(check_signatures(operation.verify, sender, options.require_signature, report.signer_fingerprint), doing);
    return report;
}

base::Result<PgpDecryptReport> pgp_decrypt_file(PgpDecryptOptions const& options, std::filesystem::path const& input, std::filesystem::path const& output)
{
    auto file = TRY(base::AtomicFile::create(output, base::Overwrite::No));
    // Destroying the uncommitted file on any error removes the partial plaintext.
    auto report = TRY(pgp_decrypt(options, input, file));
    TRY(file.commit());
    return report;
}

} // namespace dcagw::crypto
