// crypto/age_primitives: the symmetric building blocks of the age format, internal to
// the crypto module.
//
// Owns: HKDF-SHA-256 and HMAC-SHA-256 (OpenSSL EVP), and ChunkCipher, a long-lived
// ChaCha20-Poly1305 context that re-keys nothing per chunk (only the nonce changes), so
// the 64 KiB STREAM loop allocates nothing.
// Must never: hand out plaintext from open() when the tag fails (callers must treat the
// output buffer as garbage then), or be included outside gateway/crypto.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace dcagw::crypto::age_detail {

inline constexpr std::size_t file_key_size = 16;
inline constexpr std::size_t tag_size = 16;
inline constexpr std::size_t chunk_size = 64 * 1024;
inline constexpr std::size_t encrypted_chunk_size = chunk_size + tag_size;
inline constexpr std::size_t payload_nonce_size = 16;
inline constexpr std::size_t stream_nonce_size = 12;

// Derives out.size() bytes; CryptoFailure only if OpenSSL itself fails.
base::Result<void> hkdf_sha256(std::span<std::uint8_t const> input_key, std::span<std::uint8_t const> salt,
    std::string_view info, std::span<std::uint8_t> out);

base::Result<std::array<std::uint8_t, 32>> hmac_sha256(std::span<std::uint8_t const> key, std::span<std::uint8_t const> data);

enum class CipherDirection { Encrypt, Decrypt };

class ChunkCipher {
public:
    static base::Result<ChunkCipher> create(std::span<std::uint8_t const> key, CipherDirection direction);
    ~ChunkCipher();
    ChunkCipher(ChunkCipher&& other) noexcept;
    ChunkCipher& operator=(ChunkCipher&&) = delete;
    ChunkCipher(ChunkCipher const&) = delete;

    // Encrypts plaintext into out (plaintext.size() + 16 bytes: ciphertext then tag).
    base::Result<void> seal(std::span<std::uint8_t const, stream_nonce_size> nonce,
        std::span<std::uint8_t const> plaintext, std::uint8_t* out);
    // Decrypts ciphertext-with-tag into out (size - 16 bytes); false when the tag fails.
    bool open(std::span<std::uint8_t const, stream_nonce_size> nonce,
        std::span<std::uint8_t const> sealed, std::uint8_t* out);

private:
    explicit ChunkCipher(void* context, CipherDirection direction);
    void* m_context { nullptr }; // EVP_CIPHER_CTX, kept opaque so OpenSSL stays out of headers
    CipherDirection m_direction;
};

// The STREAM nonce: 11-byte big-endian counter, then 1 for the last chunk, 0 otherwise.
enum class LastChunk { No, Yes };
std::array<std::uint8_t, stream_nonce_size> stream_nonce(std::uint64_t counter, LastChunk last);

} // namespace dcagw::crypto::age_detail
