#include "gateway/crypto/signature.hpp"

#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/key_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

namespace dcagw::crypto {

namespace {

constexpr std::string_view signature_magic = "dcagw-signature-v1";
constexpr std::size_t public_key_size = crypto_sign_PUBLICKEYBYTES;
constexpr std::size_t signature_size = crypto_sign_BYTES;
constexpr std::size_t max_public_key_file_bytes = 4096;

static_assert(public_key_size == 32 && signature_size == 64 && crypto_hash_sha256_BYTES == 32);

std::string base64_of(std::span<std::uint8_t const> bytes)
{
    return encode_base64(bytes, Base64Padding::Yes);
}

// Decodes padded standard base64 that must yield exactly out.size() bytes. Through the
// module's own strict decoder: libsodium's sodium_base642bin took bytes 0x80-0xFF for
// alphabet characters, so one key or signature had many spellings (found by
// fuzz_signature).
bool decode_base64_exact(std::string_view text, std::span<std::uint8_t> out)
{
    if (text.size() != (out.size() + 2) / 3 * 4)
        return false;
    auto const decoded = decode_base64(text, Base64Padding::Yes);
    if (!decoded || decoded->size() != out.size())
        return false;
    std::copy(decoded->begin(), decoded->end(), out.begin());
    return true;
}

bool decode_hex_exact(std::string_view text, std::span<std::uint8_t> out)
{
    if (text.size() != out.size() * 2)
        return false;
    // Only lowercase is produced, so only lowercase is accepted: one spelling per value.
    for (char const character : text)
        if (!((character >= '0' && character <= '9') || (character >= 'a' && character <= 'f')))
            return false;
    std::size_t length = 0;
    return sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr) == 0 && length == out.size();
}

// The message Ed25519 signs: a fixed label (so a signature can never be replayed as one
// made for another purpose or format version) and the content's SHA-256.
std::array<std::uint8_t, signature_magic.size() + 1 + 32> signed_message(Sha256Digest const& digest)
{
    std::array<std::uint8_t, signature_magic.size() + 1 + 32> message {};
    std::memcpy(message.data(), signature_magic.data(), signature_magic.size());
    message[signature_magic.size()] = 0;
    std::memcpy(message.data() + signature_magic.size() + 1, digest.data(), digest.size());
    return message;
}

// Reads `line` expected to be "<label><value>" from text at position; advances past '\n'.
bool take_line(std::string_view text, std::size_t& position, std::string_view label, std::string_view& value)
{
    auto const end = text.find('\n', position);
    if (end == std::string_view::npos)
        return false;
    std::string_view const line = text.substr(position, end - position);
    if (line.substr(0, label.size()) != label)
        return false;
    value = line.substr(label.size());
    position = end + 1;
    return true;
}

base::Error invalid(std::string message)
{
    return base::make_error(base::ErrorCode::SignatureInvalid, std::move(message));
}

base::Result<void> verify_digest(Ed25519PublicKey const& expected, Sha256Digest const& actual, std::string_view signature_text)
{
    auto const parsed = TRY(parse_signature_text(signature_text));
    if (!(parsed.key == expected))
        return invalid("signed by a different key: the signature names " + parsed.key.to_text() + " but " + expected.to_text() + " was expected");
    auto const message = signed_message(parsed.signed_sha256);
    if (crypto_sign_verify_detached(parsed.signature.data(), message.data(), message.size(), expected.bytes().data()) != 0)
        return invalid("the signature does not verify: the signature text was altered or was not made with this key");
    if (sodium_memcmp(parsed.signed_sha256.data(), actual.data(), actual.size()) != 0)
        return invalid("the content changed since it was signed: its SHA-256 is " + digest_hex(actual) + " but the signature covers " + digest_hex(parsed.signed_sha256));
    return {};
}

} // namespace

base::Result<Ed25519PublicKey> Ed25519PublicKey::parse(std::string_view text)
{
    if (text.substr(0, text_prefix.size()) != text_prefix)
        return base::make_error(base::ErrorCode::KeyInvalid, "an Ed25519 public key starts with " + std::string(text_prefix));
    std::array<std::uint8_t, 32> bytes {};
    if (!decode_base64_exact(text.substr(text_prefix.size()), bytes))
        return base::make_error(base::ErrorCode::KeyInvalid, "the Ed25519 public key is not base64 of 32 bytes");
    return Ed25519PublicKey(bytes);
}

base::Result<Ed25519PublicKey> Ed25519PublicKey::load(std::filesystem::path const& path)
{
    auto const text = TRY(base::read_file_limited(path, max_public_key_file_bytes));
    std::string_view key_line;
    std::size_t lines = 0;
    for (auto const line : base::split(text, '\n')) {
        if (line.empty() || line.front() == '#')
            continue;
        key_line = line;
        ++lines;
    }
    if (lines != 1)
        return base::make_error(base::ErrorCode::KeyInvalid, path.string() + ": expected exactly one public key line, found " + std::to_string(lines));
    return TRY_CONTEXT(parse(key_line), "reading " + path.string());
}

std::string Ed25519PublicKey::to_text() const
{
    return std::string(text_prefix) + base64_of(m_bytes);
}

Ed25519SigningKey::Ed25519SigningKey(SecretBuffer secret, Ed25519PublicKey public_key)
    : m_secret(std::move(secret))
    , m_public(public_key)
{
}

