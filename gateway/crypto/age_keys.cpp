// AgeRecipient, AgeIdentity and the X25519 stanza (see age.hpp and age_x25519.hpp).
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/age_primitives.hpp"
#include "gateway/crypto/age_x25519.hpp"
#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/bech32.hpp"
#include "gateway/crypto/key_file.hpp"

#include "gateway/base/date.hpp"
#include "gateway/base/text.hpp"

#include <ctime>
#include <sodium.h>

namespace dcagw::crypto {

using base::ErrorCode;
using base::make_error;

namespace {

constexpr std::string_view recipient_prefix = "age";
constexpr std::string_view identity_prefix = "AGE-SECRET-KEY-";
constexpr std::string_view x25519_info = "age-encryption.org/v1/X25519";

AgeRecipient recipient_for(std::span<std::uint8_t const> secret)
{
    AgeRecipient recipient;
    crypto_scalarmult_base(recipient.public_key.data(), secret.data());
    return recipient;
}

} // namespace

base::Result<AgeRecipient> AgeRecipient::parse(std::string_view text)
{
    auto decoded = decode_bech32(text);
    if (!decoded || decoded->human_readable_part != recipient_prefix || decoded->text_case != Bech32Case::Lower)
        return make_error(ErrorCode::KeyInvalid, "not a valid age recipient (expected 'age1...' with a valid checksum)");
    if (decoded->data.size() != 32)
        return make_error(ErrorCode::KeyInvalid, "age recipient has the wrong key length");
    AgeRecipient recipient;
    std::copy(decoded->data.begin(), decoded->data.end(), recipient.public_key.begin());
    return recipient;
}

std::string AgeRecipient::to_string() const
{
    return encode_bech32(recipient_prefix, public_key, Bech32Case::Lower);
}

AgeIdentity::AgeIdentity(SecretBuffer secret, AgeRecipient recipient)
    : m_secret(std::move(secret))
    , m_recipient(recipient)
{
}

base::Result<AgeIdentity> AgeIdentity::parse(std::string_view text)
{
    // The decoded payload is the secret scalar: wipe the temporary copy whatever happens.
    auto decoded = decode_bech32(text);
    bool const valid = decoded && decoded->human_readable_part == identity_prefix
        && decoded->text_case == Bech32Case::Upper && decoded->data.size() == 32;
    if (!valid) {
        if (decoded)
            sodium_memzero(decoded->data.data(), decoded->data.size());
        return make_error(ErrorCode::KeyInvalid, "not a valid age identity (expected 'AGE-SECRET-KEY-1...' with a valid checksum)");
    }
    SecretBuffer secret(32);
    std::copy(decoded->data.begin(), decoded->data.end(), secret.data());
    sodium_memzero(decoded->data.data(), decoded->data.size());
    AgeRecipient const recipient = recipient_for(secret.bytes());
    return AgeIdentity(std::move(secret), recipient);
}

base::Result<std::vector<AgeIdentity>> AgeIdentity::parse_file_text(std::string_view text)
{
    if (text.size() > age_max_identity_file_bytes)
        return make_error(ErrorCode::InputTooLarge, "identity file larger than " + std::to_string(age_max_identity_file_bytes) + " bytes");
    std::vector<AgeIdentity> identities;
    std::size_t line_number = 0;
    for (std::string_view const raw_line : base::split(text, '\n')) {
        ++line_number;
        std::string_view const line = base::trim(raw_line);
        if (line.empty() || line.front() == '#')
            continue;
        if (identities.size() == age_max_identities_per_file)
            return make_error(ErrorCode::InputTooLarge, "more than " + std::to_string(age_max_identities_per_file) + " identities");
        // The line is secret material: the error names its number only.
        auto identity = TRY_CONTEXT(AgeIdentity::parse(line), "line " + std::to_string(line_number));
        identities.push_back(std::move(identity));
    }
    if (identities.empty())
        return make_error(ErrorCode::KeyInvalid, "no age identities found");
    return identities;
}

base::Result<std::vector<AgeIdentity>> AgeIdentity::load_file(std::filesystem::path const& path)
{
    // Read straight into protected memory: a growing std::string would leave copies of
    // the identities behind in the heap as it reallocates.
    auto const content = TRY(read_secret_file(path, age_max_identity_file_bytes));
    auto identities = AgeIdentity::parse_file_text(std::string_view(reinterpret_cast<char const*>(content.data()), content.size()));
    if (identities.is_error())
        return identities.release_error().with_context("reading " + path.string());
    return identities;
}

AgeIdentity AgeIdentity::generate()
{
    ensure_sodium_initialised();
    SecretBuffer secret(32);
    randombytes_buf(secret.data(), secret.size());
    AgeRecipient const recipient = recipient_for(secret.bytes());
    return AgeIdentity(std::move(secret), recipient);
}

std::string AgeIdentity::secret_key_text() const
{
    return encode_bech32(identity_prefix, m_secret.bytes(), Bech32Case::Upper);
}

AgeGeneratedKey generate_age_identity_file_text()
{
    AgeIdentity const identity = AgeIdentity::generate();
    std::string const created = base::utc_timestamp_now();
    AgeGeneratedKey key;
    key.recipient = identity.recipient().to_string();
    std::string secret = identity.secret_key_text();
    // Reserved once, so appending never reallocates and leaves a copy of the secret behind.
    key.identity_file_text.reserve(64 + key.recipient.size() + secret.size() + 8);
    key.identity_file_text.append("# created: ").append(created).append("\n# public key: ").append(key.recipient).append("\n");
    key.identity_file_text.append(secret).append("\n");
    sodium_memzero(secret.data(), secret.size());
    return key;
}

AgeGeneratedKey::~AgeGeneratedKey()
{
    sodium_memzero(identity_file_text.data(), identity_file_text.size());
}

namespace age_detail {

namespace {

// HKDF(shared secret, salt = share || recipient, "age-encryption.org/v1/X25519").
base::Result<SecretBuffer> derive_wrap_key(std::span<std::uint8_t const> shared_secret,
    std::span<std::uint8_t const, 32> share, std::span<std::uint8_t const, 32> recipient)
{
    std::array<std::uint8_t, 64> salt {};
    std::copy(share.begin(), share.end(), salt.begin());
    std::copy(recipient.begin(), recipient.end(), salt.begin() + 32);
    SecretBuffer wrap_key(32);
    TRY(hkdf_sha256(shared_secret, salt, x25519_info, wrap_key.bytes()));
    return wrap_key;
}

} // namespace

base::Result<Stanza> wrap_file_key_x25519(AgeRecipient const& recipient, std::span<std::uint8_t const> file_key)
{
    ensure_sodium_initialised();
    SecretBuffer ephemeral(32);
    randombytes_buf(ephemeral.data(), ephemeral.size());
    std::array<std::uint8_t, 32> share {};
    crypto_scalarmult_base(share.data(), ephemeral.data());
    SecretBuffer shared_secret(32);
    // libsodium refuses (returns -1) when the result is the all-zero point.
    if (crypto_scalarmult(shared_secret.data(), ephemeral.data(), recipient.public_key.data()) != 0)
        return make_error(ErrorCode::KeyInvalid, "age recipient is a low-order point");
    SecretBuffer const wrap_key = TRY(derive_wrap_key(shared_secret.bytes(), share, recipient.public_key));

    Stanza stanza;
    stanza.type = std::string(x25519_stanza_type);
    stanza.arguments.push_back(encode_base64(share, Base64Padding::No));
    stanza.body.resize(file_key.size() + crypto_aead_chacha20poly1305_ietf_ABYTES);
    std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> const zero_nonce {};
    unsigned long long body_size = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(stanza.body.data(), &body_size, file_key.data(), file_key.size(),
        nullptr, 0, nullptr, zero_nonce.data(), wrap_key.data());
    return stanza;
}

base::Result<void> check_x25519_stanza(Stanza const& stanza)
{
    if (stanza.arguments.size() != 1)
        return make_error(ErrorCode::HeaderInvalid, "age header: X25519 stanza must have exactly one argument");
    std::array<std::uint8_t, decoded_base64_size(64)> share {};
    auto const size = stanza.arguments[0].size() <= 64
        ? decode_base64_into(stanza.arguments[0], Base64Padding::No, share.data())
        : std::nullopt;
    if (!size || *size != 32)
        return make_error(ErrorCode::HeaderInvalid, "age header: X25519 share is not 32 bytes of canonical base64");
    // Checked before any decryption: a longer body could otherwise be a different key size.
    if (stanza.body.size() != file_key_size + tag_size)
        return make_error(ErrorCode::HeaderInvalid, "age header: X25519 stanza body is not a wrapped 16-byte file key");
    return {};
}

base::Result<std::optional<SecretBuffer>> unwrap_file_key_x25519(AgeIdentity const& identity, Stanza const& stanza)
{
    TRY(check_x25519_stanza(stanza));
    std::array<std::uint8_t, 32> share {};
    std::array<std::uint8_t, decoded_base64_size(43)> decoded {};
    (void)decode_base64_into(stanza.arguments[0], Base64Padding::No, decoded.data());
    std::copy(decoded.begin(), decoded.begin() + 32, share.begin());

    SecretBuffer shared_secret(32);
    if (crypto_scalarmult(shared_secret.data(), identity.secret_scalar().data(), share.data()) != 0)
        return make_error(ErrorCode::HeaderInvalid, "age header: X25519 share is a low-order point");
    SecretBuffer const wrap_key = TRY(derive_wrap_key(shared_secret.bytes(), share, identity.recipient().public_key));

    SecretBuffer file_key(file_key_size);
    std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> const zero_nonce {};
    unsigned long long file_key_length = 0;
    if (crypto_aead_chacha20poly1305_ietf_decrypt(file_key.data(), &file_key_length, nullptr,
            stanza.body.data(), stanza.body.size(), nullptr, 0, zero_nonce.data(), wrap_key.data())
        != 0)
        return std::optional<SecretBuffer>();
    return std::optional<SecretBuffer>(std::move(file_key));
}

} // namespace age_detail

} // namespace dcagw::crypto
