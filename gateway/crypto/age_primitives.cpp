#include "gateway/crypto/age_primitives.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <string>
#include <utility>

namespace dcagw::crypto::age_detail {

using base::ErrorCode;
using base::make_error;

base::Result<void> hkdf_sha256(std::span<std::uint8_t const> input_key, std::span<std::uint8_t const> salt,
    std::string_view info, std::span<std::uint8_t> out)
{
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (kdf == nullptr)
        return make_error(ErrorCode::CryptoFailure, "OpenSSL has no HKDF");
    EVP_KDF_CTX* context = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (context == nullptr)
        return make_error(ErrorCode::CryptoFailure, "cannot create an HKDF context");

    // OpenSSL's parameter API takes non-const pointers; it does not write through them.
    char digest_name[] = "SHA256";
    OSSL_PARAM parameters[5];
    std::size_t index = 0;
    parameters[index++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name, 0);
    parameters[index++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
        const_cast<std::uint8_t*>(input_key.data()), input_key.size());
    // An empty salt means "HashLen zero bytes" in RFC 5869; OpenSSL does that when the
    // salt parameter is absent.
    if (!salt.empty())
        parameters[index++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
            const_cast<std::uint8_t*>(salt.data()), salt.size());
    parameters[index++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
        const_cast<char*>(info.data()), info.size());
    parameters[index] = OSSL_PARAM_construct_end();

    int const status = EVP_KDF_derive(context, out.data(), out.size(), parameters);
    EVP_KDF_CTX_free(context);
    if (status != 1)
        return make_error(ErrorCode::CryptoFailure, "HKDF-SHA-256 derivation failed");
    return {};
}

base::Result<std::array<std::uint8_t, 32>> hmac_sha256(std::span<std::uint8_t const> key, std::span<std::uint8_t const> data)
{
    std::array<std::uint8_t, 32> mac {};
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), mac.data(), &length) == nullptr
        || length != mac.size())
        return make_error(ErrorCode::CryptoFailure, "HMAC-SHA-256 failed");
    return mac;
}

std::array<std::uint8_t, stream_nonce_size> stream_nonce(std::uint64_t counter, LastChunk last)
{
    std::array<std::uint8_t, stream_nonce_size> nonce {};
    // The top three bytes of the 88-bit counter stay zero: 2^64 chunks is beyond reach.
    for (std::size_t index = 0; index < 8; ++index)
        nonce[10 - index] = static_cast<std::uint8_t>(counter >> (8 * index));
    nonce[11] = last == LastChunk::Yes ? 1 : 0;
    return nonce;
}

ChunkCipher::ChunkCipher(void* context, CipherDirection direction)
    : m_context(context)
    , m_direction(direction)
{
}

ChunkCipher::~ChunkCipher()
{
    if (m_context != nullptr)
        EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(m_context)); // cleanses the key schedule
}

ChunkCipher::ChunkCipher(ChunkCipher&& other) noexcept
    : m_context(std::exchange(other.m_context, nullptr))
    , m_direction(other.m_direction)
{
}

base::Result<ChunkCipher> ChunkCipher::create(std::span<std::uint8_t const> key, CipherDirection direction)
{
    if (key.size() != 32)
        return make_error(ErrorCode::Internal, "ChaCha20-Poly1305 needs a 32-byte key");
    EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
    if (context == nullptr)
        return make_error(ErrorCode::CryptoFailure, "cannot create a cipher context");
    int const encrypt = direction == CipherDirection::Encrypt ? 1 : 0;
    if (EVP_CipherInit_ex(context, EVP_chacha20_poly1305(), nullptr, key.data(), nullptr, encrypt) != 1) {
        EVP_CIPHER_CTX_free(context);
        return make_error(ErrorCode::CryptoFailure, "cannot initialise ChaCha20-Poly1305");
    }
    return ChunkCipher(context, direction);
}

base::Result<void> ChunkCipher::seal(std::span<std::uint8_t const, stream_nonce_size> nonce,
    std::span<std::uint8_t const> plaintext, std::uint8_t* out)
{
    auto* context = static_cast<EVP_CIPHER_CTX*>(m_context);
    int length = 0;
    int final_length = 0;
    // Re-initialising with only an IV keeps the key schedule: no allocation per chunk.
    if (m_direction != CipherDirection::Encrypt
        || EVP_CipherInit_ex(context, nullptr, nullptr, nullptr, nonce.data(), 1) != 1
        || EVP_CipherUpdate(context, out, &length, plaintext.data(), static_cast<int>(plaintext.size())) != 1
        || EVP_CipherFinal_ex(context, out + length, &final_length) != 1
        || static_cast<std::size_t>(length + final_length) != plaintext.size()
        || EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, tag_size, out + plaintext.size()) != 1)
        return make_error(ErrorCode::CryptoFailure, "ChaCha20-Poly1305 encryption failed");
    return {};
}

bool ChunkCipher::open(std::span<std::uint8_t const, stream_nonce_size> nonce,
    std::span<std::uint8_t const> sealed, std::uint8_t* out)
{
    if (m_direction != CipherDirection::Decrypt || sealed.size() < tag_size)
        return false;
    auto* context = static_cast<EVP_CIPHER_CTX*>(m_context);
    std::size_t const ciphertext_size = sealed.size() - tag_size;
    int length = 0;
    int final_length = 0;
    // OpenSSL's tag setter wants a writable pointer; it only copies from it.
    auto* tag = const_cast<std::uint8_t*>(sealed.data() + ciphertext_size);
    return EVP_CipherInit_ex(context, nullptr, nullptr, nullptr, nonce.data(), 0) == 1
        && EVP_CipherUpdate(context, out, &length, sealed.data(), static_cast<int>(ciphertext_size)) == 1
        && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, tag_size, tag) == 1
        && EVP_CipherFinal_ex(context, out + length, &final_length) == 1
        && static_cast<std::size_t>(length + final_length) == ciphertext_size;
}

} // namespace dcagw::crypto::age_detail
