#include "gateway/crypto/pgp_keyring.hpp"
#include "gateway/crypto/rnp_diagnostics.hpp"

#include "gateway/base/file.hpp"
#include "gateway/crypto/key_file.hpp"

#include <cstring>
#include <set>
#include <sodium.h>

namespace dcagw::crypto {

namespace {

// Key files are small; a certificate with many signatures is still well under this.
constexpr std::size_t max_pgp_key_file_bytes = 1 << 20;
constexpr std::size_t max_passphrase_file_bytes = 4096;

constexpr std::string_view pgp_key_file_hint = "an OpenPGP key file holds one key, as `gpg --armor --export KEYID` (or --export-secret-keys) writes it";

// Supplies the passphrase from the file the caller named, never from a prompt or agent.
bool provide_passphrase(rnp_ffi_t, void* context, rnp_key_handle_t, char const*, char buffer[], std::size_t buffer_length)
{
    auto const* passphrase = static_cast<std::optional<SecretBuffer> const*>(context);
    if (passphrase == nullptr || !passphrase->has_value() || (*passphrase)->size() + 1 > buffer_length)
        return false;
    std::memcpy(buffer, (*passphrase)->data(), (*passphrase)->size());
    buffer[(*passphrase)->size()] = '\0';
    return true;
}

base::Result<std::set<std::string>> primary_fingerprints(rnp_ffi_t ffi)
{
    std::set<std::string> fingerprints;
    rnp_identifier_iterator_t iterator = nullptr;
    if (auto const result = rnp_identifier_iterator_create(ffi, &iterator, "fingerprint"); result != RNP_SUCCESS)
        return rnp_error(result, "listing keys");
    char const* identifier = nullptr;
    while (rnp_identifier_iterator_next(iterator, &identifier) == RNP_SUCCESS && identifier != nullptr) {
        rnp_key_handle_t raw = nullptr;
        if (rnp_locate_key(ffi, "fingerprint", identifier, &raw) != RNP_SUCCESS || raw == nullptr)
            continue;
        PgpKeyHandle const key(raw);
        bool primary = false;
        if (rnp_key_is_primary(key.get(), &primary) == RNP_SUCCESS && primary)
            fingerprints.insert(identifier);
    }
    rnp_identifier_iterator_destroy(iterator);
    return fingerprints;
}

} // namespace

PgpKeyHandle::~PgpKeyHandle()
{
    if (m_handle != nullptr)
        rnp_key_handle_destroy(m_handle);
}

PgpKeyHandle& PgpKeyHandle::operator=(PgpKeyHandle&& other) noexcept
{
    if (this != &other) {
        if (m_handle != nullptr)
            rnp_key_handle_destroy(m_handle);
        m_handle = other.m_handle;
        other.m_handle = nullptr;
    }
    return *this;
}

std::string take_rnp_string(char* text)
{
    std::string copy = text != nullptr ? text : "";
    rnp_buffer_destroy(text);
    return copy;
}

base::Error rnp_error(rnp_result_t result, std::string_view doing)
{
    base::ErrorCode code = base::ErrorCode::CryptoFailure;
    switch (result) {
    case RNP_ERROR_BAD_PASSWORD:
        code = base::ErrorCode::KeyInvalid;
        break;
    case RNP_ERROR_KEY_NOT_FOUND:
    case RNP_ERROR_NO_SUITABLE_KEY:
    case RNP_ERROR_DECRYPT_FAILED:
        code = base::ErrorCode::NoMatchingIdentity;
        break;
    case RNP_ERROR_SIGNATURE_INVALID:
    case RNP_ERROR_SIGNATURE_EXPIRED:
    case RNP_ERROR_VERIFICATION_FAILED:
    case RNP_ERROR_NO_SIGNATURES_FOUND:
    case RNP_ERROR_SIGNATURE_UNKNOWN:
        code = base::ErrorCode::SignatureInvalid;
        break;
    case RNP_ERROR_BAD_FORMAT:
    case RNP_ERROR_NOT_ENOUGH_DATA:
    case RNP_ERROR_UNKNOWN_TAG:
    case RNP_ERROR_PACKET_NOT_CONSUMED:
    case RNP_ERROR_MAC_INVALID:
    case RNP_ERROR_READ:
    case RNP_ERROR_BAD_STATE:
    case RNP_ERROR_EOF:
        code = base::ErrorCode::PayloadCorrupt;
        break;
    default:
        break;
    }
    return base::make_error(code, std::string(doing) + ": " + rnp_result_to_string(result));
}

base::Result<PgpKeyring> PgpKeyring::create()
{
    // librnp's own log lines never reach the user raw (crypto/rnp_diagnostics.hpp).
    detail::filter_librnp_diagnostics();
    rnp_ffi_t ffi = nullptr;
    // "GPG" keyring formats, but nothing is ever loaded from or saved to a home folder:
    // every key comes from a file the caller names.
    if (auto const result = rnp_ffi_create(&ffi, "GPG", "GPG"); result != RNP_SUCCESS)
        return rnp_error(result, "creating the OpenPGP context");
    PgpKeyring keyring(ffi);
    rnp_ffi_set_pass_provider(ffi, provide_passphrase, keyring.m_passphrase.get());
    return keyring;
}

PgpKeyring::PgpKeyring(rnp_ffi_t ffi)
    : m_ffi(ffi)
    , m_passphrase(std::make_unique<std::optional<SecretBuffer>>())
{
}

PgpKeyring::PgpKeyring(PgpKeyring&& other) noexcept
    : m_ffi(other.m_ffi)
    , m_passphrase(std::move(other.m_passphrase))
{
    other.m_ffi = nullptr;
}

PgpKeyring::~PgpKeyring()
{
    if (m_ffi != nullptr)
        rnp_ffi_destroy(m_ffi); // also wipes the secret keys rnp holds
}

base::Result<std::string> PgpKeyring::load_keys(std::filesystem::path const& path, std::string_view data, std::uint32_t flags)
{
    // librnp's own words for these ("Buffer too short", "Bad format") say nothing about
    // the file, so an empty file and one that holds no OpenPGP key are named as such.
    if (data.empty())
        return base::make_error(base::ErrorCode::KeyInvalid, path.string() + ": the file is empty: expected an OpenPGP key").with_hint(pgp_key_file_hint);
    auto const load_into = [&](rnp_ffi_t ffi) -> base::Result<void> {
        rnp_input_t input = nullptr;
        if (auto const result = rnp_input_from_memory(&input, reinterpret_cast<std::uint8_t const*>(data.data()), data.size(), false); result != RNP_SUCCESS)
            return rnp_error(result, "reading " + path.string());
        auto const loaded = rnp_load_keys(ffi, "GPG", input, flags);
        rnp_input_destroy(input);
        if (loaded != RNP_SUCCESS)
            return base::make_error(base::ErrorCode::KeyInvalid, path.string() + ": not an OpenPGP key file (no armored or binary OpenPGP key in it)")
                .with_hint(pgp_key_file_hint);
        return {};
    };
    // The file is first read into a scratch keyring to learn which primary key it holds:
    // the same key may legitimately be loaded twice (a sender who is also a recipient).
    std::set<std::string> in_file;
    {
        auto scratch = TRY(PgpKeyring::create());
        TRY(load_into(scratch.m_ffi));
        in_file = TRY(primary_fingerprints(scratch.m_ffi));
    }
    if (in_file.size() != 1)
        return base::make_error(base::ErrorCode::KeyInvalid, path.string() + ": expected exactly one OpenPGP primary key, found " + std::to_string(in_file.size()));
    TRY(load_into(m_ffi));
    return *in_file.begin();
}

base::Result<std::string> PgpKeyring::load_public_key_file(std::filesystem::path const& path)
{
    auto const data = TRY(base::read_file_limited(path, max_pgp_key_file_bytes));
    return load_keys(path, data, RNP_LOAD_SAVE_PUBLIC_KEYS);
}

base::Result<std::string> PgpKeyring::load_secret_key_file(std::filesystem::path const& path)
{
    auto const data = TRY(read_secret_file(path, max_pgp_key_file_bytes));
    std::string_view const view(reinterpret_cast<char const*>(data.data()), data.size());
    auto const fingerprint = TRY(load_keys(path, view, RNP_LOAD_SAVE_PUBLIC_KEYS | RNP_LOAD_SAVE_SECRET_KEYS));
    auto key = TRY(locate(fingerprint));
    bool has_secret = false;
    if (rnp_key_have_secret(key.get(), &has_secret) != RNP_SUCCESS || !has_secret)
        return base::make_error(base::ErrorCode::KeyInvalid, path.string() + ": holds a public key only; a secret key is needed here");
    return fingerprint;
}

base::Result<void> PgpKeyring::load_passphrase_file(std::filesystem::path const& path)
{
    auto const data = TRY(read_secret_file(path, max_passphrase_file_bytes));
    // The passphrase is the first line, without its line ending.
    std::size_t length = 0;
    while (length < data.size() && data.data()[length] != '\n' && data.data()[length] != '\r')
        ++length;
    SecretBuffer passphrase(length);
    std::memcpy(passphrase.data(), data.data(), length);
    m_passphrase->emplace(std::move(passphrase));
    return {};
}

base::Result<PgpKeyHandle> PgpKeyring::locate(std::string const& fingerprint) const
{
    rnp_key_handle_t raw = nullptr;
    if (auto const result = rnp_locate_key(m_ffi, "fingerprint", fingerprint.c_str(), &raw); result != RNP_SUCCESS)
        return rnp_error(result, "finding key " + fingerprint);
    if (raw == nullptr)
        return base::make_error(base::ErrorCode::KeyInvalid, "key " + fingerprint + " is not loaded");
    return PgpKeyHandle(raw);
}

} // namespace dcagw::crypto