base::Result<Ed25519SigningKey> Ed25519SigningKey::from_seed(std::span<std::uint8_t const> seed)
{
    if (seed.size() != crypto_sign_SEEDBYTES)
        return base::make_error(base::ErrorCode::KeyInvalid, "an Ed25519 seed must be 32 bytes");
    ensure_sodium_initialised();
    SecretBuffer secret(crypto_sign_SECRETKEYBYTES);
    std::array<std::uint8_t, 32> public_bytes {};
    if (crypto_sign_seed_keypair(public_bytes.data(), secret.data(), seed.data()) != 0)
        return base::make_error(base::ErrorCode::CryptoFailure, "Ed25519 key derivation failed");
    return Ed25519SigningKey(std::move(secret), Ed25519PublicKey::from_bytes(public_bytes));
}

base::Result<Ed25519SigningKey> Ed25519SigningKey::load(std::filesystem::path const& path)
{
    auto const seed = TRY(load_secret_key_file(path, SecretKeyType::Ed25519));
    return from_seed(seed.bytes());
}

std::array<std::uint8_t, 64> Ed25519SigningKey::sign_raw(std::span<std::uint8_t const> message) const
{
    std::array<std::uint8_t, 64> signature {};
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), m_secret.data());
    return signature;
}

bool verify_raw(Ed25519PublicKey const& key, std::span<std::uint8_t const> message, std::span<std::uint8_t const, 64> signature)
{
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.bytes().data()) == 0;
}

std::string Ed25519SigningKey::sign_digest(Sha256Digest const& digest) const
{
    auto const message = signed_message(digest);
    std::array<std::uint8_t, signature_size> signature {};
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), m_secret.data());
    std::string text;
    text.reserve(256);
    text.append(signature_magic).append("\n");
    text.append("algorithm: ed25519\n");
    text.append("key: ").append(m_public.to_text()).append("\n");
    text.append("signed-sha256: ").append(digest_hex(digest)).append("\n");
    text.append("signature: ").append(base64_of(signature)).append("\n");
    return text;
}

base::Result<std::string> sign_bytes(Ed25519SigningKey const& key, std::span<std::uint8_t const> content)
{
    return key.sign_digest(Sha256::digest(content));
}

base::Result<std::string> sign_file(Ed25519SigningKey const& key, std::filesystem::path const& path)
{
    auto const digest = TRY_CONTEXT(sha256_of_file(path), "signing " + path.string());
    return key.sign_digest(digest);
}

base::Result<SignatureText> parse_signature_text(std::string_view text)
{
    if (text.size() > max_signature_text_bytes)
        return invalid("signature text longer than " + std::to_string(max_signature_text_bytes) + " bytes");
    std::size_t position = 0;
    std::string_view magic, algorithm, key_text, hash_text, signature_text;
    if (!take_line(text, position, "", magic) || magic != signature_magic)
        return invalid("not a dcagw signature: the first line must be " + std::string(signature_magic));
    if (!take_line(text, position, "algorithm: ", algorithm))
        return invalid("line 2 must be 'algorithm: ed25519'");
    if (algorithm != "ed25519")
        return invalid("unsupported signature algorithm '" + std::string(algorithm.substr(0, 32)) + "'");
    if (!take_line(text, position, "key: ", key_text))
        return invalid("line 3 must be 'key: dcagw-ed25519-public-1...'");
    if (!take_line(text, position, "signed-sha256: ", hash_text))
        return invalid("line 4 must be 'signed-sha256: <64 hex digits>'");
    if (!take_line(text, position, "signature: ", signature_text))
        return invalid("line 5 must be 'signature: <base64>'");
    if (position != text.size())
        return invalid("unexpected text after the signature line");
    auto key = Ed25519PublicKey::parse(key_text);
    if (key.is_error())
        return invalid("the key line is not a valid Ed25519 public key: " + key.error().message());
    SignatureText parsed { key.value(), {}, {} };
    if (!decode_hex_exact(hash_text, parsed.signed_sha256))
        return invalid("the signed-sha256 line is not 64 lowercase hex digits");
    if (!decode_base64_exact(signature_text, parsed.signature))
        return invalid("the signature line is not base64 of 64 bytes");
    return parsed;
}

base::Result<void> verify_bytes(Ed25519PublicKey const& expected, std::span<std::uint8_t const> content, std::string_view signature_text)
{
    return verify_digest(expected, Sha256::digest(content), signature_text);
}

base::Result<void> verify_file(Ed25519PublicKey const& expected, std::filesystem::path const& path, std::string_view signature_text)
{
    auto const digest = TRY_CONTEXT(sha256_of_file(path), "verifying " + path.string());
    TRY_CONTEXT(verify_digest(expected, digest, signature_text), "verifying " + path.string());
    return {};
}

base::Result<void> sign_file_to(std::filesystem::path const& secret_key_path, std::filesystem::path const& content_path, std::filesystem::path const& signature_path)
{
    auto const key = TRY(Ed25519SigningKey::load(secret_key_path));
    auto const text = TRY(sign_file(key, content_path));
    auto file = TRY(base::AtomicFile::create(signature_path, base::Overwrite::No));
    TRY(file.write(std::string_view(text)));
    TRY(file.commit());
    return {};
}

base::Result<void> verify_file_from(std::filesystem::path const& public_key_path, std::filesystem::path const& content_path, std::filesystem::path const& signature_path)
{
    auto const key = TRY(Ed25519PublicKey::load(public_key_path));
    auto const text = TRY_CONTEXT(base::read_file_limited(signature_path, max_signature_text_bytes), "reading signature");
    return verify_file(key, content_path, text);
}

} // namespace dcagw::crypto
